// Browser tests of what a run puts at risk or leaves stale: a green `dbt build` whose warn-level
// test found rows, and `dbt source freshness` with one source in error and one in warn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, open, fx, trio, shot, out, waitForDiagnosis, assertOffline } from './harness.mjs';

setup();

test('a green run with a warned test: succeeded with 1 warning, the Power BI reports at risk, how to see the rows', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', trio('warned_test'));
  await waitForDiagnosis(page);
  const summary = await page.textContent('#summary');
  assert.match(summary, /The run succeeded with 1 warning — at risk: Executive Revenue, Finance KPIs \(Power BI\) and Order Forecast/);
  assert.equal(await page.getAttribute('#summary', 'class'), 'summary warned');
  assert.equal(await page.locator('article.problem:not(.at-risk)').count(), 0, 'nothing failed: no problem card');
  const card = page.locator('#at-risk');
  const text = await card.textContent();
  assert.match(text, /1 test warned/);
  assert.match(text, /assert_net_amount_not_negative/);
  assert.match(text, /tests\s*fct_orders/);
  assert.match(text, /found 1 row/);
  assert.match(text, /Got 1 result, configured to warn if != 0/);
  assert.match(text, /dbt test --select assert_net_amount_not_negative --store-failures/);
  assert.equal(await card.locator('.exposure.powerbi').count(), 2, 'two Power BI reports at risk');
  assert.equal(await card.locator('.exposure a[href^="https://notebooks.example.com"]').count(), 1);
  // The graph marks the exposures at risk and says what the colour means.
  await page.waitForSelector('.legend .swatch.st-at_risk');
  assert.ok(await page.locator('g.node.st-at_risk').count() >= 1, 'an at-risk exposure in the graph');
  assert.equal(await page.locator('.legend .swatch.st-stale').count(), 0, 'no stale mark in a run without stale data');
  await card.scrollIntoViewIfNeeded();
  await shot(page, '40-warned-at-risk');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('source freshness: the stale source is a problem of its own, what reads it is stale, the late one puts reports at risk', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', [...trio('source_freshness'), fx('source_freshness', 'target/sources.json')]);
  await waitForDiagnosis(page);
  assert.match(await page.textContent('.inputs'), /source freshness.*3 sources, 1 stale, 1 warn/s);
  assert.match(await page.textContent('#summary'), /1 problem \(1 stale source\), 1 exposure stale/);
  const card = page.locator('article.problem-freshness');
  assert.equal(await card.count(), 1);
  assert.match(await card.locator('.category').textContent(), /Source freshness/);
  assert.match(await card.locator('.problem-title').textContent(), /Source raw\.sessions is stale \(newest row \d+ days \d+ hours old\)/);
  assert.match(await card.locator('.roots').textContent(), /Stale:\s*raw\.sessions/);
  const evidence = await card.locator('.evidence').textContent();
  assert.match(evidence, /newest row2024-01-09T19:40:00\+00:00/);
  assert.match(evidence, /thresholderror_after 48 hour/);
  assert.match(await card.locator('.fix').textContent(), /select max\(cast\(started_at as timestamp\)\) as max_loaded_at/);
  assert.match(await card.locator('.rerun').textContent(), /dbt source freshness --select source:raw\.sessions && dbt build --select source:raw\.sessions\+/);
  assert.match(await card.locator('.exposures').textContent(), /Stale:\s*Web Traffic/);
  await card.locator('.stale-nodes summary').click();
  assert.match(await card.locator('.stale-nodes').textContent(), /2 built from stale data.*fct_sessions.*stg_sessions/s);
  assert.match(await page.textContent('.warnings'), /freshness warn: source raw\.refunds is late/);
  // Late refunds: the reports that read them are at risk; the graph marks stale and at risk.
  assert.match(await page.locator('#at-risk').textContent(), /A late source feeds these exposures.*Executive Revenue/s);
  await page.waitForSelector('.legend .swatch.st-stale');
  assert.ok(await page.locator('g.node.st-stale').count() >= 1, 'stale nodes in the graph');
  await shot(page, '41-freshness');
  await card.screenshot({ path: path.join(out, '41-freshness-card.png') });
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('dbt stopped before running anything: the card and the graph say which reports were not rebuilt', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', [fx('bad_password', 'target/manifest.json'), fx('bad_password', 'logs/dbt.log')]);
  await waitForDiagnosis(page);
  assert.match(await page.textContent('#summary'), /1 problem, 5 exposures stale — from the log/);
  const card = page.locator('article.problem').first();
  const notRebuilt = await card.locator('.exposures').textContent();
  assert.match(notRebuilt, /Not rebuilt \(stale\):.*Executive Revenue.*Finance KPIs/s);
  assert.equal(await card.locator('.exposures .exposure.powerbi').count(), 3);
  assert.equal(await card.locator('.roots').count(), 0, 'no empty "Failed:" line when no node failed');
  assert.match(await page.textContent('.warnings'), /nothing ran: dbt stopped before running any node: `dbt run --target pg` rebuilt none of the 14 models it selects/);
  await page.waitForSelector('.legend .swatch.st-stale');
  assert.ok(await page.locator('g.node.st-stale').count() >= 1, 'stale exposures in the graph');
  await shot(page, '42-nothing-ran');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});
