const { login } = require('./s2.js');
module.exports = async (page, BASE) => {
  await login(page, BASE, 'anna.nowak@lejek.demo');
  await page.waitForTimeout(500);
  await page.screenshot({ path: '/tmp/shots/12-agent-pipeline.png' });
  console.log('agent owners:', [...new Set(await page.$$eval('td.col-owner', tds => tds.map(t => t.textContent)))]);
  await page.click('[data-testid=contact-link]');
  await page.waitForSelector('[data-testid=contact-name]');
  await page.waitForTimeout(800);
  await page.screenshot({ path: '/tmp/shots/13-contact.png' });
  await page.click('[data-testid=new-case-for-contact]');
  await page.waitForSelector('[data-testid=new-case-form]');
  await page.waitForTimeout(800);
  await page.click('[data-testid=new-case-submit]');
  await page.waitForTimeout(300);
  await page.screenshot({ path: '/tmp/shots/14-new-case-errors.png' });
  console.log('errors:', await page.$$eval('[data-testid=field-error]', e => e.map(x => x.textContent)));
  await page.fill('[data-testid=new-subject]', 'Oferta na serwis');
  await page.selectOption('[data-testid=new-source]', 'phone');
  await page.fill('[data-testid=new-close]', '2027-01-31');
  await page.click('[data-testid=new-case-submit]');
  await page.waitForSelector('[data-testid=case-title]', { timeout: 10000 });
  console.log('created:', await page.textContent('[data-testid=case-title]'), page.url());
  // new contact inline
  await page.click('[data-testid=nav-new-case]');
  await page.waitForSelector('[data-testid=new-case-form]');
  await page.click('[data-testid=contact-new]');
  await page.fill('[data-testid=new-subject]', 'Nowy lead z targów');
  await page.selectOption('[data-testid=new-source]', 'partner');
  await page.fill('[data-testid=new-close]', '2027-02-15');
  await page.fill('[data-testid=new-contact-email]', 'zly-email');
  await page.click('[data-testid=new-case-submit]');
  await page.waitForTimeout(300);
  console.log('errors2:', await page.$$eval('[data-testid=field-error]', e => e.map(x => x.textContent)));
  await page.screenshot({ path: '/tmp/shots/15-new-case-contact.png' });
  await page.fill('[data-testid=new-contact-name]', 'Ewa Testowa');
  await page.fill('[data-testid=new-contact-email]', 'ewa@testowa.pl');
  await page.click('[data-testid=new-case-submit]');
  await page.waitForSelector('[data-testid=case-title]', { timeout: 10000 });
  console.log('created2:', await page.textContent('[data-testid=case-title]'));
  // closed case as agent
  await page.goto(BASE + '/?tab=acquired');
  await page.waitForSelector('[data-testid=case-row]');
  await page.click('[data-testid=case-row] [data-testid=case-subject]');
  await page.waitForSelector('[data-testid=transition]');
  await page.waitForTimeout(500);
  console.log('closed agent:', await page.textContent('[data-testid=transition]'));
  // unknown case
  await page.goto(BASE + '/cases/999999');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/shots/16-not-found.png' });
  // reload keeps the session
  await page.goto(BASE + '/?tab=offered');
  await page.waitForSelector('[data-testid=case-row]');
  await page.reload();
  await page.waitForSelector('[data-testid=case-row]', { timeout: 10000 });
  console.log('after reload url', page.url());
  await page.screenshot({ path: '/tmp/shots/17-agent-offered.png' });
};
