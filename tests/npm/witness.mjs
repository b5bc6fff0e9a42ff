// Shared by the Node hostile-input tests (security.test.mjs, robust.test.mjs): the example claim, and a
// witness — one checker with an open session — to show after each hostile case that the same checker, its
// session and a new Checker still give the right report (a trap in WebAssembly would poison all three).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Checker } from 'preclaim';

export const root = new URL('../../', import.meta.url);
export const read = (p) => readFileSync(new URL(p, root), 'utf8');
export const child = () => JSON.parse(read('examples/acc-outpatient-child.json'));

/** A checker and a session on it, and `stillWorks()`, which checks both and a new Checker. */
export function witness() {
  const shared = new Checker();
  const sharedSession = shared.session(child(), { locale: 'en' });
  const stillWorks = () => {
    assert.equal(shared.check(child()).estimate.payable, '275.00');
    assert.equal(sharedSession.report().estimate.payable, '275.00');
    assert.equal(new Checker().check(child()).estimate.payable, '275.00');
  };
  return { shared, sharedSession, stillWorks };
}
