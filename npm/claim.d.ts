// GENERATED from src/claim/schema.rs by `preclaim schema --ts`; do not edit (tests/claim_schema_export.rs
// checks it). claim@1 as TypeScript types: exact interfaces, and the field paths a session can set.

import type { PhotoQuality } from './index.js';

/** A calendar date, "YYYY-MM-DD". */
export type DateString = string;
/** Money in yuan: a string with at most two decimals ("1234.50") or a number; never negative. */
export type Money = string | number;

export type Benefit = 'inpatient' | 'outpatient' | 'critical_illness' | 'disability' | 'death' | 'hospital_cash';
export type Cause = 'illness' | 'accident';
export type IdType = 'resident_id' | 'household_register' | 'passport' | 'other';
export type Relation = 'self' | 'guardian' | 'spouse' | 'parent' | 'child' | 'beneficiary' | 'heir' | 'agent';
export type HospitalLevel = '3A' | '3B' | '3C' | '3' | '2A' | '2B' | '2C' | '2' | '1' | 'unrated';
export type Department = 'general' | 'special_needs' | 'international' | 'vip';
export type ItemClass = 'A' | 'B' | 'self' | 'nonmedical';
export type DocumentCode = 'D01' | 'D02' | 'D03' | 'D04' | 'D05' | 'D06' | 'D07' | 'D08' | 'D09' | 'D10' | 'D11' | 'D12' | 'D13' | 'D14' | 'D15' | 'D16' | 'D17' | 'D18' | 'D19' | 'D20' | 'D21' | 'D22';
export type DeathManner = 'natural' | 'accident' | 'suicide' | 'declared';

export interface Diagnosis {
  icd10?: string | null;
  icdo3?: string | null;
  primary?: boolean | null;
}

export interface Accident {
  kind?: string | null;
  description?: string | null;
}

export interface ClaimEvent {
  date?: DateString | null;
  diagnoses?: Diagnosis[] | null;
  accident?: Accident | null;
  disability_grade?: number | null;
  death_manner?: DeathManner | null;
}

export interface Policy {
  number?: string | null;
  product?: string | null;
  effective_on?: DateString | null;
  expires_on?: DateString | null;
  continuous_since?: DateString | null;
  reinstated_on?: DateString | null;
  sum_insured?: Money | null;
  unpaid_premium?: Money | null;
  premium_due_on?: DateString | null;
  paid_this_year?: Money | null;
  deductible_used?: Money | null;
  cash_days_paid_this_year?: number | null;
  social_insurance?: boolean | null;
}

export interface Insured {
  name?: string | null;
  id_type?: IdType | null;
  id_number?: string | null;
  birth_date?: DateString | null;
  sex?: 'M' | 'F' | null;
}

export interface Applicant {
  relation?: Relation | null;
  name?: string | null;
  id_type?: IdType | null;
  id_number?: string | null;
  birth_date?: DateString | null;
}

export interface Payee {
  name?: string | null;
  bank_card?: string | null;
  bank_name?: string | null;
}

export interface Beneficiary {
  name?: string | null;
  id_number?: string | null;
  relation?: string | null;
}

export interface Hospital {
  name?: string | null;
  level?: HospitalLevel | null;
  public?: boolean | null;
  department?: Department | null;
}

export interface Stay {
  admitted_on?: DateString | null;
  discharged_on?: DateString | null;
}

export interface InvoiceItem {
  code?: string | null;
  name?: string | null;
  class?: ItemClass | null;
  amount?: Money | null;
  self_pay_first?: Money | null;
}

export interface Invoice {
  code?: string | null;
  number?: string | null;
  check_code?: string | null;
  visit?: 'inpatient' | 'outpatient' | null;
  visit_on?: DateString | null;
  issued_on?: DateString | null;
  patient_name?: string | null;
  total?: Money | null;
  fund_paid?: Money | null;
  account_paid?: Money | null;
  other_paid?: Money | null;
  items?: InvoiceItem[] | null;
}

export interface ClaimDocument {
  type?: DocumentCode | null;
  file?: string | null;
  mime?: string | null;
  bytes?: number | null;
  width?: number | null;
  height?: number | null;
  pages?: number | null;
  sha256?: string | null;
  quality?: PhotoQuality | null;
}

export interface PriorVisit {
  date?: DateString | null;
  icd10?: string | null;
}

export interface History {
  used_invoices?: string[] | null;
  prior_visits?: PriorVisit[] | null;
}

/** A claim, claim@1: exact (a key that is not a claim@1 field is a type error; see
 * `ClaimWithExtras`). Every field may be absent or null. */
export interface Claim {
  schema?: 'preclaim/claim@1' | null;
  filed_on?: DateString | null;
  reported_on?: DateString | null;
  benefit?: Benefit | null;
  cause?: Cause | null;
  event?: ClaimEvent | null;
  policy?: Policy | null;
  insured?: Insured | null;
  applicant?: Applicant | null;
  payee?: Payee | null;
  beneficiaries?: Beneficiary[] | null;
  estate?: boolean | null;
  hospital?: Hospital | null;
  stay?: Stay | null;
  invoices?: Invoice[] | null;
  documents?: ClaimDocument[] | null;
  history?: History | null;
}

/** A claim with fields newer than this version of the types (or an app's own): the claim@1 fields
 * are still checked, other keys are allowed (the checker lists them in `ignored_fields`). */
export type ClaimWithExtras = Claim & { [key: string]: unknown };

/** Every field path a session can set (`session.set(path, value)`), with the type of its value: list
 * items by index (`invoices[0].items[2].amount`); a date field also takes a `Date` (its local calendar
 * day is used). */
export interface ClaimFields {
  'schema': 'preclaim/claim@1' | null;
  'filed_on': DateString | Date | null;
  'reported_on': DateString | Date | null;
  'benefit': Benefit | null;
  'cause': Cause | null;
  'event': ClaimEvent | null;
  'event.date': DateString | Date | null;
  'event.diagnoses': Diagnosis[] | null;
  [path: `event.diagnoses[${number}]`]: Diagnosis | null;
  [path: `event.diagnoses[${number}].icd10`]: string | null;
  [path: `event.diagnoses[${number}].icdo3`]: string | null;
  [path: `event.diagnoses[${number}].primary`]: boolean | null;
  'event.accident': Accident | null;
  'event.accident.kind': string | null;
  'event.accident.description': string | null;
  'event.disability_grade': number | null;
  'event.death_manner': DeathManner | null;
  'policy': Policy | null;
  'policy.number': string | null;
  'policy.product': string | null;
  'policy.effective_on': DateString | Date | null;
  'policy.expires_on': DateString | Date | null;
  'policy.continuous_since': DateString | Date | null;
  'policy.reinstated_on': DateString | Date | null;
  'policy.sum_insured': Money | null;
  'policy.unpaid_premium': Money | null;
  'policy.premium_due_on': DateString | Date | null;
  'policy.paid_this_year': Money | null;
  'policy.deductible_used': Money | null;
  'policy.cash_days_paid_this_year': number | null;
  'policy.social_insurance': boolean | null;
  'insured': Insured | null;
  'insured.name': string | null;
  'insured.id_type': IdType | null;
  'insured.id_number': string | null;
  'insured.birth_date': DateString | Date | null;
  'insured.sex': 'M' | 'F' | null;
  'applicant': Applicant | null;
  'applicant.relation': Relation | null;
  'applicant.name': string | null;
  'applicant.id_type': IdType | null;
  'applicant.id_number': string | null;
  'applicant.birth_date': DateString | Date | null;
  'payee': Payee | null;
  'payee.name': string | null;
  'payee.bank_card': string | null;
  'payee.bank_name': string | null;
  'beneficiaries': Beneficiary[] | null;
  [path: `beneficiaries[${number}]`]: Beneficiary | null;
  [path: `beneficiaries[${number}].name`]: string | null;
  [path: `beneficiaries[${number}].id_number`]: string | null;
  [path: `beneficiaries[${number}].relation`]: string | null;
  'estate': boolean | null;
  'hospital': Hospital | null;
  'hospital.name': string | null;
  'hospital.level': HospitalLevel | null;
  'hospital.public': boolean | null;
  'hospital.department': Department | null;
  'stay': Stay | null;
  'stay.admitted_on': DateString | Date | null;
  'stay.discharged_on': DateString | Date | null;
  'invoices': Invoice[] | null;
  [path: `invoices[${number}]`]: Invoice | null;
  [path: `invoices[${number}].code`]: string | null;
  [path: `invoices[${number}].number`]: string | null;
  [path: `invoices[${number}].check_code`]: string | null;
  [path: `invoices[${number}].visit`]: 'inpatient' | 'outpatient' | null;
  [path: `invoices[${number}].visit_on`]: DateString | Date | null;
  [path: `invoices[${number}].issued_on`]: DateString | Date | null;
  [path: `invoices[${number}].patient_name`]: string | null;
  [path: `invoices[${number}].total`]: Money | null;
  [path: `invoices[${number}].fund_paid`]: Money | null;
  [path: `invoices[${number}].account_paid`]: Money | null;
  [path: `invoices[${number}].other_paid`]: Money | null;
  [path: `invoices[${number}].items`]: InvoiceItem[] | null;
  [path: `invoices[${number}].items[${number}]`]: InvoiceItem | null;
  [path: `invoices[${number}].items[${number}].code`]: string | null;
  [path: `invoices[${number}].items[${number}].name`]: string | null;
  [path: `invoices[${number}].items[${number}].class`]: ItemClass | null;
  [path: `invoices[${number}].items[${number}].amount`]: Money | null;
  [path: `invoices[${number}].items[${number}].self_pay_first`]: Money | null;
  'documents': ClaimDocument[] | null;
  [path: `documents[${number}]`]: ClaimDocument | null;
  [path: `documents[${number}].type`]: DocumentCode | null;
  [path: `documents[${number}].file`]: string | null;
  [path: `documents[${number}].mime`]: string | null;
  [path: `documents[${number}].bytes`]: number | null;
  [path: `documents[${number}].width`]: number | null;
  [path: `documents[${number}].height`]: number | null;
  [path: `documents[${number}].pages`]: number | null;
  [path: `documents[${number}].sha256`]: string | null;
  [path: `documents[${number}].quality`]: PhotoQuality | null;
  'history': History | null;
  'history.used_invoices': string[] | null;
  [path: `history.used_invoices[${number}]`]: string | null;
  'history.prior_visits': PriorVisit[] | null;
  [path: `history.prior_visits[${number}]`]: PriorVisit | null;
  [path: `history.prior_visits[${number}].date`]: DateString | Date | null;
  [path: `history.prior_visits[${number}].icd10`]: string | null;
}

/** A claim@1 field path, e.g. `"policy.effective_on"` or `"invoices[0].total"`. */
export type ClaimPath = keyof ClaimFields;
