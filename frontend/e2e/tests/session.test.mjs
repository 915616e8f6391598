// Sessions: a deep link while logged out goes through the login page and
// back; the access token lives only in memory; a reload renews the session
// by rotating the refresh token; logout revokes it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT, DEMO_PASSWORD, apiAs, settled, serverAndBrowser } from '../harness.mjs';

const shared = serverAndBrowser();

const storedRefreshToken = (page) => page.evaluate(() => sessionStorage.getItem('lejek.refresh_token'));
const refreshWith = (base, token) =>
  fetch(`${base}/api/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: token }),
  }).then((response) => response.status);

test('login returns to the link asked for, keeps the access token in memory, rotates on reload, revokes on logout', async () => {
  const { page } = shared.session;
  const api = await apiAs(shared.server.base, AGENT);
  const [own] = (await api.get('/cases?limit=1')).items;

  await page.goto(`${shared.server.base}/cases/${own.id}`);
  await page.waitForSelector('[data-testid=login-page]');
  assert.match(page.url(), /next=/, 'the login page remembers where the user was going');
  await page.fill('[data-testid=login-email]', AGENT);
  await page.fill('[data-testid=login-password]', DEMO_PASSWORD);
  const [loginResponse] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login')),
    page.click('[data-testid=login-submit]'),
  ]);
  const { access_token: accessToken, refresh_token: firstRefresh } = await loginResponse.json();
  await page.waitForSelector('[data-testid=case-title]');
  assert.equal(new URL(page.url()).pathname, `/cases/${own.id}`);
  assert.match(await page.textContent('[data-testid=case-title]'), new RegExp(String(own.number)));

  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage, cookie: document.cookie }));
  assert.ok(!storage.includes(accessToken), 'no storage holds the access token');
  assert.equal(await storedRefreshToken(page), firstRefresh);

  await page.reload();
  await page.waitForSelector('[data-testid=case-title]');
  const secondRefresh = await storedRefreshToken(page);
  assert.ok(secondRefresh && secondRefresh !== firstRefresh, 'the reload rotated the refresh token');

  await page.click('[data-testid=nav-pipeline]');
  await settled(page);
  await page.click('[data-testid=logout]');
  await page.waitForSelector('[data-testid=login-page]');
  assert.equal(await storedRefreshToken(page), null);
  assert.equal(await refreshWith(shared.server.base, secondRefresh), 401, 'logout revoked the refresh token');
  assert.equal(await refreshWith(shared.server.base, firstRefresh), 401, 'a rotated refresh token is dead');

  // Logged out, the app shows no data: back to the pipeline means the login page.
  await page.goto(shared.server.base + '/');
  await page.waitForSelector('[data-testid=login-page]');
  assert.equal(await page.$('[data-testid=case-row]'), null);
});
