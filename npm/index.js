// preclaim: the public JavaScript API over the WebAssembly core (the wasm-bindgen glue is ./preclaim.js).
// Claims cross into WebAssembly as one JSON string and reports come back as one; misuse throws a TypeError,
// a bad pack or claim text throws a PreclaimError with a stable `code`. Works in browsers, bundlers,
// Web Workers and webviews (call `await init()` once first); in Node use the package's node entry, which
// initialises itself.

import initGlue, { initSync as initGlueSync, WasmChecker, compileJsonLogic, version as wasmVersion, limitsJson } from './preclaim.js';

import { PreclaimError, call, loaders, shown, notLoaded } from './shared.js';

export { PreclaimError };

function pad(n) {
  return String(n).padStart(2, '0');
}

/** Today on the device, as YYYY-MM-DD in local time. */
export function localDate(d = new Date()) {
  return `${String(d.getFullYear()).padStart(4, '0')}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** What a non-finite number is sent as: JSON has no NaN or Infinity (`JSON.stringify` writes `null`, which
 * would read as "absent"), so `jsonOf` writes these strings for them and the checker reads each as a C00
 * finding "not a finite number" on its field (the same strings as `NON_FINITE` in src/claim/decode.rs). */
const NON_FINITE = { NaN: '\u0000preclaim:NaN', Infinity: '\u0000preclaim:Infinity', '-Infinity': '\u0000preclaim:-Infinity' };

/** Whether init() or initSync() has loaded the WebAssembly module (the Node entry does it on import). */
let ready = false;

/** Throws, before any call into WebAssembly, when the module is not loaded yet. */
function loaded() {
  if (!ready) throw notLoaded('preclaim');
}

/** The JSON text of a value given to the API. A `Date` anywhere in it becomes its local calendar day
 * (YYYY-MM-DD, as `localDate`; claim@1 dates are calendar days, never instants), an invalid Date or a
 * BigInt is a TypeError naming where it is (`what` and the path in it). NaN and ±Infinity become the
 * `NON_FINITE` markers (a C00 on their field), never `null`.
 *
 * The common path is one plain `JSON.stringify`: only a text that could hide one of those cases (a `null`,
 * which is what NaN, ±Infinity and an invalid Date become; a `toJSON` instant, which is what a Date
 * becomes; or an exception, which is what a BigInt gives) is written again with the replacer, which costs a
 * call per value (200 invoices of 10,000 items: 1.5 s of the 1.8 s `check()` took). */
function jsonOf(value, what) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined; // a BigInt (or a cycle): the careful pass says where
  }
  if (text !== undefined && !text.includes('null') && !DATE_INSTANT.test(text)) return text;
  return carefulJsonOf(value, what);
}

/** What `Date.prototype.toJSON` writes (`"2024-09-08T16:00:00.000Z"`, years beyond 9999 with a sign). */
const DATE_INSTANT = /"[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/;

/** `jsonOf` with a replacer that sees every value, its path and what it was before `toJSON`. */
function carefulJsonOf(value, what) {
  const paths = new Map();
  return JSON.stringify(value, function (key, v) {
    const base = paths.get(this);
    const path = base === undefined ? '' : Array.isArray(this) ? `${base}[${key}]` : base ? `${base}.${key}` : key;
    const raw = this[key];
    const at = path ? ` at ${shown(path)}` : '';
    if (raw instanceof Date) {
      if (Number.isNaN(raw.getTime())) throw new TypeError(`preclaim: ${what} holds an invalid Date${at}`);
      return localDate(raw);
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return NON_FINITE[String(v)];
    if (typeof v === 'bigint') {
      throw new TypeError(`preclaim: ${what} holds a BigInt${at}: give a number or a string such as "1234.50"`);
    }
    if (v !== null && typeof v === 'object') paths.set(v, path);
    return v;
  });
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

/** Checks an options argument: undefined or a plain object whose keys are all in `allowed` (a misspelt
 * option is an error, never silently ignored). */
function optionsOf(options, what, allowed, example) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`preclaim: ${what} options must be an object like ${example}, not ${shown(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`preclaim: ${what} has no option ${shown(key)} (options: ${allowed.join(', ')})`);
    }
  }
  return options;
}

function localeOf(options, what = 'check') {
  const { locale = 'zh-CN' } = optionsOf(options, what, ['locale'], '{ locale: "en" }');
  if (locale !== 'zh-CN' && locale !== 'en') {
    throw new TypeError(`preclaim: locale must be "zh-CN" or "en", not ${shown(locale)}`);
  }
  return locale;
}

const FREED = 'was freed (free() was called): create a new one';

const PRIVATE = Symbol('preclaim.inner');

/** How a Catalog of preclaim/catalog hands its bytes to a checker (another WebAssembly module). */
const CATALOG_BYTES = Symbol.for('preclaim.catalog.bytes');

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

/** A claim being edited in a form: the claim stays inside WebAssembly; each `set` sends one field. */
export class Session {
  #inner;
  #freed = false;

  constructor(token, inner) {
    if (token !== PRIVATE) throw new TypeError('preclaim: create a session with checker.session(claim)');
    this.#inner = inner;
  }

  #live() {
    if (this.#freed) throw new TypeError(`preclaim: this session ${FREED}`);
    return this.#inner;
  }

  /** Sets the field at `path` (like "invoices[0].total") to `value`; `undefined` removes it. */
  set(path, value) {
    if (typeof path !== 'string') throw new TypeError('preclaim: the path must be a string like "invoices[0].total"');
    if (value === undefined) {
      call(() => this.#live().unset(path));
    } else {
      const text = jsonOf(value, `the value for ${shown(path)}`);
      if (text === undefined) throw new TypeError('preclaim: the value must be JSON data');
      call(() => this.#live().set(path, text));
    }
    return this;
  }

  /** The report (report@1) of the claim as it is now. */
  report() {
    return JSON.parse(call(() => this.#live().report()));
  }

  /** What changed in the report since the last call to changes() (the first call: since nothing):
   * `{ changed, added, removed, status?, route?, payable? }` — the findings added and removed, and
   * `{ before, after }` for the status, route and payable amount when they differ. */
  changes() {
    return JSON.parse(call(() => this.#live().changes()));
  }

  /** The claim as it is now. */
  claim() {
    return JSON.parse(this.#live().claimJson());
  }

  /** Changes the language of messages ("zh-CN" or "en"). */
  setLocale(locale) {
    const l = localeOf({ locale }, 'setLocale');
    call(() => this.#live().setLocale(l));
    return this;
  }

  /** Releases the WebAssembly memory now (otherwise it is released when the object is collected). Any
   * later call throws a TypeError; a second free() does nothing. */
  free() {
    if (!this.#freed) this.#inner.free();
    this.#freed = true;
  }
}

function finderText(finder) {
  if (typeof finder === 'string') {
    throw new TypeError('preclaim: find takes a finder@1 object; for JSON text use checker.findJson(text)');
  }
  if (finder === null || typeof finder !== 'object' || Array.isArray(finder)) {
    throw new TypeError('preclaim: the finder input must be an object (finder@1)');
  }
  if (finder.filed_on === undefined || finder.filed_on === null) {
    finder = { ...finder, filed_on: localDate() };
  }
  return jsonOf(finder, 'the finder input');
}

/** A finder input being edited in a form: it stays inside WebAssembly; each `set` sends one field and
 * `plan()` answers for the input as it is now. */
export class FinderSession {
  #inner;

  constructor(token, inner) {
    if (token !== PRIVATE) throw new TypeError('preclaim: create a finder session with checker.finderSession(input)');
    this.#inner = inner;
  }

  /** Sets the field at `path` (like "policies[1].policy.paid_this_year") to `value`; `undefined` removes it. */
  set(path, value) {
    if (typeof path !== 'string') throw new TypeError('preclaim: the path must be a string like "invoices[0].total"');
    if (value === undefined) {
      call(() => this.#inner.unset(path));
    } else {
      const text = jsonOf(value, `the value for ${shown(path)}`);
      if (text === undefined) throw new TypeError('preclaim: the value must be JSON data');
      call(() => this.#inner.set(path, text));
    }
    return this;
  }

  /** The plan (plan@1) for the input as it is now; throws a PreclaimError when it is not a finder@1. */
  plan() {
    return JSON.parse(call(() => this.#inner.plan()));
  }

  /** The finder input as it is now. */
  input() {
    return JSON.parse(this.#inner.inputJson());
  }

  /** Changes the language of messages ("zh-CN" or "en"). */
  setLocale(locale) {
    const l = localeOf({ locale });
    call(() => this.#inner.setLocale(l));
    return this;
  }

  /** Releases the WebAssembly memory now (otherwise it is released when the object is collected). */
  free() {
    this.#inner.free();
  }
}

/** Checks claims against rule packs: the six embedded default packs, or an insurer's own. */
export class Checker {
  #inner;
  #freed = false;

  /** A checker with the embedded default packs. */
  constructor(token, inner) {
    if (token !== PRIVATE) loaded();
    this.#inner = token === PRIVATE ? inner : call(() => new WasmChecker());
  }

  #live() {
    if (this.#freed) throw new TypeError(`preclaim: this checker ${FREED}`);
    return this.#inner;
  }

  /** A checker with your own packs (objects or JSON strings). Throws a PreclaimError naming the pack,
   * the JSON path and the line and column of the first problem. With `{ publicKeys: [hex, ...] }` a
   * signed pack must verify with one of the keys; with `requireSignature: true` unsigned packs are refused
   * (code "pack.signature"). Options are checked: `requireSignature` must be true or false and
   * `publicKeys` an array of strings, or a TypeError is thrown (never a silent "no"). */
  static fromPacks(packs, options) {
    loaded();
    if (!Array.isArray(packs)) throw new TypeError('preclaim: fromPacks takes an array of packs');
    const { publicKeys = [], requireSignature = false } = optionsOf(
      options,
      'fromPacks',
      ['publicKeys', 'requireSignature'],
      '{ publicKeys: [...], requireSignature: true }',
    );
    if (!Array.isArray(publicKeys) || !publicKeys.every((k) => typeof k === 'string')) {
      throw new TypeError(`preclaim: publicKeys must be an array of hex strings, not ${shown(publicKeys)}`);
    }
    if (typeof requireSignature !== 'boolean') {
      throw new TypeError(`preclaim: requireSignature must be true or false, not ${shown(requireSignature)}`);
    }
    const texts = packs.map((p, i) => {
      if (typeof p === 'string') return p;
      if (p === null || typeof p !== 'object') throw new TypeError(`preclaim: pack ${i} must be an object or a JSON string`);
      return JSON.stringify(p, null, 1);
    });
    return new Checker(PRIVATE, call(() => WasmChecker.fromPackTexts(texts, publicKeys, requireSignature)));
  }

  /** Checks a claim (a plain object, claim@1) and returns its report (report@1). A claim that is wrong in
   * any way gives findings, not an exception. A missing `filed_on` is a C00 finding, as in checkJson:
   * fill it in the form (localDate() is today on this device). */
  check(claim, options) {
    const text = claimText(claim, 'check');
    return JSON.parse(call(() => this.#live().checkJson(text, localeOf(options))));
  }

  /** Checks a claim given as JSON text and returns the report as JSON text. */
  checkJson(claimJson, options) {
    if (typeof claimJson !== 'string') throw new TypeError('preclaim: checkJson takes a JSON string');
    return call(() => this.#live().checkJson(claimJson, localeOf(options, 'checkJson')));
  }

  /** A session for a form that changes one field at a time. */
  session(claim, options) {
    const text = claimText(claim, 'session');
    return new Session(PRIVATE, call(() => this.#live().session(text, localeOf(options, 'session'))));
  }

  /** The claim finder: which of the customer's policies pay for an event, in which order to file them,
   * what each pays and still needs. Takes a finder@1 object, returns a plan@1; an input that is not a
   * finder@1 (unknown insured key, duplicate policy key, ...) throws a PreclaimError with code
   * "finder.input" and the input's `path`. `filed_on` defaults to today on this device. */
  find(finder, options) {
    const text = finderText(finder);
    return JSON.parse(call(() => this.#inner.findJson(text, localeOf(options))));
  }

  /** The claim finder on JSON text: a finder@1 in, a plan@1 out, as JSON text. */
  findJson(finderJson, options) {
    if (typeof finderJson !== 'string') throw new TypeError('preclaim: findJson takes a JSON string');
    return call(() => this.#inner.findJson(finderJson, localeOf(options)));
  }

  /** A finder session for a form that changes one field at a time (set a field, get the new plan). */
  finderSession(finder, options) {
    const text = finderText(finder);
    return new FinderSession(PRIVATE, call(() => this.#inner.finderSession(text, localeOf(options))));
  }

  /** The loaded packs: [{ id, version, products, benefits, title }]. */
  packs() {
    return JSON.parse(call(() => this.#live().packsJson()));
  }

  /** Loads a medical catalog for the rules — item classes and self-pay-first rates from insurance codes,
   * diagnosis codes checked against the list — replacing one of the same kind: a `Catalog` from
   * `preclaim/catalog`, or the catalog file's bytes (a Uint8Array or an ArrayBuffer: then the catalog
   * module is not needed). Corrupt bytes throw a PreclaimError with an E_CATALOG_* code. Sessions see it
   * at their next report. Returns the checker. */
  attachCatalog(catalog) {
    const bytes = catalog?.[CATALOG_BYTES]?.() ?? (catalog instanceof ArrayBuffer ? new Uint8Array(catalog) : catalog);
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError('preclaim: attachCatalog takes a Catalog (from preclaim/catalog) or the catalog bytes (a Uint8Array)');
    }
    call(() => this.#live().attachCatalogBytes(bytes));
    return this;
  }

  /** Unloads the catalog of a kind ("diagnosis" or "item"). Returns the checker. */
  detachCatalog(kind) {
    if (kind !== 'diagnosis' && kind !== 'item') throw new TypeError('preclaim: the catalog kind is "diagnosis" or "item"');
    call(() => this.#live().detachCatalog(kind));
    return this;
  }

  /** The kinds of catalog loaded: a subset of ["diagnosis", "item"]. */
  catalogs() {
    return JSON.parse(call(() => this.#live().catalogsJson()));
  }

  /** Releases the WebAssembly memory now (sessions already made keep working). Any later call throws a
   * TypeError; a second free() does nothing. */
  free() {
    if (!this.#freed) this.#inner.free();
    this.#freed = true;
  }
}

// --- JSONLogic ----------------------------------------------------------------------------------------

/** A compiled JSONLogic rule (or array of rules): evaluate it on many records. */
export class Rule {
  #inner;
  #freed = false;

  constructor(token, inner) {
    if (token !== PRIVATE) throw new TypeError('preclaim: compile a rule with compile(rule)');
    this.#inner = inner;
  }

  /** The rule's result on `data` (any JSON data; `undefined` is null). An array of rules gives the array
   * of their results, in one crossing. A failed evaluation throws a PreclaimError with code
   * "jsonlogic.eval" and JSONLogic's error object in `error`. */
  evaluate(data) {
    if (this.#freed) throw new TypeError(`preclaim: this rule ${FREED}`);
    const text = data === undefined ? 'null' : JSON.stringify(data);
    if (text === undefined) throw new TypeError(`preclaim: evaluate takes JSON data, not ${shown(data)}`);
    return JSON.parse(call(() => this.#inner.evaluate(text)));
  }

  /** Releases the WebAssembly memory now. Any later call throws a TypeError; a second free() does nothing. */
  free() {
    if (!this.#freed) this.#inner.free();
    this.#freed = true;
  }
}

/** Compiles a JSONLogic rule (JSON data: an operation object, a literal, or an array of rules, which
 * evaluates to the array of their results). A rule that does not compile throws a PreclaimError with code
 * "jsonlogic.syntax" or "jsonlogic.compile" and the `line` and `column` in its JSON text. */
export function compile(rule) {
  loaded();
  const text = rule === undefined ? undefined : JSON.stringify(rule);
  if (text === undefined) throw new TypeError(`preclaim: compile takes a JSONLogic rule (JSON data), not ${shown(rule)}`);
  return new Rule(PRIVATE, call(() => compileJsonLogic(text)));
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
