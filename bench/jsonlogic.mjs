// The neutral 40-rule JSONLogic workload (shared bench/jsonlogic-claim-40) through preclaim's public
// JSONLogic API in Node — `compile(rules).evaluate(claim)`, one crossing for all 40 rules, and one rule per
// call — against json-logic-engine (compiled with `build`, and interpreted). Every engine must first give
// the results of claim-expected.json. Medians in µs for all 40 rules on the claim object; printed, never
// asserted.
//
//   node bench/jsonlogic.mjs                        (after `bash scripts/build-package.sh`)
//   PRECLAIM_BENCH_SMOKE=1 node bench/jsonlogic.mjs (a few iterations: a smoke run)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { timeIt } from './workloads.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, process.env.PRECLAIM_SHARED ?? '../shared');
const SMOKE = !!process.env.PRECLAIM_BENCH_SMOKE;
const RUNS = SMOKE ? 5 : 5000;
const dir = path.join(SHARED, 'bench/jsonlogic-claim-40');
const readJson = (f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8'));

const { compile } = await import(pathToFileURL(path.join(ROOT, 'pkg/node.js')).href);
const { LogicEngine } = await import('json-logic-engine');

const rules = readJson('claim-rules.json');
const claim = readJson('claim.json');
const expected = readJson('claim-expected.json');
const close = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(b), 1) : JSON.stringify(a) === JSON.stringify(b));

const all = compile(rules.map((r) => r.rule));
const each = rules.map((r) => compile(r.rule));
const engine = new LogicEngine();
const built = rules.map((r) => engine.build(r.rule));

const engines = {
  'preclaim compile(rules).evaluate (1 call)': () => all.evaluate(claim),
  'preclaim compile(rule).evaluate ×40': () => each.map((r) => r.evaluate(claim)),
  'json-logic-engine compiled (build)': () => built.map((f) => f(claim)),
  'json-logic-engine interpreted (run)': () => rules.map((r) => engine.run(r.rule, claim)),
};

console.log(`==> the 40-rule JSONLogic workload (${dir}), µs for all 40 rules on the claim object, median of ${RUNS}`);
const times = {};
for (const [name, f] of Object.entries(engines)) {
  const got = f();
  const wrong = rules.filter((r, i) => !close(got[i], expected[r.name])).map((r) => r.name);
  if (wrong.length > 0) {
    console.log(`  ${name.padEnd(44)} disagrees with claim-expected.json on ${wrong.join(', ')}: not timed`);
    continue;
  }
  times[name] = timeIt(f, RUNS, () => performance.now());
}
const peer = times['json-logic-engine compiled (build)']?.median;
for (const [name, t] of Object.entries(times)) {
  const vs = peer ? `  (json-logic-engine compiled ÷ this: ${(peer / t.median).toFixed(2)}×)` : '';
  console.log(`  ${name.padEnd(44)} ${t.median.toFixed(1).padStart(8)} µs  p90 ${t.p90.toFixed(1).padStart(8)}${vs}`);
}
