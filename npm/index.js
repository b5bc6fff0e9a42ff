// preclaim: the public JavaScript API over the WebAssembly core (the wasm-bindgen glue is ./preclaim.js).
// The claim finder (preclaim/finder) and the pack and rule compiler (preclaim/compiler) are entries with
// WebAssembly modules of their own.
// Claims cross into WebAssembly as one JSON string and reports come back as one; misuse throws a TypeError,
// a bad pack or claim text throws a PreclaimError with a stable `code`. Works in browsers, bundlers,
// Web Workers and webviews (call `await init()` once first); in Node use the package's node entry, which
// initialises itself.

import initGlue, { initSync as initGlueSync, WasmChecker, version as wasmVersion, limitsJson } from './preclaim.js';

import { PreclaimError, call, loaders, shown, notLoaded } from './shared.js';
import { Handle, LIVE, PackHolder, localDate, jsonOf, localeOf, compiledPacks, compilerApi, setField } from './checker-shared.js';

export { PreclaimError, localDate };

/** Whether init() or initSync() has loaded the WebAssembly module (the Node entry does it on import). */
let ready = false;

/** Throws, before any call into WebAssembly, when the module is not loaded yet. */
function loaded() {
  if (!ready) throw notLoaded('preclaim');
}

function claimText(claim, method) {
  if (typeof claim === 'string') {
    throw new TypeError(`preclaim: ${method} takes a claim object; for JSON text use checker.checkJson(text)`);
  }
  if (claim === null || typeof claim !== 'object' || Array.isArray(claim)) {
    throw new TypeError(`preclaim: ${method} takes a claim object (claim@1), not ${shown(claim)}`);
  }
  // `filed_on` ("today") is never filled in here: check(obj) and checkJson(text) give the same report for
  // the same claim (a missing one is a C00 finding). A form fills it, e.g. with localDate().
  return jsonOf(claim, 'the claim');
}

const PRIVATE = Symbol('preclaim.inner');

/** report@1's members in their order (a report rebuilt from nothing by `applyChanges` keeps it). */
const REPORT_MEMBERS = ['schema', 'product', 'pack_version', 'status', 'route', 'findings', 'missing_documents', 'estimate', 'ignored_fields'];

/** The report after `changes` (from `session.changes()`), given the report before them (`null` for the first
 * `changes()` call): equal to what `session.report()` returns then, member order included. Pure: neither
 * argument is modified. Findings matched whole, as `changes()` does; each added one goes to its `at`. */
export function applyChanges(report, changes) {
  if (report !== null && (typeof report !== 'object' || !Array.isArray(report.findings))) {
    throw new TypeError('preclaim: applyChanges takes the previous report (or null) and session.changes()');
  }
  if (typeof changes !== 'object' || changes === null || !Array.isArray(changes.added) || !Array.isArray(changes.removed)) {
    throw new TypeError('preclaim: applyChanges takes the result of session.changes() as its second argument');
  }
  const findings = report === null ? [] : [...report.findings];
  const keys = findings.map((f) => JSON.stringify(f));
  for (const f of changes.removed) {
    const i = keys.indexOf(JSON.stringify(f));
    if (i < 0) throw new TypeError('preclaim: applyChanges was given changes of another report (a removed finding is not in it)');
    keys.splice(i, 1);
    findings.splice(i, 1);
  }
  for (const { at, ...f } of changes.added) findings.splice(at, 0, f);
  const out = {};
  const members = report === null ? REPORT_MEMBERS.filter((k) => k in changes || k === 'findings') : Object.keys(report);
  for (const k of Object.keys(changes)) {
    if (!['changed', 'added', 'removed', 'payable'].includes(k) && !members.includes(k)) members.push(k);
  }
  for (const k of members) {
    if (k === 'findings') out.findings = findings;
    else if (k in changes) out[k] = changes[k].after;
    else out[k] = report[k];
  }
  return out;
}

/** Freezes a value parsed from JSON and everything in it. */
function deepFreeze(v) {
  if (typeof v === 'object' && v !== null) {
    for (const k in v) deepFreeze(v[k]);
    Object.freeze(v);
  }
  return v;
}

/** The report after a delta of `reportDelta()` (src/check/changes.rs, `delta`): `{}` changes nothing,
 * `{full}` is the whole report, else `m` the changed members, `r` the indices of the findings removed and
 * `a` the findings added (`[at, finding]`). Unchanged members and findings stay the same objects. */
function patchReport(prev, d) {
  if (d.full !== undefined) return deepFreeze(d.full);
  const out = {};
  for (const k of Object.keys(prev)) out[k] = d.m !== undefined && Object.hasOwn(d.m, k) ? deepFreeze(d.m[k]) : prev[k];
  if (d.r !== undefined || d.a !== undefined) {
    const findings = prev.findings.slice();
    for (let i = (d.r?.length ?? 0) - 1; i >= 0; i--) findings.splice(d.r[i], 1);
    for (const [at, f] of d.a ?? []) findings.splice(at, 0, deepFreeze(f));
    out.findings = Object.freeze(findings);
  }
  return Object.freeze(out);
}

/** A claim being edited in a form: the claim stays inside WebAssembly; each `set` sends one field. */
export class Session extends Handle {
  /** The report returned last (frozen), which `reportDelta()` gives the changes to. */
  #shown = null;

  constructor(token, inner) {
    if (token !== PRIVATE) throw new TypeError('preclaim: create a session with checker.session(claim)');
    super(inner, 'session');
  }

  /** Sets the field at `path` (like "invoices[0].total") to `value`; `undefined` removes it. */
  set(path, value) {
    setField(this[LIVE](), path, value);
    return this;
  }

  /** The report (report@1) of the claim as it is now, frozen (deeply): the parts that did not change since
   * the previous `report()` are the very objects it returned (a form can compare them with `===`), and only
   * what changed crosses from WebAssembly and is parsed. */
  report() {
    const text = call(() => this[LIVE]().reportDelta());
    if (text !== '{}') this.#shown = patchReport(this.#shown, JSON.parse(text));
    return this.#shown;
  }

  /** What changed in the report since the last call to changes() (the first call: since nothing):
   * `{ changed, added, removed, status?, route?, missing_documents?, estimate?, ..., payable? }` — the
   * findings added (each with `at`, its index in the new report) and removed, and `{ before, after }` for
   * each member of the report that differs. `applyChanges(previous, changes)` gives the new report. */
  changes() {
    return JSON.parse(call(() => this[LIVE]().changes()));
  }

  /** The claim as it is now. */
  claim() {
    return JSON.parse(this[LIVE]().claimJson());
  }

  /** Changes the language of messages ("zh-CN" or "en"). */
  setLocale(locale) {
    const l = localeOf({ locale }, 'setLocale');
    call(() => this[LIVE]().setLocale(l));
    return this;
  }

}

/** Checks claims against rule packs: the six embedded default packs, or an insurer's own. */
export class Checker extends PackHolder {
  /** A checker with the embedded default packs. */
  constructor(token, inner) {
    if (token !== PRIVATE) loaded();
    super(token === PRIVATE ? inner : call(() => new WasmChecker()), 'checker');
  }

  /** A checker with your own packs (objects or JSON strings). Throws a PreclaimError naming the pack,
   * the JSON path and the line and column of the first problem. With `{ publicKeys: [hex, ...] }` a
   * signed pack must verify with one of the keys; with `requireSignature: true` unsigned packs are refused
   * (code "pack.signature"). Options are checked: `requireSignature` must be true or false and
   * `publicKeys` an array of strings, or a TypeError is thrown (never a silent "no"). The packs are
   * compiled by `preclaim/compiler` (`compilePacks`), an entry of its own: Node loads it on first use,
   * browsers `await init()` from 'preclaim/compiler' first (or ship compiled packs: `fromCompiled`). */
  static fromPacks(packs, options) {
    loaded();
    return Checker.fromCompiled(compilerApi('Checker.fromPacks').compilePacks(packs, options));
  }

  /** A checker with packs in their compiled form (`preclaim pack compile`; each a Uint8Array or an
   * ArrayBuffer): decoded and checked, with no JSON loading or compiling. A damaged pack, or one compiled
   * by another preclaim version, throws a PreclaimError with code "pack.compiled" and `pack` its index. */
  static fromCompiled(packs) {
    loaded();
    const [bytes, lengths] = compiledPacks(packs);
    return new Checker(PRIVATE, call(() => WasmChecker.fromCompiled(bytes, lengths)));
  }

  /** Checks a claim (a plain object, claim@1) and returns its report (report@1). A claim that is wrong in
   * any way gives findings, not an exception. A missing `filed_on` is a C00 finding, as in checkJson:
   * fill it in the form (localDate() is today on this device). */
  check(claim, options) {
    const text = claimText(claim, 'check');
    return JSON.parse(call(() => this[LIVE]().checkJson(text, localeOf(options))));
  }

  /** Checks a claim given as JSON text and returns the report as JSON text. */
  checkJson(claimJson, options) {
    if (typeof claimJson !== 'string') throw new TypeError('preclaim: checkJson takes a JSON string');
    return call(() => this[LIVE]().checkJson(claimJson, localeOf(options, 'checkJson')));
  }

  /** A session for a form that changes one field at a time. */
  session(claim, options) {
    const text = claimText(claim, 'session');
    return new Session(PRIVATE, call(() => this[LIVE]().session(text, localeOf(options, 'session'))));
  }

  // packs(), attachCatalog(), detachCatalog(), catalogs() and free() come from PackHolder and Handle:
  // free() releases the WebAssembly memory now; sessions already made keep working.
}

// --- JSONLogic ----------------------------------------------------------------------------------------

/** Compiles a JSONLogic rule (an operation, a literal, or an array of rules, which evaluates to the
 * array of their results) with the compiler of `preclaim/compiler` (Node loads it on first use; browsers
 * `await init()` from 'preclaim/compiler' first, or this throws a PreclaimError with code "init"). */
export function compile(rule) {
  return compilerApi('compile').compile(rule);
}

let limitsCache;

/** Every limit on inputs (claim, session, report, pack, photo, catalog sizes), by name, as in
 * src/limits.rs and SECURITY.md: `limits().MAX_CLAIM_BYTES` is 67108864. */
export function limits() {
  loaded();
  limitsCache ??= Object.freeze(JSON.parse(limitsJson()));
  return limitsCache;
}

/** The version of the preclaim core. */
export function version() {
  loaded();
  return wasmVersion();
}

const loader = loaders(initGlue, initGlueSync, () => {
  ready = true;
});

/** Loads preclaim's WebAssembly module (browsers, bundlers, workers; once): from a URL, a Response,
 * bytes or a WebAssembly.Module, by default the .wasm file next to this module. */
export default loader.init;

/** Loads preclaim's WebAssembly module synchronously from bytes or a WebAssembly.Module. */
export const initSync = loader.initSync;
