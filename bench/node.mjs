// Node benchmark of the built npm package (pkg/): cold start, a check of each example claim from a JS
// object, and a session's single-field update, as medians. Figures are printed, never asserted.
// Usage: node bench/node.mjs   (after `make package`)
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const SMOKE = process.env.PRECLAIM_BENCH_SMOKE === '1';

const root = new URL('../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');

function median(f, runs) {
  if (SMOKE) runs = 3;
  for (let i = 0; i < Math.max(10, runs / 10); i++) f();
  const t = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    f();
    t[i] = performance.now() - a;
  }
  t.sort();
  return t[runs >> 1];
}

// The spec's sample A (P-MED inpatient), read before the clock starts.
const shared = new URL(`${process.env.PRECLAIM_SHARED ?? '../shared'}/`, root);
let sampleA = null;
try {
  sampleA = JSON.parse(readFileSync(new URL('spec/examples/sample-a-med-inpatient.json', shared), 'utf8')).claim;
} catch {
  console.log('(no spec/examples/sample-a-med-inpatient.json in the shared folder: cold start to first report skipped; set PRECLAIM_SHARED)');
}
const t0 = performance.now();
const { Checker } = await import(new URL('pkg/node.js', root));
const t1 = performance.now();
const checker = new Checker();
const t2 = performance.now();
const first = sampleA && checker.check(sampleA);
const t3 = performance.now();
console.log(`cold start: import + instantiate ${(t1 - t0).toFixed(1)} ms, new Checker() ${(t2 - t1).toFixed(1)} ms`);
if (first) console.log(`cold start: import → first report of sample A (${first.status}) ${(t3 - t0).toFixed(1)} ms in this fresh process`);
const coldPacks = median(() => new Checker().free(), 20);
console.log(`new Checker(), median of 20: ${coldPacks.toFixed(2)} ms`);

const claims = readdirSync(new URL('examples/', root)).filter((f) => f.endsWith('.json')).sort();
const full = {};
for (const f of claims) {
  const claim = JSON.parse(read(`examples/${f}`));
  const us = median(() => checker.check(claim), 3000) * 1000;
  full[f] = us;
  console.log(`check ${f.replace('.json', '').padEnd(36)} ${us.toFixed(1).padStart(8)} µs (JS object → report object)`);
}
// The session's update on the P-MED inpatient claim, as a share of a full check of the same claim in this
// run (issue 15's goal: at most a tenth); sample A too when the shared folder has it.
const sessions = [['med-inpatient-not-settled', JSON.parse(read('examples/med-inpatient-not-settled.json')), full['med-inpatient-not-settled.json']]];
if (sampleA) sessions.push(['sample A', sampleA, median(() => checker.check(sampleA), 3000) * 1000]);
for (const [name, claim, check] of sessions) {
  for (const then of ['report', 'changes']) {
    const s = checker.session(claim);
    let i = 0;
    const us = median(() => {
      s.set('invoices[0].total', (1000 + (i++ % 7)).toFixed(2));
      s[then]();
    }, 3000) * 1000;
    console.log(`session.set("invoices[0].total") + ${then}(), ${name}: ${us.toFixed(1)} µs (${((us / check) * 100).toFixed(0)} % of its check, ${check.toFixed(1)} µs)`);
    s.free();
  }
}
