// Drop → first problem card, and → the graph's first node, in headless Chromium, for one or more
// builds (dist/ folders) — answer first's measure when the big real runs of
// scripts/make-big-projects are not at hand. The files: a story's real run_results.json and its
// manifest.json with its macros padded to ~117 MB (read and skipped as dbt's own macros are; in
// real manifests macros and docs are most of the bytes). Median of N runs per build.
//
//   node web/bench/first-card.mjs RUNS DIST...
//   e.g. node web/bench/first-card.mjs 5 /tmp/before/dist dist
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
const require = createRequire(path.join(process.env.HOME, '.cache/dbt-triage/tools/node_modules/x.js'));
const { chromium } = require('playwright-core');
const [runs, ...dists] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const story = path.join(root, 'tests/fixtures/test_failure_build/target');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'first-card-'));
const manifest = path.join(tmp, 'manifest.json');
{
  const text = fs.readFileSync(path.join(story, 'manifest.json'), 'utf8');
  const at = text.indexOf('"macros": {') + '"macros": {'.length;
  const fd = fs.openSync(manifest, 'w');
  fs.writeSync(fd, text.slice(0, at));
  const body = 'x'.repeat(4000);
  for (let i = 0; i < 300; i++) {
    const chunk = [];
    for (let j = 0; j < 100; j++) chunk.push(`"macro.pad.m_${i}_${j}": {"name": "m_${i}_${j}", "macro_sql": "${body}"}`);
    fs.writeSync(fd, chunk.join(',') + ',');
  }
  fs.writeSync(fd, text.slice(at));
  fs.closeSync(fd);
}
const files = [path.join(story, 'run_results.json'), manifest];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
/** Serves a dist folder on a free port; returns its URL and the server. */
async function serve(dist) {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const f = path.join(dist, path.normalize(p));
    if (!fs.existsSync(f) || fs.statSync(f).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(f)] || 'application/octet-stream' });
    fs.createReadStream(f).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** One load through the file input: ms from the input's change to the first card, the first node. */
async function once(browser, base) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await ctx.newPage();
  await page.goto(base);
  await page.waitForSelector('#sample');
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => {
    window.__m = {};
    const input = document.querySelector('#file-input');
    input.addEventListener('change', () => { window.__m.start = performance.now(); }, { capture: true });
    new MutationObserver(() => {
      const now = performance.now();
      if (window.__m.card == null && document.querySelector('article.problem')) window.__m.card = now;
      if (window.__m.graph == null && document.querySelector('.graph-svg g.node')) window.__m.graph = now;
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.setInputFiles('#file-input', files);
  await page.waitForSelector('.graph-svg g.node', { timeout: 300000 });
  const m = await page.evaluate(() => window.__m);
  await ctx.close();
  return { card: m.card - m.start, graph: m.graph - m.start };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const served = await Promise.all(dists.map(serve));
const out = dists.map(() => []);
// The builds take turns, so that a busy moment of the machine falls on both.
for (let i = 0; i < Number(runs); i++) {
  for (const [k, s] of served.entries()) out[k].push(await once(browser, s.base));
}
await browser.close();
for (const s of served) s.server.close();
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [k, dist] of dists.entries()) {
  console.log(JSON.stringify({
    dist,
    runs: out[k].map((o) => `${o.card.toFixed(0)}/${o.graph.toFixed(0)}`),
    card_median_ms: Math.round(median(out[k].map((o) => o.card))),
    graph_median_ms: Math.round(median(out[k].map((o) => o.graph))),
  }));
}
fs.rmSync(tmp, { recursive: true, force: true });
