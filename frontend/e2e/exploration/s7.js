const { login } = require('./s2.js');
module.exports = async (page, BASE) => {
  await login(page, BASE);
  await page.evaluate(() => sessionStorage.setItem('lejek.refresh_token', 'bogus'));
  await page.waitForTimeout(80000);
  await page.click('[data-testid=tab-acquired]');
  await page.waitForSelector('[data-testid=login-page]', { timeout: 10000 });
  console.log('redirected to', page.url());
  await page.screenshot({ path: '/tmp/shots/19-expired.png' });
  await page.fill('[data-testid=login-email]', 'dyrektor@lejek.demo');
  await page.fill('[data-testid=login-password]', 'lejek-demo');
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=case-row]');
  await page.waitForTimeout(500);
  console.log('back at', page.url());
};
