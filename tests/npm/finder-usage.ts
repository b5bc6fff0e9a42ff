// A TypeScript user of the claim finder: compiled with `tsc --noEmit`, so the declarations must describe
// finder@1 and plan@1 precisely.
import { Finder, PreclaimError, type FinderInput, type Plan, type PlannedClaim, type SkipReason } from 'preclaim/finder';

const input: FinderInput = {
  schema: 'preclaim/finder@1',
  people: { me: { name: '王某', id_type: 'resident_id', id_number: '110101198001010010' } },
  policies: [
    { key: 'med', insured: 'me', policy: { product: 'P-MED', effective_on: '2024-01-01', expires_on: '2024-12-31' }, nickname: '百万医疗' },
  ],
  event: { insured: 'me', cause: 'accident', date: '2024-08-01', diagnoses: [{ icd10: 'S52.500' }] },
  stay: { admitted_on: '2024-08-01', discharged_on: '2024-08-06' },
  invoices: [{ visit: 'inpatient', total: '20000.00', fund_paid: '8000.00' }],
};
const finder = new Finder();
try {
  const plan: Plan = finder.find(input, { locale: 'en' });
  const first: PlannedClaim | undefined = plan.claims[0];
  const order: number | null = first?.order ?? null;
  const after: string[] = first?.after ?? [];
  const reasons: SkipReason[] = plan.skipped.map((s) => s.reason);
  const needs: string[] = plan.documents.map((d) => `${d.type}: ${d.claims.join(', ')}`);
  console.log(order, after, reasons, needs, plan.total_payable, plan.order_gain, plan.order_searched);
} catch (e) {
  if (e instanceof PreclaimError && e.code === 'finder.input') console.log(e.path);
}
const session = finder.session(input);
const again: Plan = session.set('policies[0].policy.deductible_used', '10000.00').plan();
console.log(again.claims.length);
// @ts-expect-error: the event needs its insured and cause
const bad: FinderInput = { schema: 'preclaim/finder@1', people: {}, policies: [], event: { date: '2024-08-01' } };
console.log(bad);
