// Installed with page.addInitScript before the app's own scripts run (CSP does not apply to it).
// Records, in performance.now() time of the page: the input/change/drop event that starts a load,
// every message between the page and its worker (kind, size, progress text, how long the page's
// handler ran), when the problem card and the graph's nodes enter the DOM, the long tasks and the
// gaps between animation frames, and the page's WebAssembly.Memory (from Trunk's start event).
(() => {
  const B = (window.__bench = {
    start: null, startEvent: null, messages: [], longtasks: [], maxGap: 0, gaps: [],
    dom: {}, pageMemory: null, armed: false,
  });
  const now = () => performance.now();
  addEventListener('TrunkApplicationStarted', (e) => { B.pageMemory = e.detail && e.detail.wasm && e.detail.wasm.memory; });
  const mark = (e) => {
    if (B.armed && B.start === null) { B.start = now(); B.startEvent = e.type; }
  };
  for (const type of ['input', 'change', 'drop']) addEventListener(type, mark, true);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { B.longtaskError = String(e); }
  // Frame gaps, only while armed (a load is being measured).
  let last = null;
  const tick = (t) => {
    if (B.armed && B.start !== null) {
      if (last !== null && last >= B.start - 20) {
        const gap = t - last;
        if (gap > B.maxGap) B.maxGap = gap;
        if (gap > 50) B.gaps.push({ at: last, gap });
      }
      last = t;
    } else last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const kindOf = (d) => {
    if (typeof d === 'string') { const m = /"kind":"(\w+)"/.exec(d.slice(0, 64)); return m ? m[1] : 'string'; }
    if (Array.isArray(d)) return 'files';
    return typeof d;
  };
  const W = window.Worker;
  class BenchWorker extends W {
    constructor(...a) {
      super(...a);
      this.__handler = null;
      super.addEventListener('message', (e) => {
        const d = e.data;
        const m = { dir: 'in', t: now(), kind: kindOf(d), len: typeof d === 'string' ? d.length : 0 };
        if (m.kind === 'progress') { try { m.text = JSON.parse(d).text; } catch (_) {} }
        B.messages.push(m);
      });
    }
    postMessage(d, ...rest) {
      B.messages.push({ dir: 'out', t: now(), kind: kindOf(d), len: typeof d === 'string' ? d.length : 0 });
      return super.postMessage(d, ...rest);
    }
    // The page's handler, timed: set as onmessage, or (as the app does) added as a listener.
    __timed(f) {
      return (e) => {
        const t0 = now();
        try { return f.call(this, e); } finally {
          const m = B.messages[B.messages.length - 1];
          if (m && m.dir === 'in') m.handler = now() - t0;
        }
      };
    }
    set onmessage(f) {
      this.__handler = f;
      super.onmessage = f && this.__timed(f);
    }
    get onmessage() { return this.__handler; }
    addEventListener(type, f, ...rest) {
      if (type !== 'message' || typeof f !== 'function') return super.addEventListener(type, f, ...rest);
      this.__timedListeners = this.__timedListeners || new Map();
      if (!this.__timedListeners.has(f)) this.__timedListeners.set(f, this.__timed(f));
      return super.addEventListener(type, this.__timedListeners.get(f), ...rest);
    }
    removeEventListener(type, f, ...rest) {
      const timed = type === 'message' && this.__timedListeners && this.__timedListeners.get(f);
      if (timed) this.__timedListeners.delete(f);
      return super.removeEventListener(type, timed || f, ...rest);
    }
  }
  window.Worker = BenchWorker;
  // When the problem card and the graph's nodes enter the DOM, and the next frame after.
  const watch = () => {
    const check = () => {
      if (!B.armed || B.start === null) return;
      const t = now();
      if (!B.dom.progress && document.querySelector('.progress')) B.dom.progress = t;
      if (!B.dom.problem && document.querySelector('article.problem')) B.dom.problem = t;
      if (!B.dom.nodes && document.querySelector('.graph-svg g.node')) B.dom.nodes = t;
      if (B.dom.problem && B.dom.nodes && !B.dom.both) {
        B.dom.both = t;
        requestAnimationFrame((f) => { B.dom.frame = now(); });
      }
    };
    new MutationObserver(check).observe(document.documentElement, { childList: true, subtree: true });
  };
  if (document.documentElement) watch(); else addEventListener('DOMContentLoaded', watch);
})();
