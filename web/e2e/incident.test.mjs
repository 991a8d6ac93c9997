// Browser tests of the incident view: runs are never mixed (the sample replaces what is loaded,
// a manifest of another run is flagged), whom to tell, why a node was skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, fx, trio, shot, waitForDiagnosis, assertOffline } from './harness.mjs';

setup();

const CLIPBOARD = { permissions: ['clipboard-read', 'clipboard-write'] };

test('Try a sample after dropping a run: the sample replaces it and says so; the next drop replaces the sample', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', trio('two_roots'));
  await waitForDiagnosis(page);
  assert.match(await page.textContent('#summary'), /2 problems/);
  assert.equal(await page.locator('#sample-banner').count(), 0, 'no sample banner for the user\'s run');
  await page.click('#sample');
  await page.waitForFunction(() => document.querySelector('#sample-banner'));
  const banner = await page.textContent('#sample-banner');
  assert.match(banner, /This is the bundled sample/);
  assert.match(banner, /replaced the 3 files you had loaded/);
  // Only the sample's run is shown: its one problem, not a mix with the two of the user's run.
  assert.match(await page.textContent('#summary'), /1 problem\b/);
  assert.match(await page.textContent('#summary'), /16 nodes skipped/);
  const inputs = await page.textContent('.inputs');
  assert.equal(await page.locator('.inputs li').count(), 3, `only the sample's three files are listed: ${inputs}`);
  assert.equal((inputs.match(/run_results v6 · 37 results/g) || []).length, 1, `one run_results listed: ${inputs}`);
  await shot(page, '30-sample-replaced');
  // The user's files replace the sample in turn.
  await page.setInputFiles('#file-input', trio('renamed_column'));
  await page.waitForFunction(() => !document.querySelector('#sample-banner') && /missing column|1 problem/i.test(document.querySelector('#summary')?.textContent ?? ''));
  assert.match(await page.locator('article.problem .category').first().textContent(), /column/i);
  assert.deepEqual(t.errors, []);
  assertOffline(t, ['/sample/']);
  await t.context.close();
});

test('a manifest of another run on another warehouse is flagged, and the fix follows the errors\' warehouse', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', [
    fx('permission_denied', 'target/run_results.json'),
    fx('renamed_column', 'target/manifest.json'),
  ]);
  await waitForDiagnosis(page);
  const warning = page.locator('.warning.w-foreign_manifest');
  await warning.waitFor();
  const text = await warning.textContent();
  assert.match(text, /from another run/);
  assert.match(text, /on DuckDB/);
  assert.match(text, /PostgreSQL's/);
  const fix = await page.locator('article.problem .fix').first().textContent();
  assert.match(fix, /GRANT USAGE ON SCHEMA/);
  assert.doesNotMatch(fix, /DuckDB/);
  await shot(page, '31-foreign-manifest');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('whom to tell: the owners of the broken exposures in the card and the Markdown; why a node was skipped', async () => {
  const t = await open('/', CLIPBOARD);
  const { page } = t;
  await page.setInputFiles('#file-input', trio('renamed_column'));
  await waitForDiagnosis(page);
  const notify = page.locator('article.problem .notify').first();
  const owners = await notify.textContent();
  assert.match(owners, /Finance Analytics/);
  assert.match(owners, /Sales Ops/);
  assert.equal(await notify.locator('a[href="mailto:finance-analytics@example.com"]').count(), 1);
  // The SQL line the warehouse names, and on it the column the diagnosis took from the message.
  assert.match(await page.locator('.code-line.hit').first().textContent(), /first_name/);
  assert.equal(await page.locator('.code-line.hit mark').first().textContent(), 'first_name');
  await notify.scrollIntoViewIfNeeded();
  await shot(page, '32-notify');
  await page.click('#copy-markdown');
  await page.waitForSelector('.export-out');
  const md = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(md, /\*\*Notify:\*\* Finance Analytics \(`finance-analytics@example\.com`\)/);
  assert.match(md, /3 nodes were skipped because of this: `customer_revenue`/);
  assert.doesNotMatch(md, /\\`/, 'no escaped backticks');
  // "Show in graph" brings the graph into view.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('article.problem .show-in-graph').first().click();
  await page.waitForFunction(() => {
    const r = document.querySelector('.explore').getBoundingClientRect();
    return r.top >= -1 && r.top < window.innerHeight / 2;
  });
  // A skipped node says which failure skipped it, and lists its parents and children.
  await page.locator('g.node[data-id="model.shop.int_customer_orders"]').click();
  await page.locator('#node-panel[aria-busy="false"]').waitFor();
  const panel = page.locator('#node-panel');
  assert.match(await panel.locator('.caused-by').textContent(), /stg_customers/);
  assert.match(await panel.locator('.parents').textContent(), /stg_customers/);
  assert.match(await panel.locator('.children').textContent(), /customer_revenue|dim_customers/);
  // Its root is one click away.
  await panel.locator('.caused-by button', { hasText: 'stg_customers' }).click();
  await page.waitForFunction(() => /model\.shop\.stg_customers/.test(document.querySelector('#node-panel')?.textContent ?? ''));
  await shot(page, '33-node-why-skipped');
  // A log that names no node gives no graph, and "Show in graph" is not offered.
  await page.click('text=Start over');
  await page.setInputFiles('#file-input', [{ name: 'console.txt', mimeType: 'text/plain', buffer: Buffer.from(
    '12:00:00  Running with dbt=1.10.23\n12:00:00  Encountered an error:\nRuntime Error\n  Could not find profile named \'shop\'\n') }]);
  await page.waitForFunction(() => /profile/i.test(document.querySelector('article.problem')?.textContent ?? ''));
  assert.equal(await page.locator('article.problem').count(), 1);
  assert.equal(await page.locator('.explore').count(), 0);
  assert.equal(await page.locator('article.problem .show-in-graph').count(), 0);
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('a target/ folder picked as dbt writes it: the unneeded files are listed quietly; gzipped artifacts are read', async () => {
  const os = await import('node:os');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const zlib = await import('node:zlib');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-triage-target-'));
  const target = path.join(dir, 'target');
  fs.mkdirSync(path.join(target, 'compiled/shop/models'), { recursive: true });
  fs.mkdirSync(path.join(target, 'run/shop/models'), { recursive: true });
  for (const f of ['run_results.json', 'manifest.json']) {
    fs.copyFileSync(fx('renamed_column', 'target', f), path.join(target, f));
  }
  fs.writeFileSync(path.join(target, 'graph_summary.json'), '{"_invocation_id": "x", "linked": {}}');
  fs.writeFileSync(path.join(target, 'semantic_manifest.json'), '{"semantic_models": [], "metrics": [], "project_configuration": {}}');
  fs.writeFileSync(path.join(target, 'partial_parse.msgpack'), Buffer.from([0x83, 0xa4, 0x00, 0x01, 0x02]));
  fs.writeFileSync(path.join(target, 'graph.gpickle'), Buffer.from([0x80, 0x04, 0x95, 0x00]));
  fs.writeFileSync(path.join(target, 'compiled/shop/models/a.sql'), 'select 1');
  fs.writeFileSync(path.join(target, 'run/shop/models/a.sql'), 'create table a as select 1');
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#folder-input', target);
  await waitForDiagnosis(page);
  assert.match(await page.locator('article.problem .category').first().textContent(), /column/i);
  assert.equal(await page.locator('.input.bad').count(), 0, await page.textContent('.inputs'));
  assert.equal(await page.locator('.warning').count(), 0, 'no warning banner');
  const ignored = await page.locator('.input.kind-ignored').allTextContents();
  for (const f of ['graph_summary.json', 'semantic_manifest.json', 'partial_parse.msgpack', 'graph.gpickle']) {
    assert.ok(ignored.some((s) => s.includes(f) && /not needed/.test(s)), `${f} listed as not needed: ${ignored}`);
  }
  assert.doesNotMatch(await page.textContent('.inputs'), /a\.sql/, 'compiled SQL is passed over');
  await shot(page, '35-target-folder');

  // A gzipped pair, as CI systems keep artifacts.
  const gz = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-triage-gz-'));
  const pair = ['run_results.json', 'manifest.json'].map((f) => {
    const out = path.join(gz, `${f}.gz`);
    fs.writeFileSync(out, zlib.gzipSync(fs.readFileSync(fx('two_roots', 'target', f))));
    return out;
  });
  await page.click('text=Start over');
  await page.setInputFiles('#file-input', pair);
  await page.waitForFunction(() => /2 problems/.test(document.querySelector('#summary')?.textContent ?? ''));
  const kinds = await page.locator('.input .input-kind').allTextContents();
  assert.deepEqual(kinds, ['run results', 'manifest']);
  assert.equal(await page.locator('.input.bad').count(), 0);
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('a hub failure that skips 300 models: the first view stays readable, starts at the root, and folds the fan-out', async () => {
  const fs = await import('node:fs');
  // The renamed_column run with 300 more models reading the failed stg_customers, all skipped.
  const m = JSON.parse(fs.readFileSync(fx('renamed_column', 'target/manifest.json'), 'utf8'));
  const rr = JSON.parse(fs.readFileSync(fx('renamed_column', 'target/run_results.json'), 'utf8'));
  const template = m.nodes['model.shop.int_customer_orders'];
  const skipped = rr.results.find((r) => r.status === 'skipped');
  for (let i = 0; i < 300; i++) {
    const id = `model.shop.hub_child_${String(i).padStart(3, '0')}`;
    m.nodes[id] = { ...template, unique_id: id, name: `hub_child_${i}`, alias: `hub_child_${i}`,
      fqn: ['shop', `hub_child_${i}`], path: `hub_child_${i}.sql`, original_file_path: `models/hub_child_${i}.sql`,
      depends_on: { macros: [], nodes: ['model.shop.stg_customers'] } };
    rr.results.push({ ...skipped, unique_id: id });
  }
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', [
    { name: 'run_results.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rr)) },
    { name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(m)) },
  ]);
  await waitForDiagnosis(page);
  await page.waitForSelector('.graph-svg g.node');
  const count = Number((await page.textContent('.graph-count')).match(/^(\d+) of/)[1]);
  assert.ok(count <= 150, `the first view shows ${count} nodes`);
  // Problem 1's root is drawn, inside the viewport.
  const root = page.locator('g.node[data-id="model.shop.stg_customers"]');
  assert.equal(await root.count(), 1);
  const box = await root.boundingBox();
  const svg = await page.locator('.graph-svg').boundingBox();
  assert.ok(box && box.x >= svg.x && box.x + box.width <= svg.x + svg.width && box.y >= svg.y && box.y + box.height <= svg.y + svg.height,
    `the root is in view: ${JSON.stringify(box)} in ${JSON.stringify(svg)}`);
  assert.equal(await page.textContent('#hops-up'), '↑1');
  assert.equal(await page.textContent('#hops-down'), '↓1');
  const folded = page.locator('.folded');
  assert.match(await folded.textContent(), /stg_customers: \d+ more — expand/);
  await page.locator('.explore').scrollIntoViewIfNeeded();
  await shot(page, '36-hub-folded');
  // Expanding the hub draws all of its children.
  await folded.locator('button.expand', { hasText: 'stg_customers' }).click();
  await page.waitForFunction(() => Number(document.querySelector('.graph-count')?.textContent.match(/^(\d+) of/)?.[1]) > 300, null, { timeout: 30000 });
  await page.waitForFunction(() => !document.querySelector('.graph-wait'), null, { timeout: 30000 });
  assert.equal(await page.locator('.folded button.expand', { hasText: 'stg_customers' }).count(), 0);
  // Upstream only: the hub and its parents.
  await page.click('[aria-label="One level less downstream"]');
  await page.waitForFunction(() => document.querySelector('#hops-down')?.textContent === '↓0');
  await page.waitForFunction(() => !document.querySelector('.graph-wait'));
  assert.equal(await page.locator('g.node[data-id="model.shop.hub_child_000"]').count(), 0);
  assert.equal(await page.locator('g.node[data-id="model.shop.stg_customers"]').count(), 1);
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('on a phone: no sideways scroll, and a tapped node\'s details appear over the graph, in view', async () => {
  const t = await open('/', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const { page } = t;
  await page.setInputFiles('#file-input', trio('renamed_column'));
  await waitForDiagnosis(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390`);
  const node = page.locator('g.node[data-id="model.shop.int_customer_orders"]');
  await node.scrollIntoViewIfNeeded();
  await node.tap();
  await page.locator('#node-panel[aria-busy="false"]').waitFor();
  const box = await page.locator('#node-panel').boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 844 + 1, `the details are in view: ${JSON.stringify(box)}`);
  assert.match(await page.locator('#node-panel').textContent(), /int_customer_orders/);
  await shot(page, '37-phone-node');
  await page.locator('#node-panel button[aria-label="Close the details"]').tap();
  assert.equal(await page.locator('#node-panel').count(), 0);
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('the log around the error: the node\'s own lines from dbt.log, as text, the error marked', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', trio('renamed_column'));
  await waitForDiagnosis(page);
  const log = page.locator('article.problem details.log').first();
  assert.match(await log.locator('summary').textContent(), /The log around the error \(lines \d+–\d+\)/);
  await log.locator('summary').click();
  const lines = await log.locator('.code-line').allTextContents();
  assert.ok(lines.some((l) => /create view "shop"\."main"\."stg_customers__dbt_tmp"/.test(l)), lines.join('\n'));
  // Only stg_customers' thread: no other model's statements interleaved.
  assert.ok(!lines.some((l) => /stg_orders__dbt_tmp/.test(l)), lines.join('\n'));
  const hit = await log.locator('.code-line.hit').textContent();
  assert.match(hit, /Runtime Error in model stg_customers/);
  // Text, never HTML: the SQL's comment JSON and quotes are shown as written.
  assert.equal(await log.locator('pre script, pre b, pre i').count(), 0);
  await shot(page, '37-log-excerpt');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});
