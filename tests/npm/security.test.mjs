// Node tests of the built npm package for issue 13's security items: a signed pack altered with a number
// out of range, options that must be booleans, personal numbers in messages (and a card typed key by key),
// control characters in error messages, and calls after free(). Each case runs in one process on one
// instance, and the same checker, a session and a new Checker still give the right report afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Checker, PreclaimError } from 'preclaim';
import { root, read, child, witness } from './witness.mjs';

/** After a hostile case: the shared checker, its session and a new Checker still give the right report. */
const { shared, sharedSession, stillWorks } = witness();

// RFC 8032 test 1's key pair (as in src/pack/signature.rs).
const SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

function signedPack() {
  const dir = mkdtempSync('/tmp/preclaim-sec-');
  writeFileSync(`${dir}/key.txt`, SECRET);
  const cli = new URL('target/debug/preclaim', root).pathname;
  return execFileSync(cli, ['pack', 'sign', 'packs/p-acc.json', '--key', `${dir}/key.txt`], {
    encoding: 'utf8',
    cwd: new URL('.', root).pathname,
  });
}

test('a signed pack with a null replaced by a number out of range is refused', () => {
  const signed = signedPack();
  const trusted = { publicKeys: [PUBLIC], requireSignature: true };
  assert.equal(Checker.fromPacks([signed], trusted).check(child()).estimate.payable, '275.00');
  // The pack as a JavaScript object (JSON.parse, then JSON.stringify inside fromPacks) is the same pack.
  assert.equal(Checker.fromPacks([JSON.parse(signed)], trusted).check(child()).estimate.payable, '275.00');
  for (const big of ['1e400', '-1e400', '1E999']) {
    const altered = signed.replace('"payable": null', `"payable": ${big}`);
    assert.notEqual(altered, signed);
    assert.throws(
      () => Checker.fromPacks([altered], trusted),
      (e) => e instanceof PreclaimError && e.code === 'pack.signature' && /too large for a double/.test(e.message),
      big,
    );
    assert.throws(() => Checker.fromPacks([altered]), (e) => e.code === 'pack.json' && /too large/.test(e.message));
    stillWorks();
  }
});

test('options of the wrong type are a TypeError naming the option, never a silent "no"', () => {
  const unsigned = read('packs/p-acc.json');
  for (const bad of ['true', 1, 'yes', {}, [], null, 0, 'false']) {
    assert.throws(
      () => Checker.fromPacks([unsigned], { publicKeys: [PUBLIC], requireSignature: bad }),
      (e) => e instanceof TypeError && /requireSignature/.test(e.message),
      String(bad),
    );
  }
  // Misspelt options and wrong container types.
  assert.throws(() => Checker.fromPacks([unsigned], { requiresignature: true }), (e) => e instanceof TypeError && /requiresignature/.test(e.message));
  assert.throws(() => Checker.fromPacks([unsigned], { publicKey: PUBLIC }), (e) => e instanceof TypeError && /publicKey/.test(e.message));
  assert.throws(() => Checker.fromPacks([unsigned], { publicKeys: PUBLIC }), (e) => e instanceof TypeError && /publicKeys/.test(e.message));
  assert.throws(() => Checker.fromPacks([unsigned], { publicKeys: [1] }), (e) => e instanceof TypeError && /publicKeys/.test(e.message));
  assert.throws(() => Checker.fromPacks([unsigned], 'strict'), TypeError);
  assert.throws(() => Checker.fromPacks([unsigned], null), TypeError);
  // Booleans (and leaving it out) still work.
  assert.throws(() => Checker.fromPacks([unsigned], { publicKeys: [PUBLIC], requireSignature: true }), (e) => e.code === 'pack.signature');
  assert.equal(Checker.fromPacks([unsigned], { publicKeys: [PUBLIC], requireSignature: false }).packs()[0].id, 'P-ACC');
  assert.equal(Checker.fromPacks([unsigned], {}).packs()[0].id, 'P-ACC');
  // check / checkJson / session options.
  for (const options of [{ locale: null }, { locale: 1 }, { lokale: 'en' }, { locale: 'en', strict: true }, 'en', []]) {
    assert.throws(() => shared.check(child(), options), TypeError, JSON.stringify(options));
    assert.throws(() => shared.checkJson(read('examples/acc-outpatient-child.json'), options), TypeError);
    assert.throws(() => shared.session(child(), options), TypeError);
  }
  assert.throws(() => sharedSession.setLocale(null), TypeError);
  assert.equal(shared.check(child(), { locale: undefined }).estimate.payable, '275.00');
  stillWorks();
});

const CARD = '6225768888888888';
const ID = '11010519491231002X';

test('a card typed key by key in a session never shows more than its final mask', () => {
  for (const card of [CARD, '6212263602012345678']) {
    const s = shared.session(child(), { locale: 'en' });
    const shown = [];
    for (let n = 1; n <= card.length; n++) {
      s.set('payee.bank_card', card.slice(0, n));
      const report = s.report();
      const text = JSON.stringify(report);
      for (const f of report.findings.filter((f) => f.rule === 'C06' && /card number/.test(f.message))) {
        assert.doesNotMatch(f.message, /\d/, `${card.slice(0, n)}: ${f.message}`);
        shown.push(f.message);
      }
      if (n >= 13) assert.ok(!text.includes(card.slice(0, n)), text);
    }
    assert.ok(shown.length > 0, 'C06 fired while typing');
    s.free();
  }
  stillWorks();
});

test('an ID or card number typed into an echoed field never comes back in full', () => {
  for (const secret of [CARD, ID]) {
    const cases = {
      C17: (c) => { c.event.diagnoses[0].icd10 = secret; },
      C18: (c) => { c.invoices[0].items[0].code = secret; },
      C19: (c) => { c.documents[0].file = `${secret}.jpg`; c.documents[0].quality = { verdict: 'retake' }; },
      R02: (c) => { c.invoices[0].number = secret; c.invoices.push(structuredClone(c.invoices[0])); },
    };
    for (const [rule, edit] of Object.entries(cases)) {
      const claim = child();
      edit(claim);
      for (const locale of ['en', 'zh-CN']) {
        const report = shared.check(claim, { locale });
        assert.ok(report.findings.some((f) => f.rule === rule && f.message.includes('****')), `${rule} ${secret}`);
        assert.ok(!JSON.stringify(report).includes(secret), `${rule} echoes ${secret}`);
      }
      // The same through a session, field by field.
      const s = shared.session(child(), { locale: 'en' });
      s.set('event.diagnoses[0].icd10', secret);
      assert.ok(!JSON.stringify(s.report()).includes(secret));
      s.free();
    }
  }
  stillWorks();
});

const HOSTILE = 'x\n\u001b[2J\r\u0007\u0085\u2028\u202e';
const clean = (s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/.test(s);

test('control characters in what an error message echoes are escaped', () => {
  const key = JSON.stringify(HOSTILE);
  assert.throws(
    () => shared.checkJson(`{${key}: 1, ${key}: 2}`),
    (e) => e instanceof PreclaimError && e.code === 'claim.json' && clean(e.message) && e.message.includes('x\\n\\u001b[2J'),
  );
  const pack = read('packs/p-acc.json').replace('"products"', `${key}: 1, "products"`);
  assert.throws(
    () => Checker.fromPacks([pack]),
    (e) => e.code === 'pack.format' && clean(e.message) && clean(e.path) && /unknown key/.test(e.message),
  );
  const s = shared.session(child());
  assert.throws(() => s.set(`invoices[0].${HOSTILE}[`, 1), (e) => e instanceof PreclaimError && clean(e.message));
  // TypeErrors that show a value.
  assert.throws(() => shared.check(child(), { locale: HOSTILE }), (e) => e instanceof TypeError && clean(e.message));
  assert.throws(() => shared.check(child(), { [HOSTILE]: 1 }), (e) => e instanceof TypeError && clean(e.message));
  s.free();
  stillWorks();
});

test('calls after free() throw a TypeError saying so, and free() twice is harmless', () => {
  const checker = new Checker();
  const s = checker.session(child(), { locale: 'en' });
  const other = checker.session(child(), { locale: 'en' });
  checker.free();
  checker.free();
  for (const call of [
    () => checker.check(child()),
    () => checker.checkJson('{}'),
    () => checker.session(child()),
    () => checker.packs(),
    () => checker.catalogs(),
    () => checker.detachCatalog('item'),
  ]) {
    assert.throws(call, (e) => e instanceof TypeError && /checker was freed/.test(e.message));
  }
  // A session made before keeps its own reference to the packs.
  assert.equal(s.report().estimate.payable, '275.00');
  s.free();
  s.free();
  for (const call of [() => s.report(), () => s.set('payee.name', 'x'), () => s.set('x', undefined), () => s.claim(), () => s.setLocale('en')]) {
    assert.throws(call, (e) => e instanceof TypeError && /session was freed/.test(e.message));
  }
  assert.equal(other.report().estimate.payable, '275.00');
  other.free();
  const own = Checker.fromPacks([read('packs/p-acc.json')]);
  own.free();
  assert.throws(() => own.check(child()), TypeError);
  own.free();
  stillWorks();
});
