// The client runs under its Content-Security-Policy: no inline script in
// the page, every screen works, and the browser reports no violation (the
// harness also fails on any console error, which is where Chromium logs a
// refused script or style). A deliberate inline script on a second page
// proves the policy is enforced and its violations are seen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIRECTOR, apiAs, login, openBrowser, settled, startServer } from '../harness.mjs';

/// Collects the page's CSP violation reports from its first script on.
function recordViolations() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sample}`);
  });
}

const violations = (page) => page.evaluate(() => window.__cspViolations);

test('every screen works under the policy with no violation', async () => {
  const server = await startServer({ cases: 300 });
  let session;
  try {
    session = await openBrowser();
    const { context, page } = session;
    await context.addInitScript(recordViolations);
    const api = await apiAs(server.base, DIRECTOR);
    const [row] = (await api.get('/cases?limit=1')).items;

    const response = await page.goto(server.base + '/');
    const policy = response.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, policy);
    assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/, policy);
    assert.deepEqual(
      await page.$$eval('script', (scripts) => scripts.filter((script) => !script.src).length),
      0,
      'no inline script',
    );

    await login(page, server.base, DIRECTOR);
    await settled(page);
    for (const [path, ready] of [
      [`/cases/${row.id}`, '[data-testid=transition]'],
      [`/contacts/${row.contact.id}`, '[data-testid=case-list-row]'],
      ['/cases/new', '[data-testid=new-case-form]'],
      ['/imports', '[data-testid=file-drop]'],
      [`/search?q=${row.number}`, '[data-testid=case-list-row]'],
      ['/', '[data-testid=case-row]'],
    ]) {
      await page.goto(server.base + path);
      await page.waitForSelector(ready);
      assert.deepEqual(await violations(page), [], path);
    }
    // The column widths a list sets itself are applied, not refused.
    await page.goto(`${server.base}/search?q=${row.number}`);
    await page.waitForSelector('[data-testid=case-list-row]');
    const firstColumn = await page.$eval('[data-testid=case-list] col', (col) => col.style.width);
    assert.equal(firstColumn, '84px');
    assert.deepEqual(await violations(page), []);

    // A page that tries an inline script gets it refused and reported.
    const probe = await context.newPage();
    await probe.goto(server.base + '/');
    const ran = await probe.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.append(script);
      return window.__inlineRan === true;
    });
    assert.equal(ran, false, 'the inline script was refused');
    await probe.waitForFunction(() => window.__cspViolations.length > 0);
    assert.match((await violations(probe)).join('\n'), /script-src/);
    await probe.close();
  } finally {
    await server.stop();
    await session?.close();
  }
});
