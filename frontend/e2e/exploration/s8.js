const { login } = require('./s2.js');
module.exports = async (page, BASE) => {
  await login(page, BASE);
  const overflow = async (name) => {
    const r = await page.evaluate(() => {
      const m = document.querySelector('main');
      return { doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, main: m ? m.scrollWidth : 0, w: window.innerWidth };
    });
    console.log(name, JSON.stringify(r));
  };
  await overflow('pipeline');
  await page.click('[data-testid=tab-acquired]');
  await page.waitForTimeout(700);
  await page.click('[data-testid=case-row] [data-testid=case-subject]');
  await page.waitForSelector('[data-testid=transition-form]');
  await overflow('case');
  // manager reopens a closed case
  const options = await page.$$eval('[data-testid=move-status] option', o => o.map(x => x.value));
  console.log('reopen options', options.join(','));
  await page.selectOption('[data-testid=move-status]', 'in_acquisition');
  await page.selectOption('[data-testid=move-stage]', 'to_offer');
  await page.click('[data-testid=move-submit]');
  await page.waitForTimeout(1000);
  console.log('reopened ->', await page.textContent('[data-testid=fact-status]'));
  // assign owner
  const users = await page.$$eval('[data-testid=owner-select] option', o => o.map(x => x.value).filter(Boolean));
  await page.selectOption('[data-testid=owner-select]', users[2]);
  await page.click('[data-testid=owner-save]');
  await page.waitForTimeout(1000);
  console.log('owner ->', await page.textContent('[data-testid=fact-owner]'));
  console.log('history', await page.$$eval('[data-testid=history-event] .what', e => e.map(x => x.textContent).join(' | ')));
  await page.screenshot({ path: '/tmp/shots/20-reopened.png' });
  await page.click('[data-testid=nav-search]');
  await page.waitForSelector('[data-testid=search-input]');
  await overflow('search');
  await page.click('[data-testid=nav-new-case]');
  await page.waitForSelector('[data-testid=new-case-form]');
  await overflow('new');
  await page.goto(BASE + '/contacts/5');
  await page.waitForTimeout(1200);
  await overflow('contact');
  await page.goto(BASE + '/nope/page');
  await page.waitForTimeout(1200);
  await page.screenshot({ path: '/tmp/shots/21-404.png' });
};
