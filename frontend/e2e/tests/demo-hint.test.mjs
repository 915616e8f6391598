// The login page offers the demo login only when the server runs on the
// demo data, and the login it shows works.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, settled, startServer } from '../harness.mjs';

/// Opens the login page, waits until it has asked the server what to
/// offer and drawn the answer, and returns that answer.
async function loginPage(page, base) {
  const answer = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login-options'));
  await page.goto(base + '/');
  await page.waitForSelector('[data-testid=login-page]');
  const options = await (await answer).json();
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return options;
}

test('on demo data the login page shows the demo login, and it signs in', async () => {
  const server = await startServer({ cases: 200 });
  let session;
  try {
    session = await openBrowser();
    const { page } = session;
    assert.notEqual((await loginPage(page, server.base)).demo_account, null);
    const hint = await page.textContent('[data-testid=demo-hint]');
    const [, email, password] = /(\S+@\S+), password (\S+)$/.exec(hint.trim()) ?? [];
    assert.equal(email, 'dyrektor@lejek.demo', hint);
    assert.equal(password, 'lejek-demo', hint);

    await page.fill('[data-testid=login-email]', email);
    await page.fill('[data-testid=login-password]', password);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=login-page]', { state: 'detached' });
    await settled(page);
  } finally {
    await server.stop();
    await session?.close();
  }
});

test('without demo data the login page shows no demo login', async () => {
  const server = await startServer({
    demo: false,
    env: { LEJEK_ADMIN_EMAIL: 'admin@example.com', LEJEK_ADMIN_PASSWORD: 'a long admin password' },
  });
  let session;
  try {
    session = await openBrowser();
    const { page } = session;
    assert.deepEqual(await loginPage(page, server.base), { demo_account: null });
    assert.equal(await page.$('[data-testid=demo-hint]'), null);
    assert.doesNotMatch(await page.textContent('[data-testid=login-page]'), /lejek\.demo|lejek-demo/);
  } finally {
    await server.stop();
    await session?.close();
  }
});
