// Runs one query and shows its table and chart (or the API's error) in place.
import type { CubeApi, Query, ResultSet } from '@cubejs-client/core';
import type { ApiProblem } from './api-errors';
import { apiErrorView } from './api-error-view';
import { h, replaceChildren } from './dom';
import { resultChart } from './result-chart';
import { resultTable } from './result-table';

export interface ResultViewOptions {
  tableTestid?: string;
  onSessionExpired?: (problem: ApiProblem) => void;
}

export async function showQueryResult(
  container: HTMLElement,
  cubeApi: CubeApi,
  query: Query,
  options: ResultViewOptions = {},
): Promise<ResultSet | null> {
  replaceChildren(container, h('p', { class: 'loading', testid: 'loading' }, 'Running the query…'));
  try {
    const resultSet = await cubeApi.load(query);
    replaceChildren(container, resultChart(resultSet, query), resultTable(resultSet, options.tableTestid));
    return resultSet;
  } catch (error) {
    replaceChildren(container, apiErrorView(error, options.onSessionExpired));
    return null;
  }
}
