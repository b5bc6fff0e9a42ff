// Node tests of the built npm package for issue 13's robustness items (5-10): session paths, nesting and
// size; messages and reports that would grow without bound; claims whose lists multiply; files too large to
// read; NaN and ±Infinity; limits(). Every case runs in this one process on one instance, and afterwards the
// same checker, an open session and a new Checker still give the right report (a trap in WebAssembly would
// poison all three).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Checker, PreclaimError, limits } from 'preclaim';
import { assessFile } from 'preclaim/photo';
import { Finder } from 'preclaim/finder';
import { read, child, witness } from './witness.mjs';

/** After a hostile case: the shared checker, its session and a new Checker still give the right report. */
const { shared, stillWorks } = witness();

const coded = (code, re = /./) => (e) => e instanceof PreclaimError && e.code === code && re.test(e.message);
const c00 = (report) => report.findings.filter((f) => f.rule === 'C00').flatMap((f) => f.fields);

test('limits() lists every limit of src/limits.rs', () => {
  const l = limits();
  assert.equal(l.MAX_CLAIM_BYTES, 64 * 2 ** 20);
  assert.equal(l.MAX_CLAIM_DEPTH, 64);
  assert.equal(l.MAX_PATH_SEGMENTS, 64);
  assert.equal(l.MAX_FINDINGS, 50000);
  assert.equal(l.MAX_PHOTO_FILE_BYTES, 64 * 2 ** 20);
  assert.ok(Object.isFrozen(l));
  const names = [...read('src/limits.rs').matchAll(/^pub const (\w+):/gm)].map((m) => m[1]).filter((n) => n !== 'ALL');
  assert.deepEqual(Object.keys(l).sort(), names.sort());
});

test('a session path of 10,000 segments is refused and the instance survives (item 5)', () => {
  const s = shared.session(child(), { locale: 'en' });
  const long = Array(10000).fill('a').join('.');
  assert.throws(() => s.set(long, 1), coded('argument', /bytes long|segments/));
  assert.throws(() => s.set(Array(65).fill('a').join('.'), 1), coded('argument', /at most 64/));
  assert.throws(() => s.set(Array(40).fill('x[0]').join('.'), 1), coded('argument', /segments/));
  // The path's segments and the value's nesting together fit 64 levels.
  const path60 = Array(60).fill('n').join('.');
  assert.throws(() => s.set(path60, [[[[[1]]]]]), coded('argument', /nesting deeper/));
  s.set(path60, [[[[1]]]]);
  assert.equal(s.claim().n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n[0][0][0][0], 1);
  s.set('n', undefined);
  assert.equal(s.report().estimate.payable, '275.00');
  // Depth built one level at a time is refused at the same limit.
  let path = 'deep';
  let depth = 1;
  for (; depth <= 100; depth += 1) {
    try {
      s.set(path, {});
    } catch (e) {
      assert.ok(coded('argument')(e), String(e));
      break;
    }
    path += '.d';
  }
  assert.equal(depth, 64);
  assert.equal(s.report().estimate.payable, '275.00');
  s.free(); // dropping a session at the depth limit
  stillWorks();
});

test('a finder session has the same path and nesting limits', () => {
  const input = JSON.parse(read('tests/cases-finder/f1-worked-example.json')).finder;
  const s = new Finder().session(input, { locale: 'en' });
  const before = s.plan();
  assert.throws(() => s.set(Array(10000).fill('a').join('.'), 1), coded('argument', /bytes long|segments/));
  assert.throws(() => s.set(Array(63).fill('n').join('.'), [[1]]), coded('argument', /nesting deeper/));
  assert.deepEqual(s.plan(), before);
  s.free();
  stillWorks();
});

test('a session holds at most what a claim may hold (item 8)', () => {
  const s = shared.session(child(), { locale: 'en' });
  const chunk = 'x'.repeat(20 * 2 ** 20);
  for (let i = 0; i < 3; i += 1) s.set(`notes[${i}]`, chunk);
  assert.throws(() => s.set('notes[3]', chunk), coded('claim.too_large'));
  for (let i = 0; i < 5; i += 1) s.set('notes[2]', chunk); // replacing frees the old value's share
  s.set('notes', undefined);
  assert.equal(s.report().estimate.payable, '275.00');
  s.free();
  stillWorks();
});

/** A pack with one rule firing a × b times with `message` (both locales) and `values`. */
function multiplyingPack(a, b, message, values) {
  const list = (n) => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`;
  return {
    pack: 'preclaim/pack@1', id: 'P-MANY', version: '1.0.0', title: { 'zh-CN': 't', en: 't' }, products: ['P-MANY'],
    derived: { big: `map(${list(1500)}, x => cat('abcdefghij', x))` },
    rules: [{ id: 'R01', kind: 'R', severity: 'warn', each: [{ as: 'a', in: list(a) }, { as: 'b', in: list(b) }], when: 'true', values, message: { 'zh-CN': message, en: message } }],
  };
}
const many = () => ({ ...child(), policy: { ...child().policy, product: 'P-MANY' } });

test('messages that would expand into gigabytes are cut, reports past their limit are check.limit (item 6)', () => {
  const message = '{big}'.repeat(100000); // about 2 GB unbounded
  const one = Checker.fromPacks([multiplyingPack(1, 1, message, { big: 'derived.big' })]);
  const [f] = one.check(many()).findings.filter((x) => x.rule === 'R01');
  assert.equal(new TextEncoder().encode(f.message).length, limits().MAX_MESSAGE_BYTES + 3);
  assert.ok(f.message.endsWith('…'));
  one.free();
  const big = Checker.fromPacks([multiplyingPack(1500, 1, message, { big: 'derived.big' })]);
  assert.throws(() => big.check(many()), coded('check.limit', /bytes/));
  assert.throws(() => big.check(many()), coded('check.limit'));
  big.free(); // not "borrowed"
  big.free();
  const multiplying = Checker.fromPacks([multiplyingPack(1500, 1500, '{a}/{b}', { a: 'a', b: 'b' })]);
  const t = Date.now();
  assert.throws(() => multiplying.check(many()), coded('check.limit', /50000 findings/));
  assert.ok(Date.now() - t < 20000);
  const session = multiplying.session(many());
  assert.throws(() => session.report(), coded('check.limit'));
  session.free();
  multiplying.free();
  stillWorks();
});

test('assessFile refuses a file past the limit from its size, before reading it (item 6)', async () => {
  let read = false;
  const huge = Object.create(Blob.prototype, {
    size: { value: 2.5 * 2 ** 30 },
    arrayBuffer: { value: async () => { read = true; throw new Error('read'); } },
  });
  await assert.rejects(assessFile(huge), coded('photo.limit', /2684354560 bytes/));
  assert.equal(read, false);
  stillWorks();
});

test('lists that multiply: 200 invoices of 10,000 items end fast with claim.too_large (item 7)', () => {
  const claim = child();
  const items = Array.from({ length: 10000 }, () => ({}));
  claim.invoices = Array.from({ length: 200 }, () => ({ visit: 'outpatient', items }));
  const t = Date.now();
  assert.throws(() => shared.check(claim), coded('claim.too_large', /1000000 values/));
  assert.throws(() => shared.session(claim), coded('claim.too_large'));
  const ms = Date.now() - t;
  assert.ok(ms < 20000, `${ms} ms`);
  stillWorks();
  // 25 invoices of 1,000 items: within the value limit, over the 20,000 records of all lists: C00 (or the
  // step budget), never a trap.
  const claim2 = child();
  const items2 = Array.from({ length: 1000 }, () => ({ amount: '1.00', class: 'A' }));
  claim2.invoices = Array.from({ length: 25 }, () => ({ visit: 'outpatient', total: '1000.00', items: items2 }));
  try {
    assert.ok(c00(shared.check(claim2)).includes('invoices[19].items'));
  } catch (e) {
    assert.ok(coded('check.budget')(e), String(e));
  }
  stillWorks();
});

test('NaN and ±Infinity are C00 on their field, not "absent" (item 10)', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const claim = child();
    claim.invoices[0].fund_paid = bad;
    const r = shared.check(claim, { locale: 'en' });
    assert.deepEqual(c00(r), ['invoices[0].fund_paid']);
    assert.match(r.findings.find((f) => f.rule === 'C00').message, /not a finite number/);
    assert.notEqual(r.estimate?.payable, '625.50');
    assert.equal(r.status, 'incomplete');
    const s = shared.session(child(), { locale: 'en' });
    s.set('invoices[0].fund_paid', bad);
    assert.deepEqual(c00(s.report()), ['invoices[0].fund_paid']);
    s.set('invoices[0].fund_paid', '420.00');
    assert.equal(s.report().estimate.payable, '275.00');
    s.free();
  }
  // null stays null (absent), and a claim with no null takes the plain path.
  const claim = child();
  claim.invoices[0].fund_paid = null;
  assert.deepEqual(c00(shared.check(claim)), []);
  stillWorks();
});
