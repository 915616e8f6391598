async function login(page, BASE, email) {
  await page.goto(BASE + '/');
  await page.waitForSelector('[data-testid=login-page]', { timeout: 15000 });
  await page.fill('[data-testid=login-email]', email || 'dyrektor@lejek.demo');
  await page.fill('[data-testid=login-password]', 'lejek-demo');
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=case-row]', { timeout: 15000 });
}
module.exports = async (page, BASE) => {
  await login(page, BASE);
  await page.waitForTimeout(300);
  await page.screenshot({ path: '/tmp/shots/03-pipeline.png' });
  // director scenario
  await page.click('[data-testid=filter-created]');
  await page.click('[data-testid=filter-created-since-yesterday]');
  await page.waitForTimeout(800);
  console.log('url after filter', page.url());
  console.log('offered count', await page.textContent('[data-testid=count-offered]'));
  await page.click('[data-testid=tab-offered]');
  await page.waitForTimeout(800);
  await page.click('[data-testid=sort-created_at]');
  await page.waitForTimeout(800);
  console.log('url after sort', page.url(), await page.getAttribute('[data-testid=header-created_at]', 'aria-sort'));
  await page.screenshot({ path: '/tmp/shots/04-offered.png' });
  // open a case
  await page.click('[data-testid=case-row] [data-testid=case-number]');
  await page.waitForSelector('[data-testid=case-title]', { timeout: 10000 });
  await page.waitForTimeout(800);
  await page.screenshot({ path: '/tmp/shots/05-case.png', fullPage: true });
  await page.goBack();
  await page.waitForSelector('[data-testid=case-row]');
  console.log('url after back', page.url());
};
module.exports.login = login;
