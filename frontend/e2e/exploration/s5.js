const { login } = require('./s2.js');
module.exports = async (page, BASE) => {
  await login(page, BASE);
  await page.click('[data-testid=tab-new]');
  await page.waitForTimeout(700);
  await page.click('[data-testid=case-row] [data-testid=case-subject]');
  await page.waitForSelector('[data-testid=case-title]');
  const id = page.url().split('/').pop();
  // someone else changes the case
  const api = BASE + '/api/v1';
  const tok = (await (await fetch(api + '/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'zarzad@lejek.demo', password: 'lejek-demo' }) })).json()).access_token;
  const r = await fetch(api + '/cases/' + id, { headers: { authorization: 'Bearer ' + tok } });
  const etag = r.headers.get('etag');
  const t = await fetch(api + '/cases/' + id + '/transition', { method: 'POST', headers: { authorization: 'Bearer ' + tok, 'if-match': etag, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'in_acquisition', stage: 'to_offer' }) });
  console.log('other change', t.status);
  await page.click('[data-testid=edit-details]');
  await page.fill('[data-testid=edit-subject]', 'Zmiana, która się spóźniła');
  await page.click('[data-testid=details-save]');
  await page.waitForSelector('[data-testid=stale]', { timeout: 5000 });
  await page.screenshot({ path: '/tmp/shots/18-stale.png' });
  await page.click('[data-testid=stale-reload]');
  await page.waitForTimeout(1000);
  console.log('stale visible after reload:', await page.isVisible('[data-testid=stale]'), 'status:', await page.textContent('[data-testid=fact-stage]'));
  // server-side field error (422) shown at the field: currency 'EURO' bypasses? use value negative
  await page.click('[data-testid=edit-details]');
  await page.fill('[data-testid=edit-currency]', 'eu');
  await page.click('[data-testid=details-save]');
  await page.waitForTimeout(500);
  console.log('currency error:', await page.textContent('[data-field=edit-currency] [data-testid=field-error]').catch(() => 'none'));
  // keyboard: tab through the pipeline headers and move a column with Alt+ArrowRight
  await page.click('[data-testid=back-to-pipeline]');
  await page.waitForSelector('[data-testid=case-row]');
  await page.focus('[data-testid=sort-source]');
  await page.keyboard.press('Alt+ArrowRight');
  await page.waitForTimeout(200);
  console.log('after alt-right:', await page.$$eval('thead th', ths => ths.slice(0, 4).map(t => t.dataset.col).join(',')), 'focused:', await page.evaluate(() => document.activeElement.closest('th')?.dataset.col));
  await page.keyboard.press('Alt+Shift+ArrowRight');
  await page.waitForTimeout(200);
  console.log('source width:', await page.$eval('th[data-col=source]', t => t.getBoundingClientRect().width));
  await page.keyboard.press('Alt+ArrowLeft');
  await page.keyboard.press('Alt+Shift+ArrowLeft');
  // tabs by keyboard
  await page.focus('[data-testid=tab-all]');
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(600);
  console.log('tab url:', page.url());
  await page.goBack();
  await page.waitForTimeout(600);
  console.log('back url:', page.url(), await page.getAttribute('[data-testid=tab-all]', 'aria-selected'));
  await page.goForward();
  await page.waitForTimeout(600);
  console.log('forward url:', page.url(), await page.getAttribute('[data-testid=tab-new]', 'aria-selected'));
  // infinite scroll: scroll the table to the bottom
  await page.goto(BASE + '/');
  await page.waitForSelector('[data-testid=case-row]');
  const n1 = await page.$$eval('[data-testid=case-row]', r => r.length);
  await page.$eval('[data-testid=table-scroll]', el => el.scrollTop = el.scrollHeight);
  await page.waitForTimeout(1200);
  const top = await page.$eval('[data-testid=table-scroll]', el => el.scrollTop);
  const n2 = await page.$$eval('[data-testid=case-row]', r => r.length);
  console.log('rows', n1, '->', n2, 'scrollTop kept', top);
  // open a case from deep down, come back: same rows, same scroll
  const rows = await page.$$('[data-testid=case-row] [data-testid=case-number]');
  await rows[60].click();
  await page.waitForSelector('[data-testid=case-title]');
  await page.goBack();
  await page.waitForSelector('[data-testid=case-row]');
  await page.waitForTimeout(500);
  console.log('after back rows', await page.$$eval('[data-testid=case-row]', r => r.length), 'scrollTop', await page.$eval('[data-testid=table-scroll]', el => el.scrollTop));
};
