// Browser tests of the lineage graph's navigation: the minimap on a big graph (and not on a small
// one), and a phone — the graph opens readable on the first problem, one finger drags it, two
// pinch-zoom it, and the page never scrolls sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, fx, trio, shot, waitForDiagnosis, assertOffline } from './harness.mjs';

setup();

/** The view's pan and zoom, from the transform of the graph's one moving <g>. */
async function view(page) {
  const t = await page.locator('svg.graph-svg > g.viewport').getAttribute('transform');
  const m = /translate\(([-\d.]+),([-\d.]+)\) scale\(([-\d.]+)\)/.exec(t);
  assert.ok(m, `a transform: ${t}`);
  return { x: +m[1], y: +m[2], k: +m[3] };
}

/** The renamed_column run with `n` more models reading the failed stg_customers, all skipped. */
function hub(n) {
  const m = JSON.parse(fs.readFileSync(fx('renamed_column', 'target/manifest.json'), 'utf8'));
  const rr = JSON.parse(fs.readFileSync(fx('renamed_column', 'target/run_results.json'), 'utf8'));
  const template = m.nodes['model.shop.int_customer_orders'];
  const skipped = rr.results.find((r) => r.status === 'skipped');
  for (let i = 0; i < n; i++) {
    const id = `model.shop.hub_child_${String(i).padStart(3, '0')}`;
    m.nodes[id] = { ...template, unique_id: id, name: `hub_child_${i}`, alias: `hub_child_${i}`,
      fqn: ['shop', `hub_child_${i}`], path: `hub_child_${i}.sql`, original_file_path: `models/hub_child_${i}.sql`,
      depends_on: { macros: [], nodes: ['model.shop.stg_customers'] } };
    rr.results.push({ ...skipped, unique_id: id });
  }
  return [
    { name: 'run_results.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rr)) },
    { name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(m)) },
  ];
}

test('a small graph that fits has no minimap', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', trio('permission_denied'));
  await waitForDiagnosis(page);
  assert.equal(await page.locator('.graph-frame svg.minimap').count(), 0);
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('a big graph has a minimap: a few paths, the view as a rectangle; clicking it moves the view, in light and dark', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', hub(300));
  await waitForDiagnosis(page);
  await page.locator('.folded button.expand', { hasText: 'stg_customers' }).click();
  await page.waitForFunction(() => Number(document.querySelector('.graph-count')?.textContent.match(/^(\d+) of/)?.[1]) > 300, null, { timeout: 30000 });
  await page.waitForFunction(() => !document.querySelector('.graph-wait'), null, { timeout: 30000 });
  const minimap = page.locator('.graph-frame svg.minimap');
  await minimap.waitFor();
  // Cheap to draw: a handful of elements however big the graph is.
  assert.ok(await minimap.locator('*').count() <= 8, 'a few paths and the rectangle');
  assert.equal(await minimap.getAttribute('aria-hidden'), 'true', 'a pointer shortcut; the keyboard pans the graph itself');
  const rect = minimap.locator('rect.mm-view');
  const before = await view(page);
  const rectBefore = await rect.boundingBox();
  const box = await minimap.boundingBox();
  // The bottom of the layout: the view moves there, and so does the rectangle.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height - 3);
  const after = await view(page);
  assert.ok(after.y < before.y - 50, `the view moved down the layout: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  assert.equal(after.k, before.k, 'at the same zoom');
  const rectAfter = await rect.boundingBox();
  assert.ok(rectAfter.y > rectBefore.y, 'the rectangle follows');
  // A drag on it moves the view along.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 4, { steps: 4 });
  await page.mouse.up();
  assert.ok((await view(page)).y > after.y + 50, 'dragging to the top moves the view up the layout');
  // Nodes stay clickable after all this.
  await page.locator('.graph-controls button', { hasText: /^Fit$/ }).click();
  await page.locator('g.node[data-id="model.shop.stg_customers"]').click();
  await page.locator('#node-panel').waitFor();
  await page.locator('.explore').scrollIntoViewIfNeeded();
  await shot(page, '50-minimap');
  await page.emulateMedia({ colorScheme: 'dark' });
  const fill = await minimap.locator('path.mm-failed').evaluate((p) => getComputedStyle(p).fill);
  assert.equal(fill, await page.evaluate(() => {
    const s = document.createElement('span'); s.style.color = 'var(--failed)'; document.body.appendChild(s);
    const c = getComputedStyle(s).color; s.remove(); return c;
  }), 'the failed colour of the dark theme');
  await shot(page, '51-minimap-dark');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('a zoom gesture scales the drawing, then draws it at its scale: the nodes in view, with their labels back', async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', hub(300));
  await waitForDiagnosis(page);
  await page.locator('.folded button.expand', { hasText: 'stg_customers' }).click();
  await page.waitForFunction(() => Number(document.querySelector('.graph-count')?.textContent.match(/^(\d+) of/)?.[1]) > 300, null, { timeout: 30000 });
  await page.waitForFunction(() => !document.querySelector('.graph-wait'), null, { timeout: 30000 });
  const svg = page.locator('svg.graph-svg');
  const settled = () => page.waitForFunction(() => !document.querySelector('svg.graph-svg').style.transform, null, { timeout: 5000 });
  const before = await view(page);
  assert.ok(before.k >= 0.5, `opens readable: ${before.k}`);
  assert.ok(await page.locator('.graph-svg g.node text').count() > 0, 'labels at a readable zoom');
  // Out: while the wheel turns, the drawing is scaled as a picture (nothing is drawn again).
  const picture = await svg.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const first = document.querySelector('.graph-svg g.node');
    for (let i = 0; i < 6; i++) {
      el.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, deltaY: 200 }));
    }
    return [el.style.transform, first.isConnected];
  });
  assert.match(picture[0], /scale\(0\.\d+\)/, `scaled as a picture: ${picture[0]}`);
  assert.ok(picture[1], 'the drawn nodes stay while the wheel turns');
  await settled();
  const out = await view(page);
  assert.ok(out.k < before.k / 3, `zoomed out: ${before.k} → ${out.k}`);
  assert.equal(await page.locator('.graph-svg g.node text').count(), 0, 'no labels when zoomed out past reading');
  // Every node drawn is a box (or in the overview's canvas); those in view cover it (the drawing
  // follows the view).
  const inView = await page.evaluate(() => {
    const r = document.querySelector('svg.graph-svg').getBoundingClientRect();
    return [...document.querySelectorAll('.graph-svg g.node, canvas.graph-overview:not([hidden])')].filter((n) => {
      const b = n.getBoundingClientRect();
      return b.right > r.left && b.left < r.right && b.bottom > r.top && b.top < r.bottom;
    }).length;
  });
  assert.ok(inView > 0, 'what is in view is drawn');
  // Back in, with the keyboard this time: the labels come back once the zoom ends.
  await svg.focus();
  for (let i = 0; i < 7; i++) await page.keyboard.press('+');
  await settled();
  const back = await view(page);
  assert.ok(back.k >= 0.5, `zoomed back in: ${back.k}`);
  await page.waitForFunction(() => document.querySelectorAll('.graph-svg g.node text').length > 0);
  // The view's transform and the drawing agree: a node's box is where the view puts it.
  const agree = await page.evaluate(() => {
    const r = document.querySelector('svg.graph-svg').getBoundingClientRect();
    const n = [...document.querySelectorAll('.graph-svg g.node')].find((n) => {
      const b = n.getBoundingClientRect();
      return b.left > r.left && b.right < r.right && b.top > r.top && b.bottom < r.bottom;
    });
    if (!n) return null;
    const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(n.getAttribute('transform'));
    const v = /translate\(([-\d.]+),([-\d.]+)\) scale\(([-\d.]+)\)/.exec(document.querySelector('.graph-svg > g.viewport').getAttribute('transform'));
    const b = n.getBoundingClientRect();
    return [b.left - r.left, +m[1] * +v[3] + +v[1]];
  });
  assert.ok(agree, 'a node is drawn inside the view');
  assert.ok(Math.abs(agree[0] - agree[1]) < 2, `drawn where the view says: ${agree}`);
  // Nodes stay clickable after a zoom.
  await page.locator('.graph-controls button', { hasText: /^Fit$/ }).click();
  await page.locator('g.node[data-id="model.shop.stg_customers"]').click();
  await page.locator('#node-panel').waitFor();
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

// A generated 3,000-model project run by real dbt (scripts/make-big-projects); skipped when absent.
const big = path.join(process.env.DBT_TRIAGE_BIG || path.join(process.env.HOME, '.cache/dbt-triage/big'), '3000');
const noBig = !fs.existsSync(path.join(big, 'target/manifest.json')) && `no 3,000-model run in ${big} (scripts/make-big-projects 3000)`;
test('the whole 3,000-model project: the minimap shows it all, a click on it moves the view, panning draws nothing new', { skip: noBig }, async () => {
  const t = await open('/');
  const { page } = t;
  await page.setInputFiles('#file-input', [path.join(big, 'target/run_results.json'), path.join(big, 'target/manifest.json')]);
  await page.waitForSelector('.graph-svg g.node', { timeout: 120000 });
  await page.click('#whole-project');
  await page.waitForFunction(() => !document.querySelector('.graph-wait') && document.querySelector('.graph-svg g.node'), null, { timeout: 120000 });
  const minimap = page.locator('.graph-frame svg.minimap');
  await minimap.waitFor();
  assert.ok(await minimap.locator('*').count() <= 8);
  await page.locator('.graph-controls button', { hasText: /^Fit$/ }).click();
  const fitted = await view(page);
  // The overview is a bitmap: when the system's theme changes it is drawn again in the new
  // colours (the SVG follows its CSS variables by itself).
  const canvasColours = () => page.evaluate(() => {
    const c = document.querySelector('canvas.graph-overview:not([hidden])');
    if (!c) return null;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
    return sum;
  });
  const light = await canvasColours();
  assert.ok(light > 0, `the overview's canvas is shown and drawn: ${light}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction((was) => {
    const c = document.querySelector('canvas.graph-overview:not([hidden])');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
    return sum !== was;
  }, light, { timeout: 5000 });
  await page.emulateMedia({ colorScheme: 'light' });
  const box = await minimap.boundingBox();
  await page.mouse.click(box.x + 4, box.y + 4);
  const moved = await view(page);
  assert.ok(moved.x !== fitted.x || moved.y !== fitted.y, 'the view moved to the minimap\'s corner');
  // A drag over the graph only moves the transform: the drawn nodes are the same elements.
  const svg = await page.locator('.graph-svg').boundingBox();
  await page.evaluate(() => { window.__first = document.querySelector('.graph-svg g.node'); });
  await page.mouse.move(svg.x + svg.width / 2, svg.y + svg.height / 2);
  await page.mouse.down();
  await page.mouse.move(svg.x + svg.width / 2 + 40, svg.y + svg.height / 2 + 20, { steps: 4 });
  await page.mouse.up();
  const dragged = await view(page);
  assert.ok(Math.abs(dragged.x - moved.x - 40) < 1 && Math.abs(dragged.y - moved.y - 20) < 1, `panned by the drag: ${JSON.stringify(moved)} → ${JSON.stringify(dragged)}`);
  assert.ok(await page.evaluate(() => window.__first.isConnected), 'the nodes were not drawn again');
  await shot(page, '52-big-minimap');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

test('on a phone: the graph opens readable on the first problem; one finger drags it, two pinch it; no sideways scroll', async () => {
  const t = await open('/', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const { page } = t;
  await page.setInputFiles('#file-input', hub(300));
  await waitForDiagnosis(page);
  const svg = page.locator('.graph-svg');
  await svg.scrollIntoViewIfNeeded();
  // Readable: the root's box is more than half its size, in view.
  const root = page.locator('g.node[data-id="model.shop.stg_customers"]');
  const r = await root.boundingBox();
  const s = await svg.boundingBox();
  assert.ok(r.width >= 110, `the root is drawn ${r.width} px wide`);
  assert.ok(r.x >= s.x && r.x + r.width <= s.x + s.width && r.y >= s.y && r.y + r.height <= s.y + s.height,
    `the root is in view: ${JSON.stringify(r)} in ${JSON.stringify(s)}`);
  await shot(page, '53-phone-graph');
  const cdp = await t.context.newCDPSession(page);
  const touch = (type, points) => cdp.send('Input.dispatchTouchEvent',
    { type, touchPoints: points.map(([x, y], id) => ({ x, y, id, radiusX: 2, radiusY: 2, force: 1 })) });
  // One finger drags, from wherever it lands (a node or the background).
  const cx = s.x + s.width / 2, cy = s.y + s.height / 2;
  const before = await view(page);
  await touch('touchStart', [[cx, cy]]);
  for (let i = 1; i <= 5; i++) await touch('touchMove', [[cx - 12 * i, cy - 8 * i]]);
  await touch('touchEnd', []);
  const dragged = await view(page);
  assert.ok(Math.abs(dragged.x - (before.x - 60)) < 1.5 && Math.abs(dragged.y - (before.y - 40)) < 1.5,
    `the drag panned the view: ${JSON.stringify(before)} → ${JSON.stringify(dragged)}`);
  assert.equal(dragged.k, before.k);
  assert.equal(await page.locator('#node-panel').count(), 0, 'a drag selects nothing');
  // Two fingers moving apart zoom in about their midpoint.
  await touch('touchStart', [[cx - 40, cy], [cx + 40, cy]]);
  for (let i = 1; i <= 5; i++) await touch('touchMove', [[cx - 40 - 12 * i, cy], [cx + 40 + 12 * i, cy]]);
  await touch('touchEnd', []);
  const pinched = await view(page);
  assert.ok(Math.abs(pinched.k / dragged.k - 200 / 80) < 0.05, `the pinch (80 → 200 px apart) zoomed in 2.5×: ${dragged.k} → ${pinched.k}`);
  // The point under the fingers stayed under them.
  const lx = (cx - s.x - dragged.x) / dragged.k;
  assert.ok(Math.abs(lx * pinched.k + pinched.x - (cx - s.x)) < 2, 'zoomed about the fingers');
  // And closing them zooms back out.
  await touch('touchStart', [[cx - 80, cy], [cx + 80, cy]]);
  for (let i = 1; i <= 4; i++) await touch('touchMove', [[cx - 80 + 15 * i, cy], [cx + 80 - 15 * i, cy]]);
  await touch('touchEnd', []);
  assert.ok((await view(page)).k < pinched.k, 'a pinch in zooms out');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390`);
  await shot(page, '54-phone-pinched');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});
