// Polish and English: Polish by default for a Polish browser, a switch in
// the header that changes every label, enum value and message and the
// formatting of dates and numbers, kept across a reload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIRECTOR, DEMO_PASSWORD, apiAs, screenshot, settled, shownCounts, serverAndBrowser } from '../harness.mjs';

const shared = serverAndBrowser({ locale: 'pl-PL' });

/// How the page's own browser formats a date in a language, as the oracle
/// for the expected-close column.
const intlDate = (page, locale, day) =>
  page.evaluate(
    ([locale, day]) =>
      new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${day}T12:00:00Z`),
      ),
    [locale, day],
  );
const intlCount = (page, locale, count) => page.evaluate(([locale, count]) => new Intl.NumberFormat(locale).format(count), [locale, count]);

test('a Polish browser gets Polish; the switch changes labels, messages and formats, and is remembered', async () => {
  const { page } = shared.session;
  const api = await apiAs(shared.server.base, DIRECTOR);
  await page.goto(shared.server.base + '/');
  await page.waitForSelector('[data-testid=login-page]');
  assert.equal(await page.getAttribute('html', 'lang'), 'pl');
  assert.match(await page.textContent('[data-testid=login-page] h1'), /Zaloguj się/);

  // A wrong password, in Polish.
  await page.fill('[data-testid=login-email]', DIRECTOR);
  await page.fill('[data-testid=login-password]', 'nie-to-hasło');
  await page.click('[data-testid=login-submit]');
  assert.match(await (await page.waitForSelector('[data-testid=login-error]')).textContent(), /hasło/i);
  await screenshot(page, '13-login-pl');

  await page.fill('[data-testid=login-password]', DEMO_PASSWORD);
  await page.click('[data-testid=login-submit]');
  const params = await settled(page);
  const counts = await api.get(`/cases/counts?${new URLSearchParams(params)}`);
  const polish = async () => {
    assert.equal(await page.getAttribute('html', 'lang'), 'pl');
    assert.match(await page.textContent('[data-testid=tab-offered]'), /Zaofertowani/);
    assert.match(await page.textContent('[data-testid=tab-new]'), /Nowe leady/);
    assert.equal((await page.textContent('[data-testid=count-all]')).trim(), await intlCount(page, 'pl-PL', counts.all));
    assert.match(await page.textContent('[data-testid=save-view]'), /Zapisz widok/);
  };
  await polish();
  const [row] = (await api.get(`/cases?${new URLSearchParams(params)}&limit=1`)).items;
  const closeCell = `[data-testid=case-row][data-case="${row.number}"] td.col-expected_close_date`;
  assert.equal((await page.textContent(closeCell)).trim(), await intlDate(page, 'pl-PL', row.expected_close_date));
  await screenshot(page, '14-pipeline-pl');

  await page.click('[data-testid=lang-en]');
  const english = async () => {
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('[data-testid=tab-offered]'), /Offered/);
    assert.match(await page.textContent('[data-testid=tab-new]'), /New leads/);
    assert.equal((await page.textContent('[data-testid=count-all]')).trim(), await intlCount(page, 'en-GB', counts.all));
    assert.match(await page.textContent('[data-testid=save-view]'), /Save view/);
    assert.equal((await page.textContent(closeCell)).trim(), await intlDate(page, 'en-GB', row.expected_close_date));
  };
  await english();
  const statuses = await page.$$eval('[data-testid=case-row] td.col-status', (cells) => cells.map((c) => c.textContent.trim()));
  assert.ok(statuses.every((status) => /^(Awaiting pickup|In acquisition|Resigned|Offered|Acquired)$/.test(status)), statuses.join(', '));
  await screenshot(page, '15-pipeline-en');

  // Remembered across a reload, though the browser says Polish.
  await page.reload();
  await settled(page);
  await english();

  // The case card follows too.
  await page.click(`[data-testid=case-row][data-case="${row.number}"] [data-testid=case-number]`);
  await page.waitForSelector('[data-testid=case-facts]');
  assert.match(await page.textContent('[data-testid=case-facts]'), /Expected close/);
  await page.click('[data-testid=lang-pl]');
  await page.waitForFunction(() => document.documentElement.lang === 'pl');
  assert.match(await page.textContent('[data-testid=case-facts]'), /Przewidywana data zamknięcia/);
  await screenshot(page, '16-case-pl');
  await page.goBack();
  await settled(page);
  await polish();
});
