// Web forms: an admin sets one up with the salespeople who get its leads
// in turn, copies the snippet, and the framed page — plain HTML, no
// script — turns a visitor's message into a lead for the first of them;
// the list counts it. Polish, 1280×720 with no sideways overflow.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, login, openBrowser, screenshot, startServer } from '../harness.mjs';

const ADMIN = 'admin@lejek.demo';

let server;
before(async () => {
  server = await startServer({ cases: 100, env: { LEJEK_FORM_MIN_FILL_SECONDS: '1' } });
});
after(async () => {
  await server?.stop();
});

test('an admin sets up a web form whose framed page creates a lead for the first salesperson', async () => {
  const { page, context, close } = await openBrowser({ locale: 'pl-PL' });
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    await login(page, server.base, ADMIN);
    await page.click('[data-testid=nav-forms]');
    await page.click('[data-testid=new-web-form]');
    await page.fill('[data-testid=form-name]', 'Kontakt ze strony');
    await page.fill('[data-testid=form-origins]', 'https://firma.example');
    await page.uncheck('[data-testid=form-field-phone]');
    await page.check('[data-testid=form-assignment-round_robin]');
    // Saving without a salesperson names what is missing.
    await page.click('[data-testid=save-web-form]');
    await page.waitForSelector('[data-testid=web-form-editor] [data-testid=error]');
    const agents = await page.$$('[data-testid=form-agent]');
    await agents[0].check();
    const chosen = (await agents[0].evaluate((input) => input.closest('label').textContent)).trim();
    await page.click('[data-testid=save-web-form]');
    await page.waitForSelector('[data-testid=snippet-box]');
    const snippet = await page.inputValue('[data-testid=snippet]');
    assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/f\/[A-Za-z0-9]{24}"/);
    await page.click('[data-testid=copy-snippet]');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
    await page.waitForSelector('[data-testid=web-form-row]');
    const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await screenshot(page, 'web-forms');

    const pageUrl = /src="([^"]+)"/.exec(snippet)[1];
    const visitor = await context.newPage();
    await visitor.goto(`${pageUrl}?lang=pl`);
    assert.equal(await visitor.$('script'), null);
    // The page's own stylesheet (allowed by its hash in the CSP) puts the
    // honeypot out of sight.
    const honeypot = await visitor.$eval('input[name=website]', (input) => input.getBoundingClientRect().right);
    assert.ok(honeypot < 0, `the honeypot is out of sight (right edge at ${honeypot})`);
    assert.equal(await visitor.$('input[name=phone]'), null, 'a field not asked for is not shown');
    await visitor.fill('input[name=name]', 'Ewa Nowak');
    await visitor.fill('input[name=email]', 'ewa@klient.example');
    await visitor.fill('textarea[name=message]', 'Proszę o ofertę.');
    await visitor.waitForTimeout(1100);
    await visitor.click('button[type=submit]');
    await visitor.waitForSelector('.sent');
    assert.match(await visitor.textContent('.sent'), /Dziękujemy/);

    const director = await apiAs(server.base, 'dyrektor@lejek.demo');
    const leads = await director.get('/cases?email=ewa%40klient.example&limit=5');
    assert.equal(leads.items.length, 1);
    assert.equal(leads.items[0].owner.name, chosen);
    assert.equal(leads.items[0].source, 'contact_form');
    await page.reload();
    await page.waitForSelector('[data-testid=web-form-leads]');
    assert.equal(await page.textContent('[data-testid=web-form-leads]'), '1');
  } finally {
    await close();
  }
});
