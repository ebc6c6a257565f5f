// The Playground (dev mode): build a query by clicking and see the numbers
// /load gives for it, its SQL and curl command; generate cubes from tables.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  ARTIFACTS, launchBrowser, load, newPage, screenshot, startDevServer, tableRows,
} from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startDevServer(path.join(ARTIFACTS, 'playground-server'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function choose(page, testId, value) {
  const picker = page.getByTestId(testId);
  await picker.locator(`option[value="${value}"]`).waitFor({ state: 'attached' });
  await picker.selectOption(value);
}

describe('the Playground', () => {
  test('a query built by clicking shows the same numbers as /load, its SQL and a curl command', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await choose(page, 'add-measure', 'Orders.count');
    await choose(page, 'add-dimension', 'Orders.status');
    await page.getByTestId('run').click();
    const table = page.getByTestId('result-table');
    await table.locator('[data-testid="row"]').first().waitFor();
    const shown = await tableRows(table);
    await screenshot(page, 'playground-result');

    const api = await load(server.url, { measures: ['Orders.count'], dimensions: ['Orders.status'] });
    const expected = Object.fromEntries(api.map((r) => [r['Orders.status'], Number(r['Orders.count'])]));
    const got = Object.fromEntries(shown.map(([status, count]) => [status, Number(count.replace(/[^0-9]/g, ''))]));
    assert.deepEqual(got, expected);

    await page.getByTestId('tab-json').click();
    const sent = JSON.parse(await page.getByTestId('json-query').innerText());
    assert.deepEqual(sent.measures, ['Orders.count']);
    assert.deepEqual(sent.dimensions, ['Orders.status']);
    await page.getByTestId('tab-sql').click();
    assert.match(await page.getByTestId('sql-text').innerText(), /SELECT[\s\S]*FROM[\s\S]*orders/i);
    await page.getByTestId('tab-curl').click();
    const curl = await page.getByTestId('curl').innerText();
    assert.match(curl, /curl /);
    assert.ok(curl.includes('/cubejs-api/v1/load'), curl);
    assert.ok(curl.includes('Orders.count'), curl);
    await page.context().close();
  });

  test('every part of the builder: time dimension, granularity, date range, filter, order and limit', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/build`);
    await choose(page, 'add-measure', 'Orders.count');
    await choose(page, 'add-dimension', 'Orders.status');
    await choose(page, 'time-dimension', 'Orders.createdAt');
    await page.getByTestId('granularity').selectOption('year');
    await page.getByTestId('date-range').selectOption('custom');
    await page.getByTestId('date-from').fill('2000-01-01');
    await page.getByTestId('date-to').fill('2099-12-31');
    await choose(page, 'add-filter', 'Orders.status');
    const filter = page.locator('[data-testid="filter"][data-member="Orders.status"]');
    await filter.getByTestId('filter-operator').selectOption('notEquals');
    await filter.getByTestId('filter-values').fill('cancelled, processing');
    await choose(page, 'add-order', 'Orders.count');
    await page.locator('[data-testid="order"][data-member="Orders.count"]').getByTestId('order-direction').selectOption('desc');
    await page.getByTestId('limit').fill('3');
    await page.getByTestId('run').click();
    const table = page.getByTestId('result-table');
    await table.locator('[data-testid="row"]').first().waitFor();

    await page.getByTestId('tab-json').click();
    const sent = JSON.parse(await page.getByTestId('json-query').innerText());
    assert.deepEqual(sent, {
      measures: ['Orders.count'],
      dimensions: ['Orders.status'],
      timeDimensions: [{ dimension: 'Orders.createdAt', granularity: 'year', dateRange: ['2000-01-01', '2099-12-31'] }],
      filters: [{ member: 'Orders.status', operator: 'notEquals', values: ['cancelled', 'processing'] }],
      order: [['Orders.count', 'desc']],
      limit: 3,
    });
    // The table shows what /load answers for that query, row by row.
    const shown = await table.locator('[data-testid="row"]').evaluateAll((rows) => rows.map((row) =>
      Object.fromEntries([...row.querySelectorAll('[data-member]')].map((c) => [c.dataset.member, c.dataset.value]))));
    const api = await load(server.url, sent);
    assert.equal(shown.length, 3);
    assert.equal(api.length, 3);
    shown.forEach((row, i) => {
      assert.ok(Object.keys(row).length >= 3, JSON.stringify(row));
      for (const [member, value] of Object.entries(row)) assert.equal(String(api[i][member]), value, `${member} in row ${i}`);
      assert.ok(!['cancelled', 'processing'].includes(row['Orders.status']));
    });
    assert.equal(await page.getByTestId('chart').getAttribute('data-chart-kind'), 'line');
    await screenshot(page, 'playground-full-query');
    await page.context().close();
  });

  test('cubes are generated from the database\'s tables', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/schema`);
    const orders = page.locator('[data-testid="table-checkbox"][value="main.orders"]');
    await orders.waitFor();
    await orders.check();
    await page.getByTestId('generate').click();
    const file = page.locator('[data-testid="generated-file"][data-file-name="orders.yml"]');
    await file.waitFor();
    const yaml = await file.getByTestId('generated-yaml').innerText();
    assert.match(yaml, /^cubes:/m);
    assert.match(yaml, /sql_table: orders/);
    assert.match(yaml, /name: Orders/);
    await screenshot(page, 'playground-generate');
    await page.context().close();
  });
});
