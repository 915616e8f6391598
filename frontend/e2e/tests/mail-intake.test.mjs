// E-mail intake: an admin sends the leads that arrive by mail to one
// salesperson, a mail gateway delivers a Polish message (ISO-8859-2,
// quoted-printable) and an auto-reply with an intake key, the log shows a
// new lead and a skipped message, and the lead's card says it came by
// e-mail, owned by that salesperson. English, then Polish; 1280×720 with no
// sideways overflow.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { apiAs, login, openBrowser, screenshot, startServer } from '../harness.mjs';

const ADMIN = 'admin@lejek.demo';
const fixture = (name) => readFile(fileURLToPath(new URL(`../../../tests/fixtures/intake/mail/${name}`, import.meta.url)));

let server;
before(async () => {
  server = await startServer({ cases: 100 });
});
after(async () => {
  await server?.stop();
});

async function noSidewaysOverflow(page) {
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
}

test('an admin routes mailed leads to a salesperson and follows a delivered message to its case', async () => {
  const { page, close } = await openBrowser({ locale: 'en-GB' });
  try {
    await login(page, server.base, ADMIN);
    await page.click('[data-testid=nav-mail]');
    await page.waitForSelector('[data-testid=mail-intake-editor]');
    assert.equal(await page.textContent('h1'), 'Leads by e-mail');
    await page.waitForSelector('[data-testid=no-inbound-mail]');
    assert.match(await page.textContent('[data-testid=imap-status]'), /polls no IMAP mailbox/);
    const deliveryUrl = await page.inputValue('[data-testid=delivery-url]');
    assert.equal(deliveryUrl, `${server.base}/api/v1/inbound/email`);

    // Round robin without a salesperson is refused with the reason.
    await page.check('[data-testid=form-assignment-round_robin]');
    await page.click('[data-testid=save-mail-intake]');
    await page.waitForSelector('[data-testid=mail-intake-editor] [data-testid=error]');
    const agents = await page.$$('[data-testid=form-agent]');
    await agents[1].check();
    const chosen = (await agents[1].evaluate((input) => input.closest('label').textContent)).trim();
    await page.fill('[data-testid=form-close-in-days]', '14');
    await page.click('[data-testid=save-mail-intake]');
    await page.waitForSelector('[data-testid=mail-saved-by]');
    const admin = await apiAs(server.base, ADMIN);
    const settings = await admin.get('/inbound/email/settings');
    assert.equal(settings.assignment, 'round_robin');
    assert.deepEqual(settings.agents.map((agent) => agent.name), [chosen]);
    assert.equal(settings.close_in_days, 14);

    // A mail gateway with an intake key delivers two messages.
    const key = (await admin.ok('POST', '/api-keys', { body: { name: 'Postfix', role: 'agent', scope: 'intake' } })).body.secret;
    const deliver = async (name) => {
      const answer = await fetch(deliveryUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'message/rfc822' },
        body: await fixture(name),
      });
      const text = await answer.text();
      assert.ok(answer.ok, `${name}: ${answer.status} ${text}`);
      return JSON.parse(text);
    };
    const lead = await deliver('iso-8859-2-quoted-printable.eml');
    assert.equal(lead.outcome, 'created');
    assert.equal((await deliver('auto-reply.eml')).outcome, 'automatic');

    await page.click('[data-testid=refresh-inbound-mail]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=inbound-mail-row]').length === 2);
    const outcomes = await page.$$eval('[data-testid=inbound-mail-outcome]', (cells) => cells.map((cell) => cell.dataset.outcome));
    assert.deepEqual(outcomes, ['automatic', 'created']);
    assert.match(await page.textContent('[data-testid=inbound-mails]'), /Zapytanie o ofertę - łożyska/);
    await noSidewaysOverflow(page);
    await screenshot(page, 'mail-intake');

    await page.click('[data-testid=inbound-mail-case]');
    await page.waitForSelector('[data-testid=fact-intake]');
    assert.equal(await page.textContent('[data-testid=fact-intake] dd'), `e-mail #${lead.id}`);
    assert.equal(await page.textContent('[data-testid=fact-owner] dd'), chosen);
    assert.match(await page.textContent('[data-testid=fact-email] dd'), /g\.brzeczyszczykiewicz@fabryka-lozysk\.pl/i);

    // The same screen in Polish.
    await page.click('[data-testid=nav-mail]');
    await page.waitForSelector('[data-testid=inbound-mail-row]');
    await page.click('[data-testid=lang-pl]');
    await page.waitForFunction(() => document.documentElement.lang === 'pl');
    assert.equal(await page.textContent('h1'), 'Leady z e-maili');
    assert.match(await page.textContent('[data-testid=inbound-mails]'), /nowy lead/);
    assert.match(await page.textContent('[data-testid=inbound-mails]'), /pominięta \(automat, zwrot lub lista\) \(auto_submitted\)/);
    await noSidewaysOverflow(page);
    await screenshot(page, 'mail-intake-pl');
  } finally {
    await close();
  }
});
