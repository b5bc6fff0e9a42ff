// Catalog benchmark in WebAssembly (Node, the built package pkg/): load a 1,000,000-item synthetic drug
// catalog, exact look-ups (`has`, and `lookup` which also builds the entry object), and autocomplete over the
// real WHO ICD-10 list (14,416 codes, zh + en names) one keystroke at a time. Figures are printed, never
// asserted. Usage: node bench/catalog.mjs  (after `make package` and `make catalogs`; builds the synthetic
// catalog into target/catalogs/synth-1m.bin on first use). PRECLAIM_BENCH_SMOKE=1: tiny run.
import { existsSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const root = new URL('../', import.meta.url);
const smoke = process.env.PRECLAIM_BENCH_SMOKE === '1';
const { Catalog } = await import(new URL('pkg/catalog.node.js', root));
const dir = new URL('target/catalogs/', root);
mkdirSync(dir, { recursive: true });
const cli = new URL('target/release/preclaim', root).pathname;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Median and p99 of `f` per call, timing `batch` calls at a time (performance.now() is too coarse for one). */
function perCall(f, inputs, batch, rounds) {
  const t = [];
  let k = 0;
  for (let r = 0; r < rounds; r++) {
    const a = performance.now();
    for (let i = 0; i < batch; i++) f(inputs[k++ % inputs.length]);
    t.push(((performance.now() - a) * 1e6) / batch);
  }
  t.sort((x, y) => x - y);
  return { p50: percentile(t, 0.5), p99: percentile(t, 0.99) };
}

const count = smoke ? 10_000 : 1_000_000;
const synth = new URL(`synth-${smoke ? '10k' : '1m'}.bin`, dir);
// Built again when missing or older than the CLI (a new catalog format needs new bytes).
const stale = (f) => !existsSync(f) || statSync(f).mtimeMs < statSync(cli).mtimeMs;
if (stale(synth)) {
  const csv = new URL(`synth-${count}.csv`, dir).pathname;
  execFileSync(cli, ['catalog', 'synth', '--count', String(count), '--seed', '1', '-o', csv], { stdio: 'inherit' });
  execFileSync(cli, ['catalog', 'build', '--kind', 'drug', csv, '-o', synth.pathname], { stdio: 'inherit' });
}
const bytes = readFileSync(synth);
const loads = [];
let cat;
for (let i = 0; i < (smoke ? 2 : 11); i++) {
  cat?.free();
  const a = performance.now();
  cat = Catalog.load(bytes);
  loads.push(performance.now() - a);
}
loads.sort((x, y) => x - y);
const info = cat.info();
console.log(`synthetic item catalog: ${info.entries.toLocaleString('en')} entries, ${(info.bytes / 1e6).toFixed(2)} MB (budget ≤ 8 MB)`);
console.log(`  Catalog.load (copy into WebAssembly + checks), median: ${percentile(loads, 0.5).toFixed(1)} ms (budget ≤ 20 ms)`);

// Codes to look up: 20,000 codes spread over the whole catalog (every Nth row of the synthetic source), in a
// shuffled order, and the same codes with the last character changed (absent).
const csvPath = new URL(`synth-${count}.csv`, dir);
const rows = existsSync(csvPath) ? readFileSync(csvPath, 'utf8').split('\n').slice(1).filter(Boolean) : [];
const step = Math.max(1, Math.floor(rows.length / 20000));
const spread = rows.filter((_, i) => i % step === 0).map((r) => r.slice(0, r.indexOf(',')));
const codes = spread.length ? spread : cat.prefix('', 1000).map((e) => e.code);
const shuffled = codes.map((c, i) => codes[(i * 7919) % codes.length]);
const absent = shuffled.map((c) => c.slice(0, -1) + (c.endsWith('9') ? '8' : '9')).filter((c) => !cat.has(c));
const rounds = smoke ? 5 : 400;
const hasP = perCall((c) => cat.has(c), shuffled, 200, rounds);
const hasA = perCall((c) => cat.has(c), absent, 200, rounds);
const lookP = perCall((c) => cat.lookup(c), shuffled, 200, rounds);
console.log(`  has(code), present codes: median ${hasP.p50.toFixed(0)} ns, p99 ${hasP.p99.toFixed(0)} ns per look-up (JS → WebAssembly → JS; budget ≤ 500 ns)`);
console.log(`  has(code), absent codes:  median ${hasA.p50.toFixed(0)} ns, p99 ${hasA.p99.toFixed(0)} ns`);
console.log(`  lookup(code) → entry object: median ${lookP.p50.toFixed(0)} ns, p99 ${lookP.p99.toFixed(0)} ns (includes building and parsing the entry's JSON)`);
console.log(`  (look-ups drawn from ${shuffled.length.toLocaleString('en')} codes spread over the catalog; step ${step})`);
cat.free();

const icdUrl = new URL('icd10-who.bin', dir);
if (!existsSync(icdUrl)) {
  console.log('*** SKIPPING the ICD-10 autocomplete figures: target/catalogs/icd10-who.bin is missing (make catalogs)');
} else {
  const icd = Catalog.load(readFileSync(icdUrl));
  const words = ['乳房恶性肿瘤', '糖尿病', '胆囊结石', '急性心肌梗死', '骨折', 'breast', 'malignant neoplasm', 'diabetes mellitus', 'gallbladder', 'fracture of', 'K80.0', 'C50.9', 'E11', 'S52.5'];
  const keystrokes = [];
  for (const w of words) for (let i = 1; i <= [...w].length; i++) keystrokes.push([...w].slice(0, i).join(''));
  // The first search after loading also compiles the WebAssembly function in the engine's optimising tier:
  // reported on its own, then every keystroke is timed warm.
  const cold = performance.now();
  icd.search(keystrokes[0], 8);
  const coldUs = (performance.now() - cold) * 1000;
  for (const q of keystrokes) icd.search(q, 8);
  const per = [];
  for (let r = 0; r < (smoke ? 1 : 30); r++) {
    for (const q of keystrokes) {
      const a = performance.now();
      icd.search(q, 8);
      per.push((performance.now() - a) * 1000);
    }
  }
  per.sort((x, y) => x - y);
  console.log(`ICD-10 autocomplete (${icd.info().entries.toLocaleString('en')} codes, zh + en), search(prefix, 8) per keystroke over ${keystrokes.length} keystrokes of ${words.length} words:`);
  console.log(`  median ${percentile(per, 0.5).toFixed(0)} µs, p90 ${percentile(per, 0.9).toFixed(0)} µs, p99 ${percentile(per, 0.99).toFixed(0)} µs, worst ${per[per.length - 1].toFixed(0)} µs (budget ≤ 1 ms); the very first search after loading: ${coldUs.toFixed(0)} µs`);
  const slow = keystrokes
    .map((q) => { const a = performance.now(); for (let i = 0; i < 5; i++) icd.search(q, 8); return [q, ((performance.now() - a) * 1000) / 5]; })
    .sort((x, y) => y[1] - x[1])
    .slice(0, 3);
  console.log(`  slowest keystrokes: ${slow.map(([q, us]) => `"${q}" ${us.toFixed(0)} µs`).join(', ')}`);
}
