// What every browser test needs: a real Lejek server on a random port with
// a fresh SQLite database and the demo team, Debian's Chromium, the demo
// logins, a way to wait until the pipeline shows what the URL asks for, the
// public API as the oracle, and screenshots.

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

export const DEMO_PASSWORD = 'lejek-demo';
export const DIRECTOR = 'dyrektor@lejek.demo';
export const BOARD = 'zarzad@lejek.demo';
export const AGENT = 'anna.nowak@lejek.demo';
export const AGENT_NAME = 'Anna Nowak';

/// Debian's Chromium with the flags that keep it off the (closed) network.
export const CHROMIUM = process.env.LEJEK_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SCREENSHOTS = process.env.LEJEK_SCREENSHOTS || join(here, 'screenshots');

/// Starts `lejek serve` on 127.0.0.1:0 with the built client and a fresh
/// data folder (SQLite file, `cases` demo cases; none with `demo: false`),
/// or an existing one (`dataDir`, kept); resolves once it prints the
/// address it listens on.
export async function startServer({ cases = 1500, demo = true, dataDir: existing, env = {} } = {}) {
  const binary = process.env.LEJEK_BIN || join(root, 'target/debug/lejek');
  const dataDir = existing || (await mkdtemp(join(tmpdir(), 'lejek-e2e-')));
  const args = existing || !demo ? ['serve'] : ['serve', '--demo-cases', String(cases)];
  const child = spawn(binary, args, {
    env: {
      ...process.env,
      LEJEK_LISTEN: '127.0.0.1:0',
      LEJEK_DATA_DIR: dataDir,
      LEJEK_DATABASE_URL: '',
      LEJEK_CLIENT_DIR: process.env.LEJEK_CLIENT_DIR || join(root, 'frontend/dist'),
      LEJEK_JWT_SECRET: randomBytes(32).toString('hex'),
      LEJEK_LOG: process.env.LEJEK_LOG || 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const base = await new Promise((resolveBase, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in time:\n${output}`)), 600_000);
    const read = (chunk) => {
      output += chunk;
      const found = /listening on (http:\/\/\S+?)\/?\s/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolveBase(found[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    base,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      if (!existing) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/// A browser with one page per test: 1280×720, the given language, Polish
/// time. Page errors (a Rust panic shows as one) fail the test at `close`.
export async function openBrowser({ locale = 'en-GB', viewport = { width: 1280, height: 720 } } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport, locale, timezoneId: 'Europe/Warsaw' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      errors.push(message.text());
    }
  });
  return {
    browser,
    context,
    page,
    async close() {
      await browser.close();
      if (errors.length > 0) {
        throw new Error(`the page reported errors:\n${errors.join('\n')}`);
      }
    },
  };
}

/// Logs in through the login form and waits for the first rows.
export async function login(page, base, email = DIRECTOR, path = '/') {
  await page.goto(base + path);
  await page.waitForSelector('[data-testid=login-page]');
  await page.fill('[data-testid=login-email]', email);
  await page.fill('[data-testid=login-password]', DEMO_PASSWORD);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=login-page]', { state: 'detached' });
}

/// Waits until the pipeline shows rows and counts for the query in the
/// address bar (the client marks that on its section), and returns it.
export async function settled(page) {
  await page.waitForFunction(() => {
    const section = document.querySelector('[data-testid=pipeline]');
    return section !== null && section.dataset.settledFor === location.search.replace(/^\?/, '');
  });
  return new URL(page.url()).searchParams;
}

/// The tab counts as the page shows them, as numbers, keyed as the API's
/// `/cases/counts` keys them (the New leads tab counts `awaiting_pickup`).
export async function shownCounts(page) {
  const texts = await page.$$eval('[data-testid^=count-]', (elements) =>
    elements.map((element) => [element.dataset.testid.slice('count-'.length), element.textContent]),
  );
  const key = (tab) => (tab === 'new' ? 'awaiting_pickup' : tab);
  return Object.fromEntries(texts.map(([tab, text]) => [key(tab), Number(text.replace(/[^\d]/g, ''))]));
}

/// The case numbers of the rows on screen, top to bottom.
export async function shownNumbers(page) {
  return page.$$eval('[data-testid=case-row]', (rows) => rows.map((row) => Number(row.dataset.case)));
}

/// The browser's UTC offset as the API's `tz` parameter wants it.
export async function browserOffset(page) {
  return page.evaluate(() => {
    const minutes = -new Date().getTimezoneOffset();
    const sign = minutes < 0 ? '-' : '+';
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
    return `${sign}${pad(minutes / 60)}:${pad(minutes % 60)}`;
  });
}

/// The public API, logged in as `email`: the oracle the tests compare the
/// screen with.
export async function apiAs(base, email) {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login as ${email}: ${response.status}`);
  const { access_token: token } = await response.json();
  const call = async (method, path, { body, headers = {} } = {}) => {
    const answer = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    return { status: answer.status, headers: answer.headers, body: text ? JSON.parse(text) : null };
  };
  const ok = async (method, path, options) => {
    const answer = await call(method, path, options);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  };
  return {
    call,
    get: async (path) => (await ok('GET', path)).body,
    ok,
  };
}

/// The query string of the page's URL with extra parameters, for the API.
export function apiQuery(params, extra) {
  const query = new URLSearchParams(params);
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return query.toString();
}

/// Saves a full-page screenshot under `frontend/e2e/screenshots/`.
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/// Shows the filter bar when the user had folded it away.
export async function openFilters(page) {
  if ((await page.$('[data-testid=filter-bar]')) === null) {
    await page.click('[data-testid=toggle-filters]');
  }
}

/// Does something that changes the view's address (a click on a tab, a
/// sort header, a filter; back or forward), then waits until the new
/// address has its rows and counts on screen; returns its parameters.
export async function changeView(page, action) {
  const before = page.url();
  await action();
  await page.waitForURL((url) => url.href !== before);
  return settled(page);
}

/// For a test file with one server and one browser page for all its
/// tests: starts both before the first test (then runs `ready`, if given)
/// and stops them after the last. The returned object gets `server` and
/// `session` once they run.
export function serverAndBrowser(options = {}, ready = async () => {}) {
  const shared = {};
  before(async () => {
    shared.server = await startServer();
    shared.session = await openBrowser(options);
    await ready(shared);
  });
  after(async () => {
    await shared.session?.close();
    await shared.server?.stop();
  });
  return shared;
}
