// Node tests of the claim finder in the built npm package (preclaim/finder): find / findJson / session, its
// errors, and byte-identical plans with the native snapshot of the worked example F1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Finder, FinderSession, PreclaimError } from 'preclaim/finder';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');
const f1 = () => JSON.parse(read('tests/cases-finder/f1-worked-example.json')).finder;

test('find: the worked example F1', () => {
  const plan = new Finder().find(f1(), { locale: 'en' });
  assert.equal(plan.schema, 'preclaim/plan@1');
  assert.deepEqual(
    plan.claims.map((c) => [c.policy, c.benefit, c.order, c.after, c.payable]),
    [
      ['med', 'inpatient', 1, [], '1000.00'],
      ['acc', 'inpatient', 2, ['med'], '5000.00'],
      ['cash', 'hospital_cash', null, [], '1000.00'],
    ],
  );
  assert.deepEqual(plan.skipped.map((s) => [s.policy, s.reason]), [['life', 'no_benefit']]);
  assert.deepEqual(plan.documents, [{ type: 'D12', claims: ['acc'] }]);
  assert.equal(plan.total_payable, '7000.00');
  assert.equal(plan.order_gain, '1000.00');
  assert.equal(plan.order_searched, true);
  // The second insurer's claim carries the first one's payout.
  assert.equal(plan.claims[1].claim.invoices[0].other_paid, '1000.00');
  assert.ok(plan.claims[1].report.missing_documents.includes('D12'));
});

test('plans are byte-identical to the native snapshot', () => {
  const finder = new Finder();
  const text = JSON.stringify(f1());
  for (const locale of ['zh-CN', 'en']) {
    const snapshot = JSON.stringify(JSON.parse(read(`tests/snapshots/finder/f1-worked-example.${locale}.json`)));
    assert.equal(finder.findJson(text, { locale }), snapshot, locale);
    assert.deepEqual(finder.find(f1(), { locale }), JSON.parse(snapshot), locale);
  }
});

test('an input that is not a finder@1 throws a PreclaimError with its path', () => {
  const finder = new Finder();
  const unknown = f1();
  unknown.policies[2].insured = 'dad';
  assert.throws(() => finder.find(unknown), (e) => {
    assert.ok(e instanceof PreclaimError);
    assert.equal(e.code, 'finder.input');
    assert.equal(e.path, 'policies[2].insured');
    assert.match(e.message, /"dad" is not a key of people/);
    return true;
  });
  const duplicate = f1();
  duplicate.policies[1].key = 'acc';
  assert.throws(() => finder.find(duplicate), (e) => e.code === 'finder.input' && e.path === 'policies[1].key');
  assert.throws(() => finder.findJson('{"schema": '), (e) => e.code === 'finder.json');
  assert.throws(() => finder.find(null), TypeError);
  assert.throws(() => finder.find([]), TypeError);
  assert.throws(() => finder.findJson({}), TypeError);
  assert.throws(() => finder.find(f1(), { locale: 'fr' }), TypeError);
  // The finder still works after an error.
  assert.equal(finder.find(f1()).total_payable, '7000.00');
});

test('packs() says what each pack pays (what the finder offers)', () => {
  const packs = new Finder().packs();
  assert.deepEqual(packs.find((p) => p.id === 'P-MED').benefits, ['inpatient', 'outpatient']);
  assert.deepEqual(packs.find((p) => p.id === 'P-LIFE').benefits, ['death']);
});

test('a malformed policy entry is skipped, not thrown', () => {
  const input = f1();
  input.policies.push({ key: 'broken', insured: 'me', policy: 'P-MED' });
  const plan = new Finder().find(input, { locale: 'en' });
  const broken = plan.skipped.find((s) => s.policy === 'broken');
  assert.equal(broken.reason, 'invalid');
  assert.match(broken.message, /policies\[4\]\.policy/);
});

test('filed_on defaults to the local date', () => {
  const input = f1();
  delete input.filed_on;
  const plan = new Finder().find(input);
  for (const c of plan.claims) {
    assert.ok(!c.report.findings.some((f) => f.rule === 'C00' && f.fields.includes('filed_on')));
    assert.match(c.claim.filed_on, /^\d{4}-\d{2}-\d{2}$/);
  }
});

test('a finder session: set a field, get the new plan', () => {
  const session = new Finder().session(f1(), { locale: 'en' });
  assert.ok(session instanceof FinderSession);
  assert.equal(session.plan().total_payable, '7000.00');
  // P-MED's deductible already used this year: it pays 11000.00 whichever goes first, so the input order
  // (acc, med) stands and nothing is gained by changing it.
  session.set('policies[1].policy.deductible_used', '10000.00');
  const plan = session.plan();
  assert.deepEqual(plan.claims.map((c) => [c.policy, c.order, c.payable]), [
    ['acc', 1, '5000.00'],
    ['med', 2, '6000.00'],
    ['cash', null, '1000.00'],
  ]);
  assert.equal(plan.order_gain, '0.00');
  assert.equal(plan.total_payable, '12000.00');
  assert.equal(session.input().policies[1].policy.deductible_used, '10000.00');
  // Removing the stay: no hospital cash, and the inpatient invoice still makes an inpatient claim.
  session.set('stay', undefined).setLocale('zh-CN');
  const noStay = session.plan();
  assert.ok(noStay.skipped.some((s) => s.policy === 'cash' && s.reason === 'no_benefit'));
  // An edit that makes the input invalid throws; fixing it recovers.
  session.set('event.insured', 'nobody');
  assert.throws(() => session.plan(), (e) => e.code === 'finder.input' && e.path === 'event.insured');
  session.set('event.insured', 'me');
  assert.ok(session.plan().claims.length > 0);
  assert.throws(() => session.set(5, 1), TypeError);
  session.free();
});

test('the finder is an entry of its own: the core checker has no find, and the two load apart', async () => {
  const core = await import('preclaim');
  const checker = new core.Checker();
  assert.equal(checker.find, undefined);
  assert.equal(checker.finderSession, undefined);
  assert.equal(core.FinderSession, undefined);
  const finder = new Finder();
  assert.equal(finder.check, undefined);
  // The finder's own checker gives the claim reports the core gives.
  const plan = finder.find(f1(), { locale: 'en' });
  for (const c of plan.claims) assert.deepEqual(c.report, checker.check(c.claim, { locale: 'en' }));
  finder.free();
  finder.free(); // twice is harmless
  assert.throws(() => finder.find(f1()), (e) => e instanceof TypeError && /freed/.test(e.message));
  const s = new Finder().session(f1());
  s.free();
  assert.throws(() => s.plan(), (e) => e instanceof TypeError && /freed/.test(e.message));
});

test('Finder.fromPacks takes the packs and options of Checker.fromPacks', () => {
  const pack = JSON.parse(read('packs/p-med.json'));
  const finder = Finder.fromPacks([pack]);
  assert.deepEqual(finder.packs().map((p) => p.id), ['P-MED']);
  assert.throws(() => Finder.fromPacks([pack], { requireSignature: 'yes' }), TypeError);
  assert.throws(() => Finder.fromPacks('x'), TypeError);
  assert.throws(() => Finder.fromPacks(['{']), (e) => e instanceof PreclaimError && e.code === 'pack.json');
});
