// One cold start, in this fresh Node process (bench/peers.mjs spawns it): import the engine, build the
// checker, check one claim; prints {"import", "first", "total"} in ms. Figures only, never asserted.
//   node bench/cold-start.mjs ours PKG_NODE_ENTRY_URL CLAIM_FILE
//   node bench/cold-start.mjs json-logic-engine|json-logic-engine-compiled EXPORTED_PACKS_DIR CLAIM_FILE
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const [kind, where, claimFile] = process.argv.slice(2);
const t0 = performance.now();
let check;
if (kind === 'ours') {
  const { Checker } = await import(where);
  const t1 = performance.now();
  const claim = JSON.parse(readFileSync(claimFile, 'utf8'));
  const c = new Checker();
  check = () => c.check(claim);
  done(t1);
} else {
  const { LogicEngine } = await import('json-logic-engine');
  const { PeerChecker } = await import('./peer-checker.mjs');
  const t1 = performance.now();
  const packs = readdirSync(where).map((f) => JSON.parse(readFileSync(path.join(where, f), 'utf8')));
  const claim = JSON.parse(readFileSync(claimFile, 'utf8'));
  const peer = new PeerChecker(packs, kind, { LogicEngine });
  check = () => peer.check(claim);
  done(t1);
}

function done(t1) {
  check();
  const t2 = performance.now();
  console.log(JSON.stringify({ import: t1 - t0, first: t2 - t1, total: t2 - t0 }));
}
