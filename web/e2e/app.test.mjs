// Browser tests of the release build (dist/): loading, the diagnosis, the graph, offline.
// Screenshots of the main states go to web/e2e/out/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, fx, trio, shot, waitForDiagnosis, assertOffline, SUB } from './harness.mjs';

setup();

test('Try a sample, served from a sub-path: the diagnosis, the graph, details, search', async () => {
  const t = await open(SUB);
  const { page } = t;
  await shot(page, '01-empty');
  await page.click('#sample');
  await waitForDiagnosis(page);
  const summary = await page.textContent('#summary');
  assert.match(summary, /1 problem/);
  assert.match(summary, /16 nodes skipped/);
  assert.match(summary, /3 Power BI reports/);
  const card = page.locator('article.problem').first();
  assert.match(await card.locator('.category').textContent(), /test/i);
  assert.match(await card.locator('.roots').textContent(), /unique_stg_orders_order_id/);
  assert.match(await card.locator('.skipped summary').textContent(), /16 skipped/);
  const pbi = await card.locator('.exposure.powerbi').allTextContents();
  for (const name of ['Customer 360', 'Executive Revenue', 'Finance KPIs']) {
    assert.ok(pbi.some((s) => s.includes(name)), `Power BI report ${name} listed: ${pbi}`);
  }
  assert.match(await page.textContent('.inputs'), /run_results v6/);
  // Graph: the failed test in red, skipped nodes in amber, Power BI exposures marked.
  const failed = page.locator('g.node[data-status="failed"]').first();
  assert.match(await failed.getAttribute('data-id'), /^test\.shop\.unique_stg_orders_order_id/);
  const fill = (loc) => loc.locator('rect').first().evaluate((r) => getComputedStyle(r).stroke);
  assert.equal(await fill(failed), 'rgb(217, 48, 37)');
  assert.equal(await fill(page.locator('g.node[data-status="skipped"]').first()), 'rgb(232, 162, 0)');
  assert.ok(await page.locator('g.node.powerbi .pbi-badge').count() >= 3, 'Power BI exposures have their mark');
  await shot(page, '02-sample-diagnosis');
  await page.locator('.explore').scrollIntoViewIfNeeded();
  await shot(page, '03-sample-graph');
  // Click a node: its details.
  await page.locator('g.node[data-id="model.shop.fct_orders"]').click();
  const panel = page.locator('#node-panel');
  // The details come from the worker when a node is opened.
  await page.locator('#node-panel[aria-busy="false"]').waitFor();
  const text = await panel.textContent();
  assert.match(text, /model\.shop\.fct_orders/);
  assert.match(text, /skipped/);
  assert.match(text, /target\/compiled\/shop\/models\/marts\/fct_orders\.sql/);
  await shot(page, '04-node-details');
  // Search selects a node.
  await page.fill('#node-search', 'dim_cust');
  await page.locator('#search-results button').first().click();
  assert.match(await panel.textContent(), /model\.shop\.dim_customers/);
  assert.equal(await page.locator('g.node.selected').getAttribute('data-id'), 'model.shop.dim_customers');
  // A problem card highlights its subgraph.
  await card.locator('button', { hasText: 'Show in graph' }).click();
  assert.ok(await page.locator('svg.dimmed g.node.hl').count() >= 10);
  // Whole project.
  await page.click('#whole-project');
  await page.waitForFunction(() => !document.querySelector('.graph-wait'));
  await shot(page, '05-whole-project');
  assert.deepEqual(t.errors, []);
  assertOffline(t, [`${SUB}sample/`]);
  await t.context.close();
});

test('files through the file input: two problems, the SQL line, offline', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', trio('two_roots'));
  await waitForDiagnosis(page);
  assert.match(await page.textContent('#summary'), /2 problems/);
  const roots = await page.locator('article.problem .roots').allTextContents();
  assert.ok(roots.some((r) => r.includes('fct_orders')), roots.join());
  assert.ok(roots.some((r) => r.includes('stg_sessions')), roots.join());
  const hit = await page.locator('.code-line.hit').allTextContents();
  assert.ok(hit.some((l) => l.includes('channel')), `highlighted SQL lines: ${hit}`);
  assert.equal(await page.locator('g.node[data-status="failed"]').count(), 2);
  assert.match(await page.textContent('.inputs'), /manifest v12/);
  await shot(page, '06-two-roots');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('a synthetic drop of files anywhere on the page', async () => {
  const t = await open('/');
  const { page } = t;
  const files = trio('renamed_column').map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') }));
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name));
    const target = document.querySelector('.top');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  await waitForDiagnosis(page);
  const card = page.locator('article.problem').first();
  assert.match(await card.locator('.category').textContent(), /column/i);
  assert.match(await card.locator('.problem-title mark').first().textContent(), /first_name/);
  assert.match(await card.locator('.roots').textContent(), /stg_customers/);
  assert.match(await page.locator('.code-line.hit').first().textContent(), /first_name/);
  await shot(page, '07-dropped');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('a warehouse message with HTML is shown as text and runs nothing', async () => {
  const t = await open('/');
  const { page } = t;
  const rr = JSON.parse(fs.readFileSync(fx('renamed_column', 'target/run_results.json'), 'utf8'));
  const evil = '<img src=x onerror=alert(1)>';
  const bad = rr.results.find((r) => r.status === 'error');
  bad.message = `Database Error in model stg_customers\n  column ${evil} does not exist`;
  await page.setInputFiles('#file-input', [
    { name: 'run_results.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rr)) },
    { name: 'manifest.json', mimeType: 'application/json', buffer: fs.readFileSync(fx('renamed_column', 'target/manifest.json')) },
  ]);
  await waitForDiagnosis(page);
  assert.ok((await page.locator('.message-text').first().textContent()).includes(evil));
  assert.equal(await page.locator('img').count(), 0, 'no <img> element was made');
  await page.waitForTimeout(300);
  assert.deepEqual(t.dialogs, []);
  await shot(page, '08-html-as-text');
  assertOffline(t);
  await t.context.close();
});

test('a bad file is named with what to do, and what loaded stays', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', trio('two_roots'));
  await waitForDiagnosis(page);
  await page.setInputFiles('#file-input', [
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json"}, "results": [') },
  ]);
  await page.waitForSelector('.input.bad');
  const bad = await page.locator('.input.bad').textContent();
  assert.match(bad, /broken\.json/);
  assert.match(bad, /truncated|copy it again/);
  assert.match(await page.textContent('#summary'), /2 problems/);
  await shot(page, '09-bad-file');
  assertOffline(t);
  await t.context.close();
});

test('a log alone still gives a diagnosis and says what to add', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', [fx('renamed_column', 'logs/dbt.log')]);
  await page.waitForSelector('#summary');
  assert.match(await page.textContent('#summary'), /1 problem/);
  assert.match(await page.textContent('.missing'), /add manifest\.json to see lineage and affected reports/);
  assert.match(await page.locator('article.problem .roots').first().textContent(), /stg_customers/);
  await shot(page, '10-log-only');
  assertOffline(t);
  await t.context.close();
});

test('dark theme follows the system; the graph answers the keyboard', async () => {
  const t = await open('/');
  const { page } = t;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setInputFiles('#file-input', trio('permission_denied'));
  await waitForDiagnosis(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(22, 24, 27)');
  const transform = () => page.locator('svg.graph-svg > g').getAttribute('transform');
  const before = await transform();
  await page.focus('svg.graph-svg');
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowLeft');
  assert.notEqual(await transform(), before, 'keys zoom and pan');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator('#node-panel').waitFor();
  await page.locator('.explore').scrollIntoViewIfNeeded();
  await shot(page, '11-dark-keyboard');
  assertOffline(t);
  await t.context.close();
});

// A generated 3,000-model project run by real dbt (scripts/make-big-projects); skipped when absent.
const big = path.join(process.env.DBT_TRIAGE_BIG || path.join(process.env.HOME, '.cache/dbt-triage/big'), '3000');
test('a 3,000-model project loads without freezing the page', { skip: !fs.existsSync(path.join(big, 'target/manifest.json')) }, async () => {
  const t = await open('/');
  const { page } = t;
  // The longest gap between animation frames while loading: the main thread must stay free.
  await page.evaluate(() => {
    window.__gap = 0;
    let last = performance.now();
    const tick = (now) => { window.__gap = Math.max(window.__gap, now - last); last = now; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  await page.setInputFiles('#file-input', [path.join(big, 'target/run_results.json'), path.join(big, 'target/manifest.json')]);
  await page.waitForSelector('.progress', { timeout: 10000 }).catch(() => {});
  await page.waitForSelector('#summary', { timeout: 120000 });
  await page.waitForSelector('.graph-svg g.node', { timeout: 120000 });
  const loaded = Date.now() - started;
  await shot(page, '12-big-focused');
  const shown = await page.textContent('.graph-count');
  const gap = await page.evaluate(() => window.__gap);
  console.log(`3,000 models: diagnosis and focused graph in ${loaded} ms (${shown}); longest frame gap ${gap.toFixed(0)} ms`);
  // The card names the first 200 skipped nodes; "Show all" gets the rest from the worker.
  const skipped = page.locator('article.problem details.skipped').first();
  assert.match(await skipped.locator('summary').textContent(), /^6431 skipped because of this/);
  assert.equal(await skipped.locator('li').count(), 0, 'the list is built only when opened');
  await skipped.locator('summary').click();
  await page.waitForFunction(() => document.querySelectorAll('article.problem details.skipped li').length === 200);
  await skipped.locator('button.show-all').click();
  await page.waitForFunction(() => document.querySelectorAll('article.problem details.skipped li').length === 6431, null, { timeout: 30000 });
  await skipped.locator('summary').click();
  const wholeStart = Date.now();
  await page.click('#whole-project');
  await page.waitForFunction(() => !document.querySelector('.graph-wait'), null, { timeout: 120000 });
  console.log(`3,000 models: whole-project layout in ${Date.now() - wholeStart} ms; longest frame gap ${(await page.evaluate(() => window.__gap)).toFixed(0)} ms`);
  await shot(page, '13-big-whole');
  assert.ok(gap < 1000, `the page kept drawing frames while loading (longest gap ${gap} ms)`);
  assertOffline(t);
  await t.context.close();
});
