// Node tests of session.changes(): what changed in the report since the last call, checked against the
// full reports over a sequence of edits (the previous findings minus `removed` plus `added` must be the
// report's findings, as multisets; every other member and payable is given exactly when it differs), and
// applyChanges(previous report, changes) must give the report itself, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Checker, applyChanges } from 'preclaim';

const root = new URL('../../', import.meta.url);
const claimOf = (f) => JSON.parse(readFileSync(new URL(`examples/${f}`, root), 'utf8'));
const key = (f) => JSON.stringify(f);
const payableOf = (r) => r.estimate?.payable ?? null;

function applied(before, changes) {
  const left = before.map(key);
  for (const f of changes.removed) {
    const i = left.indexOf(key(f));
    assert.notEqual(i, -1, `removed finding ${key(f)} was not in the previous report`);
    left.splice(i, 1);
  }
  return [...left, ...changes.added.map(({ at, ...f }) => key(f))].sort();
}

const MEMBERS = ['product', 'pack_version', 'status', 'route', 'missing_documents', 'estimate', 'ignored_fields'];

function expectConsistent(prev, changes, now) {
  assert.deepEqual(applied(prev ? prev.findings : [], changes), now.findings.map(key).sort());
  for (const { at, ...f } of changes.added) assert.equal(key(now.findings[at]), key(f), `added finding at ${at}`);
  const reads = [...MEMBERS.map((m) => [m, (r) => r[m]]), ['payable', payableOf]];
  for (const [name, read] of reads) {
    const [b, a] = [prev ? read(prev) : null, read(now)];
    if (key(b) === key(a)) assert.equal(changes[name], undefined, name);
    else assert.deepEqual(changes[name], { before: b, after: a }, name);
  }
  const any = changes.added.length + changes.removed.length > 0 || reads.some(([k]) => k in changes);
  assert.equal(changes.changed, any);
  assert.equal(JSON.stringify(applyChanges(prev, changes)), JSON.stringify(now), 'applyChanges gives the report');
}

test('changes(): the first call lists everything, a second call nothing', () => {
  const s = new Checker().session(claimOf('med-inpatient-not-settled.json'), { locale: 'en' });
  const report = s.report();
  const first = s.changes();
  expectConsistent(null, first, report);
  assert.equal(first.changed, true);
  assert.deepEqual(s.changes(), { changed: false, added: [], removed: [] });
  s.free();
});

test('changes() over a sequence of edits agrees with the full reports', () => {
  const claim = claimOf('acc-outpatient-child.json');
  const s = new Checker().session(claim, { locale: 'en' });
  s.changes();
  let prev = s.report();
  const edits = [
    ['invoices[0].items[0].amount', '125.00'],
    ['documents', []],
    ['policy.expires_on', '2000-01-01'],
    ['policy.expires_on', claim.policy.expires_on],
    ['insured.id_number', '110101199001011234'],
    ['benefit', 'death'],
    ['benefit', claim.benefit],
    ['documents', claim.documents],
    ['invoices[0].total', 'not money'],
  ];
  let payableSeen = false;
  for (const [path, value] of edits) {
    s.set(path, value);
    const changes = s.changes();
    const now = s.report();
    expectConsistent(prev, changes, now);
    payableSeen ||= 'payable' in changes;
    prev = now;
  }
  assert.ok(payableSeen, 'some edit changed the payable amount');
  s.setLocale('zh-CN');
  const relabelled = s.changes();
  assert.equal(relabelled.added.length, relabelled.removed.length, 'a new language replaces each message');
  s.free();
});

test('applyChanges folds changes() into the report a form keeps, without pulling report()', () => {
  const claim = claimOf('med-inpatient-not-settled.json');
  const s = new Checker().session(claim, { locale: 'zh-CN' });
  let kept = applyChanges(null, s.changes());
  for (const [path, value] of [
    ['invoices[0].total', '1.00'],
    ['documents', []],
    ['payee.bank_name', 'x'],
    ['invoices[0].total', claim.invoices[0].total],
    ['documents', claim.documents],
  ]) {
    s.set(path, value);
    kept = applyChanges(kept, s.changes());
  }
  s.setLocale('en');
  kept = applyChanges(kept, s.changes());
  assert.equal(JSON.stringify(kept), JSON.stringify(s.report()));
  assert.throws(() => applyChanges(kept, null), TypeError);
  assert.throws(() => applyChanges({}, s.changes()), TypeError);
  s.set('documents', []);
  const gone = s.changes();
  assert.ok(gone.removed.length > 0 || gone.added.length > 0);
  assert.throws(() => applyChanges({ ...kept, findings: [] }, { ...gone, removed: [kept.findings[0] ?? { rule: 'none' }] }), /another report/);
  s.free();
});

test('report() over edits equals a full check, frozen, with unchanged parts the same objects', () => {
  const checker = new Checker();
  const claim = claimOf('med-inpatient-not-settled.json');
  const s = checker.session(claim, { locale: 'en' });
  let prev = s.report();
  assert.ok(Object.isFrozen(prev) && Object.isFrozen(prev.findings) && Object.isFrozen(prev.findings[0]));
  assert.throws(() => {
    'use strict';
    prev.findings.push({});
  }, TypeError);
  assert.equal(s.report(), prev, 'nothing changed: the same object');
  const edits = [
    ['invoices[0].total', '1.00'],
    ['invoices[0].items[0].amount', '99.00'],
    ['invoices[1]', { visit: 'outpatient', issued_on: '2025-04-13', total: '20.00' }],
    ['invoices[1].total', '21.00'],
    ['invoices[1]', undefined],
    ['payee.bank_name', 'x'],
    ['documents', []],
    ['benefit', 'outpatient'],
    ['benefit', claim.benefit],
    ['documents', claim.documents],
    ['policy.product', 'P-ACC'],
    ['policy.product', claim.policy.product],
  ];
  const now = structuredClone(claim);
  for (const [path, value] of edits) {
    s.set(path, value);
    const m = /^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?(?:\[(\d+)\])?(?:\.(\w+))?$/.exec(path);
    const keys = m.slice(1).filter((k) => k !== undefined).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    let o = now;
    for (const k of keys.slice(0, -1)) o = o[k];
    const last = keys.at(-1);
    if (value === undefined) Array.isArray(o) ? o.splice(last, 1) : delete o[last];
    else o[last] = structuredClone(value);
    const report = s.report();
    assert.equal(JSON.stringify(report), JSON.stringify(checker.check(now, { locale: 'en' })), `after ${path}`);
    assert.ok(Object.isFrozen(report) && report.findings.every(Object.isFrozen));
    for (const f of report.findings) {
      const same = prev.findings.find((p) => JSON.stringify(p) === JSON.stringify(f));
      if (same) assert.ok(report.findings.includes(same) || prev.findings.filter((p) => JSON.stringify(p) === JSON.stringify(f)).length > 1, `an unchanged finding is shared (${f.rule})`);
    }
    prev = report;
  }
  s.setLocale('zh-CN');
  assert.equal(JSON.stringify(s.report()), JSON.stringify(checker.check(now, { locale: 'zh-CN' })));
  s.free();
});
