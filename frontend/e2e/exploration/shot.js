// usage: node shot.js <out-prefix> [steps...]
const { chromium } = require('playwright-core');
const BASE = process.env.BASE || 'http://127.0.0.1:8080';
(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: +(process.env.W || 1280), height: +(process.env.H || 720) }, locale: process.env.LOCALE || 'en-GB' });
  const page = await context.newPage();
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log('console:', m.type(), m.text()); });
  page.on('pageerror', e => console.log('pageerror:', e.message));
  const script = require(process.argv[2]);
  try { await script(page, BASE); } catch (e) { console.log('ERROR', e.message); await page.screenshot({ path: '/tmp/shots/error.png' }); }
  await browser.close();
})();
