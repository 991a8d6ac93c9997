// A phone (390 × 844, touch): a share link opened from chat and a dropped run read without sideways
// scrolling, with every panel open — long paths, SQL and log lines wrap or scroll inside their own
// box, never the page. (The graph's touch pinch and drag are tested in graph.test.mjs; a tapped
// node's details in incident.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, trio, shot, waitForDiagnosis, assertOffline } from './harness.mjs';

setup();

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Opens every `<details>` (SQL, log, skipped lists, fixes) so that what they hold is measured too. */
async function openAll(page) {
  for (let round = 0; round < 3; round++) {
    const closed = page.locator('details:not([open]) > summary');
    const n = await closed.count();
    if (n === 0) break;
    for (let i = n - 1; i >= 0; i--) await closed.nth(i).tap().catch(() => {});
  }
}

/**
 * The page's width, and every visible element whose box or content reaches past the viewport's
 * right edge or past its own box (text that neither wraps nor scrolls), unless a box that scrolls
 * holds it. The graph's drawing is inside its own clipped box, so it does not count; any other
 * box that clips would hide text, so it does.
 */
async function overflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const held = (el) => {
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        if (a.classList.contains('graph-stage')) return true;
        if (a !== el && scrolls(a)) return a.getBoundingClientRect().right <= vw + 1;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el instanceof SVGElement || held(el)) continue;
      const past = r.right > vw + 1;
      const spills = !scrolls(el) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
      if (!past && !spills) continue;
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} → ${Math.round(r.right)}${spills ? ` (content ${el.scrollWidth} in ${el.clientWidth})` : ''}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 10) };
  });
}

async function assertFits(page, what) {
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= 390, `${what}: the page is ${o.scrollWidth} px wide at 390`);
  assert.deepEqual(o.out, [], `${what}: elements past the right edge`);
}

test('on a phone, a share link opened from chat reads without sideways scroll', async () => {
  const maker = await open('/', { permissions: ['clipboard-read', 'clipboard-write'] });
  await maker.page.click('#sample');
  await waitForDiagnosis(maker.page);
  await maker.page.click('#share-link');
  const link = new URL(await maker.page.inputValue('#share-url'));
  await maker.context.close();

  const t = await open('/' + link.hash, PHONE);
  const { page } = t;
  await page.waitForSelector('#shared-banner');
  await waitForDiagnosis(page);
  await assertFits(page, 'the shared diagnosis');
  await openAll(page);
  await assertFits(page, 'the shared diagnosis, every panel open');
  // The graph is there and sized to the phone.
  const g = await page.locator('.graph-svg').boundingBox();
  assert.ok(g && g.width <= 390 && g.width >= 300, `the graph is ${g?.width} px wide`);
  await shot(page, '60-phone-share-link');
  assert.deepEqual(t.errors, []);
  assertOffline(t);
  await t.context.close();
});

for (const story of ['dialect_function', 'renamed_column', 'permission_denied']) {
  test(`on a phone, a dropped run (${story}) with its SQL, log and fixes open reads without sideways scroll`, async () => {
    for (const colorScheme of ['light', 'dark']) {
      const t = await open('/', { ...PHONE, colorScheme });
      const { page } = t;
      await page.setInputFiles('#file-input', trio(story));
      await waitForDiagnosis(page);
      await assertFits(page, `${story} (${colorScheme})`);
      await openAll(page);
      assert.ok(await page.locator('details[open]').count() >= 1, 'panels were opened');
      await assertFits(page, `${story} (${colorScheme}), every panel open`);
      // A long line of SQL scrolls inside its own box.
      const code = page.locator('article.problem .code-line').first();
      if (await code.count()) {
        const box = await code.evaluate((el) => {
          let a = el;
          while (a && !['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) a = a.parentElement;
          return a ? a.getBoundingClientRect().right : null;
        });
        assert.ok(box === null || box <= 391, `the SQL's box ends at ${box}`);
      }
      if (story === 'dialect_function') await shot(page, `61-phone-${story}-${colorScheme}`);
      assert.deepEqual(t.errors, []);
      assertOffline(t);
      await t.context.close();
    }
  });
}
