// The Playground's main page: the model in a sidebar, the query builder, and
// the result tabs.
import type { CubeApi } from '@cubejs-client/core';
import { apiErrorView } from '../shared/api-error-view';
import { h, replaceChildren } from '../shared/dom';
import { MemberCatalog } from '../shared/member-catalog';
import { QueryBuilder } from '../shared/query-builder';
import { metaSidebar } from './meta-sidebar';
import { ResultTabs } from './result-tabs';

export async function renderBuildPage(outlet: HTMLElement, cubeApi: CubeApi, apiUrl: string): Promise<void> {
  replaceChildren(outlet, h('p', { class: 'loading' }, 'Loading the model…'));
  let catalog: MemberCatalog;
  try {
    catalog = MemberCatalog.fromMeta(await cubeApi.meta());
  } catch (error) {
    replaceChildren(outlet, h('h2', {}, 'Could not load the model'), apiErrorView(error));
    return;
  }
  const results = new ResultTabs(cubeApi, apiUrl);
  const builder = new QueryBuilder(catalog, (query) => void results.run(query));
  replaceChildren(
    outlet,
    h(
      'div',
      { class: 'with-sidebar' },
      metaSidebar(catalog, (member) => builder.addMember(member)),
      h('div', { class: 'main-column' }, builder.element, results.element),
    ),
  );
}
