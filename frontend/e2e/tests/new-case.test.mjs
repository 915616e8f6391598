// A new case with a new contact typed inline (source and expected close
// date required, errors at their fields before anything is sent), the
// contact card listing the contact's cases, and a second case for an
// existing contact found by search.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT, AGENT_NAME, apiAs, login, screenshot, serverAndBrowser } from '../harness.mjs';

const shared = serverAndBrowser();

const fieldError = (page, field) => page.textContent(`[data-field=${field}] [data-testid=field-error]`).then((t) => t.trim());
const caseCount = async (api) => (await api.get('/cases/counts')).all;

test('an agent creates a case with a new contact, sees it on the contact card, and adds another for that contact', async () => {
  const { page } = shared.session;
  const api = await apiAs(shared.server.base, AGENT);
  const countBefore = await caseCount(api);
  await login(page, shared.server.base, AGENT);
  await page.click('[data-testid=nav-new-case]');
  await page.waitForSelector('[data-testid=new-case-form]');
  await page.check('[data-testid=contact-new]');

  // Nothing filled in: every required field says so, nothing is sent.
  await page.click('[data-testid=new-case-submit]');
  await page.waitForSelector('[data-field=new-subject] [data-testid=field-error]');
  for (const field of ['new-subject', 'new-source', 'new-close', 'new-contact-name']) {
    assert.ok((await fieldError(page, field)).length > 0, `${field} shows an error`);
  }
  await screenshot(page, '19-new-case-errors');
  assert.equal(await caseCount(api), countBefore);

  await page.fill('[data-testid=new-subject]', 'Nowy lead z targów');
  await page.selectOption('[data-testid=new-source]', 'partner');
  await page.fill('[data-testid=new-close]', '2027-02-15');
  await page.fill('[data-testid=new-contact-name]', 'Ewa Testowa');
  await page.fill('[data-testid=new-contact-company]', 'Testowa Sp. z o.o.');
  await page.fill('[data-testid=new-contact-email]', 'zly-email');
  await page.click('[data-testid=new-case-submit]');
  assert.match(await fieldError(page, 'new-contact-email'), /e-mail/i);
  assert.equal(await page.$('[data-field=new-subject] [data-testid=field-error]'), null, 'fixed fields lose their errors');

  await page.fill('[data-testid=new-contact-email]', 'ewa@testowa.pl');
  await page.click('[data-testid=new-case-submit]');
  await page.waitForSelector('[data-testid=case-title]');
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const created = await api.get(`/cases/${id}`);
  assert.equal(created.subject, 'Nowy lead z targów');
  assert.equal(created.status, 'awaiting_pickup');
  assert.equal(created.source, 'partner');
  assert.equal(created.expected_close_date, '2027-02-15');
  assert.equal(created.owner.name, AGENT_NAME, 'an agent\'s new case is theirs');
  assert.equal(await caseCount(api), countBefore + 1);

  // The contact card lists it; from there a second case for the same contact.
  await page.click('[data-testid=fact-contact] a');
  await page.waitForSelector('[data-testid=contact-name]');
  assert.equal((await page.textContent('[data-testid=contact-name]')).trim(), 'Ewa Testowa');
  await page.waitForSelector(`[data-testid=contact-cases] [data-case="${created.number}"]`);
  await page.click('[data-testid=new-case-for-contact]');
  await page.waitForSelector('[data-testid=picked-contact]');
  assert.match(await page.textContent('[data-testid=picked-contact]'), /Ewa Testowa/);
  await page.fill('[data-testid=new-subject]', 'Serwis po wdrożeniu');
  await page.selectOption('[data-testid=new-source]', 'phone');
  await page.fill('[data-testid=new-close]', '2027-03-31');

  // An error only the server can know (an admin removed the chosen
  // qualifier meanwhile) is shown at that field, and nothing is created.
  const qualifiers = await api.get('/qualifiers');
  await page.selectOption('[data-testid=new-qualifier]', String(qualifiers[0].id));
  const admin = await apiAs(shared.server.base, 'admin@lejek.demo');
  await admin.ok('DELETE', `/qualifiers/${qualifiers[0].id}`);
  const countBeforeSecond = await caseCount(api);
  await page.click('[data-testid=new-case-submit]');
  assert.ok((await (await page.waitForSelector('[data-field=new-qualifier] [data-testid=field-error]')).textContent()).length > 0);
  assert.equal(await caseCount(api), countBeforeSecond);
  await page.selectOption('[data-testid=new-qualifier]', '');
  await page.click('[data-testid=new-case-submit]');
  await page.waitForFunction((first) => /\/cases\/\d+$/.test(location.pathname) && !location.pathname.endsWith(`/${first}`), id);
  const second = await api.get(`/cases/${new URL(page.url()).pathname.split('/').pop()}`);
  assert.equal(second.contact.id, created.contact.id, 'the same contact, not a copy');

  // An existing contact found by the picker's search.
  await page.click('[data-testid=nav-new-case]');
  await page.waitForSelector('[data-testid=new-case-form]');
  await page.fill('[data-testid=contact-search]', 'Testowa');
  await page.click('[data-testid=contact-results] button');
  assert.match(await page.textContent('[data-testid=picked-contact]'), /Ewa Testowa/);
  await page.goto(`${shared.server.base}/contacts/${created.contact.id}`);
  await page.waitForSelector(`[data-testid=contact-cases] [data-case="${second.number}"]`);
  assert.equal(await page.$$eval('[data-testid=contact-cases] [data-testid=case-list-row]', (rows) => rows.length), 2);
  await screenshot(page, '20-contact-card');

  // Editing the contact: a bad e-mail is refused at its field, nothing sent;
  // the saved change reaches the contact's cases.
  await page.click('[data-testid=edit-contact]');
  await page.fill('[data-testid=contact-company]', 'Testowa Serwis Sp. z o.o.');
  await page.fill('[data-testid=contact-email]', 'nie-email');
  await page.click('[data-testid=contact-save]');
  assert.match(await fieldError(page, 'contact-email'), /e-mail/i);
  assert.equal((await api.get(`/contacts/${created.contact.id}`)).company, 'Testowa Sp. z o.o.');
  await screenshot(page, '21-contact-edit-error');
  await page.fill('[data-testid=contact-email]', 'biuro@testowa.pl');
  await page.fill('[data-testid=contact-phone]', '');
  await page.click('[data-testid=contact-save]');
  await page.waitForSelector('[data-testid=contact-form]', { state: 'detached' });
  assert.match(await page.textContent('[data-testid=contact-facts]'), /biuro@testowa\.pl/);
  const edited = await api.get(`/contacts/${created.contact.id}`);
  assert.equal(edited.company, 'Testowa Serwis Sp. z o.o.');
  assert.equal(edited.email, 'biuro@testowa.pl');
  assert.equal((await api.get(`/cases/${id}`)).company, 'Testowa Serwis Sp. z o.o.', 'the case row follows');
});
