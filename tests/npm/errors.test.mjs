// Errors that say what to do: a call before init(), a string given to check(), an unknown option, Date
// and BigInt values. This file imports the browser entry (pkg/index.js) directly, so nothing has loaded
// the WebAssembly yet when it starts (node --test runs each file in its own process).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const pkg = new URL('../../pkg/', import.meta.url);
const { default: init, Checker, PreclaimError, compile, version, localDate } = await import(new URL('index.js', pkg));
const { default: initCatalog, Catalog } = await import(new URL('catalog.js', pkg));
const { default: initPhoto, assessImageData } = await import(new URL('photo.js', pkg));
const { default: initCompiler, compilePacks } = await import(new URL('compiler.js', pkg));

const claim = JSON.parse(readFileSync(new URL('../../examples/acc-outpatient-child.json', import.meta.url), 'utf8'));

test('a call before init() is a PreclaimError "init" saying to call await init() first', async () => {
  for (const [entry, call] of [
    ['preclaim', () => new Checker()],
    ['preclaim', () => Checker.fromPacks([])],
    ['preclaim', () => version()],
    ['preclaim/compiler', () => compile({ '+': [1, 2] })],
    ['preclaim/compiler', () => compilePacks([])],
    ['preclaim/catalog', () => Catalog.load(new Uint8Array(8))],
    ['preclaim/photo', () => assessImageData({ data: new Uint8Array(4), width: 1, height: 1 })],
  ]) {
    assert.throws(call, (e) => e instanceof PreclaimError && e.code === 'init' && e.message.includes(`call \`await init()\` from '${entry}' first`));
  }
  await init(readFileSync(new URL('preclaim_bg.wasm', pkg)));
  assert.equal(new Checker().packs().length, 6);
  // The core's init() does not load the compiler: fromPacks and compile still ask for it, then work.
  for (const call of [() => Checker.fromPacks([]), () => compile(1)]) {
    assert.throws(call, (e) => e.code === 'init' && e.message.includes("from 'preclaim/compiler' first"));
  }
  await initCompiler(readFileSync(new URL('preclaim_compiler_bg.wasm', pkg)));
  assert.equal(Checker.fromPacks([readFileSync(new URL('../packs/p-med.json', pkg), 'utf8')]).packs().length, 1);
  assert.equal(compile({ '+': [1, 2] }).evaluate(null), 3);
  // Each entry loads its own module: the core's init() does not load the photo or catalog code.
  assert.throws(() => Catalog.load(new Uint8Array(8)), (e) => e.code === 'init');
  await initCatalog(readFileSync(new URL('preclaim_catalog_bg.wasm', pkg)));
  await initPhoto(readFileSync(new URL('preclaim_photo_bg.wasm', pkg)));
  assert.throws(() => Catalog.load(new Uint8Array(8)), (e) => e instanceof PreclaimError && e.code.startsWith('E_CATALOG_'));
  assert.ok(['ok', 'warn', 'retake'].includes(assessImageData({ data: new Uint8Array(4 * 64 * 64), width: 64, height: 64 }).verdict));
});

test('a string given to check() or session() is a TypeError pointing at checkJson', () => {
  const checker = new Checker();
  for (const call of [() => checker.check(JSON.stringify(claim)), () => checker.session('{}')]) {
    assert.throws(call, (e) => e instanceof TypeError && /checker\.checkJson\(text\)/.test(e.message));
  }
  assert.throws(() => checker.check(42), /takes a claim object \(claim@1\), not 42/);
});

test('an unknown option key is a TypeError naming it', () => {
  const checker = new Checker();
  assert.throws(() => checker.check(claim, { lang: 'en' }), (e) => e instanceof TypeError && /no option "lang" \(options: locale\)/.test(e.message));
  assert.throws(() => checker.session(claim, { lokale: 'en' }), /session has no option "lokale"/);
  assert.throws(() => Checker.fromPacks([], { publicKey: [] }), /fromPacks has no option "publicKey"/);
});

test('Date values become their local calendar day, in check() and in set()', () => {
  const checker = new Checker();
  const day = new Date(2025, 3, 14, 23, 59); // 14 April, late in the evening local time
  assert.equal(localDate(day), '2025-04-14');
  const withDates = { ...claim, filed_on: new Date(2025, 3, 18), reported_on: day };
  const asText = { ...claim, filed_on: '2025-04-18', reported_on: '2025-04-14' };
  assert.deepEqual(checker.check(withDates, { locale: 'en' }), checker.check(asText, { locale: 'en' }));

  const session = checker.session(asText, { locale: 'en' });
  session.set('policy.effective_on', new Date(2025, 0, 1)).set('stay', { admitted_on: new Date(2025, 3, 12), discharged_on: null });
  assert.equal(session.claim().policy.effective_on, '2025-01-01');
  assert.equal(session.claim().stay.admitted_on, '2025-04-12');
  assert.ok(!session.report().findings.some((f) => f.rule === 'C00' && f.fields.includes('policy.effective_on')));

  assert.throws(() => session.set('policy.effective_on', new Date('not a date')), (e) => e instanceof TypeError && /invalid Date/.test(e.message));
  assert.throws(() => checker.check({ ...asText, stay: { admitted_on: new Date(NaN) } }), /the claim holds an invalid Date at "stay.admitted_on"/);
});

test('a BigInt is a TypeError naming its path', () => {
  const checker = new Checker();
  const big = { ...claim, invoices: [{ total: '1.00', items: [{ amount: 10n }] }] };
  assert.throws(() => checker.check(big), (e) => e instanceof TypeError && /BigInt at "invoices\[0\]\.items\[0\]\.amount"/.test(e.message));
  const session = checker.session(claim);
  assert.throws(() => session.set('policy.sum_insured', 5000n), /the value for "policy.sum_insured" holds a BigInt/);
  // The session is untouched and keeps working.
  assert.equal(session.report().schema, 'preclaim/report@1');
});
