// preclaim/finder: the claim finder (finder@1 → plan@1), with a WebAssembly module of its own that holds
// the checker too (`await init()` first in browsers; the Node entry loads it on import).
import type { BufferSourceLike, CatalogKind, CheckOptions, InitInput, PackInfo, Report, Status, WasmModule } from './index.js';
import type { Catalog } from './catalog.js';
import type { Benefit, Cause, Claim, ClaimDocument, ClaimEvent, DateString, DocumentCode, Insured, Invoice, Policy } from './claim.js';
export { PreclaimError, localDate } from './index.js';

/** One policy the customer holds, in a finder input. */
export interface FinderPolicy {
  /** Unique among the policies; the plan names claims by it. */
  key: string;
  /** A key of `people`: whom the policy insures. */
  insured: string;
  /** The claim@1 `policy` object; `product` selects the pack. */
  policy: Policy;
  /** For death claims. */
  beneficiaries?: { name?: string | null; id_number?: string | null; relation?: string | null }[] | null;
  estate?: boolean | null;
  [unknown: string]: unknown;
}

/** The claim finder's input, finder@1: the people, their policies, one event with its invoices and
 * documents. Everything but `people`, `policies` and `event` is as in claim@1 and shared by every claim. */
export interface FinderInput {
  schema: 'preclaim/finder@1';
  /** The day of the check; filled with today's local date by `find` when absent. */
  filed_on?: DateString | null;
  reported_on?: DateString | null;
  /** The insured persons the app knows, by a key of the app's choosing. */
  people: Record<string, Insured>;
  policies: FinderPolicy[];
  /** claim@1's event plus whose event it is and its cause. */
  event: ClaimEvent & { insured: string; cause: Cause };
  applicant?: Claim['applicant'];
  payee?: Claim['payee'];
  hospital?: Claim['hospital'];
  stay?: Claim['stay'];
  invoices?: Invoice[] | null;
  documents?: ClaimDocument[] | null;
  history?: Claim['history'];
  [unknown: string]: unknown;
}

/** A claim the plan proposes to file. */
export interface PlannedClaim {
  /** The policy's key. */
  policy: string;
  product: string;
  benefit: Benefit;
  /** Filing order among the medical reimbursement claims (1, 2, …); null for fixed benefits. */
  order: number | null;
  /** Keys of the policies whose payout this claim deducts: file it after them, with their apportionment
   * statement (D12). */
  after: string[];
  status: Status;
  /** Yuan, e.g. "1000.00"; null when the estimate cannot be computed (counted as 0.00 in the total). */
  payable: string | null;
  /** The assembled claim@1, ready to file (medical claims carry the earlier payouts in `other_paid`). */
  claim: Claim;
  report: Report;
}

export type SkipReason = 'other_insured' | 'no_benefit' | 'no_pack' | 'invalid' | 'ineligible' | 'nothing_payable';

/** A policy, or one claim of it, that the plan does not file. */
export interface SkippedPolicy {
  policy: string | null;
  product: string | null;
  benefit: Benefit | null;
  reason: SkipReason;
  /** Why, in plain words, in the requested locale. */
  message: string;
  /** The claim's report for `ineligible` and `nothing_payable`; otherwise null. */
  report: Report | null;
}

/** The claim finder's answer, plan@1. */
export interface Plan {
  schema: 'preclaim/plan@1';
  /** Medical claims in filing order, then fixed-benefit claims. */
  claims: PlannedClaim[];
  skipped: SkippedPolicy[];
  /** Every document still missing, once, sorted, with the policies whose claims need it. */
  documents: { type: DocumentCode; claims: string[] }[];
  total_payable: string;
  /** False with more than 6 medical claims (or very large invoices): the input order was used. */
  order_searched: boolean;
  /** What the chosen order pays more than the input order. */
  order_gain: string;
  /** Input fields that are not part of finder@1. */
  ignored_fields: string[];
}

/** A finder input being edited in a form (`finder.session(input)`). */
export class FinderSession {
  private constructor();
  /** Sets the field at `path` ("policies[1].policy.paid_this_year"); `undefined` removes it. */
  set(path: string, value: unknown): this;
  plan(): Plan;
  input(): FinderInput;
  setLocale(locale: 'zh-CN' | 'en'): this;
  free(): void;
}

/** The claim finder over rule packs: the six embedded default packs, or an insurer's own. */
export class Finder {
  /** A finder with the embedded default packs. */
  constructor();
  /** A finder with your own packs, with the options of `Checker.fromPacks`. */
  static fromPacks(packs: ReadonlyArray<object | string>, options?: { publicKeys?: string[]; requireSignature?: boolean }): Finder;
  /** A finder with packs in their compiled form (`preclaim pack compile`), as `Checker.fromCompiled`. */
  static fromCompiled(packs: ReadonlyArray<Uint8Array | ArrayBuffer>): Finder;
  /** Which policies pay for the event, in which order, what each still needs. */
  find(input: FinderInput, options?: CheckOptions): Plan;
  findJson(inputJson: string, options?: CheckOptions): string;
  /** A finder session: set a field, get the new plan. */
  session(input: FinderInput, options?: CheckOptions): FinderSession;
  packs(): PackInfo[];
  attachCatalog(catalog: Catalog | Uint8Array | ArrayBuffer): this;
  detachCatalog(kind: CatalogKind): this;
  /** The kinds of catalog loaded. */
  catalogs(): CatalogKind[];
  /** Releases the WebAssembly memory now; later calls throw a TypeError, a second free() does nothing. */
  free(): void;
}

/** Loads the finder's WebAssembly module (browsers, bundlers, workers); not needed in Node. */
export default function init(input?: InitInput): Promise<void>;
export function initSync(module: BufferSourceLike | WasmModule): void;
