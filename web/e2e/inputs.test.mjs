// Browser tests of hostile and broken input: each bad file is dropped next to a good run and the
// page must name it with what to do, keep what loaded, open no dialog and send no request. Files
// are recognized by content, not name; a ZIP of a target/ folder opens in place; a file of 200 MB
// shows its progress and can be cancelled, which terminates the worker and leaves the page usable;
// a `javascript:` URL in an exposure stays text.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setup, open, fx, trio, shot, waitForDiagnosis, assertOffline } from './harness.mjs';

setup();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-triage-e2e-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const json = (name, value) => ({ name, mimeType: 'application/json', buffer: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });

/** A page with a good run (two_roots) loaded: 2 problems. */
async function withGoodRun() {
  const t = await open('/');
  await t.page.setInputFiles('#file-input', trio('two_roots'));
  await waitForDiagnosis(t.page);
  assert.match(await t.page.textContent('#summary'), /2 problems/);
  return t;
}

/** Adds `files` next to the good run; returns the text of the row that names `name`. */
async function addBad(t, files, name) {
  await t.page.setInputFiles('#file-input', files);
  const row = t.page.locator('.input', { hasText: name });
  await row.waitFor();
  await t.page.waitForFunction(() => !document.querySelector('.progress'));
  return row.textContent();
}

async function stillGood(t, label) {
  assert.match(await t.page.textContent('#summary'), /2 problems/, `${label}: the earlier files still count`);
  const names = await t.page.locator('.input-name').allTextContents();
  for (const f of ['run_results.json', 'manifest.json', 'dbt.log']) assert.ok(names.includes(f), `${label}: ${f} kept (${names})`);
  await t.page.waitForTimeout(200);
  assert.deepEqual(t.dialogs, [], `${label}: no dialog`);
  assert.deepEqual(t.errors, [], `${label}: no error in the page`);
  assertOffline(t);
}

const bad = [
  ['an empty file', () => [json('empty.json', '')], 'empty.json', /file is empty/],
  ['a truncated manifest', () => [json('cut/manifest.json', fs.readFileSync(fx('two_roots', 'target/manifest.json')).subarray(0, 30000).toString())],
    'cut/manifest.json', /truncated|ends early/],
  ['binary garbage', () => {
    const bytes = Buffer.alloc(5000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    return [{ name: 'garbage.bin', mimeType: 'application/octet-stream', buffer: bytes }];
  }, 'garbage.bin', /binary file, not a dbt artifact/],
  ['catalog.json (not needed)', () => [json('catalog.json', { metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json' }, nodes: {}, sources: {} })],
    'catalog.json', /not needed/],
];

for (const [what, files, name, message] of bad) {
  test(`${what} is named and the run loaded before stays`, async () => {
    const t = await withGoodRun();
    const row = await addBad(t, files(), name);
    assert.match(row, message, row);
    await stillGood(t, what);
    await shot(t.page, `30-bad-${name.replace(/\W+/g, '-')}`);
    await t.context.close();
  });
}

test('run_results and manifest with swapped names: content decides', async () => {
  const t = await open('/');
  await t.page.setInputFiles('#file-input', [
    json('manifest.json', fs.readFileSync(fx('two_roots', 'target/run_results.json'), 'utf8')),
    json('run_results.json', fs.readFileSync(fx('two_roots', 'target/manifest.json'), 'utf8')),
  ]);
  await waitForDiagnosis(t.page);
  assert.match(await t.page.textContent('#summary'), /2 problems/);
  assert.match(await t.page.locator('.input', { hasText: 'manifest.json' }).textContent(), /run results/);
  assert.match(await t.page.locator('.input', { hasText: 'run_results.json' }).textContent(), /manifest v12/);
  assert.ok(await t.page.locator('g.node.powerbi').count() >= 1, 'lineage and exposures came from the manifest');
  assert.deepEqual(t.dialogs, []);
  assertOffline(t);
  await t.context.close();
});

test('a ZIP of a target/ folder (and logs/) opens in place', async () => {
  const zip = path.join(tmp, 'dbt-artifacts.zip');
  execFileSync('zip', ['-q', '-r', zip, 'target', 'logs'], { cwd: fx('two_roots') });
  const t = await open('/');
  await t.page.setInputFiles('#file-input', [zip]);
  await waitForDiagnosis(t.page);
  assert.match(await t.page.textContent('#summary'), /2 problems/);
  const inputs = await t.page.textContent('.inputs');
  assert.match(inputs, /run_results\.json/);
  assert.match(inputs, /manifest v12/);
  await shot(t.page, '31-zip');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('a 200 MB file shows its progress and Cancel stops the worker, leaving the page usable', { timeout: 300_000 }, async () => {
  // A real run_results padded with generated results, written in pieces (no 200 MB string).
  const big = path.join(tmp, 'run_results.json');
  const rr = JSON.parse(fs.readFileSync(fx('two_roots', 'target/run_results.json'), 'utf8'));
  const template = rr.results.find((r) => r.status === 'success') ?? rr.results[0];
  const fd = fs.openSync(big, 'w');
  const { results, ...rest } = rr;
  fs.writeSync(fd, JSON.stringify(rest).slice(0, -1) + ',"results":[');
  fs.writeSync(fd, results.map((r) => JSON.stringify(r)).join(','));
  const padding = 'x'.repeat(900);
  let size = 0;
  for (let i = 0; size < 210 * 1024 * 1024; i++) {
    const chunk = [];
    for (let j = 0; j < 1000; j++) {
      chunk.push(JSON.stringify({ ...template, unique_id: `model.shop.generated_${i}_${j}`, message: padding, compiled_code: null }));
    }
    const text = ',' + chunk.join(',');
    fs.writeSync(fd, text);
    size += text.length;
  }
  fs.writeSync(fd, ']}');
  fs.closeSync(fd);
  assert.ok(fs.statSync(big).size >= 200 * 1024 * 1024);

  const t = await withGoodRun();
  const { page } = t;
  const closed = [];
  const watch = (w) => w.on('close', () => closed.push(w.url()));
  page.workers().forEach(watch);
  page.on('worker', watch);
  await page.setInputFiles('#file-input', [big]);
  const progress = page.locator('.progress');
  await progress.waitFor();
  await page.waitForFunction(() => /MB/.test(document.querySelector('.progress')?.textContent ?? ''), null, { timeout: 60_000 }).catch(() => {});
  const said = await progress.textContent();
  assert.match(said, /Reading run_results\.json \(2\d\d\.\d MB\)|Analysing/, said);
  await shot(page, '32-big-file-progress');
  const requested = t.later().length;
  await page.click('.progress button');
  await progress.waitFor({ state: 'detached' });
  // The worker was terminated and a fresh one started (its files are fetched again, from the
  // page's own origin); the earlier diagnosis stays.
  await page.waitForFunction(() => true);
  for (let i = 0; i < 50 && !closed.length; i++) await page.waitForTimeout(100);
  assert.ok(closed.some((u) => u.endsWith('/worker_loader.js')), `a worker was terminated: ${closed}`);
  assert.ok(t.later().slice(requested).some((u) => u.endsWith('/worker_loader.js')), 'a fresh worker started');
  assert.match(await page.textContent('#summary'), /2 problems/);
  await shot(page, '33-big-file-cancelled');
  // The fresh worker does not hold the earlier view's details: the page says so instead of
  // waiting for an answer that will not come.
  await page.locator('.graph-svg g.node').first().click();
  await page.locator('#node-panel[aria-busy="false"]').waitFor();
  assert.match(await page.textContent('#node-panel'), /no longer at hand/);
  // Its share link is still there if it was made before the load began; if not, the page says
  // why there is none (the worker that would make it is gone).
  await page.click('#share-link');
  const out = page.locator('#share-url, #share-error');
  await out.first().waitFor();
  if (await page.locator('#share-url').count()) assert.match(await page.inputValue('#share-url'), /#d=/);
  else assert.match(await page.textContent('#share-error'), /add the files again/);
  // The page is usable: a new file loads at once, without reading the cancelled one again.
  await page.setInputFiles('#file-input', [fx('renamed_column', 'target/run_results.json')]);
  await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 30_000 });
  await page.waitForSelector('#summary');
  assert.equal(await page.locator('.input-name', { hasText: /^run_results\.json$/ }).count(), 2);
  assert.ok(!(await page.textContent('.inputs')).includes('210'), 'the cancelled file is gone');
  assert.deepEqual(t.dialogs, []);
  assert.deepEqual(t.errors, []);
  assertOffline(t, ['/worker_loader.js', '/worker.js', '/worker_bg.wasm']);
  await t.context.close();
});

test('an exposure URL that is not http(s) is shown as text, never a link', async () => {
  const m = JSON.parse(fs.readFileSync(fx('two_roots', 'target/manifest.json'), 'utf8'));
  m.exposures['exposure.shop.executive_revenue'].url = 'javascript:alert(document.domain)';
  m.exposures['exposure.shop.web_traffic'].url = ' JaVaScRiPt:alert(2)';
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', [
    json('run_results.json', fs.readFileSync(fx('two_roots', 'target/run_results.json'), 'utf8')),
    json('manifest.json', m),
  ]);
  await waitForDiagnosis(page);
  const exec = page.locator('article.problem .exposure', { hasText: 'Executive Revenue' });
  await exec.waitFor();
  assert.equal(await exec.locator('a').count(), 0, 'no link for a javascript: URL');
  assert.equal(await page.locator('article.problem .exposure', { hasText: 'Web Traffic' }).locator('a').count(), 0);
  const hrefs = await page.evaluate(() => [...document.querySelectorAll('[href]')].map((a) => a.getAttribute('href')));
  // (An owner's email is a mailto: link: the scheme is ours, the address only its target.)
  for (const h of hrefs) assert.match(h, /^(https?:|\.\/|data:|mailto:[^:]+@)/, `href ${h}`);
  // The node panel shows the exposure without a link too.
  await page.locator('g.node[data-id="exposure.shop.executive_revenue"]').click();
  const panel = page.locator('#node-panel');
  // The details come from the worker when a node is opened.
  await page.locator('#node-panel[aria-busy="false"]').waitFor();
  assert.equal(await panel.locator('a').count(), 0);
  await exec.click();
  await page.waitForTimeout(300);
  assert.deepEqual(t.dialogs, []);
  await shot(page, '34-javascript-url');
  assertOffline(t);
  await t.context.close();
});
