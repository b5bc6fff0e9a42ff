// End-to-end benchmark in Node (issue #8): from a JS claim object to a result, our npm package (pkg/node.js,
// `checker.check(claim)` → report object) against json-logic-js and json-logic-engine (interpreted and
// compiled) running the same default packs exported to JSONLogic with our domain functions as custom
// operations (bench/peer-checker.mjs), and against the native CLI per claim (process start included).
// Before timing, every peer must agree with our report on the fired rule ids and the payable amount of
// every worked claim; a peer that does not is reported and left out of the timings of that claim.
//
//   node bench/peers.mjs                        (after `bash scripts/build-package.sh` and `cargo build --release`)
//   PRECLAIM_BENCH_SMOKE=1 node bench/peers.mjs (a few iterations: a smoke run)
//
// The exported packs come from `target/release/preclaim pack jsonlogic packs/X.json`, or from the folder in
// PRECLAIM_PEER_PACKS (one exported pack per file). Figures are printed, never asserted.
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PeerChecker } from './peer-checker.mjs';
import { manyItemsClaim, syntheticPacks, syntheticClaim, ourOutcome, peerOutcome, sameOutcome, sessionWorkload, timeIt } from './workloads.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, process.env.PRECLAIM_SHARED ?? '../shared');
const SMOKE = !!process.env.PRECLAIM_BENCH_SMOKE;
const RUNS = SMOKE ? 5 : 2000;
const CLI = path.join(ROOT, 'target/release/preclaim');
const CLI_RUNS = SMOKE ? 2 : 40;
const now = () => performance.now();
const read = (p) => readFileSync(path.join(ROOT, p), 'utf8');
const require = createRequire(import.meta.url);

/** The default packs exported to JSONLogic. */
export function exportedPacks() {
  const dir = process.env.PRECLAIM_PEER_PACKS;
  const files = readdirSync(path.join(ROOT, 'packs')).filter((f) => f.endsWith('.json')).sort();
  if (dir) return files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
  try {
    return files.map((f) => JSON.parse(execFileSync(CLI, ['pack', 'jsonlogic', path.join(ROOT, 'packs', f)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })));
  } catch (e) {
    throw new Error(`${CLI} pack jsonlogic failed (build the CLI with the exporter, or set PRECLAIM_PEER_PACKS): ${e.message}`);
  }
}

/** The worked claims: examples/*.json, then the spec's worked samples A, B, C. */
export function workedClaims() {
  const out = readdirSync(path.join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace('.json', ''), claim: JSON.parse(read(`examples/${f}`)) }));
  const specDir = path.join(SHARED, 'spec/examples');
  if (existsSync(specDir)) {
    for (const f of readdirSync(specDir).filter((x) => x.startsWith('sample-') && x.endsWith('.json')).sort()) {
      out.push({ name: f.replace('.json', ''), claim: JSON.parse(readFileSync(path.join(specDir, f), 'utf8')).claim });
    }
  } else {
    console.log(`(no ${specDir}: the spec's samples A-C are skipped; set PRECLAIM_SHARED)`);
  }
  return out;
}

const fmt = (x) => (x === null ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ratio = (peer, ours) => (peer === null || ours === null ? '—' : `${(peer / ours).toFixed(2)}×`);

async function main() {
  const { Checker } = await import(pathToFileURL(path.join(ROOT, 'pkg/node.js')).href);
  const libs = { jsonLogic: require('json-logic-js'), LogicEngine: (await import('json-logic-engine')).LogicEngine };
  const packs = exportedPacks();
  const PEERS = ['json-logic-js', 'json-logic-engine', 'json-logic-engine-compiled'];
  const peers = Object.fromEntries(PEERS.map((k) => [k, new PeerChecker(packs, k, libs)]));
  const ours = new Checker();

  const claims = workedClaims();
  const medBase = claims.find((c) => c.name === 'med-inpatient-not-settled').claim;
  claims.push({ name: 'med-200-items', claim: manyItemsClaim(medBase, 200) });

  // 1. Agreement: fired rule ids and payable, every claim, every peer.
  console.log(`==> agreement with our report (fired rule ids as a multiset, and estimate.payable), ${claims.length} claims`);
  const agrees = Object.fromEntries(PEERS.map((k) => [k, new Set()]));
  for (const k of PEERS) {
    const bad = [];
    for (const c of claims) {
      const want = ourOutcome(ours.check(c.claim));
      let got;
      try {
        got = peerOutcome(peers[k].check(c.claim));
      } catch (e) {
        got = { findings: [`threw: ${e.message}`], payable: null };
      }
      if (sameOutcome(want, got)) agrees[k].add(c.name);
      else bad.push(`    ${c.name}: ours ${JSON.stringify(want)}\n    ${' '.repeat(c.name.length)}  peer ${JSON.stringify(got)}`);
    }
    console.log(`  ${k}: ${agrees[k].size}/${claims.length} claims agree`);
    for (const b of bad) console.log(b);
  }

  // 2. Timings per workload.
  const rows = [];
  const row = (name, oursF, peerF, cliFile) => {
    const r = { name, ours: timeIt(oursF, RUNS, now) };
    for (const k of PEERS) r[k] = peerF(k) ? timeIt(peerF(k), RUNS, now) : null;
    if (cliFile && existsSync(CLI)) {
      r.cli = timeIt(() => spawnSync(CLI, ['check', cliFile], { stdio: ['ignore', 'ignore', 'ignore'] }), CLI_RUNS, now);
    }
    rows.push(r);
  };
  const tmp = mkdtempSync(path.join(tmpdir(), 'preclaim-peers-'));
  try {
    for (const c of claims) {
      const file = path.join(tmp, `${c.name}.json`);
      writeFileSync(file, JSON.stringify(c.claim));
      row(c.name, () => ours.check(c.claim), (k) => agrees[k].has(c.name) && (() => peers[k].check(c.claim)), file);
    }

    // The synthetic set: 500 products × 20 rules = 10,000 rules; only the claim's product applies.
    const syn = syntheticPacks(SMOKE ? 20 : 500, 20);
    const synClaim = syntheticClaim(medBase, syn[Math.floor(syn.length / 2)].id);
    const t0 = now();
    const oursSyn = Checker.fromPacks(syn.map((p) => JSON.stringify(p)));
    const tOursSyn = now() - t0;
    const synPeers = {};
    const tPeerSyn = {};
    for (const k of PEERS) {
      const t = now();
      synPeers[k] = new PeerChecker(syn, k, libs);
      tPeerSyn[k] = now() - t;
    }
    const synWant = ourOutcome(oursSyn.check(synClaim));
    const synName = `synthetic ${syn.length * 20} rules / ${syn.length} products`;
    const synOk = PEERS.filter((k) => sameOutcome(synWant, peerOutcome(synPeers[k].check(synClaim))));
    console.log(`==> ${synName}: ${synWant.findings.length} findings, payable ${synWant.payable}; agree: ${synOk.join(', ') || 'none'}`);
    console.log(
      `    load + compile the ${syn.length} packs: ours ${tOursSyn.toFixed(0)} ms (Checker.fromPacks), ` +
        PEERS.map((k) => `${k} ${tPeerSyn[k].toFixed(0)} ms`).join(', '),
    );
    const synFile = path.join(tmp, 'synthetic.json');
    const synPacksFile = path.join(tmp, 'synthetic-pack.json');
    writeFileSync(synFile, JSON.stringify(synClaim));
    writeFileSync(synPacksFile, JSON.stringify(syn[Math.floor(syn.length / 2)]));
    row(synName, () => oursSyn.check(synClaim), (k) => synOk.includes(k) && (() => synPeers[k].check(synClaim)), null);
    if (existsSync(CLI)) {
      rows.at(-1).cli = timeIt(
        () => spawnSync(CLI, ['check', synFile, '--pack', synPacksFile], { stdio: ['ignore', 'ignore', 'ignore'] }),
        CLI_RUNS,
        now,
      );
      rows.at(-1).cliNote = 'CLI: --pack with the one applicable pack';
    }

    row(...sessionWorkload(ours, medBase, peers, agrees), null);
    coldStarts(packs, claims, tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // 3. The table.
  console.log(`==> end to end in Node ${process.version}, µs per check: median (p90); ratio = peer median / our median`);
  const head = ['workload', 'ours', ...PEERS, 'native CLI (process)'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) {
    const cells = [r.name, `${fmt(r.ours.median)} (${fmt(r.ours.p90)})`];
    for (const k of PEERS) cells.push(r[k] ? `${fmt(r[k].median)} (${fmt(r[k].p90)}) ${ratio(r[k].median, r.ours.median)}` : 'disagrees');
    cells.push(r.cli ? `${fmt(r.cli.median)} (${fmt(r.cli.p90)}) ${ratio(r.cli.median, r.ours.median)}` : '—');
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(`(${RUNS} runs per cell, CLI ${CLI_RUNS}; the CLI's wall time includes process start and reading the file)`);
  goals(rows);
}

const colds = {};

/** Cold start in fresh Node processes (bench/cold-start.mjs), alternating: import, build the checker (ours:
 * `new Checker()`, the packs load compiled on first use; the peers: build the exported packs), check
 * sample A (or the first worked claim). Medians. */
function coldStarts(packs, claims, tmp) {
  const dir = path.join(tmp, 'exported');
  mkdirSync(dir, { recursive: true });
  packs.forEach((p, i) => writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(p)));
  const c = claims.find((x) => x.name === 'sample-a-med-inpatient') ?? claims[0];
  const claimFile = path.join(tmp, 'cold-claim.json');
  writeFileSync(claimFile, JSON.stringify(c.claim));
  const runs = SMOKE ? 1 : 7;
  const ourEntry = pathToFileURL(path.join(ROOT, 'pkg/node.js')).href;
  const kinds = { ours: ourEntry, 'json-logic-engine': dir, 'json-logic-engine-compiled': dir };
  const t = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [k, where] of Object.entries(kinds)) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bench/cold-start.mjs'), k, where, claimFile], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`cold start of ${k} failed: ${r.stderr}`);
      t[k].push(JSON.parse(r.stdout.trim().split('\n').at(-1)));
    }
  }
  const med = (xs, key) => xs.map((x) => x[key]).sort((a, b) => a - b)[xs.length >> 1];
  console.log(`==> cold start, fresh Node processes (median of ${runs}): import → checker built → first report of ${c.name}, ms`);
  for (const [k, xs] of Object.entries(t)) {
    colds[k] = med(xs, 'total');
    console.log(`    ${k.padEnd(28)} total ${med(xs, 'total').toFixed(1)} (import ${med(xs, 'import').toFixed(1)}, build + first check ${med(xs, 'first').toFixed(1)})`);
  }
}

function goals(rows) {
  const a = rows.find((r) => r.name === 'sample-a-med-inpatient');
  const s = rows.find((r) => r.name.startsWith('session'));
  const syn = rows.find((r) => r.name.startsWith('synthetic'));
  const worked = rows.filter((r) => !r.name.startsWith('synthetic') && !r.name.startsWith('session') && r['json-logic-engine-compiled']);
  const sum = (k) => worked.reduce((acc, r) => acc + r[k].median, 0);
  console.log('==> goals');
  if (worked.length) {
    for (const k of ['json-logic-engine', 'json-logic-engine-compiled']) {
      const x = sum(k) / sum('ours');
      console.log(`  faster than ${k} on the full default packs (sum of medians over ${worked.length} agreeing claims): ${x >= 1 ? 'met' : 'NOT met'} (${x.toFixed(2)}×)`);
    }
  }
  if (syn) {
    for (const k of ['json-logic-engine', 'json-logic-engine-compiled']) {
      if (!syn[k]) continue;
      const x = syn[k].median / syn.ours.median;
      console.log(`  ≥ 3× faster than ${k} on the 10,000-rule set: ${x >= 3 ? 'met' : 'NOT met'} (${x.toFixed(2)}×)`);
    }
  }
  if (a) console.log(`  ≤ 50 µs per sample-A check: ${a.ours.median <= 50 ? 'met' : 'NOT met'} (${fmt(a.ours.median)} µs, ${(a.ours.median / 50).toFixed(1)}× the goal)`);
  const full = rows.find((r) => r.name === 'med-inpatient-not-settled');
  if (s && full) {
    const x = s.ours.median / full.ours.median;
    console.log(`  a session update (set + report) ≤ a tenth of a full check of the same claim: ${x <= 0.1 ? 'met' : 'NOT met'} (${(x * 100).toFixed(0)} % of it)`);
  }
  for (const k of ['json-logic-engine', 'json-logic-engine-compiled']) {
    if (colds.ours && colds[k]) {
      const x = colds[k] / colds.ours;
      console.log(`  cold start no slower than ${k}'s import + build + first run: ${x >= 1 ? 'met' : 'NOT met'} (${x.toFixed(2)}×)`);
    }
  }
  if (s) console.log(`  ≤ 10 µs per session update: ${s.ours.median <= 10 ? 'met' : 'NOT met'} (${fmt(s.ours.median)} µs, ${(s.ours.median / 10).toFixed(1)}× the goal)`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`peers.mjs: ${e?.stack ?? e}`);
    process.exit(1);
  });
}
