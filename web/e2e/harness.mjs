// The browser tests' harness: the release build (dist/) served by a small static server here, at
// the root and under a sub-path, and real headless Chromium driven by playwright-core. Every
// request the page makes is recorded so the tests can show that nothing leaves the machine after
// the page's own files loaded. Each test file calls setup() once.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const dist = process.env.DIST || path.join(root, 'dist');
export const fixtures = path.join(root, 'tests/fixtures');
export const out = path.join(here, 'out');
const tools = process.env.DBT_TRIAGE_TOOLS || path.join(process.env.HOME, '.cache/dbt-triage/tools');
const require = createRequire(path.join(tools, 'node_modules', 'x.js'));
const { chromium } = require('playwright-core');

export const SUB = '/sub/path/';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.log': 'text/plain' };

let server, browser;
export let base;

export function setup() {
before(async () => {
  fs.mkdirSync(out, { recursive: true });
  server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.startsWith(SUB)) p = '/' + p.slice(SUB.length);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(dist, path.normalize(p));
    if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  // playwright-core gives every launch a fresh temporary --user-data-dir of its own.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});
}

/** Opens the app in a fresh browser context (no storage, no files); returns the page and the
 * requests made after its own files loaded. `options` go to browser.newContext. */
export async function open(at = '/', options = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const all = [];
  const errors = [];
  const dialogs = [];
  context.on('request', (r) => all.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(base + at);
  await page.waitForSelector('#sample');
  await page.waitForLoadState('networkidle');
  const loaded = all.length;
  return {
    page, context, errors, dialogs,
    later: () => all.slice(loaded),
    all: () => all,
  };
}

export const fx = (story, ...rel) => path.join(fixtures, story, ...rel);
export const trio = (story) => [fx(story, 'target/run_results.json'), fx(story, 'target/manifest.json'), fx(story, 'logs/dbt.log')];
export const shot = (page, name) => page.screenshot({ path: path.join(out, `${name}.png`), fullPage: false });

export async function waitForDiagnosis(page) {
  await page.waitForSelector('#summary');
  await page.waitForSelector('.graph-svg g.node');
}

export function assertOffline(t, allowed = []) {
  const later = t.later().filter((u) => !allowed.some((a) => u.includes(a)));
  assert.deepEqual(later, [], 'no request after the page loaded');
  for (const u of t.all()) assert.ok(u.startsWith(base), `request stays on the page's origin: ${u}`);
}

