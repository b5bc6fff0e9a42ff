// The portal's copy of the claim (www/claim-edit.js) must stay what the session holds: random edit
// sequences on the example claims, applied to both, compared as JSON after every edit. Runs in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Checker } from 'preclaim';
import { setPath, parsePath } from '../claim-edit.js';

const dir = new URL('../../examples/', import.meta.url);
const claims = readdirSync(dir).filter((f) => f.endsWith('.json')).slice(0, 6)
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')));

/** A small deterministic generator (no Math.random: a failure must repeat). */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

/** Every path in `v` (objects and lists), plus one past the end of each list. */
function paths(v, at = '') {
  const out = [];
  if (Array.isArray(v)) {
    v.forEach((e, i) => out.push(`${at}[${i}]`, ...paths(e, `${at}[${i}]`)));
    out.push(`${at}[${v.length}]`);
  } else if (v && typeof v === 'object') {
    for (const [k, e] of Object.entries(v)) {
      const p = at ? `${at}.${k}` : k;
      out.push(p, ...paths(e, p));
    }
  }
  return out;
}

const VALUES = [undefined, null, 'text', '12.50', 3, true, {}, [], { type: 'D07', file: 'a.jpg' }, ['x']];

test('setPath keeps the form\'s copy equal to the session\'s claim over random edits', () => {
  const checker = new Checker();
  let edits = 0;
  for (const [ci, claim] of claims.entries()) {
    const next = rng(ci + 7);
    const session = checker.session(claim);
    const mine = session.claim();
    for (let i = 0; i < 150; i++) {
      const ps = [...paths(mine), 'payee.bank_name', 'new_field', 'event.diagnoses[0].icd10'];
      const path = ps[next(ps.length)];
      const value = VALUES[next(VALUES.length)];
      let took = true;
      try {
        session.set(path, value);
      } catch {
        took = false; // the session refused it (e.g. a key inside text): the copy must not change either
      }
      if (took) setPath(mine, path, value);
      assert.equal(JSON.stringify(mine), JSON.stringify(session.claim()), `after set(${path}, ${JSON.stringify(value)})`);
      edits += took;
    }
    session.free();
  }
  assert.ok(edits > 300, `enough accepted edits (${edits})`);
});

test('parsePath reads the paths findings use and refuses others', () => {
  assert.deepEqual(parsePath('invoices[0].items[12].amount'), ['invoices', 0, 'items', 12, 'amount']);
  assert.deepEqual(parsePath('payee'), ['payee']);
  for (const bad of ['', 'a..b', '[0]', 'a[x]', 'a[0']) assert.throws(() => parsePath(bad), TypeError, bad);
});
