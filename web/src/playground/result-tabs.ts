// The Playground's result area: the rows (table and chart), the JSON query as
// sent, the SQL Tessera generates for it, and the equivalent curl command.
// Every panel is filled on each run and only hidden, so all of them can be read.
import type { CubeApi, Query } from '@cubejs-client/core';
import { apiErrorView } from '../shared/api-error-view';
import { h, replaceChildren } from '../shared/dom';
import { showQueryResult } from '../shared/query-result-view';
import { curlCommand } from './curl-command';

type TabName = 'results' | 'json' | 'sql' | 'curl';

export class ResultTabs {
  private readonly panels: Record<TabName, HTMLElement> = {
    results: h('div', { class: 'panel', testid: 'results' }),
    json: h('pre', { class: 'panel code', testid: 'json-query' }),
    sql: h('div', { class: 'panel', testid: 'sql' }),
    curl: h('pre', { class: 'panel code', testid: 'curl' }),
  };
  private readonly tabs = (Object.keys(this.panels) as TabName[]).map((name) =>
    h('button', { type: 'button', role: 'tab', class: 'tab', testid: `tab-${name}`, onclick: () => this.show(name) }, TAB_TITLES[name]),
  );
  readonly element = h(
    'section',
    { class: 'result-tabs' },
    h('div', { role: 'tablist', class: 'tabs' }, this.tabs),
    Object.values(this.panels),
  );

  constructor(
    private readonly cubeApi: CubeApi,
    private readonly apiUrl: string,
    private readonly token?: string,
  ) {
    replaceChildren(this.panels.results, h('p', { class: 'empty' }, 'Choose members and press Run.'));
    this.show('results');
  }

  show(name: TabName): void {
    for (const [tab, panelName] of this.tabs.map((t, i) => [t, Object.keys(this.panels)[i]] as const)) {
      tab.setAttribute('aria-selected', String(panelName === name));
    }
    for (const [panelName, panel] of Object.entries(this.panels)) panel.hidden = panelName !== name;
  }

  async run(query: Query): Promise<void> {
    this.panels.json.textContent = JSON.stringify(query, null, 2);
    this.panels.curl.textContent = curlCommand(this.apiUrl, query, this.token);
    await Promise.all([showQueryResult(this.panels.results, this.cubeApi, query), this.showSql(query)]);
  }

  private async showSql(query: Query): Promise<void> {
    replaceChildren(this.panels.sql, h('p', { class: 'loading' }, 'Compiling…'));
    try {
      const [text, params] = (await this.cubeApi.sql(query)).rawQuery().sql;
      replaceChildren(
        this.panels.sql,
        h('pre', { class: 'code', testid: 'sql-text' }, text),
        h('h4', {}, 'Parameters'),
        params?.length
          ? h(
              'ol',
              { testid: 'sql-params' },
              params.map((p: unknown, i: number) => h('li', { 'data-index': i + 1 }, JSON.stringify(p))),
            )
          : h('p', { class: 'empty', testid: 'sql-params' }, 'none'),
      );
    } catch (error) {
      replaceChildren(this.panels.sql, apiErrorView(error));
    }
  }
}

const TAB_TITLES: Record<TabName, string> = { results: 'Results', json: 'JSON query', sql: 'SQL', curl: 'curl' };
