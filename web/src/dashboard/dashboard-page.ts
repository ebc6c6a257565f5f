// The dashboard: the user's saved charts, each run again with the current
// token. With none saved, a starter chart "Orders by status" — but only when
// this user's /meta offers both of its members, since others may not see them.
import type { Query } from '@cubejs-client/core';
import { apiErrorView } from '../shared/api-error-view';
import { h, replaceChildren } from '../shared/dom';
import { MemberCatalog } from '../shared/member-catalog';
import { membersOf } from '../shared/query-draft';
import { showQueryResult } from '../shared/query-result-view';
import type { SavedChart } from './saved-charts';
import type { DashboardSession } from './session';

const STARTER_CHART: SavedChart = {
  id: 'starter',
  title: 'Orders by status',
  query: { measures: ['Orders.count'], dimensions: ['Orders.status'] },
};

export async function renderDashboardPage(outlet: HTMLElement, session: DashboardSession): Promise<void> {
  const saved = session.savedCharts.list();
  const grid = h('div', { class: 'charts-grid' });
  replaceChildren(outlet, h('h2', {}, 'Dashboard'), grid);
  if (saved.length > 0) {
    for (const chart of saved) grid.append(chartCard(chart, session, true, () => void renderDashboardPage(outlet, session)));
    return;
  }
  let catalog: MemberCatalog;
  try {
    catalog = MemberCatalog.fromMeta(await session.cubeApi.meta());
  } catch (error) {
    replaceChildren(grid, apiErrorView(error, session.onSessionExpired));
    return;
  }
  if (membersOf(STARTER_CHART.query).every((m) => catalog.offers(m))) {
    grid.append(chartCard(STARTER_CHART, session, false, () => {}));
  } else {
    replaceChildren(grid, h('p', { class: 'empty', testid: 'no-charts' }, 'No saved charts yet. Build one in Explore and save it here.'));
  }
}

function chartCard(chart: SavedChart, session: DashboardSession, deletable: boolean, onDeleted: () => void): HTMLElement {
  const body = h('div', { class: 'chart-body' });
  const card = h(
    'section',
    { class: 'saved-chart', testid: 'saved-chart', 'data-chart-id': chart.id, 'data-title': chart.title },
    h(
      'header',
      {},
      h('h3', { testid: 'chart-title-text' }, chart.title),
      deletable &&
        h(
          'button',
          {
            type: 'button',
            class: 'link danger',
            testid: 'delete-chart',
            onclick: () => {
              session.savedCharts.remove(chart.id);
              onDeleted();
            },
          },
          'Delete',
        ),
    ),
    body,
  );
  void showQueryResult(body, session.cubeApi, chart.query as Query, {
    tableTestid: 'chart-table',
    onSessionExpired: session.onSessionExpired,
  });
  return card;
}
