// Node tests of the built npm package (pkg/, linked as node_modules/preclaim): the public API, its errors,
// sessions, and byte-identical reports with the native CLI's snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Checker, PreclaimError, version, localDate, assessImageData, assessFile } from 'preclaim';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');
const examples = readdirSync(new URL('examples/', root)).filter((f) => f.endsWith('.json')).sort();
const child = () => JSON.parse(read('examples/acc-outpatient-child.json'));

test('three lines: check a claim', () => {
  const report = new Checker().check(child(), { locale: 'en' });
  assert.equal(report.schema, 'preclaim/report@1');
  assert.equal(report.status, 'ready');
  assert.equal(report.route, 'fast_track');
  assert.equal(report.estimate.payable, '275.00');
});

test('reports are byte-identical to the native CLI', () => {
  const checker = new Checker();
  for (const f of examples) {
    const text = read(`examples/${f}`);
    for (const locale of ['zh-CN', 'en']) {
      const snapshot = JSON.stringify(JSON.parse(read(`tests/snapshots/${f.replace('.json', '')}.${locale}.json`)));
      assert.equal(checker.checkJson(text, { locale }), snapshot, `${f} ${locale}`);
      assert.deepEqual(checker.check(JSON.parse(text), { locale }), JSON.parse(snapshot), `${f} ${locale}`);
    }
  }
});

test('a missing filed_on is a C00 finding from check, checkJson and a session alike (never filled in)', () => {
  const checker = new Checker();
  const claim = child();
  delete claim.filed_on;
  for (const locale of ['zh-CN', 'en']) {
    const fromObject = checker.check(claim, { locale });
    assert.deepEqual(JSON.parse(checker.checkJson(JSON.stringify(claim), { locale })), fromObject, locale);
    const session = checker.session(claim, { locale });
    assert.deepEqual(session.report(), fromObject, locale);
    assert.equal(session.claim().filed_on, undefined, 'the session does not fill it either');
    session.free();
    assert.equal(fromObject.status, 'incomplete');
    assert.ok(fromObject.findings.some((f) => f.rule === 'C00' && f.severity === 'block' && f.fields[0] === 'filed_on'));
  }
  // A portal fills it in its form: localDate() is today on this device.
  const filled = checker.check({ ...claim, filed_on: localDate() });
  assert.ok(!filled.findings.some((f) => f.rule === 'C00' && f.fields.includes('filed_on')));
  assert.match(localDate(), /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(localDate(new Date(2024, 1, 29)), '2024-02-29');
});

test('bad claim data is findings, not exceptions', () => {
  const checker = new Checker();
  const claim = child();
  claim.invoices[0].total = -1;
  claim.event.date = '2025-02-30';
  claim.nonsense = { deep: [1, 2] };
  const report = checker.check(claim);
  assert.equal(report.status, 'incomplete');
  const fields = report.findings.filter((f) => f.rule === 'C00').flatMap((f) => f.fields);
  assert.deepEqual(fields.sort(), ['event.date', 'invoices[0].total']);
  assert.deepEqual(report.ignored_fields, ['nonsense']);
  const empty = checker.check({});
  assert.equal(empty.status, 'incomplete');
  // A JavaScript string with a lone UTF-16 surrogate: a finding on that field, not an exception.
  const broken = child();
  broken.insured.name = 'Zhou\uD800';
  const r = checker.check(broken, { locale: 'en' });
  assert.ok(r.findings.some((f) => f.rule === 'C00' && f.fields[0] === 'insured.name' && /cannot be read/.test(f.message)));
});

test('misuse throws a real Error and the instance keeps working', () => {
  const checker = new Checker();
  assert.throws(() => checker.check(null), TypeError);
  assert.throws(() => checker.check('{}'), TypeError);
  assert.throws(() => checker.check([1]), TypeError);
  assert.throws(() => checker.check(child(), { locale: 'fr' }), TypeError);
  assert.throws(() => checker.checkJson(5), TypeError);
  assert.throws(
    () => checker.checkJson('{"schema": '),
    (e) => e instanceof PreclaimError && e instanceof Error && e.code === 'claim.json' && /line 1, column 12/.test(e.message),
  );
  // Too large is not "not JSON": its own code, before the text is read.
  assert.throws(
    () => checker.checkJson(' '.repeat(64 * 1024 * 1024 + 1)),
    (e) => e instanceof PreclaimError && e.code === 'claim.too_large' && /larger than 67108864 bytes/.test(e.message),
  );
  const cyclic = child();
  cyclic.self = cyclic;
  assert.throws(() => checker.check(cyclic), TypeError);
  assert.equal(checker.check(child()).status, 'ready');
});

test('fromPacks: an insurer pack, and a broken one with its location', () => {
  const pack = JSON.parse(read('packs/p-acc.json'));
  const own = Checker.fromPacks([pack]);
  assert.deepEqual(own.packs().map((p) => p.id), ['P-ACC']);
  assert.equal(own.check(child()).estimate.payable, '275.00');
  const broken = JSON.parse(JSON.stringify(pack));
  broken.rules[3].when = 'policy.efective_on < event.date';
  assert.throws(
    () => Checker.fromPacks([broken]),
    (e) =>
      e instanceof PreclaimError &&
      e.code === 'pack.expr' &&
      e.pack === 0 &&
      e.path === 'rules[3].when' &&
      Number.isInteger(e.line) &&
      Number.isInteger(e.column) &&
      /did you mean `effective_on`/.test(e.message),
  );
  assert.throws(() => Checker.fromPacks([pack, '{"id": 1}']), (e) => e.code === 'pack.format' && e.pack === 1);
  assert.throws(() => Checker.fromPacks('nope'), TypeError);
  assert.throws(() => Checker.fromPacks([42]), TypeError);
});

test('fromPacks with pinned keys refuses a tampered or unsigned pack', async () => {
  const { execFileSync } = await import('node:child_process');
  const cli = new URL('target/debug/preclaim', root).pathname;
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/preclaim-sign-');
  const keys = execFileSync(cli, ['pack', 'keygen'], { encoding: 'utf8' });
  writeFileSync(`${dir}/key.txt`, keys);
  const publicKey = keys.match(/public key: ([0-9a-f]{64})/)[1];
  const signed = execFileSync(cli, ['pack', 'sign', 'packs/p-acc.json', '--key', `${dir}/key.txt`, '--key-id', 'test'], {
    encoding: 'utf8',
    cwd: new URL('.', root).pathname,
  });
  const ok = Checker.fromPacks([signed], { publicKeys: [publicKey], requireSignature: true });
  assert.equal(ok.check(child()).estimate.payable, '275.00');
  const tampered = signed.replace('"5000.00"', '"50000.00"');
  assert.throws(() => Checker.fromPacks([tampered], { publicKeys: [publicKey] }), (e) => e.code === 'pack.signature' && e.pack === 0);
  assert.throws(
    () => Checker.fromPacks([read('packs/p-acc.json')], { publicKeys: [publicKey], requireSignature: true }),
    (e) => e.code === 'pack.signature' && /no signature/.test(e.message),
  );
  assert.throws(() => Checker.fromPacks([signed], { publicKeys: ['zz'] }), (e) => e.code === 'argument');
  assert.throws(() => Checker.fromPacks([signed], { publicKeys: 'x' }), TypeError);
});

test('a session keeps the claim in WebAssembly and re-checks one field', () => {
  const checker = new Checker();
  const claim = child();
  claim.documents = claim.documents.filter((d) => d.type !== 'D01');
  const s = checker.session(claim, { locale: 'en' });
  assert.deepEqual(s.report().missing_documents, ['D01']);
  s.set(`documents[${claim.documents.length}]`, { type: 'D01', file: 'form.jpg' });
  assert.deepEqual(s.report().missing_documents, []);
  s.set('invoices[0].items[0].amount', '125.00');
  assert.equal(s.report().estimate.steps[0].amount, '1360.00');
  s.set('policy.paid_this_year', undefined);
  assert.equal(s.claim().policy.paid_this_year, undefined);
  assert.throws(() => s.set('invoices[9].total', '1.00'), (e) => e instanceof PreclaimError && e.code === 'argument');
  assert.throws(() => s.set(3, 1), TypeError);
  s.setLocale('zh-CN');
  assert.match(s.report().findings[0].message, /[\u4e00-\u9fff]/);
  s.free();
});

test('packs and version', () => {
  const packs = new Checker().packs();
  assert.deepEqual(packs.map((p) => p.id).sort(), ['P-ACC', 'P-CASH', 'P-CI', 'P-DIS', 'P-LIFE', 'P-MED']);
  assert.ok(packs.every((p) => /^\d+\.\d+\.\d+/.test(p.version) && p.title['zh-CN'] && p.title.en));
  const cargo = read('Cargo.toml').match(/^version = "(.*)"/m)[1];
  assert.equal(version(), cargo);
});

// A synthetic document photo: paper with rows of dark "text" strokes, optionally darkened.
function page(w, h, { dark = 1 } = {}) {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inText = x > w * 0.1 && x < w * 0.9 && y > h * 0.1 && y < h * 0.9 && (y % 24) < 6 && ((x * 7 + y) % 31) < 18;
      const v = Math.round((inText ? 30 : 235) * dark);
      const i = (y * w + x) * 4;
      data[i] = v; data[i + 1] = v; data[i + 2] = v; data[i + 3] = 255;
    }
  }
  return { data, width: w, height: h };
}

test('photo pre-checks: pixels and files', async () => {
  const sharp = assessImageData(page(1200, 1600));
  assert.notEqual(sharp.verdict, 'retake', JSON.stringify(sharp.issues));
  assert.ok(typeof sharp.metrics === 'object' && sharp.hashes.dhash64);
  const dark = assessImageData(page(1200, 1600, { dark: 0.15 }));
  assert.equal(dark.verdict, 'retake');
  assert.ok(dark.issues.includes('dark') && !dark.issues.includes('blur'));
  assert.match(dark.details.find((d) => d.code === 'dark').message['zh-CN'], /[\u4e00-\u9fff]/);
  const again = assessImageData(page(1200, 1600), { earlier: [sharp] });
  assert.ok(again.issues.includes('near_duplicate') || again.issues.includes('duplicate'), JSON.stringify(again.issues));
  // A HEIC file cannot be decoded here: "not checked", never failed.
  const heic = new Uint8Array(200_000);
  heic.set([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63]);
  const q = await assessFile(new Blob([heic]), { docType: 'D05' });
  assert.equal(q.verdict, 'ok');
  assert.ok(q.issues.includes('not_checked'));
  assert.throws(() => assessImageData({ data: new Uint8Array(10), width: 100, height: 100 }), (e) => e.code === 'photo');
  assert.throws(() => assessImageData(null), TypeError);
  // A report uses the result: a retake photo is a C19 warning.
  const claim = child();
  claim.documents[0].quality = dark;
  assert.ok(new Checker().check(claim).findings.some((f) => f.rule === 'C19'));
});

test('hostile input through WebAssembly: clear errors or findings, and the same instance keeps working', () => {
  const checker = new Checker();
  const normal = () => assert.equal(checker.check(child()).estimate.payable, '275.00');
  const deep = '['.repeat(10_000) + ']'.repeat(10_000);
  assert.throws(() => checker.checkJson(`{"x": ${deep}}`), (e) => e.code === 'claim.json' && /nesting/.test(e.message));
  normal();
  assert.throws(() => checker.checkJson('{"a": 1, "a": 2}'), (e) => e.code === 'claim.json' && /duplicate key/.test(e.message));
  normal();
  const huge = JSON.parse(checker.checkJson(read('examples/acc-outpatient-child.json').replace('"1260.00"', '1e400')));
  assert.ok(huge.findings.some((f) => f.rule === 'C00' && f.fields[0] === 'invoices[0].total'));
  normal();
  const big = child();
  big.insured.name = 'x'.repeat(5_000_000);
  assert.equal(checker.check(big).schema, 'preclaim/report@1');
  normal();
  const many = child();
  many.invoices = Array.from({ length: 10_001 }, () => ({ total: '1.00' }));
  const r = checker.check(many);
  assert.ok(r.findings.some((f) => f.rule === 'C00' && f.fields[0] === 'invoices'));
  normal();
  const loop = JSON.parse(read('packs/p-acc.json'));
  loop.derived.docs = 'count(documents, a => count(flatten(map(documents, b => documents)), c => true) > 0)';
  const looping = Checker.fromPacks([loop]);
  const heavy = child();
  heavy.documents = Array.from({ length: 300 }, (_, i) => ({ type: 'D01', file: `${i}.jpg` }));
  assert.throws(() => looping.check(heavy), (e) => e.code === 'check.budget');
  assert.equal(looping.check(child()).schema, 'preclaim/report@1');
  normal();
});
