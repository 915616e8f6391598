// Spec section 4's example: a sales director filters on "created since
// yesterday", reads the Offered count, opens the Offered tab and sorts by
// created date both ways. Every figure on screen is checked against the API.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIRECTOR, apiAs, apiQuery, browserOffset, changeView, login, openFilters, screenshot, settled, shownCounts, shownNumbers, serverAndBrowser,
} from '../harness.mjs';

const shared = serverAndBrowser();

test('the director reads how many leads since yesterday are offered, then sorts them both ways', async () => {
  const { page } = shared.session;
  const api = await apiAs(shared.server.base, DIRECTOR);
  await login(page, shared.server.base, DIRECTOR);
  await settled(page);
  const unfiltered = await shownCounts(page);
  await screenshot(page, '01-pipeline');

  await openFilters(page);
  await page.click('[data-testid=filter-created]');
  const counted = page.waitForRequest((request) => request.url().includes('/api/v1/cases/counts?') && request.url().includes('created_from='));
  const params = await changeView(page, () => page.click('[data-testid=filter-created-since-yesterday]'));
  // The client names the browser's time zone, so "yesterday" stays right
  // across daylight-saving changes.
  const sent = new URL((await counted).url()).searchParams;
  assert.equal(sent.get('tz'), 'Europe/Warsaw', 'the client sends the browser\'s IANA time zone');
  const yesterday = await page.evaluate(() => {
    const day = new Date();
    day.setDate(day.getDate() - 1);
    return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
  });
  assert.equal(sent.get('created_from'), yesterday, 'the client asks from the day it picked');
  assert.equal(params.get('created_from'), yesterday, 'the quick pick filters from yesterday, in the browser\'s day');
  assert.equal(params.get('created_to'), null, '"since" leaves the range open');

  const tz = await browserOffset(page);
  const expected = await api.get(`/cases/counts?${apiQuery(params, { tz: 'Europe/Warsaw' })}`);
  const counts = await shownCounts(page);
  assert.equal(counts.offered, expected.offered, 'the Offered tab shows the API\'s count under the filter');
  assert.equal(counts.all, expected.all);
  assert.ok(counts.all > 0 && counts.all < unfiltered.all, `the filter narrows the funnel (${counts.all} of ${unfiltered.all})`);
  assert.ok(counts.offered > 0, 'the demo has offered leads since yesterday');
  await screenshot(page, '02-since-yesterday');

  const offeredParams = await changeView(page, () => page.click('[data-testid=tab-offered]'));
  assert.equal(offeredParams.get('tab'), 'offered');
  assert.equal(await page.getAttribute('[data-testid=tab-offered]', 'aria-selected'), 'true');
  assert.equal((await shownNumbers(page)).length, Math.min(counts.offered, 50));
  const statuses = await page.$$eval('[data-testid=case-row] td.col-status', (cells) => [...new Set(cells.map((c) => c.textContent.trim()))]);
  assert.deepEqual(statuses, ['Offered']);

  for (const [direction, sort] of [['ascending', 'created_at'], ['descending', '-created_at']]) {
    const sorted = await changeView(page, () => page.click('[data-testid=sort-created_at]'));
    assert.equal(sorted.get('sort'), sort);
    assert.equal(await page.getAttribute('[data-testid=header-created_at]', 'aria-sort'), direction);
    const oracle = await api.get(`/cases?${apiQuery(sorted, { tz, limit: 50 })}`);
    const created = oracle.items.map((item) => Date.parse(item.created_at));
    const ordered = [...created].sort((a, b) => (direction === 'ascending' ? a - b : b - a));
    assert.deepEqual(created, ordered, `the API sorts ${direction}`);
    assert.ok(created.every((at) => at >= Date.parse(`${yesterday}T00:00:00${tz}`)), 'every row was created since yesterday');
    assert.deepEqual(await shownNumbers(page), oracle.items.map((item) => item.number), `the rows follow the API's ${direction} order`);
    await screenshot(page, `03-offered-${direction}`);
  }

  // The link reproduces the view; back returns to the previous one.
  const link = page.url();
  assert.equal((await changeView(page, () => page.goBack())).get('sort'), 'created_at');
  assert.equal((await changeView(page, () => page.goto(link))).get('sort'), '-created_at');
  assert.equal((await shownCounts(page)).offered, expected.offered);
});
