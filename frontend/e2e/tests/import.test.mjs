// The Import page: a Polish Excel CSV dropped in, its preview with the
// refused rows marked, the run with its progress kept across a reload, the
// summary equal to the API's, the refused rows downloaded, fixed and
// imported again; an agent's import is their own; Polish and English;
// nothing overflows sideways at 1280×720.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AGENT, AGENT_NAME, DIRECTOR, apiAs, login, openBrowser, screenshot, startServer } from '../harness.mjs';

const FIXTURE = fileURLToPath(new URL('../../../tests/fixtures/intake/polish-excel.csv', import.meta.url));

let server;
before(async () => {
  server = await startServer({ cases: 200 });
});
after(async () => {
  await server?.stop();
});

async function noSidewaysOverflow(page) {
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
}

/// Uploads the fixture through the file input and waits for the preview.
async function dropFixture(page) {
  await page.click('[data-testid=nav-imports]');
  await page.waitForSelector('[data-testid=file-drop]');
  await page.setInputFiles('[data-testid=file-input]', FIXTURE);
  await page.waitForSelector('[data-testid=import-preview]');
  return Number(new URL(page.url()).pathname.split('/').pop());
}

test('a director imports a Polish Excel file, follows it to its end and downloads the refused rows', async () => {
  const { page, close } = await openBrowser({ locale: 'pl-PL' });
  try {
    await login(page, server.base, DIRECTOR);
    const api = await apiAs(server.base, DIRECTOR);
    const before = (await api.get('/cases/counts')).all;
    const id = await dropFixture(page);
    assert.equal(await page.textContent('h1'), 'Import leadów z pliku');
    assert.equal(await page.inputValue('[data-testid=encoding]'), 'windows-1250');
    assert.equal(await page.inputValue('[data-testid=delimiter]'), 'semicolon');
    const fields = await page.$$eval('[data-testid=column-field]', (selects) => selects.map((select) => select.value));
    assert.deepEqual(fields, (await api.get(`/imports/${id}`)).mapping);
    const cells = await page.$$eval('[data-testid=preview-row]', (rows) => rows.map((row) => row.querySelector('td:nth-child(4)').textContent));
    assert.equal(cells[0], 'Łukasz Żółć');
    const refused = await page.$$eval('[data-testid=preview-row].row-refused', (rows) => rows.map((row) => row.querySelector('td').textContent));
    assert.deepEqual(refused, ['6', '8']);
    assert.deepEqual(
      await page.$$eval('[data-testid=preview-row].row-refused [data-code]', (items) => items.map((item) => item.dataset.code)),
      ['invalid_email', 'required'],
    );
    await noSidewaysOverflow(page);
    await screenshot(page, 'import-preview');

    // Mapping a column away is checked on the first rows at once.
    const selects = await page.$$('[data-testid=column-field]');
    await selects[0].selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=preview-row].row-refused').length === 12);
    await selects[0].selectOption('subject');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=preview-row].row-refused').length === 2);

    await page.click('[data-testid=run-import]');
    await page.waitForSelector('[data-testid=import-progress]');
    // A reload lands on the same import, wherever it has got to.
    await page.reload();
    await page.waitForSelector('[data-testid=import-progress][data-state=done]');
    const done = await api.get(`/imports/${id}`);
    assert.equal(await page.textContent('[data-testid=created]'), String(done.progress.created));
    assert.equal(await page.textContent('[data-testid=refused]'), String(done.progress.refused));
    assert.equal(await page.textContent('[data-testid=contacts-reused]'), String(done.progress.contacts_reused));
    assert.deepEqual([done.progress.created, done.progress.refused], [10, 2]);
    assert.equal((await api.get('/cases/counts')).all, before + 10);
    await noSidewaysOverflow(page);
    await screenshot(page, 'import-done');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-refused]')]);
    const report = await readFile(await download.path(), 'utf8');
    assert.ok(report.startsWith('\ufeffWiersz;Kolumny;Kody błędów;Błędy;Temat;'), report.slice(0, 80));
    assert.ok(report.includes('jan.kowalski(at)chlodnie.pl'));

    // The refused rows, fixed, import again from the same page.
    const fixed = report.replace('jan.kowalski(at)chlodnie.pl', 'jan.kowalski@chlodnie.pl').replace(/^\ufeff/, '');
    await page.click('[data-testid=import-another]');
    await page.waitForSelector('[data-testid=file-drop]');
    await page.setInputFiles('[data-testid=file-input]', { name: 'poprawione.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    await page.waitForSelector('[data-testid=import-preview]');
    await page.click('[data-testid=run-import]');
    await page.waitForSelector('[data-testid=import-progress][data-state=done]');
    assert.equal(await page.textContent('[data-testid=created]'), '1');
    assert.equal((await api.get('/cases/counts')).all, before + 11);
  } finally {
    await close();
  }
});

test("an agent's imported cases are their own, and the page speaks English", async () => {
  const { page, close } = await openBrowser({ locale: 'en-GB' });
  try {
    await login(page, server.base, AGENT);
    const id = await dropFixture(page);
    assert.equal(await page.textContent('h1'), 'Import leads from a file');
    assert.equal(await page.$('[data-testid=import-owner]'), null, 'an agent chooses no owner');
    await page.click('[data-testid=run-import]');
    await page.waitForSelector('[data-testid=import-progress][data-state=done]');
    const agent = await apiAs(server.base, AGENT);
    const mine = await agent.get(`/cases?email=sleczek&limit=5`);
    assert.equal(mine.items[0].owner.name, AGENT_NAME);
    assert.equal((await agent.get(`/imports/${id}`)).created_by.name, AGENT_NAME);
    await page.click(`[data-testid=nav-imports]`);
    await page.waitForSelector('[data-testid=import-row]');
    await noSidewaysOverflow(page);
  } finally {
    await close();
  }
});
