// Who sees what: an agent sees only their own cases (and cannot open
// another's by its link); a manager sees every case, the unassigned ones
// included, and can narrow the table to them.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AGENT, AGENT_NAME, DIRECTOR, apiAs, apiQuery, browserOffset, changeView, login, openBrowser, openFilters, screenshot, settled,
  shownCounts, shownNumbers, startServer,
} from '../harness.mjs';

let server;
let director;
before(async () => {
  server = await startServer();
  director = await apiAs(server.base, DIRECTOR);
});
after(async () => {
  await server?.stop();
});

async function ownerCells(page) {
  return page.$$eval('[data-testid=case-row] td.col-owner', (cells) => [...new Set(cells.map((c) => c.textContent.trim()))]);
}

test('an agent sees only their own cases, with the counts of their own funnel', async () => {
  const session = await openBrowser();
  try {
    const { page } = session;
    await login(page, server.base, AGENT);
    const params = await settled(page);
    const anna = (await director.get('/users')).find((user) => user.email === AGENT);
    const tz = await browserOffset(page);
    const theirs = await director.get(`/cases/counts?${apiQuery(params, { tz, owner: String(anna.id) })}`);
    const everyone = await director.get(`/cases/counts?${apiQuery(params, { tz })}`);
    const counts = await shownCounts(page);
    assert.deepEqual(counts, theirs, 'the tabs count exactly the agent\'s cases');
    assert.ok(counts.all < everyone.all, 'others\' cases are not counted');
    assert.deepEqual(await ownerCells(page), [AGENT_NAME]);
    await screenshot(page, '04-agent-pipeline');

    // The owner filter offers "me" but not "unassigned" or other people.
    await openFilters(page);
    await page.click('[data-testid=filter-owner]');
    assert.ok(await page.isVisible('[data-testid=filter-owner-me]'));
    assert.equal(await page.$('[data-testid=filter-owner-unassigned]'), null);
    await page.keyboard.press('Escape');

    // Someone else's case, by its link: not found, nothing of it shown.
    const others = await director.get(`/cases?${apiQuery({}, { owner: 'unassigned', limit: 1 })}`);
    const foreign = others.items[0];
    await page.goto(`${server.base}/cases/${foreign.id}`);
    await page.waitForSelector('[data-testid=empty]');
    assert.match(await page.textContent('[data-testid=empty]'), /not found|no such/i);
    assert.equal(await page.$('[data-testid=case-title]'), null);
    assert.ok(!(await page.textContent('main')).includes(foreign.subject));
  } finally {
    await session.close();
  }
});

test('a manager sees the unassigned cases and can narrow the table to them', async () => {
  const session = await openBrowser();
  try {
    const { page } = session;
    await login(page, server.base, DIRECTOR);
    await settled(page);
    const owners = await ownerCells(page);
    assert.ok(owners.length > 1, `a manager sees many owners: ${owners}`);

    await openFilters(page);
    await page.click('[data-testid=filter-owner]');
    const params = await changeView(page, () => page.click('[data-testid=filter-owner-unassigned] input'));
    await page.keyboard.press('Escape');
    assert.equal(params.get('owner'), 'unassigned');
    const tz = await browserOffset(page);
    const expected = await director.get(`/cases/counts?${apiQuery(params, { tz })}`);
    assert.ok(expected.all > 0, 'the demo has unassigned cases');
    assert.deepEqual(await shownCounts(page), expected);
    assert.deepEqual(await ownerCells(page), ['Unassigned']);
    const oracle = await director.get(`/cases?${apiQuery(params, { tz, limit: 50 })}`);
    assert.deepEqual(await shownNumbers(page), oracle.items.map((item) => item.number));
    await screenshot(page, '05-manager-unassigned');
  } finally {
    await session.close();
  }
});
