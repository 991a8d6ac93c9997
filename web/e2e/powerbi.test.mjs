// Browser tests of Power BI impact beyond declared exposures: a dbt run (two_roots) and a PBIP
// project folder (tests/powerbi/pbip) picked with the folder picker, so each TMDL file keeps its
// `<Name>.SemanticModel/…` path; the semantic model the failure breaks is listed in the problem
// card and drawn in the graph as Power BI, marked "matched by source", and its details show which
// table reads which relation of which dbt node. Nothing leaves the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, open, fx, root, shot, waitForDiagnosis, assertOffline } from './harness.mjs';

setup();

const pbip = path.join(root, 'tests/powerbi/pbip');
const MODEL = 'powerbi.semantic_model.Shop Sales';

test('a PBIP folder next to a run: the semantic model it breaks, matched by source, with evidence', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', [fx('two_roots', 'target/run_results.json'), fx('two_roots', 'target/manifest.json')]);
  await waitForDiagnosis(page);
  assert.match(await page.textContent('#summary'), /2 problems/);
  assert.equal(await page.locator('.exposure.matched').count(), 0, 'no semantic model before the Power BI files');

  // The folder picker: each file under its path inside the picked folder.
  await page.setInputFiles('#folder-input', pbip);
  await page.locator('.exposure.matched').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.progress'));
  const names = await page.locator('.input-name').allTextContents();
  for (const f of ['pbip/Shop Sales.SemanticModel/definition/tables/Orders.tmdl',
    'pbip/Shop Sales.SemanticModel/definition/model.tmdl', 'pbip/Shop Sales.Report/definition.pbir']) {
    assert.ok(names.includes(f), `${f} loaded under its folder path: ${names}`);
  }
  const row = await page.locator('.input', { hasText: 'Orders.tmdl' }).first().textContent();
  assert.match(row, /Power BI/, row);
  assert.equal(await page.locator('.input.bad').count(), 0, 'every Power BI file was used');
  assert.match(await page.textContent('#summary'), /1 Power BI semantic model/);

  // Both problems break the model: listed under "Breaks", Power BI, matched by source, with why.
  const cards = page.locator('article.problem');
  assert.equal(await cards.count(), 2);
  for (let i = 0; i < 2; i++) {
    const item = cards.nth(i).locator(`.exposure.matched[data-id="${MODEL}"]`);
    assert.equal(await item.count(), 1, `problem ${i + 1} lists the semantic model`);
    assert.match(await item.textContent(), /Power BI.*Shop Sales.*matched by source/s);
    assert.ok(await item.evaluate((e) => e.classList.contains('powerbi')));
  }
  const why = await cards.first().locator('.exposure.matched .matched-mark').getAttribute('title');
  assert.match(why, /table Orders reads SHOP\.MAIN\.FCT_ORDERS ← fct_orders/, why);
  // Declared Power BI exposures stay as they were, not marked as matched.
  const declared = await cards.first().locator('.exposure.powerbi:not(.matched)').allTextContents();
  assert.ok(declared.some((s) => s.includes('Executive Revenue')), declared.join());

  // The graph: the model as a Power BI node, affected, marked as matched by source, fed by dbt.
  const node = page.locator(`g.node[data-id="${MODEL}"]`);
  await node.waitFor();
  assert.equal(await node.getAttribute('data-status'), 'affected');
  assert.ok(await node.evaluate((e) => e.classList.contains('powerbi') && e.classList.contains('matched')));
  assert.equal(await node.locator('.pbi-badge').count(), 1);
  assert.match(await node.locator('.sub-tag').textContent(), /matched by source/);
  assert.match(await node.getAttribute('aria-label'), /semantic model Shop Sales \(affected, matched by source\)/);
  assert.match(await node.locator('title').textContent(), /table Sessions reads shop\.main\.fct_sessions ← fct_sessions/);
  const report = page.locator('g.node[data-id^="powerbi.report."]');
  assert.equal(await report.count(), 1, 'the report on the model is drawn');
  assert.equal(await report.locator('.sub-tag').textContent(), 'report');
  assert.ok(!(await report.evaluate((e) => e.classList.contains('matched'))), 'a report is not matched by source itself');
  await page.locator('.explore').scrollIntoViewIfNeeded();
  await shot(page, '40-powerbi-graph');

  // The card's name opens the node's details: the evidence, table by table.
  await cards.first().locator('.exposure.matched button.node-link').click();
  const panel = page.locator('#node-panel');
  // The details come from the worker when a node is opened.
  await page.locator('#node-panel[aria-busy="false"]').waitFor();
  assert.match(await panel.textContent(), /typesemantic model/);
  assert.match(await panel.textContent(), /Power BI/);
  const rows = await panel.locator('.matched-by tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  assert.ok(rows.length >= 8, JSON.stringify(rows));
  assert.deepEqual(rows.find((r) => r[0] === 'Orders'), ['Orders', 'SHOP.MAIN.FCT_ORDERS', 'fct_orders']);
  assert.deepEqual(rows.find((r) => r[0] === 'Daily Revenue'), ['Daily Revenue', 'shop.main.daily_revenue', 'daily_revenue']);
  assert.equal(await page.locator('g.node.selected').getAttribute('data-id'), MODEL);
  await page.locator('.explore').scrollIntoViewIfNeeded();
  await shot(page, '41-powerbi-details');

  assert.deepEqual(t.errors, []);
  assert.deepEqual(t.dialogs, []);
  assertOffline(t);
  await t.context.close();
});
