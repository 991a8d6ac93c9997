// Browser tests of several runs at once: the newest is diagnosed with each problem's history,
// a timeline shows the runs, and clicking one diagnoses that run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setup, open, fx, root, shot, waitForDiagnosis, assertOffline } from './harness.mjs';

setup();

const run = (n) => fx('history', `run${n}`, 'target', 'run_results.json');
const manifest = fx('history', 'run5', 'target', 'manifest.json');

test('three runs dropped at once: history badges, the timeline, and an earlier run diagnosed on click', async () => {
  const t = await open('/');
  const { page } = t;
  // Runs 1-3 (the newest of them fails twice: the renamed column again, the payments test anew).
  await page.setInputFiles('#file-input', [run(3), run(1), run(2), manifest]);
  await waitForDiagnosis(page);
  const strip = page.locator('nav.timeline');
  await strip.waitFor();
  assert.equal(await strip.locator('.run').count(), 3);
  assert.deepEqual(await strip.locator('.run').evaluateAll((b) => b.map((x) => x.className.replace('run ', ''))), ['ok', 'failed', 'failed current']);
  assert.match(await strip.locator('.run').nth(2).textContent(), /✖ 2 · 18 skipped/);
  const cards = page.locator('article.problem');
  assert.equal(await cards.count(), 2);
  const badges = await cards.locator('.history').allTextContents();
  assert.deepEqual(badges.sort(), ['new', 'recurring']);
  const sessions = cards.filter({ hasText: 'stg_sessions' });
  assert.match(await sessions.locator('.history-text').textContent(), /recurring — failed in 2 of the last 3 runs that ran it, first at 2026-\d\d-\d\dT/);
  await shot(page, '50-history');
  // Click run 2: it is diagnosed, with run 1 as its history; the strip keeps all three.
  await strip.locator('.run').nth(1).click();
  await page.waitForFunction(() => document.querySelectorAll('nav.timeline .run')[1]?.classList.contains('current'));
  await page.waitForFunction(() => document.querySelectorAll('article.problem').length === 1);
  assert.equal(await strip.locator('.run').count(), 3);
  assert.equal(await cards.locator('.history').textContent(), 'new');
  assert.match(await page.textContent('#summary'), /1 problem \(1 node failed\), 3 nodes skipped/);
  // Back to the newest.
  await strip.locator('.run').nth(2).click();
  await page.waitForFunction(() => document.querySelectorAll('article.problem').length === 2);
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

/** The CLI's `--format markdown` for these files (it exits 1 when failures were diagnosed). */
export function cliMarkdown(files) {
  try {
    return execFileSync('cargo', ['run', '-q', '--bin', 'dbt-triage', '--', 'diagnose', ...files, '--format', 'markdown'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    return e.stdout;
  }
}

test('the page and the CLI agree on history and freshness for the same files (their Markdown is the same)', async () => {
  const sets = {
    history: [run(1), run(2), run(3), run(4), run(5), manifest],
    freshness: ['run_results.json', 'manifest.json', 'sources.json'].map((f) => fx('source_freshness', 'target', f)),
  };
  for (const [name, files] of Object.entries(sets)) {
    const cli = cliMarkdown(files);
    assert.match(cli, name === 'history' ? /\*\*History:\*\* flapping/ : /### Stale data/, `the CLI's ${name} Markdown`);
    const t = await open('/', { permissions: ['clipboard-read', 'clipboard-write'] });
    await t.page.setInputFiles('#file-input', files);
    await waitForDiagnosis(t.page);
    await t.page.click('#copy-markdown');
    await t.page.waitForSelector('.export-out');
    const text = await t.page.evaluate(() => navigator.clipboard.readText());
    assert.equal(text, cli, `${name}: the page's Markdown is the CLI's`);
    assertOffline(t);
    await t.context.close();
  }
});

/** What the page keeps in this browser: its localStorage keys and IndexedDB databases. */
const stored = (page) => page.evaluate(async () => ({
  local: Object.keys(localStorage),
  dbs: (await indexedDB.databases()).map((d) => d.name),
}));

test('remembered history: nothing stored while off; on, the next visit says "recurring" from runs not dropped again; clear and off forget', async () => {
  const t = await open('/');
  const { page } = t;
  assert.equal(await page.isChecked('#remember'), false, 'off by default');
  assert.match(await page.textContent('.remember'), /off: nothing is stored/);
  await page.setInputFiles('#file-input', [run(1), run(2), manifest]);
  await waitForDiagnosis(page);
  assert.deepEqual(await stored(page), { local: [], dbs: [] }, 'nothing stored while it is off');
  // One click to enable: the two runs shown are remembered at once.
  await page.check('#remember');
  await page.waitForFunction(() => /2 runs kept here/.test(document.querySelector('.remember')?.textContent ?? ''));
  assert.match(await page.textContent('.remember'), /not the files, messages or SQL\)\. Nothing is sent/);
  assert.deepEqual(await stored(page), { local: ['dbt-triage.remember'], dbs: ['dbt-triage'] });
  // The next visit: only run 3 is dropped, runs 1 and 2 come from this browser.
  await page.reload();
  await page.waitForSelector('#sample');
  await page.waitForLoadState('networkidle');
  // The reload fetches the page's own files again; nothing after that.
  const reloaded = t.all().length;
  assert.equal(await page.isChecked('#remember'), true, 'still on');
  await page.waitForFunction(() => /2 runs kept here/.test(document.querySelector('.remember')?.textContent ?? ''));
  await page.setInputFiles('#file-input', [run(3), manifest]);
  await waitForDiagnosis(page);
  const strip = page.locator('nav.timeline');
  await strip.waitFor();
  assert.deepEqual(await strip.locator('.run').evaluateAll((b) => b.map((x) => x.classList.contains('remembered'))), [true, true, false]);
  const sessions = page.locator('article.problem').filter({ hasText: 'stg_sessions' });
  assert.equal(await sessions.locator('.history').textContent(), 'recurring');
  assert.match(await sessions.locator('.history-text').textContent(), /failed in 2 of the last 3 runs/);
  await page.waitForFunction(() => /3 runs kept here/.test(document.querySelector('.remember')?.textContent ?? ''));
  await shot(page, '51-remembered');
  // One click to clear; unticking forgets everything, switch included.
  await page.click('#forget-runs');
  await page.waitForFunction(() => /0 runs kept here/.test(document.querySelector('.remember')?.textContent ?? ''));
  await page.uncheck('#remember');
  await page.waitForFunction(async () => (await indexedDB.databases()).length === 0);
  assert.deepEqual(await stored(page), { local: [], dbs: [] });
  assert.deepEqual(t.errors, []);
  assert.deepEqual(t.all().slice(reloaded), [], 'no request after the reloaded page loaded');
  const before = t.later().slice(0, reloaded - (t.all().length - t.later().length));
  assert.ok(before.every((u) => /\/(|index\.html|app\.css|app\.js|app_bg\.wasm|worker_loader\.js|worker\.js|worker_bg\.wasm)$/.test(new URL(u).pathname)),
    `only the page's own files, on reload: ${before}`);
  await t.context.close();
});

test('on a phone, light and dark: the timeline and the history wrap, a long test name never widens the page', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const t = await open('/', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme });
    const { page } = t;
    await page.setInputFiles('#file-input', [run(1), run(2), run(3), manifest]);
    await waitForDiagnosis(page);
    await page.locator('nav.timeline').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide at 390 (${colorScheme})`);
    await page.locator('article.problem').first().scrollIntoViewIfNeeded();
    await shot(page, `52-phone-history-${colorScheme}`);
    assert.deepEqual(t.errors, []);
    assertOffline(t);
    await t.context.close();
  }
});
