// A query's rows as a plain table. Cells hold the raw values the API returned
// (text and data-value), with the member name on data-member, so a browser
// test can read e.g. status → count pairs without parsing formatted numbers.
import type { ResultSet } from '@cubejs-client/core';
import { h } from './dom';

interface Column {
  key: string;
  title: string;
}

export function resultTable(resultSet: ResultSet, testid = 'result-table'): HTMLElement {
  const columns = flatColumns(resultSet);
  const rows = resultSet.tablePivot();
  if (rows.length === 0) return h('p', { class: 'empty', testid: `${testid}-empty` }, 'The query returned no rows.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { testid, class: 'result-table' },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { 'data-member': c.key, title: c.key }, c.title)))),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            { testid: 'row' },
            columns.map((c) => {
              const raw = rawText(row[c.key]);
              return h('td', { 'data-member': c.key, 'data-value': raw }, raw);
            }),
          ),
        ),
      ),
    ),
  );
}

function flatColumns(resultSet: ResultSet): Column[] {
  type TableColumn = { key: string; title: string; children?: TableColumn[] };
  const flatten = (cols: TableColumn[]): Column[] =>
    cols.flatMap((c) => (c.children?.length ? flatten(c.children) : [{ key: c.key, title: c.title || c.key }]));
  return flatten(resultSet.tableColumns() as TableColumn[]);
}

function rawText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
