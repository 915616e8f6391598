// Look and feel that can be checked: no screen overflows sideways at
// 1280×720 (the table scrolls inside its own box), and the keyboard alone
// logs in, switches tabs and opens a case.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, DIRECTOR, apiAs, login, openBrowser, screenshot, settled, startServer } from '../harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const overflow = (page) =>
  page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    body: document.body.scrollWidth - window.innerWidth,
  }));

test('no main screen overflows sideways at 1280×720', async () => {
  const session = await openBrowser();
  try {
    const { page } = session;
    const api = await apiAs(server.base, DIRECTOR);
    const [row] = (await api.get('/cases?limit=1')).items;
    await page.goto(server.base + '/');
    await page.waitForSelector('[data-testid=login-page]');
    assert.deepEqual(await overflow(page), { page: 0, body: 0 }, 'login');
    await login(page, server.base, DIRECTOR);
    for (const [name, path, ready] of [
      ['pipeline', '/', '[data-testid=case-row]'],
      ['case card', `/cases/${row.id}`, '[data-testid=transition]'],
      ['contact card', `/contacts/${row.contact.id}`, '[data-testid=contact-cases]'],
      ['new case', '/cases/new', '[data-testid=new-case-form]'],
      ['import', '/imports', '[data-testid=file-drop]'],
      ['search', `/search?q=${row.number}`, '[data-testid=case-list-row]'],
    ]) {
      await page.goto(server.base + path);
      await page.waitForSelector(ready);
      assert.deepEqual(await overflow(page), { page: 0, body: 0 }, name);
    }
    const table = await page.goto(server.base + '/').then(() => page.waitForSelector('[data-testid=table-scroll]'));
    await settled(page);
    assert.match(await table.evaluate((element) => getComputedStyle(element).overflowX), /auto|scroll/, 'wide tables scroll in their box');
  } finally {
    await session.close();
  }
});

test('the keyboard alone logs in, moves between tabs and opens a case', async () => {
  const session = await openBrowser();
  try {
    const { page } = session;
    await page.goto(server.base + '/');
    await page.waitForSelector('[data-testid=login-page]');
    await page.focus('[data-testid=login-email]');
    await page.keyboard.type(DIRECTOR);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'login-password');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await settled(page);

    await page.focus('[data-testid=tab-all]');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL((url) => url.searchParams.get('tab') === 'new');
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'tab-new', 'focus follows the tab');
    assert.equal(await page.getAttribute('[data-testid=tab-new]', 'aria-selected'), 'true');

    await page.focus('[data-testid=case-row] [data-testid=case-number]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=case-title]');
    await screenshot(page, '22-case-by-keyboard');
  } finally {
    await session.close();
  }
});
