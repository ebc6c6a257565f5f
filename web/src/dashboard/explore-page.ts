// Explore: build a query from what this user's /meta offers, see the rows and
// the chart, and save the query to the dashboard under a title.
import type { Query } from '@cubejs-client/core';
import { apiErrorView } from '../shared/api-error-view';
import { h, replaceChildren } from '../shared/dom';
import { MemberCatalog } from '../shared/member-catalog';
import { QueryBuilder } from '../shared/query-builder';
import { showQueryResult } from '../shared/query-result-view';
import type { DashboardSession } from './session';

export async function renderExplorePage(outlet: HTMLElement, session: DashboardSession): Promise<void> {
  replaceChildren(outlet, h('h2', {}, 'Explore'), h('p', { class: 'loading' }, 'Loading what you may query…'));
  let catalog: MemberCatalog;
  try {
    catalog = MemberCatalog.fromMeta(await session.cubeApi.meta());
  } catch (error) {
    replaceChildren(outlet, h('h2', {}, 'Explore'), apiErrorView(error, session.onSessionExpired));
    return;
  }
  const results = h('div', { class: 'results', testid: 'results' });
  const saveArea = h('div', { class: 'save-area' });
  let lastQuery: Query | null = null;

  const builder = new QueryBuilder(catalog, (query) => {
    lastQuery = query;
    renderSaveButton();
    void showQueryResult(results, session.cubeApi, query, { onSessionExpired: session.onSessionExpired });
  });

  function renderSaveButton(): void {
    replaceChildren(
      saveArea,
      h('button', { type: 'button', testid: 'save-chart', disabled: lastQuery === null, onclick: askForTitle }, 'Save to dashboard'),
    );
  }

  // Asks for the title inline rather than with window.prompt, which browsers
  // may suppress and tests would have to answer as a dialog.
  function askForTitle(): void {
    const query = lastQuery;
    if (!query) return;
    const title = h('input', { type: 'text', testid: 'chart-title', placeholder: 'Chart title', required: true, 'aria-label': 'Chart title' });
    const form = h(
      'form',
      { class: 'save-form' },
      title,
      h('button', { type: 'submit', class: 'primary', testid: 'save-chart-confirm' }, 'Save'),
      h('button', { type: 'button', class: 'link', testid: 'save-chart-cancel', onclick: renderSaveButton }, 'Cancel'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = title.value.trim();
      if (!text) return;
      session.savedCharts.add(text, query);
      replaceChildren(saveArea, h('p', { class: 'saved', testid: 'chart-saved' }, `Saved “${text}” to the dashboard.`));
    });
    replaceChildren(saveArea, form);
    title.focus();
  }

  renderSaveButton();
  replaceChildren(outlet, h('h2', {}, 'Explore'), builder.element, saveArea, results);
}
