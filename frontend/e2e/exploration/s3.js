const { login } = require('./s2.js');
module.exports = async (page, BASE) => {
  await login(page, BASE);
  // 1. transition with a missing stage: open a "new lead" case
  await page.click('[data-testid=tab-new]');
  await page.waitForTimeout(700);
  await page.click('[data-testid=case-row] [data-testid=case-subject]');
  await page.waitForSelector('[data-testid=transition-form]');
  await page.selectOption('[data-testid=move-status]', 'in_acquisition');
  await page.click('[data-testid=move-submit]');
  await page.waitForTimeout(300);
  console.log('stage error:', await page.textContent('[data-field=move-stage] [data-testid=field-error]').catch(e => 'none'));
  await page.screenshot({ path: '/tmp/shots/06-transition-error.png' });
  await page.selectOption('[data-testid=move-stage]', 'call_scheduled');
  await page.click('[data-testid=move-submit]');
  await page.waitForTimeout(1000);
  console.log('status now:', await page.textContent('[data-testid=fact-status]'));
  // 2. edit details: clear subject -> error
  await page.click('[data-testid=edit-details]');
  await page.fill('[data-testid=edit-subject]', '  ');
  await page.click('[data-testid=details-save]');
  await page.waitForTimeout(300);
  console.log('subject error:', await page.textContent('[data-field=edit-subject] [data-testid=field-error]').catch(e => 'none'));
  await page.fill('[data-testid=edit-subject]', 'Zmieniony temat z testu');
  await page.fill('[data-testid=edit-value]', '12 500,50');
  await page.click('[data-testid=details-save]');
  await page.waitForTimeout(1000);
  console.log('value:', await page.textContent('[data-testid=fact-value]'));
  // 3. note
  await page.fill('[data-testid=note-body]', 'Klient prosi o kontakt po 15.');
  await page.keyboard.press('Control+Enter');
  await page.waitForTimeout(800);
  console.log('notes:', await page.$$eval('[data-testid=note]', e => e.length));
  await page.screenshot({ path: '/tmp/shots/07-case-edited.png' });
  // 4. language switch
  await page.click('[data-testid=lang-pl]');
  await page.waitForTimeout(300);
  await page.screenshot({ path: '/tmp/shots/08-case-pl.png' });
  console.log('title pl:', await page.textContent('[data-testid=transition] h2'));
  await page.click('[data-testid=lang-en]');
  // 5. back to pipeline; spam a case and save
  await page.click('[data-testid=back-to-pipeline]');
  await page.waitForSelector('[data-testid=case-row]');
  await page.waitForTimeout(500);
  const firstNumber = await page.textContent('[data-testid=case-row] [data-testid=case-number]');
  await page.click('[data-testid=case-row] [data-testid=spam-toggle]');
  await page.waitForTimeout(200);
  await page.screenshot({ path: '/tmp/shots/09-spam-marked.png' });
  await page.click('[data-testid=save-view]');
  await page.waitForTimeout(1500);
  const nowFirst = await page.textContent('[data-testid=case-row] [data-testid=case-number]');
  console.log('spammed', firstNumber, 'first row now', nowFirst);
  // 6. search and restore
  await page.click('[data-testid=nav-search]');
  await page.fill('[data-testid=search-input]', firstNumber.trim());
  await page.waitForTimeout(1200);
  await page.screenshot({ path: '/tmp/shots/10-search.png' });
  await page.click('[data-testid=restore]');
  await page.waitForTimeout(1000);
  console.log('campaign after restore:', await page.textContent('[data-testid=case-list-row] [data-testid=campaign-badge]'));
  // 7. columns: hide email, move subject up, resize number; save; reload
  await page.click('[data-testid=nav-pipeline]');
  await page.waitForSelector('[data-testid=case-row]');
  await page.click('[data-testid=columns]');
  await page.click('[data-testid=column-email-visible]');
  await page.click('[data-testid=column-subject-up]');
  await page.keyboard.press('Escape');
  const handle = await page.$('[data-testid=resize-number]');
  const box = await handle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  // drag contact header before status
  await page.dragAndDrop('[data-testid=header-contact]', '[data-testid=header-source]');
  await page.click('[data-testid=row-height-compact]');
  await page.click('[data-testid=save-view]');
  await page.waitForTimeout(1000);
  const headers = async () => page.$$eval('thead th', ths => ths.map(t => t.dataset.col + ':' + Math.round(t.getBoundingClientRect().width)));
  const before = await headers();
  await page.reload();
  await page.waitForSelector('[data-testid=case-row]');
  await page.waitForTimeout(800);
  const after = await headers();
  console.log('headers before', before.join(' '));
  console.log('headers after ', after.join(' '));
  await page.screenshot({ path: '/tmp/shots/11-columns-saved.png' });
  await page.click('[data-testid=reset-view]');
  await page.waitForTimeout(1000);
  console.log('after reset', (await headers()).join(' '));
};
