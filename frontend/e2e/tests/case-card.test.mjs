// The case card: the status-dependent stage list with its required marker
// before saving, a transition without a stage refused at the stage field,
// a transition that works (history included), someone else's change
// answered with the stale-version notice and a reload, notes, and a
// manager assigning the owner.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOARD, DIRECTOR, apiAs, login, openBrowser, screenshot, settled, serverAndBrowser } from '../harness.mjs';

const shared = serverAndBrowser();

const fact = (page, name) => page.textContent(`[data-testid=fact-${name}] dd`).then((text) => text.trim());

test('the case card refuses a transition without a stage at the field, then moves, edits and assigns', async () => {
  const { page } = shared.session;
  const api = await apiAs(shared.server.base, DIRECTOR);
  await login(page, shared.server.base, DIRECTOR, '/?tab=new');
  assert.equal((await settled(page)).get('tab'), 'new', 'the login goes back to the page asked for');
  await page.click('[data-testid=case-row] [data-testid=case-subject]');
  await page.waitForSelector('[data-testid=transition-form]');
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const original = await api.get(`/cases/${id}`);
  assert.equal(original.status, 'awaiting_pickup');
  assert.equal(await fact(page, 'subject'), original.subject);

  // The stage list follows the chosen status; the marker shows before saving.
  assert.equal(await page.isDisabled('[data-testid=move-stage]'), true, 'awaiting pickup has no stages');
  await page.selectOption('[data-testid=move-status]', 'in_acquisition');
  assert.equal(await page.isDisabled('[data-testid=move-stage]'), false);
  assert.ok(await page.isVisible('[data-field=move-stage] .required'), 'the stage is marked required');
  const stages = await page.$$eval('[data-testid=move-stage] option', (options) => options.map((o) => o.value).filter(Boolean));
  assert.deepEqual(stages, ['call_scheduled', 'after_call_meeting', 'to_offer']);

  // Moving without a stage: refused, the error at the stage field, nothing written.
  await page.click('[data-testid=move-submit]');
  const error = await page.waitForSelector('[data-field=move-stage] [data-testid=field-error]');
  assert.match(await error.textContent(), /stage/i);
  assert.equal(await page.getAttribute('[data-field=move-stage]', 'class'), 'field invalid');
  await screenshot(page, '10-transition-missing-stage');
  assert.equal((await api.get(`/cases/${id}`)).version, original.version, 'the case is unchanged');

  // With a stage the move goes through and lands in the history.
  const eventsBefore = (await api.get(`/cases/${id}/events`)).length;
  await page.selectOption('[data-testid=move-stage]', 'call_scheduled');
  await page.click('[data-testid=move-submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=fact-stage] dd')?.textContent.includes('Call scheduled'));
  assert.equal(await page.$('[data-field=move-stage] [data-testid=field-error]'), null);
  const moved = await api.get(`/cases/${id}`);
  assert.equal(moved.status, 'in_acquisition');
  assert.equal(moved.stage, 'call_scheduled');
  const events = await api.get(`/cases/${id}/events`);
  assert.equal(events.length, eventsBefore + 2, 'status and stage changes are recorded');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=history-event]').length === n, events.length);

  // Someone else moves the case meanwhile: saving an edit says so and offers a reload.
  const board = await apiAs(shared.server.base, BOARD);
  const current = await board.call('GET', `/cases/${id}`);
  await board.ok('POST', `/cases/${id}/transition`, {
    body: { status: 'in_acquisition', stage: 'to_offer' },
    headers: { 'if-match': current.headers.get('etag') },
  });
  await page.click('[data-testid=edit-details]');
  await page.fill('[data-testid=edit-subject]', 'Zmiana, która się spóźniła');
  await page.click('[data-testid=details-save]');
  await page.waitForSelector('[data-testid=stale]');
  await screenshot(page, '11-stale-version');
  assert.equal((await api.get(`/cases/${id}`)).subject, original.subject, 'the late edit did not overwrite');
  await page.click('[data-testid=stale-reload]');
  await page.waitForSelector('[data-testid=stale]', { state: 'detached' });
  assert.equal(await fact(page, 'stage'), 'To be offered', 'the reload shows the other change');

  // Editing after the reload works.
  await page.click('[data-testid=edit-details]');
  await page.fill('[data-testid=edit-subject]', 'Serwis floty — oferta roczna');
  await page.click('[data-testid=details-save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=fact-subject] dd')?.textContent.includes('Serwis floty'));
  assert.equal((await api.get(`/cases/${id}`)).subject, 'Serwis floty — oferta roczna');

  // A note.
  await page.fill('[data-testid=note-body]', 'Klient prosi o kontakt po 15:00.');
  await page.click('[data-testid=note-add]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=note]')].some((n) => n.textContent.includes('po 15:00')));
  const notes = await api.get(`/cases/${id}/notes`);
  assert.ok((notes.items ?? notes).some((note) => note.body === 'Klient prosi o kontakt po 15:00.'));

  // The manager assigns an owner.
  const users = await api.get('/users');
  const agent = users.find((user) => user.role === 'agent' && user.id !== moved.owner?.id);
  await page.selectOption('[data-testid=owner-select]', String(agent.id));
  await page.click('[data-testid=owner-save]');
  await page.waitForFunction((name) => document.querySelector('[data-testid=fact-owner] dd')?.textContent.includes(name), agent.name);
  assert.equal((await api.get(`/cases/${id}`)).owner.id, agent.id);
  await screenshot(page, '12-case-card');
});

test('a manager reopens a closed case; its agent sees it read-only', async () => {
  const { page } = shared.session;
  const director = await apiAs(shared.server.base, DIRECTOR);
  const [closed] = (await director.get('/cases?tab=acquired&limit=1')).items;
  assert.equal(closed.status, 'acquired');
  assert.ok(closed.owner, 'an acquired case has its agent');

  // Its agent sees it but may not move it.
  const owner = (await director.get('/users')).find((user) => user.id === closed.owner.id);
  const agentSession = await openBrowser();
  try {
    await login(agentSession.page, shared.server.base, owner.email, `/cases/${closed.id}`);
    await agentSession.page.waitForSelector('[data-testid=transition]');
    assert.equal(await agentSession.page.$('[data-testid=transition-form]'), null, 'no form to move a closed case');
    assert.match(await agentSession.page.textContent('[data-testid=transition]'), /only a manager/i);
  } finally {
    await agentSession.close();
  }

  await page.goto(`${shared.server.base}/cases/${closed.id}`);
  await page.waitForSelector('[data-testid=transition-form]');
  const targets = await page.$$eval('[data-testid=move-status] option', (options) => options.map((o) => o.value));
  assert.ok(targets.includes('in_acquisition') && targets.includes('offered'), `reopen targets: ${targets}`);
  await page.selectOption('[data-testid=move-status]', 'in_acquisition');
  await page.selectOption('[data-testid=move-stage]', 'to_offer');
  await page.click('[data-testid=move-submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=fact-status] dd')?.textContent.includes('In acquisition'));
  const reopened = await director.get(`/cases/${closed.id}`);
  assert.equal(reopened.status, 'in_acquisition');
  assert.equal(reopened.stage, 'to_offer');
  await screenshot(page, '12b-case-reopened');
});
