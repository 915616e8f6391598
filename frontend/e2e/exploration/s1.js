module.exports = async (page, BASE) => {
  await page.goto(BASE + '/');
  await page.waitForSelector('[data-testid=login-page]', { timeout: 15000 });
  await page.screenshot({ path: '/tmp/shots/01-login.png' });
  await page.fill('[data-testid=login-email]', 'dyrektor@lejek.demo');
  await page.fill('[data-testid=login-password]', 'lejek-demo');
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=case-row]', { timeout: 15000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: '/tmp/shots/02-pipeline.png' });
  console.log('url', page.url());
  console.log('counts', await page.$$eval('[data-testid^=count-]', els => els.map(e => e.textContent)));
};
