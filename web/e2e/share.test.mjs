// Browser tests of sharing and exporting: a share link made in one browser opens the same diagnosis
// in a fresh one with no files; a damaged link says so; Copy as Markdown gives the CLI's text; the
// SVG download is a standalone document in the colours shown, the PNG the same picture; and the Content-Security-Policy is
// in force under a sub-path (the app works, a fetch to another origin is refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setup, open, trio, shot, waitForDiagnosis, assertOffline, base, root, SUB } from './harness.mjs';

setup();

const CLIPBOARD = { permissions: ['clipboard-read', 'clipboard-write'] };

/** What a reader of the diagnosis sees: the summary, the problems and the Power BI reports. */
async function seen(page) {
  return {
    summary: await page.textContent('#summary'),
    titles: await page.locator('article.problem .problem-title').allTextContents(),
    categories: await page.locator('article.problem .category').allTextContents(),
    roots: await page.locator('article.problem .roots').allTextContents(),
    powerbi: (await page.locator('article.problem .exposure.powerbi').allTextContents()).sort(),
  };
}

async function makeLink(at = '/') {
  const t = await open(at, CLIPBOARD);
  await t.page.click('#sample');
  await waitForDiagnosis(t.page);
  await t.page.click('#share-link');
  const link = await t.page.inputValue('#share-url');
  const copied = await t.page.evaluate(() => navigator.clipboard.readText());
  return { t, link, copied };
}

test('a share link opens the same diagnosis in a fresh browser with no files', async () => {
  const { t: maker, link, copied } = await makeLink(SUB);
  assert.equal(copied, link, 'the link is on the clipboard');
  assert.ok(link.startsWith(`${base}${SUB}#d=`), link.slice(0, 80));
  assert.ok(link.length <= 8000, `within the budget: ${link.length}`);
  const expected = await seen(maker.page);
  assert.ok(expected.powerbi.length === 3, expected.powerbi.join());
  await shot(maker.page, '20-share-link-made');
  await maker.context.close();

  const t = await open(link.slice(base.length));
  const { page } = t;
  await page.waitForSelector('#shared-banner');
  await waitForDiagnosis(page);
  const banner = await page.textContent('#shared-banner');
  assert.match(banner, /Shared snapshot of a dbt run generated 2026-11-25T18:08:27/);
  assert.deepEqual(await seen(page), expected);
  assert.equal(await page.locator('.inputs').count(), 0, 'no file is loaded');
  // The graph is drawn from the snapshot with the same components.
  assert.match(await page.locator('g.node[data-status="failed"]').first().getAttribute('data-id'), /^test\.shop\.unique_stg_orders_order_id/);
  assert.ok(await page.locator('g.node[data-status="skipped"]').count() >= 5);
  assert.ok(await page.locator('g.node.powerbi .pbi-badge').count() >= 3);
  await shot(page, '21-share-link-opened');
  assert.deepEqual(t.errors, []);
  assertOffline(t);

  // Dropping files replaces the shared diagnosis, and the link leaves the address bar.
  await page.setInputFiles('#file-input', trio('two_roots'));
  await page.waitForFunction(() => /2 problems/.test(document.querySelector('#summary')?.textContent));
  assert.equal(await page.locator('#shared-banner').count(), 0);
  assert.equal(new URL(page.url()).hash, '');
  await t.context.close();
});

test('a damaged share link says what is wrong, and files can still be dropped', async () => {
  const { t: maker, link } = await makeLink('/');
  await maker.context.close();
  const payload = link.split('#d=')[1];
  const cases = [
    ['cut', payload.slice(0, Math.floor(payload.length / 2))],
    ['altered', payload.slice(0, 40) + (payload[40] === 'A' ? 'B' : 'A') + payload.slice(41)],
    ['not base64', '%3Cscript%3E!!'],
    ['empty', ''],
  ];
  for (const [what, bad] of cases) {
    const t = await open(`/#d=${bad}`);
    const { page } = t;
    const error = page.locator('.error');
    await error.waitFor();
    assert.match(await error.textContent(), /share link is damaged/, what);
    assert.equal(await page.locator('#summary').count(), 0, what);
    if (what === 'cut') {
      await shot(page, '22-share-link-damaged');
      // The drop zone stays usable.
      await page.setInputFiles('#file-input', trio('two_roots'));
      await waitForDiagnosis(page);
      assert.match(await page.textContent('#summary'), /2 problems/);
      assert.equal(await page.locator('.error').count(), 0);
    }
    assert.deepEqual(t.errors, [], what);
    assert.deepEqual(t.dialogs, [], what);
    assertOffline(t);
    await t.context.close();
  }
});

test('Copy as Markdown gives the CLI\'s --format markdown, or a textarea when copying is denied', async () => {
  const sample = ['run_results.json', 'manifest.json', 'dbt.log'].map((f) => path.join(root, 'web/sample', f));
  // The CLI prints a diagnosis with exit status 1 (failures were diagnosed).
  let cli;
  try {
    execFileSync('cargo', ['run', '-q', '--bin', 'dbt-triage', '--', 'diagnose', ...sample, '--format', 'markdown'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    cli = e.stdout;
  }
  assert.ok(cli?.startsWith('## dbt run diagnosis'), 'the CLI printed Markdown');
  const t = await open('/', CLIPBOARD);
  await t.page.click('#sample');
  await waitForDiagnosis(t.page);
  await t.page.click('#copy-markdown');
  await t.page.waitForSelector('.export-out');
  const text = await t.page.evaluate(() => navigator.clipboard.readText());
  assert.ok(text.startsWith('## dbt run diagnosis'), text.slice(0, 60));
  assert.equal(text, cli, 'the same text as the CLI');
  await t.context.close();

  // A browser that refuses the clipboard: the text is shown to copy by hand.
  const denied = await open('/');
  await denied.page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
  });
  await denied.page.reload();
  await denied.page.click('#sample');
  await waitForDiagnosis(denied.page);
  await denied.page.click('#copy-markdown');
  const area = denied.page.locator('#markdown-text');
  await area.waitFor();
  assert.ok((await area.inputValue()).startsWith('## dbt run diagnosis'));
  await shot(denied.page, '23-markdown-fallback');
  assert.deepEqual(denied.dialogs, []);
  await denied.context.close();
});

for (const scheme of ['light', 'dark']) {
  test(`Download SVG: a standalone document in the ${scheme} colours shown`, async () => {
    const t = await open('/', { colorScheme: scheme });
    const { page } = t;
    await page.click('#sample');
    await waitForDiagnosis(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-svg')]);
    assert.equal(download.suggestedFilename(), 'dbt-triage-lineage.svg');
    const file = path.join(path.dirname(fileURLToPathSafe()), 'out', `24-lineage-${scheme}.svg`);
    await download.saveAs(file);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.startsWith('<?xml'), text.slice(0, 40));
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const failed = [...doc.querySelectorAll('g > title')].find((t) => t.textContent.startsWith('test.shop.unique_stg_orders_order_id'));
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        ns: doc.documentElement.namespaceURI,
        nodes: doc.querySelectorAll('g[transform] > rect').length,
        failedStroke: failed?.parentNode.querySelector('rect').getAttribute('stroke'),
        labels: [...doc.querySelectorAll('text')].map((t) => t.textContent),
      };
    }, text);
    assert.equal(parsed.error, null);
    assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
    assert.ok(parsed.nodes >= 20, `nodes drawn: ${parsed.nodes}`);
    assert.ok(parsed.labels.some((l) => l.startsWith('unique_stg_orders_order')), 'the root is named');
    const onScreen = await page.locator('g.node[data-status="failed"] > rect').evaluate((r) => getComputedStyle(r).stroke);
    assert.equal(hexToRgb(parsed.failedStroke), onScreen, 'the failed node has the colour shown');
    // The file renders on its own: as an image in the page (img-src allows data: only).
    const size = await page.evaluate(async (text) => {
      const img = new Image();
      img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(text)));
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, text);
    assert.ok(size[0] > 200 && size[1] > 100, `rendered size ${size}`);
    assert.deepEqual(t.errors, []);
    assertOffline(t, ['/sample/']);
    await t.context.close();
  });
}

for (const scheme of ['light', 'dark']) {
  test(`Download PNG: the graph as drawn, in the ${scheme} colours shown, twice its size`, async () => {
    const t = await open('/', { colorScheme: scheme });
    const { page } = t;
    await page.click('#sample');
    await waitForDiagnosis(page);
    const out = path.join(path.dirname(fileURLToPathSafe()), 'out');
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-svg')]);
    await svgDownload.saveAs(path.join(out, `26-lineage-${scheme}.svg`));
    const svg = fs.readFileSync(path.join(out, `26-lineage-${scheme}.svg`), 'utf8');
    const width = +/<svg [^>]*width="(\d+)"/.exec(svg)[1];
    const height = +/<svg [^>]*height="(\d+)"/.exec(svg)[1];
    const background = /<rect [^>]*fill="(#[0-9a-f]{6})"/i.exec(svg)[1];
    const failedStroke = /<title>test\.shop\.unique_stg_orders_order_id[^<]*<\/title>\s*<rect [^>]*stroke="(#[0-9a-f]{6})"/i.exec(svg)?.[1];
    assert.ok(failedStroke, 'the SVG draws the failed test');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-png')]);
    assert.equal(download.suggestedFilename(), 'dbt-triage-lineage.png');
    const file = path.join(out, `26-lineage-${scheme}.png`);
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    // IHDR: the picture is the SVG at twice its size (sharp when a ticket shows it enlarged).
    assert.equal(bytes.readUInt32BE(16), width * 2);
    assert.equal(bytes.readUInt32BE(20), height * 2);
    // Its pixels: the SVG's background in the corner, and the failed node's outline drawn.
    const seenPixels = await page.evaluate(async ([b64, stroke]) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const [r, gr, b] = [1, 3, 5].map((i) => parseInt(stroke.slice(i, i + 2), 16));
      let outline = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === r && d[i + 1] === gr && d[i + 2] === b) outline++;
      return { corner: `rgb(${d[0]}, ${d[1]}, ${d[2]})`, outline };
    }, [bytes.toString('base64'), failedStroke]);
    assert.equal(seenPixels.corner, hexToRgb(background), 'the background of the theme shown');
    assert.ok(seenPixels.outline > 100, `the failed node's outline: ${seenPixels.outline} pixels`);
    const [red, green, blue] = seenPixels.corner.match(/\d+/g).map(Number);
    const light = (red + green + blue) / 3;
    assert.ok(scheme === 'dark' ? light < 90 : light > 200, `a ${scheme} picture: ${seenPixels.corner}`);
    assert.equal(await page.locator('#png-error').count(), 0);
    assert.equal(await page.textContent('#download-png'), 'Download PNG');
    assert.deepEqual(t.errors, []);
    assertOffline(t, ['/sample/']);
    await t.context.close();
  });
}

test('under a sub-path with the Content-Security-Policy in force: the app works, other origins are refused', async () => {
  const t = await open(SUB);
  const { page } = t;
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  for (const d of ["default-src 'none'", "connect-src 'self'", "worker-src 'self'", "style-src 'self'", "base-uri 'none'", "form-action 'none'"]) {
    assert.ok(policy.includes(d), `${d} in ${policy}`);
  }
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/);
  assert.ok(!policy.includes('unsafe-inline'), policy);
  // The sample loads and the worker runs under the policy.
  await page.click('#sample');
  await waitForDiagnosis(page);
  assert.match(await page.textContent('#summary'), /1 problem/);
  const result = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    let fetched;
    try { await fetch('https://example.com/'); fetched = 'fetched'; } catch (e) { fetched = String(e); }
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 200));
    return { fetched, violations, injected: window.__injected === true };
  });
  assert.match(result.fetched, /TypeError/);
  assert.ok(result.violations.some((v) => v.startsWith('connect-src https://example.com')), result.violations.join());
  assert.ok(result.violations.some((v) => v.startsWith('script-src')), result.violations.join());
  assert.equal(result.injected, false, 'an injected inline script does not run');
  await shot(page, '25-csp-sub-path');
  assert.deepEqual(t.errors.filter((e) => !/Content Security Policy/.test(e)), []);
  // The refused fetch never became a request: nothing but the page's own files was asked for.
  assertOffline(t, [`${SUB}sample/`]);
  await t.context.close();
});

function hexToRgb(hex) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  return m ? `rgb(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)})` : hex;
}

function fileURLToPathSafe() {
  return new URL(import.meta.url).pathname;
}
