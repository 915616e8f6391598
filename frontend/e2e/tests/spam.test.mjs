// The spam path of spec section 4: a row's spam toggle, applied when the
// view is saved, takes the case out of the funnel; search (across every
// campaign) finds it and changes its campaign back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIRECTOR, apiAs, login, screenshot, settled, shownCounts, shownNumbers, serverAndBrowser,
} from '../harness.mjs';

const shared = serverAndBrowser();

test('a case marked as spam leaves the funnel on save and is restored from search', async () => {
  const { page } = shared.session;
  const api = await apiAs(shared.server.base, DIRECTOR);

  await login(page, shared.server.base, DIRECTOR);
  await settled(page);
  const before = await shownCounts(page);
  const [number] = await shownNumbers(page);
  const row = `[data-testid=case-row][data-case="${number}"]`;

  await page.click(`${row} [data-testid=spam-toggle]`);
  await page.waitForSelector('[data-testid=marked-notice]');
  assert.match(await page.textContent('[data-testid=marked-notice]'), /1/);
  assert.ok(await page.isVisible(row), 'marking alone changes nothing yet');
  await screenshot(page, '06-spam-marked');
  const [marked] = (await api.get(`/cases?number=${number}`)).items;
  assert.equal(marked.campaign.kind, 'funnel', 'nothing is written before the view is saved');
  const campaignMoves = async () => (await api.get(`/cases/${marked.id}/events`)).filter((event) => event.kind === 'campaign').length;
  const movesBefore = await campaignMoves();

  await page.click('[data-testid=save-view]');
  await page.waitForSelector(row, { state: 'detached' });
  await settled(page);
  assert.equal(await page.$('[data-testid=marked-notice]'), null);
  assert.equal((await shownCounts(page)).all, before.all - 1, 'the funnel counts one case fewer');
  const spammed = await api.get(`/cases/${marked.id}`);
  assert.equal(spammed.campaign.kind, 'spam', 'the case is in the SPAM campaign');

  await page.click('[data-testid=nav-search]');
  await page.fill('[data-testid=search-input]', String(number));
  const found = `[data-testid=case-list-row][data-case="${number}"]`;
  await page.waitForSelector(found);
  assert.equal((await page.textContent(`${found} [data-testid=campaign-badge]`)).trim(), 'Spam');
  await screenshot(page, '07-search-spam');

  await page.click(`${found} [data-testid=restore]`);
  await page.waitForFunction(
    ([selector, name]) => document.querySelector(selector)?.textContent.trim() === name,
    [`${found} [data-testid=campaign-badge]`, 'Sales funnel'],
  );
  assert.equal((await api.get(`/cases/${marked.id}`)).campaign.kind, 'funnel', 'the case is back in the funnel');
  assert.equal(await campaignMoves(), movesBefore + 2, 'both moves are in the history');
  await screenshot(page, '08-search-restored');

  await page.click('[data-testid=nav-pipeline]');
  await settled(page);
  assert.equal((await shownCounts(page)).all, before.all);
  assert.ok(await page.isVisible(row), 'the case is in the table again');
});
