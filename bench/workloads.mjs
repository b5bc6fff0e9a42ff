// The workloads of the peer benchmarks (bench/peers.mjs in Node, bench/browser.mjs in Chromium): the worked
// claims, a claim with 200 invoice items, a synthetic set of 10,000 rules over 500 products, and the
// session's single-field update. Pure data builders: no I/O, so a page can import this file too.

/** A P-MED inpatient claim whose one invoice has `n` items (classes A, B, self, nonmedical in turn). */
export function manyItemsClaim(base, n = 200) {
  const claim = structuredClone(base);
  const classes = ['A', 'B', 'self', 'nonmedical'];
  const items = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const fen = 1000 + ((i * 7919) % 50000);
    total += fen;
    items.push({ code: null, name: `item ${i + 1}`, class: classes[i % 4], amount: (fen / 100).toFixed(2) });
  }
  claim.invoices = [{ ...claim.invoices[0], items, total: (total / 100).toFixed(2), fund_paid: '0.00', account_paid: '0.00', other_paid: '0.00' }];
  return claim;
}

const v = (path) => ({ var: path });
const gt = (a, b) => ({ '>': [a, b] });
const lt = (a, b) => ({ '<': [a, b] });

/**
 * The synthetic product set: `products` packs of `rules` rules each, product codes P-SYN-0000 ... (every
 * expression in JSONLogic, so the same pack text runs on our checker and, unchanged, on the peers). The
 * rules are of the kinds the default packs have: date windows, money thresholds over the invoices,
 * ICD-10 ranges, loops over invoices, id checks; thresholds vary with the product and the rule number,
 * so no two packs are alike. Two estimate steps.
 */
export function syntheticPacks(products = 500, rules = 20) {
  const packs = [];
  for (let p = 0; p < products; p++) {
    const id = `P-SYN-${String(p).padStart(4, '0')}`;
    const rs = [];
    for (let r = 0; r < rules; r++) {
      const k = (p * 31 + r * 17) % 97;
      let rule;
      switch (r % 5) {
        case 0:
          rule = { kind: 'E', when: gt({ days_between: [v('policy.effective_on'), v('event.date')] }, k) };
          break;
        case 1:
          rule = { kind: 'K', when: gt(v('derived.total'), { money: [`${100 * k}.00`] }) };
          break;
        case 2:
          rule = {
            kind: 'E',
            when: { some: [v('event.diagnoses'), { icd_in: [v('icd10'), [`C${String(k % 90).padStart(2, '0')}-D48`, 'K80-K87']] }] },
          };
          break;
        case 3:
          rule = {
            kind: 'C',
            each: [{ as: 'inv', in: v('invoices') }],
            when: { and: [gt(v('inv.total'), 100 * k), lt(v('inv.issued_on'), { add_days: [v('event.date'), k] })] },
          };
          break;
        default:
          rule = { kind: 'R', when: { '!': [{ id_valid: [v('insured.id_number')] }] } };
      }
      rs.push({
        id: `${rule.kind}${String(r + 1).padStart(2, '0')}`,
        kind: rule.kind,
        severity: rule.kind === 'K' || rule.kind === 'E' ? 'info' : 'warn',
        ...(rule.each ? { each: rule.each } : {}),
        when: rule.when,
        message: { 'zh-CN': `合成规则 ${r + 1}`, en: `synthetic rule ${r + 1}` },
      });
    }
    packs.push({
      pack: 'preclaim/pack@1',
      id,
      version: '1.0.0',
      title: { 'zh-CN': `合成产品 ${p}`, en: `synthetic product ${p}` },
      products: [id],
      params: {},
      derived: { total: { sum: [v('invoices'), v('total')] } },
      rules: rs,
      estimate: {
        steps: [
          { rule: 'K01', label: { 'zh-CN': '费用合计', en: 'Costs' }, amount: v('derived.total') },
          { rule: 'K02', label: { 'zh-CN': '按比例', en: 'At the ratio' }, amount: { apply_ratio: [v('derived.total'), '0.8'] } },
        ],
      },
    });
  }
  return packs;
}

/** A claim for one synthetic product (a copy of `base` with its product code). */
export function syntheticClaim(base, product = 'P-SYN-0250') {
  const claim = structuredClone(base);
  claim.policy.product = product;
  return claim;
}

/** Our report → { findings: sorted rule ids, payable: fen or null } (what the peers compute). */
export function ourOutcome(report) {
  const payable = report.estimate?.payable;
  return {
    findings: report.findings.map((f) => f.rule).sort(),
    payable: payable === undefined || payable === null ? null : Math.round(Number(payable) * 100),
  };
}

export function peerOutcome(r) {
  return { findings: r.findings.map((f) => f.rule).sort(), payable: r.payable };
}

export function sameOutcome(a, b) {
  return a.payable === b.payable && a.findings.length === b.findings.length && a.findings.every((x, i) => x === b.findings[i]);
}

/** Median and 90th percentile (µs) of `runs` timed calls of f, after a warm-up; `now()` in ms. */
export function timeIt(f, runs, now) {
  const warm = Math.max(3, Math.min(200, runs >> 2));
  for (let i = 0; i < warm; i++) f();
  const t = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const a = now();
    f();
    t[i] = now() - a;
  }
  const mean = (t.reduce((a, b) => a + b, 0) / runs) * 1000;
  t.sort();
  return { median: t[runs >> 1] * 1000, p90: t[Math.min(runs - 1, Math.floor(runs * 0.9))] * 1000, mean };
}

/** The session's single-field update as a table row `[name, ours, peer(k)]`: ours sends one field into
 * WebAssembly and re-checks; the peers have no session, so the equivalent is to change the JS object and
 * check it again (only a peer that agrees with us on the claim is timed). */
export function sessionWorkload(checker, medBase, peers, agrees) {
  const claim = structuredClone(medBase);
  const session = checker.session(claim);
  let i = 0;
  const next = () => (1000 + (i++ % 7)).toFixed(2);
  return [
    'session set(invoices[0].total) + report()',
    () => {
      session.set('invoices[0].total', next());
      session.report();
    },
    (k) =>
      agrees[k].has('med-inpatient-not-settled') &&
      (() => {
        claim.invoices[0].total = next();
        peers[k].check(claim);
      }),
  ];
}
