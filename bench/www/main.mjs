// The page side of bench/browser.mjs: cold start of our package (fetch + instantiate + compile the default
// packs), then on demand the end-to-end workloads, ours against the peers, with figures returned to Node.
import init, { Checker } from '/pkg/index.js';
import { LogicEngine } from '/node_modules/json-logic-engine/dist/esm/index.js';
import { PeerChecker } from '/bench/peer-checker.mjs';
import { manyItemsClaim, syntheticClaim, ourOutcome, peerOutcome, sameOutcome, sessionWorkload, timeIt } from '/bench/workloads.mjs';

const PEERS = ['json-logic-js', 'json-logic-engine', 'json-logic-engine-compiled'];
const now = () => performance.now();

async function cold() {
  const t0 = now();
  await init();
  const t1 = now();
  const checker = new Checker();
  const t2 = now();
  return { checker, instantiate: t1 - t0, compile: t2 - t1 };
}

const started = cold();
window.__cold = started.then(({ instantiate, compile }) => ({ instantiate, compile }));

window.__benchRun = async (runs) => {
  const { checker } = await started;
  const data = await (await fetch('/data.json')).json();
  const libs = { jsonLogic: window.jsonLogic, LogicEngine };
  const peers = Object.fromEntries(PEERS.map((k) => [k, new PeerChecker(data.packs, k, libs)]));
  const claims = data.claims;
  const medBase = claims.find((c) => c.name === 'med-inpatient-not-settled').claim;
  claims.push({ name: 'med-200-items', claim: manyItemsClaim(medBase, 200) });
  const agree = Object.fromEntries(PEERS.map((k) => [k, new Set()]));
  for (const c of claims) {
    const want = ourOutcome(checker.check(c.claim));
    for (const k of PEERS) {
      try {
        if (sameOutcome(want, peerOutcome(peers[k].check(c.claim)))) agree[k].add(c.name);
      } catch {
        // disagrees
      }
    }
  }
  const rows = [];
  const row = (name, oursF, peerF) => {
    const r = { name, ours: timeIt(oursF, runs, now) };
    for (const k of PEERS) r[k] = peerF(k) ? timeIt(peerF(k), runs, now) : null;
    rows.push(r);
  };
  for (const c of claims) row(c.name, () => checker.check(c.claim), (k) => agree[k].has(c.name) && (() => peers[k].check(c.claim)));

  const syn = data.synthetic;
  const synClaim = syntheticClaim(medBase, syn[Math.floor(syn.length / 2)].id);
  // Our own packs go through the compiler entry (its own .wasm), loaded here as an app would.
  const { default: initCompiler } = await import('/pkg/compiler.js');
  await initCompiler();
  const oursSyn = Checker.fromPacks(syn.map((p) => JSON.stringify(p)));
  const synPeers = Object.fromEntries(PEERS.map((k) => [k, new PeerChecker(syn, k, libs)]));
  const synWant = ourOutcome(oursSyn.check(synClaim));
  const synOk = PEERS.filter((k) => sameOutcome(synWant, peerOutcome(synPeers[k].check(synClaim))));
  row(`synthetic ${syn.length * 20} rules / ${syn.length} products`, () => oursSyn.check(synClaim), (k) => synOk.includes(k) && (() => synPeers[k].check(synClaim)));

  row(...sessionWorkload(checker, medBase, peers, agree));
  oursSyn.free();
  return {
    agreement: Object.fromEntries(PEERS.map((k) => [k, `${agree[k].size}/${claims.length}`])),
    synAgree: synOk,
    rows,
  };
};
