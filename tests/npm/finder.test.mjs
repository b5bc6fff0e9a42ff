// Node tests of the claim finder in the built npm package: checker.find / findJson / finderSession, its
// errors, and byte-identical plans with the native snapshot of the worked example F1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Checker, FinderSession, PreclaimError } from 'preclaim';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');
const f1 = () => JSON.parse(read('tests/cases-finder/f1-worked-example.json')).finder;

test('find: the worked example F1', () => {
  const plan = new Checker().find(f1(), { locale: 'en' });
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
  const checker = new Checker();
  const text = JSON.stringify(f1());
  for (const locale of ['zh-CN', 'en']) {
    const snapshot = JSON.stringify(JSON.parse(read(`tests/snapshots/finder/f1-worked-example.${locale}.json`)));
    assert.equal(checker.findJson(text, { locale }), snapshot, locale);
    assert.deepEqual(checker.find(f1(), { locale }), JSON.parse(snapshot), locale);
  }
});

test('an input that is not a finder@1 throws a PreclaimError with its path', () => {
  const checker = new Checker();
  const unknown = f1();
  unknown.policies[2].insured = 'dad';
  assert.throws(() => checker.find(unknown), (e) => {
    assert.ok(e instanceof PreclaimError);
    assert.equal(e.code, 'finder.input');
    assert.equal(e.path, 'policies[2].insured');
    assert.match(e.message, /"dad" is not a key of people/);
    return true;
  });
  const duplicate = f1();
  duplicate.policies[1].key = 'acc';
  assert.throws(() => checker.find(duplicate), (e) => e.code === 'finder.input' && e.path === 'policies[1].key');
  assert.throws(() => checker.findJson('{"schema": '), (e) => e.code === 'finder.json');
  assert.throws(() => checker.find(null), TypeError);
  assert.throws(() => checker.find([]), TypeError);
  assert.throws(() => checker.findJson({}), TypeError);
  assert.throws(() => checker.find(f1(), { locale: 'fr' }), TypeError);
  // The checker still works after an error.
  assert.equal(checker.find(f1()).total_payable, '7000.00');
});

test('packs() says what each pack pays (what the finder offers)', () => {
  const packs = new Checker().packs();
  assert.deepEqual(packs.find((p) => p.id === 'P-MED').benefits, ['inpatient', 'outpatient']);
  assert.deepEqual(packs.find((p) => p.id === 'P-LIFE').benefits, ['death']);
});

test('a malformed policy entry is skipped, not thrown', () => {
  const input = f1();
  input.policies.push({ key: 'broken', insured: 'me', policy: 'P-MED' });
  const plan = new Checker().find(input, { locale: 'en' });
  const broken = plan.skipped.find((s) => s.policy === 'broken');
  assert.equal(broken.reason, 'invalid');
  assert.match(broken.message, /policies\[4\]\.policy/);
});

test('filed_on defaults to the local date', () => {
  const input = f1();
  delete input.filed_on;
  const plan = new Checker().find(input);
  for (const c of plan.claims) {
    assert.ok(!c.report.findings.some((f) => f.rule === 'C00' && f.fields.includes('filed_on')));
    assert.match(c.claim.filed_on, /^\d{4}-\d{2}-\d{2}$/);
  }
});

test('a finder session: set a field, get the new plan', () => {
  const session = new Checker().finderSession(f1(), { locale: 'en' });
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
