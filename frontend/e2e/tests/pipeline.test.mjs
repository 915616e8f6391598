// The table's everyday behaviour: paging through the cursor API by
// scrolling, coming back from a case to the same rows at the same place,
// overdue follow-ups highlighted in the Offered tab, a debounced text
// filter, and back/forward through views.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIRECTOR, apiAs, apiQuery, browserOffset, changeView, login, openFilters, screenshot, serverAndBrowser, settled, shownNumbers,
} from '../harness.mjs';

let api;
const shared = serverAndBrowser({}, async ({ server, session }) => {
  api = await apiAs(server.base, DIRECTOR);
  await login(session.page, server.base, DIRECTOR);
});

test('scrolling loads the next page through the cursor; a visited case returns to the same place', async () => {
  const { page } = shared.session;
  await page.goto(shared.server.base + '/');
  const params = await settled(page);
  const first = await api.get(`/cases?${apiQuery(params, { limit: 50 })}`);
  const second = await api.get(`/cases?${apiQuery(params, { limit: 50, cursor: first.next_cursor })}`);
  const expected = [...first.items, ...second.items].map((item) => item.number);
  assert.deepEqual(await shownNumbers(page), expected.slice(0, 50));

  await page.$eval('[data-testid=table-scroll]', (element) => { element.scrollTop = element.scrollHeight; });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=case-row]').length === 100);
  assert.deepEqual(await shownNumbers(page), expected, 'the second page follows the first, nothing repeated or skipped');

  const target = expected[70];
  await page.$eval(`[data-testid=case-row][data-case="${target}"]`, (row) => row.scrollIntoView({ block: 'center' }));
  const scrollTop = await page.$eval('[data-testid=table-scroll]', (element) => element.scrollTop);
  assert.ok(scrollTop > 0);
  await page.click(`[data-testid=case-row][data-case="${target}"] [data-testid=case-number]`);
  await page.waitForSelector('[data-testid=case-title]');
  await page.goBack();
  await settled(page);
  assert.deepEqual(await shownNumbers(page), expected, 'the same rows come back');
  await page.waitForFunction((top) => Math.abs(document.querySelector('[data-testid=table-scroll]').scrollTop - top) <= 1, scrollTop);
});

test('the Offered tab highlights exactly the overdue follow-ups', async () => {
  const { page } = shared.session;
  await changeView(page, () => page.click('[data-testid=tab-offered]'));
  const seen = { overdue: 0, upcoming: 0 };
  for (const sort of [null, '-follow_up_at']) {
    const params = sort ? await changeView(page, () => page.click('[data-testid=sort-follow_up_at]')) : await settled(page);
    assert.equal(params.get('sort'), sort);
    const { items } = await api.get(`/cases?${apiQuery(params, { limit: 50 })}`);
    const now = Date.now();
    const overdue = items.filter((item) => item.follow_up_at && Date.parse(item.follow_up_at) < now).map((item) => item.number);
    seen.overdue += overdue.length;
    seen.upcoming += items.length - overdue.length;
    const highlighted = await page.$$eval('[data-testid=case-row].overdue', (rows) => rows.map((row) => Number(row.dataset.case)));
    const badged = await page.$$eval('[data-testid=case-row]', (rows) =>
      rows.filter((row) => row.querySelector('[data-testid=overdue]')).map((row) => Number(row.dataset.case)),
    );
    assert.deepEqual(highlighted, overdue, `highlighted rows, sort ${sort ?? 'default'}`);
    assert.deepEqual(badged, overdue, `overdue badges, sort ${sort ?? 'default'}`);
    if (!sort) await screenshot(page, '17-offered-overdue');
  }
  assert.ok(seen.overdue > 0 && seen.upcoming > 0, `the demo has overdue and upcoming follow-ups: ${JSON.stringify(seen)}`);

  await changeView(page, () => page.click('[data-testid=tab-all]'));
  assert.equal(await page.$('[data-testid=case-row].overdue'), null, 'only the Offered tab highlights');
});

test('a text filter waits for the typing to stop, and back/forward walk through the views', async () => {
  const { page } = shared.session;
  await page.goto(shared.server.base + '/');
  await settled(page);
  await openFilters(page);
  const listCalls = [];
  const onRequest = (request) => {
    if (/\/api\/v1\/cases\?/.test(request.url())) listCalls.push(request.url());
  };
  page.on('request', onRequest);
  await page.type('[data-testid=filter-subject]', 'oferta', { delay: 40 });
  await page.waitForURL((url) => url.searchParams.get('subject') === 'oferta');
  const params = await settled(page);
  page.off('request', onRequest);
  assert.equal(params.get('subject'), 'oferta');
  assert.equal(listCalls.length, 1, `one list request for the whole word, not one per key: ${listCalls.length}`);
  const tz = await browserOffset(page);
  const oracle = await api.get(`/cases?${apiQuery(params, { tz, limit: 50 })}`);
  assert.ok(oracle.items.length > 0);
  assert.deepEqual(await shownNumbers(page), oracle.items.map((item) => item.number));
  const subjects = await page.$$eval('[data-testid=case-row] [data-testid=case-subject]', (links) => links.map((l) => l.textContent));
  assert.ok(subjects.every((subject) => subject.toLowerCase().includes('oferta')), subjects.join(' | '));
  await screenshot(page, '18-subject-filter');

  assert.equal((await changeView(page, () => page.click('[data-testid=tab-acquired]'))).get('tab'), 'acquired');
  const back = await changeView(page, () => page.goBack());
  assert.equal(back.get('tab'), null);
  assert.equal(back.get('subject'), 'oferta');
  assert.equal(await page.inputValue('[data-testid=filter-subject]'), 'oferta');
  assert.equal((await changeView(page, () => page.goForward())).get('tab'), 'acquired');

  const cleared = await changeView(page, () => page.click('[data-testid=clear-filters]'));
  assert.equal(cleared.get('subject'), null);
  assert.equal(await page.inputValue('[data-testid=filter-subject]'), '');
});
