// Runs web/bench/phases (built by phases.sh) in node: each profile, each set, best of N (by the
// worker's total), in a fresh wasm instance per run (a child process), as the app's fresh worker.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
const [, self, runsArg, out, ...dirs] = process.argv;
if (process.env.PHASES_CHILD) {
  const pkg = (await import('node:module')).createRequire(import.meta.url)(process.env.PHASES_CHILD);
  const rr = fs.readFileSync(path.join(dirs[0], 'target/run_results.json'));
  const m = fs.readFileSync(path.join(dirs[0], 'target/manifest.json'));
  const t = performance.now();
  const r = JSON.parse(pkg.phases(rr, m));
  r.call_total = performance.now() - t;
  r.wasm_memory = pkg.memory_bytes();
  console.log(JSON.stringify(r));
  process.exit(0);
}
const runs = +runsArg;
const results = {};
for (const dir of dirs) {
  for (const profile of ['release', 'o3']) {
    const all = [];
    for (let i = 0; i < runs; i++) {
      const flags = (process.env.PHASES_NODE_FLAGS || '').split(' ').filter(Boolean);
      const text = execFileSync(process.execPath, ['--max-old-space-size=8192', ...flags, self, runsArg, out, dir], {
        env: { ...process.env, PHASES_CHILD: path.join(out, `pkg-${profile}`, 'dbt_triage_bench_phases.js') },
        maxBuffer: 1 << 20,
      }).toString();
      all.push(JSON.parse(text));
    }
    const best = all.reduce((a, b) => (b.worker_total < a.worker_total ? b : a));
    const key = `${path.basename(dir)} ${profile === 'release' ? 'opt-level z' : 'opt-level 3'}`;
    results[key] = { best, all };
    console.error(`[phases] ${key}: ${JSON.stringify(best)}`);
  }
}
fs.writeFileSync(path.join(out, `phases${process.env.PHASES_NODE_FLAGS ? process.env.PHASES_NODE_FLAGS.replace(/[^a-z0-9]+/gi, '_') : ''}.json`), JSON.stringify(results, null, 1) + '\n');
const cols = ['setup', 'read', 'drop_inputs', 'lineage', 'diagnose', 'view', 'share', 'markdown_and_first_layout', 'to_json', 'worker_total', 'page_from_json', 'reply_bytes', 'wasm_memory'];
console.log(`| set | ${cols.join(' | ')} |`);
console.log(`|---|${cols.map(() => '---').join('|')}|`);
for (const [k, { best }] of Object.entries(results)) {
  console.log(`| ${k} | ${cols.map((c) => (c === 'reply_bytes' || c === 'wasm_memory' ? best[c] : best[c].toFixed(0))).join(' | ')} |`);
}
