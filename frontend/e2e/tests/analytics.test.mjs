// The Analytics page: every chart's numbers are the API's, for a manager
// and for an agent; a chart shows as a table and downloads as CSV; a
// figure opens the pipeline filtered to the cases behind it; the Team
// table sorts and links each owner; Polish and English; nothing overflows
// sideways at 1280×720.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AGENT, DIRECTOR, apiAs, login, openBrowser, screenshot, settled, startServer } from '../harness.mjs';

let server;
let director;
let agent;
before(async () => {
  server = await startServer();
  director = await apiAs(server.base, DIRECTOR);
  agent = await apiAs(server.base, AGENT);
});
after(async () => {
  await server?.stop();
});

/// Waits until every chart has its answer; returns the period shown.
async function figuresShown(page) {
  await page.waitForSelector('[data-testid=analytics-page][data-settled=true]');
  return {
    from: await page.inputValue('[data-testid=period-from]'),
    to: await page.inputValue('[data-testid=period-to]'),
  };
}

/// A chart's numbers as its table holds them (raw values), row by row.
async function tableOf(page, figure) {
  const card = `[data-testid=figure-${figure}]`;
  await page.click(`${card} [data-testid=toggle-table]`);
  const rows = await page.$$eval(`${card} [data-testid=figure-table] tbody tr`, (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.dataset.raw)),
  );
  await page.click(`${card} [data-testid=toggle-table]`);
  return rows;
}

const period = ({ from, to }) => `from=${from}&to=${to}&tz=Europe%2FWarsaw`;

async function assertChartsEqualTheApi(page, api, shown) {
  const funnel = await api.get(`/analytics/funnel?${period(shown)}`);
  assert.deepEqual(
    (await tableOf(page, 'funnel')).map((row) => row[1]),
    funnel.steps.map((step) => String(step.reached)),
    'the funnel reached per step',
  );
  assert.deepEqual(
    await page.$$eval('[data-testid=funnel-now] [data-value]', (items) => items.map((item) => Number(item.dataset.value))),
    [funnel.cohort, funnel.now.open, funnel.now.resigned, funnel.now.acquired],
  );
  const bySource = await api.get(`/analytics/outcomes?${period(shown)}&group_by=source`);
  assert.deepEqual(
    (await tableOf(page, 'win-rate-source')).map((row) => [row[0], row[1], row[2], row[3]]),
    bySource.groups.map((group) => [group.key, String(group.acquired), String(group.resigned), group.win_rate ?? '']),
    'win rate by source',
  );
  assert.deepEqual(
    (await tableOf(page, 'cycle')).map((row) => row[2]),
    bySource.groups.map((group) => (group.cycle.median === null ? '' : String(group.cycle.median))),
    'the sales cycle by source',
  );
  const byOwner = await api.get(`/analytics/outcomes?${period(shown)}&group_by=owner`);
  assert.deepEqual(
    (await tableOf(page, 'win-rate-owner')).map((row) => [row[0], row[1], row[2]]),
    byOwner.groups.map((group) => [group.key ?? '', String(group.acquired), String(group.resigned)]),
    'win rate by owner',
  );
  const reasons = await api.get(`/analytics/resignations?${period(shown)}`);
  assert.deepEqual(
    await tableOf(page, 'reasons'),
    reasons.reasons.map((reason) => [reason.reason, String(reason.count)]),
    'the resignation reasons',
  );
  const durations = await api.get(`/analytics/durations?${period(shown)}`);
  assert.deepEqual(
    (await tableOf(page, 'stages')).map((row) => [row[1], row[2]]),
    [...durations.statuses, ...durations.stages].map((row) => [
      String(row.left.count),
      row.left.median === null ? '' : String(row.left.median),
    ]),
    'time per status and stage',
  );
  const forecast = await api.get('/analytics/forecast?months=6&tz=Europe%2FWarsaw');
  assert.deepEqual(
    (await tableOf(page, 'forecast')).map((row) => [row[0], row[2]]),
    [
      ...forecast.actual.map((month) => [month.month, String(month.acquired)]),
      ...forecast.months.map((month) => [month.month, String(month.count)]),
    ],
    'the forecast and the actuals',
  );
  return { funnel, forecast };
}

test('a manager sees every chart with the API\'s numbers, as tables and CSV, and the Team table', async () => {
  const session = await openBrowser();
  try {
    const { page } = session;
    await login(page, server.base, DIRECTOR, '/analytics');
    const shown = await figuresShown(page);
    await screenshot(page, '20-analytics-manager');
    const { forecast } = await assertChartsEqualTheApi(page, director, shown);

    // The CSV holds the table's raw numbers.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=figure-reasons] [data-testid=download-csv]'),
    ]);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const reasons = await director.get(`/analytics/resignations?${period(shown)}`);
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, reasons.reasons.length + 1);
    assert.equal(lines[1], `${reasons.reasons[0].reason.includes(',') ? `"${reasons.reasons[0].reason}"` : reasons.reasons[0].reason},${reasons.reasons[0].count}`);

    // The Team table: the API's rows, sortable, owners linked.
    const team = await director.get(`/analytics/team?${period(shown)}`);
    await page.waitForSelector('[data-testid=team-table]');
    const owners = await page.$$eval('[data-testid=team-owner]', (links) => links.map((link) => link.textContent));
    assert.equal(owners.length, team.rows.length);
    const byMoves = [...team.rows].sort((a, b) => b.moves - a.moves).map((row) => String(row.moves));
    await page.click('[data-testid=team-table] th:nth-child(9) button');
    await page.click('[data-testid=team-table] th:nth-child(9) button');
    assert.deepEqual(
      await page.$$eval('[data-testid=team-table] tbody tr td:nth-child(9)', (cells) => cells.map((cell) => cell.dataset.raw)),
      byMoves,
      'sorted by moves, most first',
    );

    // No sideways scrolling of the page at 1280×720.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    assert.ok(await page.evaluate(() => document.querySelector('main').scrollWidth <= document.querySelector('main').clientWidth));

    // A forecast month opens the pipeline filtered to its open cases.
    const month = forecast.months.find((row) => row.month !== 'overdue' && row.count > 0);
    await page.click(`[data-testid=figure-forecast] .column.linked[data-key="${month.month}"]`);
    const params = await settled(page);
    assert.equal(params.get('status'), 'awaiting_pickup,in_acquisition,offered');
    const counts = await director.get(`/cases/counts?${params.toString()}&tz=Europe%2FWarsaw`);
    assert.equal(counts.all, month.count, 'the pipeline holds the cases behind the figure');

    // Back to the figures, in Polish.
    await page.goBack();
    await figuresShown(page);
    await page.click('[data-testid=lang-pl]');
    await page.waitForSelector('text=Analityka lejka');
    const title = await page.textContent('[data-testid=figure-funnel] h2');
    assert.match(title, /Lejek/);
    const money = await page.$$eval('[data-testid=figure-forecast] title', (titles) => titles.map((t) => t.textContent).join(' '));
    assert.match(money, /zł/, 'money in Polish format');
    await screenshot(page, '21-analytics-polish');
  } finally {
    await session.close();
  }
});

test('an agent sees the same charts over their own cases only, and no Team table', async () => {
  const session = await openBrowser({ locale: 'pl-PL' });
  try {
    const { page } = session;
    await login(page, server.base, AGENT, '/analytics?period=last_12_months');
    const shown = await figuresShown(page);
    await assertChartsEqualTheApi(page, agent, shown);
    const me = (await director.get('/users')).find((user) => user.email === AGENT);
    const owners = (await tableOf(page, 'win-rate-owner')).map((row) => row[0]);
    assert.ok(owners.every((owner) => owner === String(me.id)), 'only the agent\'s own group');
    assert.equal(await page.$('[data-testid=figure-team]'), null);
    await screenshot(page, '22-analytics-agent');
  } finally {
    await session.close();
  }
});

test('the period and filters live in the address, and a custom period is kept', async () => {
  const session = await openBrowser();
  try {
    const { page } = session;
    await login(page, server.base, DIRECTOR, '/analytics?period=custom&from=2026-01-01&to=2026-03-31&source=email');
    const shown = await figuresShown(page);
    assert.deepEqual(shown, { from: '2026-01-01', to: '2026-03-31' });
    const funnel = await director.get(`/analytics/funnel?${period(shown)}&source=email`);
    assert.deepEqual(
      (await tableOf(page, 'funnel')).map((row) => row[1]),
      funnel.steps.map((step) => String(step.reached)),
    );
    await page.selectOption('[data-testid=period]', 'last_month');
    await page.waitForURL(/period=last_month/);
    await figuresShown(page);
    assert.match(page.url(), /source=email/);
  } finally {
    await session.close();
  }
});
