// Type declarations for preclaim (claim@1 in, report@1 out).

// claim@1 (generated from src/claim/schema.rs: claim.d.ts): Claim, ClaimWithExtras, ClaimFields,
// ClaimPath, Policy, Invoice, ... and the enums (Benefit, DocumentCode, ...).
export * from './claim.js';
import type { Catalog } from './catalog.js';
import type { Benefit, Claim, ClaimFields, ClaimPath, ClaimWithExtras, DocumentCode } from './claim.js';

// Structural stand-ins for the few platform types the API takes, so that these declarations compile with
// `lib: ["ES2022"]` alone (no DOM, no @types/node); the DOM's URL, Response and WebAssembly.Module fit
// them.

/** A URL object. */
export interface URLLike {
  readonly href: string;
}
/** A fetch Response. */
export interface ResponseLike {
  readonly ok: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
}
/** `WebAssembly.Module` when the project's libraries declare it (DOM or Node types), otherwise never. */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: abstract new (...args: never[]) => infer M } } ? M : never;
/** Bytes: an ArrayBuffer or a typed array / DataView. */
export type BufferSourceLike = ArrayBuffer | ArrayBufferView;
/** Where `init()` gets the WebAssembly from. */
export type InitInput = string | URLLike | ResponseLike | PromiseLike<ResponseLike> | BufferSourceLike | WasmModule;

export type PhotoIssue =
  | 'unsupported_type' | 'file_too_large' | 'file_too_small' | 'not_checked' | 'low_resolution' | 'small_in_frame'
  | 'cut_off' | 'dark' | 'overexposed' | 'low_contrast' | 'blur' | 'glare' | 'duplicate' | 'near_duplicate';

/** The result of the photo pre-check of a document (`assessFile`, `assessImageData`). */
export interface PhotoQuality {
  verdict: 'ok' | 'warn' | 'retake';
  issues?: PhotoIssue[] | string[];
  /** The one issue to show first. */
  primary?: string | null;
  details?: { code: string; severity: 'info' | 'warn' | 'retake'; value: number; threshold: number; message: { 'zh-CN': string; en: string } }[];
  metrics?: Record<string, unknown>;
  hashes?: { sha256?: string; dhash64?: string; dhash256?: string };
  [other: string]: unknown;
}


export type Status = 'ineligible' | 'incomplete' | 'review' | 'ready';
export type Route = 'fast_track' | 'standard' | 'manual' | 'none';

export interface Finding {
  /** The rule code, e.g. "C07". */
  rule: string;
  kind: 'completeness' | 'eligibility' | 'calculation' | 'risk';
  severity: 'block' | 'warn' | 'info';
  /** In the requested locale, plain words, ID and card numbers masked. */
  message: string;
  /** Claim field paths the finding is about, e.g. "invoices[1].items[3].amount". */
  fields: string[];
  /** Document codes it asks for. */
  documents: DocumentCode[];
}

export interface EstimateStep {
  rule: string;
  label: string;
  /** Yuan with two decimals, e.g. "9230.00". */
  amount: string;
}

/** A report, report@1. */
export interface Report {
  schema: 'preclaim/report@1';
  product: string | null;
  pack_version: string | null;
  status: Status;
  route: Route;
  findings: Finding[];
  missing_documents: DocumentCode[];
  estimate: { payable: string; steps: EstimateStep[] } | null;
  ignored_fields: string[];
}

export interface CheckOptions {
  /** The language of messages; default "zh-CN". */
  locale?: 'zh-CN' | 'en';
}

export interface PackInfo {
  id: string;
  version: string;
  products: string[];
  /** The benefits the pack's products pay (its `benefits` parameter; what the claim finder offers). */
  benefits: Benefit[];
  title: { 'zh-CN': string; en: string };
}

/** An error from preclaim with a stable `code`. */
export class PreclaimError extends Error {
  readonly code: 'pack.json' | 'pack.format' | 'pack.expr' | 'pack.cycle' | 'pack.limit' | 'pack.signature' | 'pack.compiled' | 'claim.json' | 'claim.too_large' | 'check.budget' | 'check.limit' | 'photo' | 'photo.limit' | 'argument' | 'init' | 'finder.json' | 'finder.input' | 'finder.limit' | JsonLogicErrorCode | CatalogErrorCode;
  /** For pack errors: which pack (index in `fromPacks` or `fromCompiled`; for an embedded default pack, its
   * index among them, and the message names its file), the JSON path, and the 1-based line and column
   * (0 for a compiled pack, which has no text).
   * For finder errors (`finder.input`): the path of the input that is wrong, e.g. "policies[2].insured". */
  readonly pack?: number;
  readonly path?: string;
  readonly line?: number;
  readonly column?: number;
  /** For `jsonlogic.eval`: JSONLogic's error object (`{ type: 'NaN' }`, `{ type: 'Invalid Arguments',
   * message }`, a thrown value as `{ type: value }` unless it is an object with a `type`). */
  readonly error?: { type: unknown; [other: string]: unknown };
}

/** Codes of JSONLogic errors: the rule is not JSON (too deep), an operation is not an object with one key,
 * an operator is unknown or its arguments unusable (with `line` and `column` in the rule's JSON text), the
 * data is not JSON, or the evaluation stopped (with `error`). */
export type JsonLogicErrorCode = 'jsonlogic.json' | 'jsonlogic.syntax' | 'jsonlogic.compile' | 'jsonlogic.data' | 'jsonlogic.eval';

/** JSON data: what a JSONLogic rule is made of and evaluated on. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

import type { Rule } from './compiler.js';
export type { Rule } from './compiler.js';

/** Compiles a JSONLogic rule: an operation, a literal, or an array of rules. preclaim's own operators
 * (dates, money, ID checks; docs/expressions.md) are available besides JSONLogic's. The compiler is the
 * entry `preclaim/compiler` (its own .wasm): Node loads it on first use; in browsers `await init()` from
 * 'preclaim/compiler' first, or this throws a PreclaimError with code "init". */
export function compile(rule: JsonValue | object): Rule;

/** What changed in a session's report since the last `changes()` call. */
export interface ReportChanges {
  /** Whether anything below changed. */
  changed: boolean;
  /** Findings in the report now that were not before (compared whole: a finding whose message changed is
   * removed and added), each with `at`, its index in the new report's `findings`. */
  added: (Finding & { at: number })[];
  removed: Finding[];
  /** Each member of the report that differs, as `{ before, after }` (`before` is null on the first call,
   * which also gives `schema`); absent when unchanged. */
  schema?: { before: null; after: Report['schema'] };
  product?: { before: string | null; after: string | null };
  pack_version?: { before: string | null; after: string | null };
  status?: { before: Status | null; after: Status };
  route?: { before: Route | null; after: Route };
  missing_documents?: { before: DocumentCode[] | null; after: DocumentCode[] };
  estimate?: { before: Report['estimate'] | null; after: Report['estimate'] };
  ignored_fields?: { before: string[] | null; after: string[] };
  /** `estimate.payable` (null when there is no estimate), for a form that shows only the amount. */
  payable?: { before: string | null; after: string | null };
}

/** The report after `changes`, given the report before them (`null` before the first `changes()` call):
 * equal to `session.report()` at that moment, member order included. Neither argument is modified. */
export function applyChanges(report: Report | null, changes: ReportChanges): Report;

export class Session {
  private constructor();
  /** Sets the field at `path` ("invoices[0].total") to a value of its claim@1 type (a `Date` for a date
   * field is taken as its local calendar day); `undefined` removes it. A path outside claim@1 is a type
   * error: cast it (`path as ClaimPath`) to set a newer field. */
  set<P extends ClaimPath>(path: P, value: ClaimFields[P] | undefined): this;
  /** The report of the claim as it is now, deeply frozen (`Object.isFrozen`): what did not change since
   * the previous `report()` is the very same object (a finding, the estimate, the whole report when nothing
   * changed), so `===` tells a form what to redraw. Copy it (`structuredClone`) to modify it. */
  report(): Report;
  /** The claim as it is now (with any field it was given, claim@1 or not). */
  claim(): ClaimWithExtras;
  /** What changed in the report since the last call (the first call: everything, from nothing). */
  changes(): ReportChanges;
  setLocale(locale: 'zh-CN' | 'en'): this;
  /** Releases the WebAssembly memory now; later calls throw a TypeError, a second free() does nothing. */
  free(): void;
}


export class Checker {
  /** A checker with the embedded default packs. */
  constructor();
  /** A checker with your own packs (objects or JSON strings). With `publicKeys` (Ed25519, 64 hex digits
   * each), a signed pack must verify with one of them; with `requireSignature`, unsigned packs are refused.
   * A misspelt option, or one of the wrong type (`requireSignature: "true"`), throws a TypeError. The packs
   * are compiled by `preclaim/compiler` (Node loads it on first use; browsers `await init()` from it first,
   * or this throws code "init"). */
  static fromPacks(packs: ReadonlyArray<object | string>, options?: { publicKeys?: string[]; requireSignature?: boolean }): Checker;
  /** A checker with packs in their compiled form (`preclaim pack compile PACK.json`), e.g. fetched as
   * `new Uint8Array(await (await fetch(url)).arrayBuffer())`: decoded and checked, not compiled. A damaged
   * pack, or one compiled by another preclaim version, throws code `pack.compiled` (`pack`: its index).
   * Compiled packs carry no signature: see the README on where they may come from. */
  static fromCompiled(packs: ReadonlyArray<Uint8Array | ArrayBuffer>): Checker;
  check(claim: Claim, options?: CheckOptions): Report;
  /** The same report as `check`, as JSON text. A text that is not JSON throws code `claim.json`; one over
   * 64 MiB throws code `claim.too_large`. */
  checkJson(claimJson: string, options?: CheckOptions): string;
  session(claim: Claim, options?: CheckOptions): Session;
  packs(): PackInfo[];
  /** Loads a medical catalog for the rules (replacing one of the same kind): a `Catalog` of
   * `preclaim/catalog`, or the catalog file's bytes (then that module is not needed). */
  attachCatalog(catalog: Catalog | Uint8Array | ArrayBuffer): this;
  detachCatalog(kind: CatalogKind): this;
  /** The kinds of catalog loaded. */
  catalogs(): CatalogKind[];
  /** Releases the WebAssembly memory now (sessions keep working); later calls throw a TypeError, a second
   * free() does nothing. */
  free(): void;
}

export type CatalogKind = 'diagnosis' | 'item';
export type CatalogErrorCode =
  | 'E_CATALOG_MAGIC' | 'E_CATALOG_VERSION' | 'E_CATALOG_KIND' | 'E_CATALOG_TRUNCATED'
  | 'E_CATALOG_TRAILING' | 'E_CATALOG_CHECKSUM' | 'E_CATALOG_MALFORMED';

export function version(): string;

/** Every limit on inputs, by name (src/limits.rs; SECURITY.md says what happens past each one):
 * `MAX_CLAIM_BYTES`, `MAX_CLAIM_DEPTH`, `MAX_CLAIM_VALUES`, `MAX_LIST_LEN`, `MAX_RECORDS`, `MAX_PATH_SEGMENTS`,
 * `MAX_PATH_BYTES`, `MAX_MESSAGE_BYTES`, `MAX_FINDINGS`, `MAX_REPORT_BYTES`, `CHECK_BUDGET`,
 * `MAX_PACK_BYTES`, `MAX_PHOTO_FILE_BYTES`, … */
export function limits(): Readonly<Record<string, number>>;
/** Today on the device as YYYY-MM-DD (local time). */
export function localDate(d?: Date): string;
/** Loads the WebAssembly module (browsers, bundlers, workers); not needed in Node. */
export default function init(input?: InitInput): Promise<void>;
export function initSync(module: BufferSourceLike | WasmModule): void;
