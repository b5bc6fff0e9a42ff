import type { Claim } from 'preclaim';

// `satisfies Claim`: a misspelt key or a wrong value is a type error, and the literal types are kept.
export const claim = {
  schema: 'preclaim/claim@1',
  filed_on: '2025-04-18',
  benefit: 'outpatient',
  cause: 'accident',
  event: { date: '2025-04-12', diagnoses: [{ icd10: 'S62.1', primary: true }] },
  policy: { product: 'P-ACC', effective_on: '2025-01-01', expires_on: '2025-12-31', sum_insured: '5000.00' },
  invoices: [{ visit: 'outpatient', issued_on: '2025-04-12', total: '300.00' }],
} satisfies Claim;
