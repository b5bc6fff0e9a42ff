// preclaim: the public JavaScript API over the WebAssembly core (the wasm-bindgen glue is ./preclaim.js).
// Claims cross into WebAssembly as one JSON string and reports come back as one; misuse throws a TypeError,
// a bad pack or claim text throws a PreclaimError with a stable `code`. Works in browsers, bundlers,
// Web Workers and webviews (call `await init()` once first); in Node use the package's node entry, which
// initialises itself.

import initGlue, { initSync as initGlueSync, WasmChecker, WasmCatalog, assessPhoto, compileJsonLogic, version as wasmVersion, limitsJson } from './preclaim.js';

/** An error from preclaim: `code` is stable ("pack.json", "pack.format", "pack.expr", "pack.cycle",
 * "pack.limit", "pack.signature", "claim.json", "claim.too_large", "check.budget", "check.limit",
 * "photo.limit", "argument", "init" (a call before `init()`), for finder inputs
 * "finder.json", "finder.input", "finder.limit" (with the input's `path`), and for catalog bytes
 * "E_CATALOG_MAGIC", "E_CATALOG_VERSION", "E_CATALOG_KIND", "E_CATALOG_TRUNCATED", "E_CATALOG_TRAILING",
 * "E_CATALOG_CHECKSUM", "E_CATALOG_MALFORMED", and for JSONLogic rules "jsonlogic.json",
 * "jsonlogic.syntax", "jsonlogic.compile", "jsonlogic.eval"); pack errors also carry `pack`, `path`,
 * `line` and `column`, rule errors `line` and `column`, evaluation errors JSONLogic's `error` object
 * (`{ type: "NaN" }`, `{ type: "Invalid Arguments", message }`, a thrown value). */
export class PreclaimError extends Error {
  constructor(info) {
    super(info.message);
    this.name = 'PreclaimError';
    this.code = info.code;
    for (const k of ['pack', 'path', 'line', 'column', 'error']) {
      if (info[k] !== undefined) this[k] = info[k];
    }
  }
}

function rethrow(e) {
  if (e instanceof Error) {
    let info;
    try {
      info = JSON.parse(e.message);
    } catch {
      throw e;
    }
    if (info && typeof info.code === 'string') throw new PreclaimError(info);
  }
  throw e;
}

function call(f) {
  try {
    return f();
  } catch (e) {
    return rethrow(e);
  }
}

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
  if (!ready) {
    throw new PreclaimError({
      code: 'init',
      message: 'preclaim: the WebAssembly module is not loaded: call `await init()` first (once, before `new Checker()`)',
    });
  }
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

/** A value as a TypeError message may show it: strings quoted, with control and invisible line-breaking
 * characters escaped (so a message stays one line and cannot drive a terminal), other values by type. */
function shown(v) {
  if (typeof v === 'string') {
    const quoted = JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
    return quoted.replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
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

  /** Loads a medical catalog (from Catalog.load) for the rules — item classes and self-pay-first rates
   * from insurance codes, diagnosis codes checked against the list — replacing one of the same kind.
   * Sessions see it at their next report. Returns the checker. */
  attachCatalog(catalog) {
    if (!(catalog instanceof Catalog)) throw new TypeError('preclaim: attachCatalog takes a Catalog (Catalog.load(bytes))');
    call(() => this.#live().attachCatalog(catalog[PRIVATE]()));
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
  const text = rule === undefined ? undefined : JSON.stringify(rule);
  if (text === undefined) throw new TypeError(`preclaim: compile takes a JSONLogic rule (JSON data), not ${shown(rule)}`);
  return new Rule(PRIVATE, call(() => compileJsonLogic(text)));
}

// --- Medical catalogs ---------------------------------------------------------------------------------

function limitOf(limit, fallback) {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 0) throw new TypeError('preclaim: limit must be a whole number ≥ 0');
  return Math.min(limit, 1000);
}

function bytesOf(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError('preclaim: Catalog.load takes a Uint8Array or an ArrayBuffer (catalog bytes)');
}

/** A medical catalog (diagnosis codes, or the drugs, consumables and services of the medical-insurance
 * catalog) in preclaim's binary format (`preclaim catalog build`). The bytes are copied once into
 * WebAssembly memory and read in place: no parsing into objects. */
export class Catalog {
  #inner;
  #freed = false;

  constructor(token, inner) {
    if (token !== PRIVATE) throw new TypeError('preclaim: load a catalog with Catalog.load(bytes)');
    this.#inner = inner;
  }

  /** Checks catalog bytes and loads them; corrupt or truncated bytes throw a PreclaimError with an
   * E_CATALOG_* code. */
  static load(bytes) {
    loaded();
    const b = bytesOf(bytes);
    return new Catalog(PRIVATE, call(() => WasmCatalog.load(b)));
  }

  /** { kind: "diagnosis" | "item", version, entries, bytes, names }. */
  info() {
    return JSON.parse(this[PRIVATE]().infoJson());
  }

  /** Whether the catalog lists exactly this code (cheaper than lookup). */
  has(code) {
    if (typeof code !== 'string') throw new TypeError('preclaim: has takes a code string');
    return this[PRIVATE]().has(code);
  }

  /** The entry with exactly this code, or null: { code, name_zh, name_en, class, self_pay_rate,
   * price_cap } (the last three for items; absent fields are left out). */
  lookup(code) {
    if (typeof code !== 'string') throw new TypeError('preclaim: lookup takes a code string');
    return JSON.parse(this[PRIVATE]().lookupJson(code));
  }

  /** The entries whose code starts with `prefix` ("C50" → C50, C50.0, ...), in code order. */
  prefix(prefix, limit) {
    if (typeof prefix !== 'string') throw new TypeError('preclaim: prefix takes a string');
    return JSON.parse(this[PRIVATE]().prefixJson(prefix, limitOf(limit, 50)));
  }

  /** Autocomplete for a code or a name in Chinese or English ("C50", "乳房", "breast"): codes first, then
   * names that start with the text, then names with a word that starts with it, then names that contain it.
   * Each entry has `match`: "code", "code_prefix", "name_start", "word_start" or "substring". */
  search(query, limit) {
    if (typeof query !== 'string') throw new TypeError('preclaim: search takes a string');
    return JSON.parse(this[PRIVATE]().searchJson(query, limitOf(limit, 10)));
  }

  /** Releases the WebAssembly memory now (a checker it is attached to keeps its own reference). */
  free() {
    if (!this.#freed) this.#inner.free();
    this.#freed = true;
  }

  [PRIVATE]() {
    if (this.#freed) throw new TypeError('preclaim: this catalog was freed (catalog.free())');
    return this.#inner;
  }
}

// --- Photo pre-checks ---------------------------------------------------------------------------------

/** The longest side the browser shrinks a photo to before it is assessed (the source size is kept). */
const MAX_SIDE = 2048;

/** What was photographed, from a claim@1 document code (sets the expected physical size). */
function docKindOf(options) {
  if (options?.docKind) return options.docKind;
  const code = options?.docType;
  if (code === 'D02' || code === 'D03' || code === 'D04') return 'id_card';
  if (code === 'D05' || code === 'D11' || code === 'D12') return 'receipt';
  return 'a4';
}

function photoOptions(options) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError('preclaim: photo options must be an object like { docType: "D05" }');
  }
  const earlier = (options?.earlier ?? []).map((q) => q?.hashes ?? q);
  return JSON.stringify({ doc_kind: docKindOf(options), earlier, config: options?.config ?? null });
}

/** Assesses decoded pixels (an ImageData, or { data, width, height } with RGBA bytes) and returns the
 * result as claim@1 `documents[].quality`: { verdict: "ok" | "warn" | "retake", issues, primary, details
 * (with zh-CN and en messages), metrics, hashes }. */
export function assessImageData(image, options) {
  loaded();
  const data = image?.data;
  if (!(data instanceof Uint8ClampedArray || data instanceof Uint8Array)) {
    throw new TypeError('preclaim: assessImageData takes an ImageData or { data, width, height }');
  }
  const rgba = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const w = image.width >>> 0;
  const h = image.height >>> 0;
  const sw = (options?.sourceWidth ?? w) >>> 0;
  const sh = (options?.sourceHeight ?? h) >>> 0;
  return JSON.parse(call(() => assessPhoto(new Uint8Array(0), rgba, w, h, sw, sh, photoOptions(options))));
}

/** Checks a photo (a File or Blob) before upload: its type and size from the bytes, then — when the browser
 * can decode it (JPEG, PNG, WebP, AVIF) — sharpness, exposure, glare, framing and resolution, and exact or
 * near duplicates of `options.earlier` (earlier results). HEIC and PDF, which browsers do not decode, come
 * back as "ok" with the issue "not_checked", never as failed. Works in a Web Worker. */
export async function assessFile(file, options) {
  loaded();
  if (!(typeof Blob !== 'undefined' && file instanceof Blob)) {
    throw new TypeError('preclaim: assessFile takes a File or Blob');
  }
  const opts = photoOptions(options);
  // A file picked by mistake (a 2.5 GB video) is refused from its size, before a byte is read.
  const max = limits().MAX_PHOTO_FILE_BYTES;
  if (file.size > max) {
    throw new PreclaimError({ code: 'photo.limit', message: `the file is ${file.size} bytes; a photo may have at most ${max}` });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let rgba = new Uint8Array(0);
  let w = 0;
  let h = 0;
  let sw = 0;
  let sh = 0;
  try {
    const full = await createImageBitmap(file);
    sw = full.width;
    sh = full.height;
    const scale = Math.min(1, MAX_SIDE / Math.max(sw, sh));
    w = Math.max(1, Math.round(sw * scale));
    h = Math.max(1, Math.round(sh * scale));
    const bitmap = scale < 1 ? await createImageBitmap(file, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' }) : full;
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(w, h) : Object.assign(document.createElement('canvas'), { width: w, height: h });
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
    const img = ctx.getImageData(0, 0, w, h).data;
    rgba = new Uint8Array(img.buffer, img.byteOffset, img.byteLength);
    full.close?.();
    if (bitmap !== full) bitmap.close?.();
  } catch {
    rgba = new Uint8Array(0); // not decodable here: the file checks still run, the pixels are "not checked"
  }
  return JSON.parse(call(() => assessPhoto(bytes, rgba, w, h, sw, sh, opts)));
}

let limitsCache;

/** Every limit on inputs (claim, session, report, pack, photo, catalog sizes), by name, as in
 * src/limits.rs and SECURITY.md: `limits().MAX_CLAIM_BYTES` is 67108864. */
export function limits() {
  limitsCache ??= Object.freeze(JSON.parse(limitsJson()));
  return limitsCache;
}

/** The version of the preclaim core. */
export function version() {
  loaded();
  return wasmVersion();
}

/** Loads the WebAssembly module (browsers, bundlers, workers). `input` is optional: a URL, a Response,
 * bytes or a WebAssembly.Module; by default the .wasm file next to this module. */
export default async function init(input) {
  await initGlue(input === undefined ? undefined : { module_or_path: input });
  ready = true;
}

/** Loads the WebAssembly module synchronously from bytes or a WebAssembly.Module. */
export function initSync(module) {
  initGlueSync({ module });
  ready = true;
}
