// Node tests of the entry preclaim/compiler (JSON packs → compiled form, JSONLogic compile) and of the
// core's use of it: in Node the core loads it on first use, so fromPacks and compile work unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Checker, compile, PreclaimError } from 'preclaim';
import { compilePacks, compile as compileHere, Rule } from 'preclaim/compiler';
import { Finder } from 'preclaim/finder';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');
const claim = JSON.parse(read('examples/med-inpatient-not-settled.json'));

test('compilePacks gives the compiled form the core and the finder load', () => {
  const pack = JSON.parse(read('packs/p-med.json'));
  const compiled = compilePacks([pack, JSON.stringify(pack)]);
  assert.equal(compiled.length, 2);
  assert.ok(compiled.every((b) => b instanceof Uint8Array && b.length > 1000));
  assert.deepEqual(compiled[0], compiled[1], 'an object and its JSON text compile alike');
  const fromCompiled = Checker.fromCompiled([compiled[0]]);
  const fromPacks = Checker.fromPacks([pack]);
  assert.deepEqual(fromCompiled.check(claim), fromPacks.check(claim));
  assert.deepEqual(fromCompiled.check(claim), new Checker().check(claim));
  assert.deepEqual(Finder.fromCompiled(compiled.slice(0, 1)).packs(), fromCompiled.packs());
});

test('compilePacks reports a bad pack with its index, and checks options', () => {
  assert.throws(() => compilePacks([JSON.parse(read('packs/p-med.json')), '{']), (e) => {
    assert.ok(e instanceof PreclaimError);
    assert.equal(e.code, 'pack.json');
    assert.equal(e.pack, 1);
    return true;
  });
  assert.throws(() => compilePacks('x'), TypeError);
  assert.throws(() => compilePacks([], { requireSignature: 'yes' }), TypeError);
  assert.throws(() => compilePacks([read('packs/p-med.json')], { requireSignature: true }), (e) => e.code === 'pack.signature');
});

test('compile() of the core and of preclaim/compiler are the same rule engine', () => {
  const a = compile({ '+': [1, { var: 'x' }] });
  const b = compileHere({ '+': [1, { var: 'x' }] });
  assert.ok(a instanceof Rule && b instanceof Rule);
  assert.equal(a.evaluate({ x: 2 }), 3);
  assert.equal(b.evaluate({ x: 2 }), 3);
  a.free();
  assert.throws(() => a.evaluate({}), (e) => e instanceof TypeError && /freed/.test(e.message));
});
