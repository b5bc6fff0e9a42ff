// Node tests of the public JSONLogic API of the built package: compile(rule).evaluate(data), arrays of
// rules, errors with codes, free(); and the JSONLogic conformance suites of the shared folder run in full
// through this API (the same pass criteria as tests/jsonlogic_conformance.rs), plus the neutral 40-rule
// bench workload, which must give the results every peer engine agrees on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { compile, Rule, PreclaimError } from 'preclaim';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = path.resolve(ROOT, process.env.PRECLAIM_SHARED ?? '../shared');
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const deviations = readJson(path.join(ROOT, 'tests/conformance-deviations.json')).deviations.map((d) => d.case);

test('compile(rule).evaluate(data)', () => {
  const rule = compile({ and: [{ '<': [{ var: 'age' }, 18] }, { in: [{ var: 'city' }, ['Beijing', 'Shanghai']] }] });
  assert.ok(rule instanceof Rule);
  assert.equal(rule.evaluate({ age: 17, city: 'Beijing' }), true);
  assert.equal(rule.evaluate({ age: 17, city: 'Xi\'an' }), false);
  assert.equal(compile({ var: 'a.b' }).evaluate(undefined), null);
  assert.equal(compile('literal').evaluate({}), 'literal');
  // preclaim's own operators are there too
  assert.equal(compile({ days_between: [{ var: 'from' }, { var: 'to' }] }).evaluate({ from: '2024-02-28', to: '2024-03-01' }), 2);
});

test('an array of rules evaluates to the array of results, in one call', () => {
  const rules = compile([{ '+': [{ var: 'a' }, 1] }, { if: [{ var: 'b' }, 'yes', 'no'] }, { map: [{ var: 'xs' }, { '*': [{ var: '' }, 2] }] }, 7]);
  assert.deepEqual(rules.evaluate({ a: 1.5, b: 0, xs: [1, 2] }), [2.5, 'no', [2, 4], 7]);
  assert.deepEqual(compile([]).evaluate({}), []);
});

test('errors: a PreclaimError with a code, the line and column, or the JSONLogic error', () => {
  assert.throws(
    () => compile([1, { '+': [1], '-': [2] }]),
    (e) => e instanceof PreclaimError && e.code === 'jsonlogic.syntax' && e.line === 1 && e.column === 4 && /exactly one key.* at line 1, column 4$/.test(e.message),
  );
  assert.throws(() => compile({ no_such_op: [1] }), (e) => e instanceof PreclaimError && e.code === 'jsonlogic.compile' && /no_such_op/.test(e.message));
  let deep = 1;
  for (let i = 0; i < 300; i++) deep = [deep];
  assert.throws(() => compile(deep), (e) => e instanceof PreclaimError && (e.code === 'jsonlogic.json' || e.code === 'jsonlogic.compile'));
  assert.throws(
    () => compile({ throw: 'boom' }).evaluate({}),
    (e) => e instanceof PreclaimError && e.code === 'jsonlogic.eval' && isDeepStrictEqual(e.error, { type: 'boom' }),
  );
  assert.throws(() => compile({ '+': [{ var: 'x' }, 1] }).evaluate({ x: 'abc' }), (e) => e.code === 'jsonlogic.eval' && e.error.type === 'NaN');
  assert.throws(() => compile(undefined), TypeError);
  assert.throws(() => compile(() => 1), TypeError);
  assert.throws(() => compile({ var: 'x' }).evaluate(() => 1), TypeError);
});

test('free(): later calls throw a TypeError, a second free() does nothing', () => {
  const r = compile({ var: 'x' });
  assert.equal(r.evaluate({ x: 3 }), 3);
  r.free();
  r.free();
  assert.throws(() => r.evaluate({ x: 3 }), (e) => e instanceof TypeError && /freed/.test(e.message));
  assert.throws(() => new Rule(), TypeError);
});

/** Structural equality as the engine's Value has it: numbers by value (0 and -0 are equal), object members
 * in any order. */
function same(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return a === b;
}

/** Runs one conformance case as tests/jsonlogic_conformance.rs does; returns null when it passes. */
function runCase(rule, data, expect, decimal) {
  let got;
  try {
    got = { value: compile(rule).evaluate(data) };
  } catch (e) {
    if (!(e instanceof PreclaimError)) throw e;
    got = { error: e.code === 'jsonlogic.eval' ? e.error : { type: 'Compile Error', message: e.message } };
  }
  if ('error' in expect) {
    return got.error && same(got.error.type, expect.error.type) ? null : `expected error ${JSON.stringify(expect.error)}, got ${JSON.stringify(got)}`;
  }
  if ('value' in got) {
    const [a, b] = [expect.value, got.value];
    if (decimal && typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), 1)) return null;
    if (same(a, b)) return null;
  }
  return `expected ${JSON.stringify(expect.value)}, got ${JSON.stringify(got)}`;
}

function report(suite, failed, passed, total) {
  const unexpected = failed.filter((f) => !deviations.some((id) => f.startsWith(`${id}: `)));
  assert.equal(passed + failed.length, total, `${suite} should have ${total} cases`);
  assert.deepEqual(unexpected, [], `${suite}: unexpected failures`);
}

const haveShared = existsSync(path.join(SHARED, 'conformance/jsonlogic'));
if (!haveShared) console.warn(`WARNING: SKIPPING the JSONLogic suites through the npm API: ${SHARED} not found (set PRECLAIM_SHARED)`);

test('tests.json: 278 / 278 through compile().evaluate()', { skip: !haveShared }, () => {
  const suite = readJson(path.join(SHARED, 'conformance/jsonlogic/tests.json'));
  const failed = [];
  let passed = 0;
  suite.forEach((c, i) => {
    if (!Array.isArray(c) || c.length !== 3) return;
    const msg = runCase(c[0], c[1], { value: c[2] }, false);
    if (msg === null) passed++;
    else failed.push(`tests.json#${i}: ${JSON.stringify(c[0])} ${msg}`);
  });
  report('tests.json', failed, passed, 278);
});

function jsonFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? jsonFiles(p) : f.endsWith('.json') ? [p] : [];
    });
}

test('compat-tables: 1,138 / 1,138 through compile().evaluate()', { skip: !haveShared }, () => {
  const root = path.join(SHARED, 'conformance/jsonlogic/compat-tables');
  const failed = [];
  let passed = 0;
  for (const file of jsonFiles(root)) {
    const name = path.relative(root, file);
    readJson(file).forEach((c, i) => {
      if (typeof c === 'string') return;
      const expect = c.error !== undefined ? { error: c.error } : { value: c.result === undefined ? null : c.result };
      const msg = runCase(c.rule ?? null, c.data === undefined ? {} : c.data, expect, !!c.decimal);
      if (msg === null) passed++;
      else failed.push(`${name}#${i}: ${c.description ?? ''} | ${JSON.stringify(c.rule)} ${msg}`);
    });
  }
  report('compat-tables', failed, passed, 1138);
});

test('the 40-rule bench workload in one call gives the results the peers agree on', { skip: !haveShared }, () => {
  const dir = path.join(SHARED, 'bench/jsonlogic-claim-40');
  const rules = readJson(path.join(dir, 'claim-rules.json'));
  const expected = readJson(path.join(dir, 'claim-expected.json'));
  const got = compile(rules.map((r) => r.rule)).evaluate(readJson(path.join(dir, 'claim.json')));
  assert.equal(got.length, 40);
  rules.forEach((r, i) => {
    const [a, b] = [got[i], expected[r.name]];
    const ok = typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(b), 1) : same(a, b);
    assert.ok(ok, `${r.name}: got ${JSON.stringify(a)}, want ${JSON.stringify(b)}`);
  });
});
