// The client's speed budgets (issue 4), measured in Debian's Chromium
// against a release server on a large demo database. Run by
// `cargo xtask budgets [--cases N] [--runs R]`, which builds everything,
// seeds the database once and sets the environment read here.
//
// Every time is taken inside the page with performance.now(): from the
// click to the first animation frame in which the result is in the DOM
// (checked on every frame), so it is what the user sees, not what the
// driver adds.

import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, DIRECTOR, openFilters, startServer } from './harness.mjs';

const FIRST_ROWS_BUDGET_MS = 1500;
const ANALYTICS_BUDGET_MS = 1500;
const FILTER_BUDGET_MS = 300;
const TEXT_FILTER_DEBOUNCE_MS = 250;

const runs = Number(process.env.LEJEK_BUDGET_RUNS || 10);
const cases = Number(process.env.LEJEK_BUDGET_CASES || 0);
const dataDir = process.env.LEJEK_BUDGET_DATA_DIR;
const databaseUrl = process.env.LEJEK_BUDGET_DATABASE_URL || '';
if (!dataDir) throw new Error('LEJEK_BUDGET_DATA_DIR is not set: run `cargo xtask budgets`');

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const summary = (values) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  max: Math.max(...values),
});
const ms = (value) => `${value.toFixed(0).padStart(5)} ms`;

/// Inside the page: clicks `selector`, or with `typed` sets that input's
/// text as a keystroke would; resolves with the milliseconds until the
/// pipeline shows rows and counts for the new address.
function timeChange(page, selector, typed) {
  return page.evaluate(
    ([selector, typed]) =>
      new Promise((resolve, reject) => {
        const before = location.search;
        const start = performance.now();
        const element = document.querySelector(selector);
        if (typed === null) {
          element.click();
        } else {
          element.value = typed;
          element.dispatchEvent(new Event('input', { bubbles: true }));
        }
        const check = () => {
          const section = document.querySelector('[data-testid=pipeline]');
          if (location.search !== before && section?.dataset.settledFor === location.search.replace(/^\?/, '')) {
            resolve(performance.now() - start);
          } else if (performance.now() - start > 30_000) {
            reject(new Error(`no result for ${selector} after 30 s`));
          } else {
            requestAnimationFrame(check);
          }
        };
        requestAnimationFrame(check);
      }),
    [selector, typed],
  );
}
const timeClick = (page, selector) => timeChange(page, selector, null);

async function waitSettled(page) {
  await page.waitForFunction(() => {
    const section = document.querySelector('[data-testid=pipeline]');
    return section?.dataset.settledFor === location.search.replace(/^\?/, '');
  }, null, { timeout: 60_000 });
}

const server = await startServer({ dataDir, env: { LEJEK_DATABASE_URL: databaseUrl } });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const results = [];
let failed = false;
const report = (name, values, budget, note = '') => {
  const s = summary(values);
  const ok = budget === undefined || s.p95 <= budget;
  if (!ok) failed = true;
  results.push({ name, ...s, budget, ok });
  console.log(
    `${name.padEnd(50)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)}  ` +
      `${budget === undefined ? '' : `budget ${budget} ms ${ok ? 'met' : 'MISSED'}`}${note}`,
  );
};

try {
  const wasmGzip = Number(process.env.LEJEK_BUDGET_WASM_GZIP || 0);
  console.log(`\nLejek client budgets: ${cases.toLocaleString('en')} cases (${databaseUrl ? 'PostgreSQL' : 'SQLite'}), ${runs} runs, Chromium headless, ${server.base}`);
  if (wasmGzip) console.log(`${'.wasm gzip'.padEnd(50)} ${(wasmGzip / 1000).toFixed(1)} KB  budget 500 KB ${wasmGzip <= 500_000 ? 'met' : 'MISSED'}`);

  // First rows after login: a fresh browser context each run (no saved
  // session), the login page loaded, then the click on "sign in".
  const firstRows = [];
  const pageLoad = [];
  let page;
  for (let run = 0; run < runs; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'pl-PL', timezoneId: 'Europe/Warsaw' });
    page = await context.newPage();
    const loadStart = Date.now();
    await page.goto(server.base + '/');
    await page.waitForSelector('[data-testid=login-page]');
    pageLoad.push(Date.now() - loadStart);
    await page.fill('[data-testid=login-email]', DIRECTOR);
    await page.fill('[data-testid=login-password]', DEMO_PASSWORD);
    firstRows.push(
      await page.evaluate(
        () =>
          new Promise((resolve) => {
            const start = performance.now();
            document.querySelector('[data-testid=login-submit]').click();
            const check = () => {
              if (document.querySelector('[data-testid=case-row]')) resolve(performance.now() - start);
              else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          }),
      ),
    );
    if (run < runs - 1) await context.close();
  }
  report('page load to login form (WASM start)', pageLoad);
  report('sign in → first rows visible', firstRows, FIRST_ROWS_BUDGET_MS);

  // Filter changes on the last logged-in page: each click is undone by the
  // next, so every sample asks the server for something new.
  await waitSettled(page);
  await openFilters(page);
  const samples = async (name, open, selectors) => {
    const times = [];
    for (let run = 0; run < runs; run += 1) {
      const selector = selectors[run % selectors.length];
      await page.click(open);
      await page.waitForSelector(selector);
      times.push(await timeClick(page, selector));
      await page.keyboard.press('Escape');
    }
    report(name, times, FILTER_BUDGET_MS);
  };
  await samples('status filter (multi-select, toggled)', '[data-testid=filter-status]', ['[data-testid=filter-status-offered] input']);
  await samples('source filter (multi-select, toggled)', '[data-testid=filter-source]', ['[data-testid=filter-source-phone] input']);
  await samples('owner filter (unassigned / any)', '[data-testid=filter-owner]', [
    '[data-testid=filter-owner-unassigned] input',
    '[data-testid=filter-owner-any] input',
  ]);
  await samples('created quick picks (since yesterday / month)', '[data-testid=filter-created]', [
    '[data-testid=filter-created-since-yesterday]',
    '[data-testid=filter-created-this-month]',
  ]);
  const tabs = [];
  for (let run = 0; run < runs; run += 1) {
    tabs.push(await timeClick(page, `[data-testid=tab-${run % 2 === 0 ? 'offered' : 'in_acquisition'}]`));
  }
  report('tab switch', tabs, FILTER_BUDGET_MS);
  const sorts = [];
  for (let run = 0; run < runs; run += 1) {
    sorts.push(await timeClick(page, '[data-testid=sort-created_at]'));
  }
  report('sort by created (asc / desc)', sorts, FILTER_BUDGET_MS);

  // A text filter: from the last key to the result, which includes the
  // debounce that keeps the typing from sending a request per key.
  const texts = [];
  const words = ['oferta', 'serwis', 'wdrożenie', 'licencje'];
  for (let run = 0; run < runs; run += 1) {
    await page.fill('[data-testid=filter-subject]', words[run % words.length].slice(0, -1));
    await page.waitForTimeout(TEXT_FILTER_DEBOUNCE_MS + 50);
    await waitSettled(page);
    texts.push(await timeChange(page, '[data-testid=filter-subject]', words[run % words.length]));
  }
  report(
    'subject filter, last key → rows (incl. debounce)',
    texts,
    FILTER_BUDGET_MS + TEXT_FILTER_DEBOUNCE_MS,
    ` (${TEXT_FILTER_DEBOUNCE_MS} ms of it is the debounce)`,
  );

  // The Analytics page, a bundle of its own: from the click on its link
  // in the pipeline to every chart drawn (the page marks that), over the
  // last 12 months as the director. Timed from outside the page, since the
  // click loads a new page.
  const analytics = [];
  for (let run = 0; run < runs; run += 1) {
    await page.goto(server.base + '/');
    await waitSettled(page);
    const start = Date.now();
    await page.click('[data-testid=nav-analytics]');
    await page.waitForSelector('[data-testid=analytics-page][data-settled=true]', { timeout: 120_000 });
    analytics.push(Date.now() - start);
  }
  report('Analytics: link → every chart drawn (12 months)', analytics, ANALYTICS_BUDGET_MS);
} finally {
  await browser.close();
  await server.stop();
}
if (failed) {
  console.log('\nA budget was missed.');
  process.exitCode = 1;
}
