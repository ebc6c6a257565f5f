// "Generate model": pick database tables and get starter YAML cubes for them,
// through the same endpoints as Cube's Playground:
//   GET  /playground/db-schema       → {"tablesSchema": {schema: {table: [{name, type}]}}}
//   POST /playground/generate-schema {"tables": ["schema.table"]} → {"files": [{fileName, content}]}
import { apiErrorView } from '../shared/api-error-view';
import { fetchJson } from '../shared/api-errors';
import { h, replaceChildren } from '../shared/dom';

interface Column {
  name: string;
  type: string;
}
interface DbSchema {
  tablesSchema: Record<string, Record<string, Column[]>>;
}
interface GeneratedFiles {
  files: { fileName: string; content: string }[];
}

export async function renderGenerateModelPage(outlet: HTMLElement): Promise<void> {
  replaceChildren(outlet, h('h2', {}, 'Generate model'), h('p', { class: 'loading' }, 'Reading the database’s tables…'));
  let schema: DbSchema;
  try {
    schema = await fetchJson<DbSchema>('/playground/db-schema');
  } catch (error) {
    replaceChildren(outlet, h('h2', {}, 'Generate model'), apiErrorView(error));
    return;
  }
  const output = h('div', { class: 'generated', testid: 'generated' });
  const checkboxes: HTMLInputElement[] = [];
  const schemas = Object.entries(schema.tablesSchema ?? {});
  const generate = h('button', { type: 'button', class: 'primary', testid: 'generate' }, 'Generate');
  generate.addEventListener('click', () => {
    const tables = checkboxes.filter((c) => c.checked).map((c) => c.value);
    void generateFiles(tables, output, generate);
  });
  replaceChildren(
    outlet,
    h('h2', {}, 'Generate model'),
    h('p', {}, 'Tick the tables to describe, then press Generate. The YAML is a starting point to copy into your model folder.'),
    schemas.length === 0 && h('p', { class: 'empty', testid: 'no-tables' }, 'The database has no tables.'),
    h(
      'div',
      { class: 'table-list', testid: 'table-list' },
      schemas.map(([schemaName, tables]) =>
        h(
          'fieldset',
          { class: 'builder-section' },
          h('legend', {}, schemaName),
          Object.entries(tables).map(([table, columns]) => {
            const qualified = `${schemaName}.${table}`;
            const box = h('input', { type: 'checkbox', value: qualified, testid: 'table-checkbox', 'data-table': qualified });
            checkboxes.push(box);
            return h(
              'details',
              { class: 'db-table' },
              h('summary', {}, h('label', {}, box, ' ', table)),
              h('ul', { class: 'columns' }, columns.map((c) => h('li', {}, h('code', {}, c.name), ' ', h('span', { class: 'member-type' }, c.type)))),
            );
          }),
        ),
      ),
    ),
    h('div', { class: 'builder-row' }, generate),
    output,
  );
}

async function generateFiles(tables: string[], output: HTMLElement, button: HTMLButtonElement): Promise<void> {
  if (tables.length === 0) {
    replaceChildren(output, h('p', { class: 'api-error', role: 'alert', testid: 'api-error' }, 'Tick at least one table.'));
    return;
  }
  button.disabled = true;
  replaceChildren(output, h('p', { class: 'loading' }, 'Generating…'));
  try {
    const { files } = await fetchJson<GeneratedFiles>('/playground/generate-schema', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tables }),
    });
    replaceChildren(
      output,
      (files ?? []).map((file) =>
        h(
          'section',
          { class: 'generated-file', testid: 'generated-file', 'data-file-name': file.fileName },
          h('h3', {}, file.fileName),
          h('pre', { class: 'code', testid: 'generated-yaml' }, file.content),
        ),
      ),
    );
  } catch (error) {
    replaceChildren(output, apiErrorView(error));
  } finally {
    button.disabled = false;
  }
}
