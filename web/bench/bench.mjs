// The browser benchmark (not a test): the release build (a copy of dist/) served on localhost, in
// Debian's headless Chromium driven by playwright-core, on big real dbt artifact sets. For each
// set, in one run:
//  (a) baseline: in the app's page, File.text() + JSON.parse of both files (and arrayBuffer +
//      TextDecoder + JSON.parse), best of N;
//  (b) the files through the app's file input (setInputFiles with paths): from the input event to
//      the moment the problem card AND the graph's nodes are in the DOM, best of N, a fresh browser
//      context (page, worker, renderer process) per run; with the phases seen from the page
//      (worker messages, the page's handler time, DOM);
//  (c) the longest main-thread task during the load (PerformanceObserver 'longtask') and the
//      longest gap between animation frames;
//  (d) the worker's and the page's WebAssembly.Memory sizes at the end (linear memory never
//      shrinks: this is its peak), and the renderer process's peak RSS (VmHWM), ÷ input bytes;
//  (e) shipped size of dist/*.wasm + *.js, raw and gzip -9;
//  (f) dbt docs (dbt-core's static index.html) next to the same manifest.json and an empty
//      catalog.json: time to the failed model's page, then to its lineage graph;
//  (g) pan and zoom on the whole project (see `panZoom`): the work of each frame and the gaps
//      between frames while synthetic drags and wheel zooms are driven one event a frame.
// Usage: node bench.mjs [--runs N] [--json out.json] [--no-docs] [--docs-cap S] [--docs-full]
//        [--timeout S] [--graph-only] [--frames N] DIR...   (DIR holds target/{run_results,manifest}.json)
//        --graph-only: no baseline, no dbt docs, one load, then only (g).
//        --trace DIR: a Chrome trace of each part of (g) (CDP Tracing) written to DIR/<set>-<part>.json,
//        and where its time went (per thread, the costliest kinds of event) logged and kept in the JSON.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const tools = process.env.DBT_TRIAGE_TOOLS || path.join(os.homedir(), '.cache/dbt-triage/tools');
const require = createRequire(path.join(tools, 'node_modules', 'x.js'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const opt = { runs: 5, json: path.join(root, 'bench/results-browser.json'), docs: true, docsCap: 300,
  docsFull: true, timeout: 300, frames: 200, graphOnly: false, dist: process.env.DIST || path.join(root, 'dist'), dirs: [] };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--runs') opt.runs = +args[++i];
  else if (a === '--json') opt.json = args[++i];
  else if (a === '--no-docs') opt.docs = false;
  else if (a === '--docs-cap') opt.docsCap = +args[++i];
  else if (a === '--docs-full') opt.docsFull = true;
  else if (a === '--no-docs-full') opt.docsFull = false;
  else if (a === '--timeout') opt.timeout = +args[++i];
  else if (a === '--dist') opt.dist = args[++i];
  else if (a === '--commit') opt.commit = args[++i];
  else if (a === '--graph-only') { opt.graphOnly = true; opt.docs = false; opt.runs = 1; }
  else if (a === '--frames') opt.frames = +args[++i];
  else if (a === '--trace') opt.trace = args[++i];
  else opt.dirs.push(a);
}
const DOCS_HTML = process.env.DBT_DOCS_INDEX ||
  path.join(os.homedir(), '.cache/dbt-triage/venv-1.10/lib/python3.11/site-packages/dbt/task/docs/index.html');
const FAILED = process.env.FAILED_MODEL || 'model.big.stg_0001';

const log = (...a) => console.error('[bench-browser]', ...a);
const ms = (x) => (x == null ? null : Math.round(x * 10) / 10);
const MB = (b) => b / 1e6;

// ---------- static servers ----------
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json' };
function serve(dir) {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(dir, path.normalize(p));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'content-length': fs.statSync(file).size, 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, base: `http://127.0.0.1:${server.address().port}` })));
}

// ---------- processes: the renderers' peak RSS ----------
function descendants(pid) {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = +stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(+d);
    } catch (_) {}
  }
  const out = [];
  const walk = (p) => { for (const k of kids.get(p) || []) { out.push(k); walk(k); } };
  walk(pid);
  return out;
}
function renderers() {
  const out = [];
  for (const pid of descendants(process.pid)) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      const st = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k) => +(new RegExp(`${k}:\\s+(\\d+)`).exec(st) || [0, 0])[1] * 1024;
      out.push({ pid, hwm: kb('VmHWM'), rss: kb('VmRSS') });
    } catch (_) {}
  }
  return out;
}

// ---------- the browser ----------
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--js-flags=--expose-gc',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
});
const chromiumVersion = browser.version();
const initScript = fs.readFileSync(path.join(here, 'init.js'), 'utf8');

async function newContext(base, blocked) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(base) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    blocked.push(u);
    return route.abort();
  });
  return context;
}

// ---------- (e) shipped size ----------
function shipped(dist) {
  const files = fs.readdirSync(dist).filter((f) => /\.(wasm|js)$/.test(f)).sort();
  const rows = files.map((f) => {
    const b = fs.readFileSync(path.join(dist, f));
    return { file: f, raw: b.length, gzip9: zlib.gzipSync(b, { level: 9 }).length };
  });
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  return { files: rows, raw: sum('raw'), gzip9: sum('gzip9') };
}

// ---------- (a) baseline in the app's page ----------
async function baseline(base, files, runs) {
  const blocked = [];
  const context = await newContext(base, blocked);
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.waitForSelector('#sample');
  await page.evaluate(() => {
    const i = document.createElement('input');
    i.type = 'file'; i.multiple = true; i.id = 'bench-input'; i.hidden = true;
    document.documentElement.appendChild(i); // outside <body>, which yew owns
  });
  await page.setInputFiles('#bench-input', files);
  const res = { text: [], buffer: [] };
  for (let r = 0; r < runs; r++) {
    const one = await page.evaluate(async () => {
      const fs_ = [...document.getElementById('bench-input').files];
      gc(); await new Promise((r) => setTimeout(r, 50));
      let t0 = performance.now();
      const texts = await Promise.all(fs_.map((f) => f.text()));
      const read = performance.now() - t0;
      const t1 = performance.now();
      let n = 0;
      for (const s of texts) { const v = JSON.parse(s); n += Object.keys(v).length; }
      const parse = performance.now() - t1;
      const text = { read, parse, total: performance.now() - t0, n };
      texts.length = 0;
      gc(); await new Promise((r) => setTimeout(r, 50));
      t0 = performance.now();
      let readB = 0, decode = 0, parseB = 0;
      for (const f of fs_) {
        const a = performance.now();
        const buf = await f.arrayBuffer();
        const b = performance.now();
        const s = new TextDecoder().decode(buf);
        const c = performance.now();
        JSON.parse(s);
        const d = performance.now();
        readB += b - a; decode += c - b; parseB += d - c;
      }
      const buffer = { read: readB, decode, parse: parseB, total: performance.now() - t0 };
      gc();
      return { text, buffer };
    });
    res.text.push(one.text); res.buffer.push(one.buffer);
    log(`  baseline ${r + 1}/${runs}: text()+JSON.parse ${one.text.total.toFixed(0)} ms (read ${one.text.read.toFixed(0)}, parse ${one.text.parse.toFixed(0)}); arrayBuffer+decode+parse ${one.buffer.total.toFixed(0)} ms`);
  }
  await context.close();
  const best = (xs) => xs.reduce((a, b) => (b.total < a.total ? b : a));
  return { text: best(res.text), buffer: best(res.buffer), all: res, blocked };
}

// ---------- (b)(c)(d) the app ----------
/**
 * The graph on the whole project after a load: the layout of every node (click "Whole project" →
 * nodes drawn), then 40 wheel zooms out and in and 40 drags over it, then a search. Frames are
 * timed with requestAnimationFrame and long tasks with a PerformanceObserver, from this point on.
 */
async function interact(page) {
  const mark = () => page.evaluate(() => {
    const m = { t0: performance.now(), gaps: [], tasks: [] };
    let last = performance.now();
    const tick = (now) => { m.gaps.push(now - last); last = now; if (!m.stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    new PerformanceObserver((l) => { for (const e of l.getEntries()) m.tasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
    window.__mark = m;
  });
  const take = () => page.evaluate(() => {
    const m = window.__mark; m.stop = true;
    const g = [...m.gaps].sort((a, b) => a - b);
    const q = (p) => (g.length ? g[Math.min(g.length - 1, Math.floor(p * g.length))] : null);
    return { ms: performance.now() - m.t0, frames: g.length, p50: q(0.5), p95: q(0.95), maxGap: g.length ? g[g.length - 1] : null,
      longestTask: m.tasks.length ? Math.max(...m.tasks) : 0, gaps: m.gaps.map((x) => Math.round(x)), tasks: m.tasks };
  });
  const out = {};
  await mark();
  await page.click('#whole-project');
  await page.waitForFunction(() => !document.querySelector('.graph-wait') && document.querySelector('.graph-svg g.node'), null, { timeout: 120000, polling: 'raf' });
  out.wholeLayout = await take();
  out.wholeNodes = await page.evaluate(() => document.querySelector('.graph-count')?.textContent);
  const box = await page.locator('.graph-svg').boundingBox();
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await mark();
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(0, i < 20 ? 240 : -240); // out, then back in
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    (out.zoomDrawn ??= []).push(await page.evaluate(() => [document.querySelectorAll('.graph-svg g.node').length, !!document.querySelector('.graph-svg .overview'), document.querySelector('.graph-svg > g')?.getAttribute('transform')]));
  }
  out.drawnZoomedOutMax = await page.evaluate(() => document.querySelectorAll('.graph-svg g.node').length);
  out.zoom = await take();
  await mark();
  for (let i = 0; i < 40; i++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + (i % 2 ? -150 : 150), cy + (i % 2 ? -80 : 80), { steps: 3 });
    await page.mouse.up();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  }
  out.pan = await take();
  await mark();
  await page.fill('#node-search', 'int_0099');
  await page.waitForSelector('#search-results button', { timeout: 10000 });
  out.search = await take();
  out.drawn = await page.evaluate(() => document.querySelectorAll('.graph-svg g.node').length);
  return out;
}

/**
 * (g) Pan and zoom on the whole project: "whole project" is clicked (its layout drawn), then,
 * driven from inside the page one event per animation frame (no round trip to playwright between
 * frames): drags over the view it opens on (the failure, readable), drags over the fitted
 * overview (the "Fit" button), then wheel zooms in and back out at the centre, one a frame, then
 * the same in bursts of 6 steps with 18 frames of rest after each (so that each zoom ends and is
 * drawn at its scale within the frames measured). After each part, 30 frames without events are
 * measured apart ("then, without events": a zoom's end is drawn there). Each frame's work is
 * timed from the start of its requestAnimationFrame callback, where the event is dispatched, to a
 * MessageChannel message posted there, which runs once that frame's rendering (the app's handler
 * and render, style, layout, paint) is done; the gaps between the frames' callbacks are recorded
 * too (they stay ~16.7 ms while the page keeps up). p50 / p95 / max of both, per part and overall.
 */
/** Starts a Chrome trace of the page (CDP `Tracing`); the function returned ends it and gives its events. */
async function startTrace(page) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: [
    'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'cc', 'v8.execute'] } });
  return async () => {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    await cdp.detach();
    return events;
  };
}

/** Where a trace's time went: per thread (main, compositor, raster), total ms by event name, the costliest first. */
function traceSummary(events, top = 10) {
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const group = (n) => (n === 'CrRendererMain' ? 'main' : /^Compositor$/.test(n) ? 'compositor' : /TileWorker|Raster/i.test(n) ? 'raster' : null);
  const byThread = {};
  for (const e of events) {
    if (e.ph !== 'X' || e.dur == null) continue;
    const g = group(names.get(`${e.pid}:${e.tid}`));
    if (!g) continue;
    const t = (byThread[g] ??= new Map());
    t.set(e.name, (t.get(e.name) || 0) + e.dur / 1000);
  }
  const out = {};
  for (const [g, t] of Object.entries(byThread)) {
    out[g] = [...t].sort((a, b) => b[1] - a[1]).slice(0, top).map(([n, d]) => [n, ms(d)]);
  }
  return out;
}

async function panZoom(page, frames, setName = 'set') {
  if (!(await page.locator('#whole-project[aria-pressed="true"]').count())) await page.click('#whole-project');
  await page.waitForFunction(() => !document.querySelector('.graph-wait') && document.querySelector('.graph-svg g.node'), null, { timeout: 300000, polling: 500 });
  await page.waitForTimeout(500);
  const part = (kind, n) => page.evaluate(async ([kind, n]) => {
    const svg = document.querySelector('.graph-svg');
    const r = svg.getBoundingClientRect();
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const steps = [];
    if (kind === 'drag') {
      // Drags of 12 moves of 15 px, alternating direction, each a pointerdown, the moves, a pointerup.
      for (let d = 0; steps.length < n; d++) {
        const sx = d % 2 ? -15 : 15, sy = d % 2 ? -6 : 6;
        const p = (type, i) => () => svg.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true,
          clientX: cx + sx * i, clientY: cy + sy * i, pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0, buttons: type === 'pointerup' ? 0 : 1 }));
        steps.push(p('pointerdown', 0));
        for (let i = 1; i <= 12; i++) steps.push(p('pointermove', i));
        steps.push(p('pointerup', 12));
      }
    } else if (kind === 'wheel') {
      for (let i = 0; i < n; i++) {
        const dy = i < n / 2 ? -100 : 100; // in, then back out
        steps.push(() => svg.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: cx, clientY: cy, deltaY: dy, deltaMode: 0 })));
      }
    } else {
      // 'pauses': bursts of 6 wheel steps (in for the first half of the bursts, then out), each
      // followed by 18 frames without an event, in which the zoom settles and is drawn again.
      const bursts = Math.max(2, Math.round(n / 24));
      for (let b = 0; b < bursts; b++) {
        const dy = b < bursts / 2 ? -100 : 100;
        for (let i = 0; i < 6; i++) steps.push(() => svg.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: cx, clientY: cy, deltaY: dy, deltaMode: 0 })));
        for (let i = 0; i < 18; i++) steps.push(() => {});
      }
    }
    if (kind !== 'pauses') steps.length = n;
    const work = [], gaps = [];
    let last = null;
    for (const step of steps) {
      await new Promise((resolve) => requestAnimationFrame((ts) => {
        const t0 = performance.now();
        if (last !== null) gaps.push(ts - last);
        last = ts;
        step();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { work.push(performance.now() - t0); resolve(); };
        ch.port2.postMessage(0);
      }));
    }
    // The last frame's gap: one more frame after the last event.
    await new Promise((resolve) => requestAnimationFrame((ts) => { gaps.push(ts - last); last = ts; resolve(); }));
    // Then 30 frames without events (half a second): a zoom's end, drawn at its scale, is there.
    const after = [];
    for (let i = 0; i < 30; i++) await new Promise((resolve) => requestAnimationFrame((ts) => { after.push(ts - last); last = ts; resolve(); }));
    return { work, gaps, after, drawn: document.querySelectorAll('.graph-svg g.node').length,
      transform: document.querySelector('.graph-svg > g')?.getAttribute('transform') };
  }, [kind, n]);
  const stats = (xs) => {
    const g = [...xs].sort((a, b) => a - b);
    const q = (p) => (g.length ? ms(g[Math.min(g.length - 1, Math.floor(p * g.length))]) : null);
    return { n: g.length, p50: q(0.5), p95: q(0.95), max: g.length ? ms(g[g.length - 1]) : null };
  };
  const out = { nodes: await page.evaluate(() => document.querySelector('.graph-count')?.textContent), parts: {} };
  const quarter = Math.max(14, Math.round(frames / 4));
  const runs = [['dragOpening', 'drag', quarter], ['fit'], ['dragFit', 'drag', quarter], ['wheel', 'wheel', Math.max(2, frames - 2 * quarter)],
    ['pauses', 'pauses', Math.max(2, frames - 2 * quarter)]];
  const all = { work: [], gaps: [] };
  const by = { pan: { work: [], gaps: [] }, zoom: { work: [], gaps: [] } };
  for (const [name, kind, n] of runs) {
    if (name === 'fit') {
      await page.click('.graph-controls button:text-is("Fit")');
      await page.waitForTimeout(300);
      continue;
    }
    const stop = opt.trace ? await startTrace(page) : null;
    const r = await part(kind, n);
    if (stop) {
      const events = await stop();
      fs.mkdirSync(opt.trace, { recursive: true });
      fs.writeFileSync(path.join(opt.trace, `${setName}-${name}.json`), JSON.stringify({ traceEvents: events }));
      r.trace = traceSummary(events);
      for (const [g, t] of Object.entries(r.trace)) log(`  trace ${name} ${g}: ${t.slice(0, 6).map(([n, d]) => `${n} ${d}`).join(', ')}`);
    }
    all.work.push(...r.work); all.gaps.push(...r.gaps);
    const into = name.startsWith('drag') ? by.pan : by.zoom;
    into.work.push(...r.work); into.gaps.push(...r.gaps);
    out.parts[name] = { work: stats(r.work), gaps: stats(r.gaps), after: stats(r.after), drawn: r.drawn, transform: r.transform,
      raw: { work: r.work.map(Math.round), gaps: r.gaps.map(Math.round) }, trace: r.trace };
    const q = out.parts[name];
    log(`  pan/zoom ${name}: work p50 ${q.work.p50} / p95 ${q.work.p95} / max ${q.work.max} ms; frame gaps p50 ${q.gaps.p50} / p95 ${q.gaps.p95} / max ${q.gaps.max} ms; then, without events, longest gap ${q.after.max} ms; ${r.drawn} nodes drawn`);
  }
  out.work = stats(all.work);
  out.gaps = stats(all.gaps);
  // Pan (both drags) and zoom (both wheel parts), each frame's gap and work.
  out.pan = { gaps: stats(by.pan.gaps), work: stats(by.pan.work) };
  out.zoom = { gaps: stats(by.zoom.gaps), work: stats(by.zoom.work),
    end: Math.max(out.parts.wheel?.after.max ?? 0, out.parts.pauses?.after.max ?? 0) };
  log(`  pan: frame gaps p50 ${out.pan.gaps.p50} / p95 ${out.pan.gaps.p95} / max ${out.pan.gaps.max} ms; zoom: p50 ${out.zoom.gaps.p50} / p95 ${out.zoom.gaps.p95} / max ${out.zoom.gaps.max} ms`);
  return out;
}

async function appRun(base, files, timeoutMs, withInteraction = false, panZoomFrames = 0, withInteract = true, setName = 'set') {
  const before = new Set(renderers().map((p) => p.pid));
  const blocked = [];
  const context = await newContext(base, blocked);
  await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base + '/');
  await page.waitForSelector('#sample');
  // The worker must be up (it said "ready") so the time is the load's, not the worker's start.
  await page.waitForFunction(() => window.__bench.messages.some((m) => m.kind === 'ready'));
  await page.evaluate(() => { gc(); window.__bench.armed = true; });
  const wall0 = Date.now();
  await page.setInputFiles('#file-input', files);
  let outcome = 'ok';
  try {
    await page.waitForFunction(() => window.__bench.dom.frame || document.querySelector('p.error:not(.export-out)'),
      null, { timeout: timeoutMs, polling: 100 });
  } catch (e) { outcome = `did not finish in ${timeoutMs / 1000} s`; }
  const wall = Date.now() - wall0;
  const B = await page.evaluate(() => {
    const B = window.__bench;
    const alert = document.querySelector('p.error:not(.export-out)');
    return {
      start: B.start, startEvent: B.startEvent, messages: B.messages, longtasks: B.longtasks,
      maxGap: B.maxGap, gaps: B.gaps, dom: B.dom, longtaskError: B.longtaskError,
      pageMemory: B.pageMemory ? B.pageMemory.buffer.byteLength : null,
      pageJsHeap: performance.memory ? performance.memory.usedJSHeapSize : null,
      alert: alert && !B.dom.frame ? alert.textContent.slice(0, 300) : null,
      summary: document.querySelector('#summary')?.textContent.replace(/\s+/g, ' ').slice(0, 200),
      graphCount: document.querySelector('.graph-count')?.textContent,
      gNodes: document.querySelectorAll('.graph-svg g.node').length,
      domElements: document.getElementsByTagName('*').length,
    };
  });
  if (B.alert) outcome = `failed: ${B.alert}`;
  const interaction = outcome === 'ok' && withInteraction && withInteract ? await interact(page) : null;
  let panzoom = null;
  if (outcome === 'ok' && withInteraction && panZoomFrames > 0) {
    try { panzoom = await panZoom(page, panZoomFrames, setName); } catch (e) { panzoom = { error: e.message.split('\n')[0] }; log('  pan/zoom failed:', panzoom.error); }
  }
  let workerMemory = null;
  for (const w of page.workers()) {
    try {
      workerMemory = await w.evaluate(async () => (await wasm_bindgen()).memory.buffer.byteLength);
    } catch (e) { workerMemory = workerMemory ?? `unreadable: ${e.message.split('\n')[0]}`; }
  }
  const procs = renderers().filter((p) => !before.has(p.pid)); // this context's renderer(s)
  await context.close();
  return { outcome, wall, ...B, workerMemory, interaction, panzoom, renderers: procs, errors, blocked };
}

/** The phases of one load, from the page's records (ms since the input event). */
function phases(r) {
  const s = r.start;
  const rel = (t) => (t == null || s == null ? null : t - s);
  const msgs = r.messages.filter((m) => s != null && m.t >= s - 1);
  const prog = msgs.filter((m) => m.kind === 'progress');
  const firstRead = prog.find((m) => /^Reading/.test(m.text || ''));
  const analysing = prog.find((m) => /^Analys/.test(m.text || ''));
  const loaded = msgs.find((m) => m.kind === 'loaded');
  const layoutOut = msgs.find((m) => m.dir === 'out' && m.kind === 'layout');
  const layoutIn = msgs.find((m) => m.dir === 'in' && m.kind === 'layout');
  const filesOut = msgs.find((m) => m.dir === 'out' && m.kind === 'files');
  const end = r.dom.both ?? r.dom.frame;
  const tasks = r.longtasks.filter((t) => s != null && t.start + t.duration >= s && (end == null || t.start <= end + 1000));
  const longest = tasks.reduce((a, t) => (t.duration > (a?.duration ?? 0) ? t : a), null);
  return {
    filesPosted: ms(rel(filesOut?.t)),
    firstProgress: ms(rel(firstRead?.t)),
    readDone: ms(rel(analysing?.t)), // every file read into the worker's memory
    loadedArrived: ms(rel(loaded?.t)),
    loadedBytes: loaded?.len ?? null,
    loadedHandler: ms(loaded?.handler), // the page's onmessage: JSON → Reply, dispatch (and render if synchronous)
    layoutRequested: ms(rel(layoutOut?.t)),
    layoutRequestBytes: layoutOut?.len ?? null,
    layoutArrived: ms(rel(layoutIn?.t)),
    layoutBytes: layoutIn?.len ?? null,
    layoutHandler: ms(layoutIn?.handler),
    problemInDom: ms(rel(r.dom.problem)),
    nodesInDom: ms(rel(r.dom.nodes)),
    both: ms(rel(r.dom.both)),
    nextFrame: ms(rel(r.dom.frame)),
    longestTask: ms(longest?.duration),
    longestTaskAt: ms(rel(longest?.start)),
    longTasks: tasks.map((t) => [ms(rel(t.start)), ms(t.duration)]),
    maxFrameGap: ms(r.maxGap),
  };
}

// ---------- (f) dbt docs ----------
async function dbtDocs(dir, capS, full) {
  if (!fs.existsSync(DOCS_HTML)) return { error: `no dbt docs index.html at ${DOCS_HTML}` };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-docs-bench-'));
  fs.copyFileSync(DOCS_HTML, path.join(tmp, 'index.html'));
  fs.symlinkSync(path.join(dir, 'target/manifest.json'), path.join(tmp, 'manifest.json'));
  const own = path.join(dir, 'target/catalog.json');
  let catalog = 'from the run';
  if (fs.existsSync(own)) fs.symlinkSync(own, path.join(tmp, 'catalog.json'));
  else {
    catalog = 'made: empty (no catalog.json in the set)';
    fs.writeFileSync(path.join(tmp, 'catalog.json'), JSON.stringify({
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json', dbt_version: '1.10.23',
        generated_at: new Date().toISOString(), invocation_id: null, env: {} },
      nodes: {}, sources: {}, errors: null,
    }));
  }
  const { server, base } = await serve(tmp);
  const before = new Set(renderers().map((p) => p.pid));
  const blocked = [];
  const context = await newContext(base, blocked);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e).slice(0, 200)));
  const capMs = capS * 1000;
  const name = FAILED.split('.').pop();
  const out = { catalog, served: ['index.html', 'manifest.json', 'catalog.json'], url: `${base}/#!/model/${FAILED}` };
  const wall0 = Date.now();
  try {
    await page.goto(out.url, { timeout: capMs, waitUntil: 'commit' });
    // The model's page: its title (h1) names the model. Time since navigation start.
    out.modelPage = ms(await (await page.waitForFunction((name) => {
      const h = [...document.querySelectorAll('.app-title h1')].find((h) => h.textContent.includes(name));
      return h ? performance.now() : null;
    }, name, { timeout: capMs, polling: 100 })).jsonValue());
    log(`  dbt docs: model page after ${out.modelPage} ms`);
    // Its lineage: the launcher button at the bottom right → the graph of +model+ (cytoscape).
    const left = Math.max(1000, capMs - (Date.now() - wall0));
    // Asked from a timer, so that evaluate returns before the page starts the (synchronous) layout.
    const t0 = await page.evaluate(() => {
      setTimeout(() => document.querySelector('.launcher-btn a').click(), 0);
      return performance.now();
    });
    const graphAt = await (await page.waitForFunction(() => {
      const inj = window.angular && angular.element(document.querySelector('.ng-scope')).injector();
      const g = inj && inj.get('graph');
      const cy = g && g.graph_element;
      const want = g && g.graph.elements ? g.graph.elements.filter((e) => !e.data.source).length : 0;
      if (!cy || !cy.nodes || want === 0 || cy.nodes().length !== want) return null;
      return [performance.now(), cy.nodes().length, cy.edges().length];
    }, null, { timeout: left, polling: 100 })).jsonValue();
    out.lineage = ms(graphAt[0]);
    out.lineageAfterClick = ms(graphAt[0] - t0);
    out.lineageNodes = graphAt[1];
    out.lineageEdges = graphAt[2];
    log(`  dbt docs: lineage (${graphAt[1]} nodes) ${out.lineageAfterClick} ms after the click, ${out.lineage} ms after navigation`);
    if (full) {
      const left2 = Math.max(1000, capMs - (Date.now() - wall0));
      const t1 = await page.evaluate((id) => {
        const inj = angular.element(document.querySelector('.ng-scope')).injector();
        const g = inj.get('graph');
        setTimeout(() => { g.showFullGraph(id.split('.').pop()); inj.get('$rootScope').$apply(); }, 0);
        return performance.now();
      }, FAILED);
      const fullAt = await (await page.waitForFunction(() => {
        const g = angular.element(document.querySelector('.ng-scope')).injector().get('graph');
        const cy = g.graph_element;
        const want = g.graph.elements.filter((e) => !e.data.source).length;
        return g.orientation === 'fullscreen' && cy && want > 0 && cy.nodes().length === want ? [performance.now(), cy.nodes().length] : null;
      }, null, { timeout: left2, polling: 250 })).jsonValue();
      out.fullGraphAfter = ms(fullAt[0] - t1);
      out.fullGraphNodes = fullAt[1];
      log(`  dbt docs: full-screen lineage of +${FAILED.split('.').pop()}+ (${fullAt[1]} nodes) ${out.fullGraphAfter} ms after asking`);
    }
  } catch (e) {
    out.outcome = `did not finish in ${capS} s (${e.message.split('\n')[0].slice(0, 120)})`;
  }
  out.wall = Date.now() - wall0;
  out.outcome = out.outcome || 'ok';
  out.renderers = renderers().filter((p) => !before.has(p.pid));
  out.rendererPeakRss = Math.max(0, ...out.renderers.map((p) => p.hwm));
  out.errors = errors.slice(0, 5);
  out.blocked = [...new Set(blocked)];
  await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 20000))]);
  // A renderer still busy with the layout would slow the next measurements: end it (ours).
  for (const p of out.renderers) { try { process.kill(p.pid, 'SIGKILL'); out.killedRenderer = true; } catch (_) {} }
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  return out;
}

// ---------- main ----------
const distCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-triage-bench-dist-'));
fs.cpSync(opt.dist, distCopy, { recursive: true });
const { server, base } = await serve(distCopy);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const result = {
  when: new Date().toISOString(),
  commit: opt.commit || (() => { try { return require('node:child_process').execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim(); } catch (_) { return null; } })(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), loadStart: load() },
  built: opt.commit ? `commit ${opt.commit} (clean export)` : `the working tree's ${opt.dist}`,
  chromium: chromiumVersion, runs: opt.runs, shipped: shipped(distCopy), sets: [],
};
log(`Chromium ${chromiumVersion}; load ${result.machine.loadStart}; shipped ${result.shipped.raw} B raw, ${result.shipped.gzip9} B gzip -9`);

for (const dir of opt.dirs) {
  const files = ['run_results.json', 'manifest.json'].map((f) => path.join(dir, 'target', f));
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  const set = { set: path.basename(dir), dir, inputBytes: bytes, loadAtStart: load() };
  log(`== ${set.set}: ${MB(bytes).toFixed(1)} MB`);
  if (!opt.graphOnly) {
    try {
      set.baseline = await baseline(base, files, opt.runs);
    } catch (e) { set.baseline = { error: e.message.split('\n')[0] }; log('  baseline failed:', set.baseline.error); }
  }
  set.app = [];
  for (let r = 0; r < opt.runs; r++) {
    let one;
    // The whole-project graph is exercised once, after the last timed load.
    try { one = await appRun(base, files, opt.timeout * 1000, r === opt.runs - 1, opt.frames, !opt.graphOnly, set.set); } catch (e) { one = { outcome: `error: ${e.message.split('\n')[0]}` }; }
    const ph = one.start != null ? phases(one) : null;
    const rec = { outcome: one.outcome, wall: one.wall, startEvent: one.startEvent, phases: ph,
      workerMemory: one.workerMemory, pageMemory: one.pageMemory, pageJsHeap: one.pageJsHeap,
      rendererPeakRss: one.renderers ? Math.max(0, ...one.renderers.map((p) => p.hwm)) : null,
      summary: one.summary, graphCount: one.graphCount, gNodes: one.gNodes, domElements: one.domElements,
      interaction: one.interaction, panzoom: one.panzoom, errors: one.errors, blocked: one.blocked,
      // Page ↔ worker messages (not progress), ms since the input event, for reading the phases.
      messages: (one.messages || []).filter((m) => m.kind !== 'progress')
        .map((m) => ({ ...m, t: one.start != null ? +(m.t - one.start).toFixed(1) : m.t })) };
    set.app.push(rec);
    log(`  app ${r + 1}/${opt.runs}: ${rec.outcome}; both in DOM ${ph?.both} ms (read done ${ph?.readDone}, loaded ${ph?.loadedArrived}, handler ${ph?.loadedHandler}, layout in ${ph?.layoutArrived}); longest task ${ph?.longestTask} ms; frame gap ${ph?.maxFrameGap} ms; worker mem ${rec.workerMemory}; renderer HWM ${rec.rendererPeakRss}`);
    if (!/^ok/.test(rec.outcome)) break; // a set the page cannot cope with: once is enough
  }
  const ok = set.app.filter((r) => r.outcome === 'ok' && r.phases?.both != null);
  const best = ok.length ? ok.reduce((a, b) => (b.phases.both < a.phases.both ? b : a)) : null;
  const a = set.baseline?.text?.total;
  set.summary = {
    baselineTextParse: ms(a), baselineBufferParse: ms(set.baseline?.buffer?.total),
    appBest: ms(best?.phases.both), ratio: best && a ? +(best.phases.both / a).toFixed(2) : null,
    longestTaskMax: ok.length ? ms(Math.max(...ok.map((r) => r.phases.longestTask ?? 0))) : null,
    longestTaskBestRun: best?.phases.longestTask ?? null,
    maxFrameGap: ok.length ? ms(Math.max(...ok.map((r) => r.phases.maxFrameGap ?? 0))) : null,
    workerMemory: best?.workerMemory ?? null, pageMemory: best?.pageMemory ?? null,
    workerMemoryPerInput: best && typeof best.workerMemory === 'number' ? +(best.workerMemory / bytes).toFixed(2) : null,
    rendererPeakRss: best?.rendererPeakRss ?? null,
    rendererPeakRssPerInput: best?.rendererPeakRss ? +(best.rendererPeakRss / bytes).toFixed(2) : null,
    outcome: set.app.map((r) => r.outcome).find((o) => o !== 'ok') || 'ok',
    interaction: set.app.map((r) => r.interaction).find((x) => x) ?? null,
    panzoom: set.app.map((r) => r.panzoom).find((x) => x) ?? null,
  };
  if (opt.docs) {
    log('  dbt docs…');
    set.dbtDocs = await dbtDocs(dir, opt.docsCap, opt.docsFull);
    const d = set.dbtDocs;
    set.summary.dbtDocsLineage = d.lineage ?? null;
    set.summary.dbtDocsOutcome = d.outcome;
    set.summary.dbtDocsVsApp = d.lineage && best ? +(d.lineage / best.phases.both).toFixed(1) : null;
  }
  set.loadAtEnd = load();
  result.sets.push(set);
  fs.writeFileSync(opt.json, JSON.stringify(result, null, 1) + '\n');
}
result.machine.loadEnd = load();
fs.writeFileSync(opt.json, JSON.stringify(result, null, 1) + '\n');
await browser.close();
server.close();
fs.rmSync(distCopy, { recursive: true, force: true });

// ---------- the table ----------
const f0 = (x) => (x == null ? '—' : typeof x === 'number' ? x.toFixed(0) : x);
const mb = (x) => (typeof x === 'number' ? (x / 1e6).toFixed(0) : x ?? '—');
console.log(`\nChromium ${result.chromium}, ${result.machine.cpus} × ${result.machine.cpu}, load ${result.machine.loadStart} → ${result.machine.loadEnd}; best of ${opt.runs}`);
console.log(`shipped: ${result.shipped.files.map((r) => `${r.file} ${r.raw}/${r.gzip9}`).join(', ')}; total ${result.shipped.raw} B raw, ${result.shipped.gzip9} B gzip -9\n`);
console.log('| set | input MB | (a) text()+JSON.parse ms | (b) drop → card+graph ms | (b)/(a) | longest task ms | max frame gap ms | worker wasm MB (÷ input) | page wasm MB | renderer peak RSS MB (÷ input) | dbt docs lineage ms | docs ÷ (b) |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const s of result.sets) {
  const m = s.summary;
  const docs = s.dbtDocs ? (s.dbtDocs.lineage != null ? f0(s.dbtDocs.lineage) : s.dbtDocs.outcome) : '—';
  console.log(`| ${s.set} | ${(s.inputBytes / 1e6).toFixed(1)} | ${f0(m.baselineTextParse)} | ${m.appBest != null ? f0(m.appBest) : m.outcome} | ${m.ratio ?? '—'} | ${f0(m.longestTaskMax)} | ${f0(m.maxFrameGap)} | ${mb(m.workerMemory)} (${m.workerMemoryPerInput ?? '—'}) | ${mb(m.pageMemory)} | ${mb(m.rendererPeakRss)} (${m.rendererPeakRssPerInput ?? '—'}) | ${docs} | ${m.dbtDocsVsApp ?? '—'} |`);
}
console.log('\nPhases of the best run (ms since the input event):');
console.log('| set | files posted | read done | Loaded arrives (bytes) | page handler | layout asked | layout arrives | card in DOM | nodes in DOM | next frame |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const s of result.sets) {
  const ok = s.app.filter((r) => r.outcome === 'ok' && r.phases?.both != null);
  if (!ok.length) continue;
  const p = ok.reduce((a, b) => (b.phases.both < a.phases.both ? b : a)).phases;
  console.log(`| ${s.set} | ${f0(p.filesPosted)} | ${f0(p.readDone)} | ${f0(p.loadedArrived)} (${p.loadedBytes}) | ${f0(p.loadedHandler)} | ${f0(p.layoutRequested)} | ${f0(p.layoutArrived)} | ${f0(p.problemInDom)} | ${f0(p.nodesInDom)} | ${f0(p.nextFrame)} |`);
}
console.log('\nThe whole project in the graph, after a load (ms; frame gaps are between animation frames while it was used):');
console.log('| set | nodes | whole-project layout → drawn | its longest task | 40 wheel zooms: frame gap p50 / p95 / max | longest task | 40 drags: p50 / p95 / max | longest task | search → results | most nodes drawn |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const s of result.sets) {
  const x = s.summary.interaction;
  if (!x) continue;
  const g = (m) => `${f0(m.p50)} / ${f0(m.p95)} / ${f0(m.maxGap)}`;
  console.log(`| ${s.set} | ${x.wholeNodes} | ${f0(x.wholeLayout.ms)} | ${f0(x.wholeLayout.longestTask)} | ${g(x.zoom)} | ${f0(x.zoom.longestTask)} | ${g(x.pan)} | ${f0(x.pan.longestTask)} | ${f0(x.search.ms)} | ${Math.max(x.drawnZoomedOutMax, x.drawn)} |`);
}
console.log('\n(g) Pan and zoom on the whole project, frame by frame (ms; a frame is 16.7 ms at 60 Hz: a gap of 33 is one frame dropped). Pan = both drags, zoom = both wheel parts; p50 / p95 / max:');
console.log('| set | nodes | pan: frame gaps | pan: work a frame | zoom: frame gaps | zoom: work a frame | a zoom\'s end: longest gap |');
console.log('|---|---|---|---|---|---|---|');
for (const s of result.sets) {
  const z = s.summary.panzoom;
  if (!z || z.error || !z.pan) continue;
  const f1 = (v) => (v == null ? '—' : v.toFixed(1));
  const g = (x) => (x ? `${f1(x.p50)} / ${f1(x.p95)} / ${f1(x.max)}` : '—');
  console.log(`| ${s.set} | ${z.nodes} | ${g(z.pan.gaps)} | ${g(z.pan.work)} | ${g(z.zoom.gaps)} | ${g(z.zoom.work)} | ${f0(z.zoom.end)} |`);
}
console.log('\nThe same by part (the work of a frame: event → rendered; the gaps between frames):');
console.log('| set | nodes | drags, opening view: work | gaps | drags, fitted: work | gaps | wheel zooms: work | gaps | its end: longest gap | wheel zooms with pauses: work | gaps | all frames: work | gaps |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const s of result.sets) {
  const z = s.summary.panzoom;
  if (!z || z.error) { if (z) console.log(`| ${s.set} | ${z.error} |`); continue; }
  const g = (m) => (m ? `${f0(m.p50)} / ${f0(m.p95)} / ${f0(m.max)}` : '—');
  const p = z.parts;
  console.log(`| ${s.set} | ${z.nodes} | ${g(p.dragOpening?.work)} | ${g(p.dragOpening?.gaps)} | ${g(p.dragFit?.work)} | ${g(p.dragFit?.gaps)} | ${g(p.wheel?.work)} | ${g(p.wheel?.gaps)} | ${f0(p.wheel?.after?.max)} | ${g(p.pauses?.work)} | ${g(p.pauses?.gaps)} | ${g(z.work)} | ${g(z.gaps)} |`);
}
console.log(`\nJSON: ${opt.json}`);
