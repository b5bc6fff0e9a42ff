// Internal to the preclaim package: what the entries that hold a checker or compile for one (preclaim,
// preclaim/finder, preclaim/compiler) share: JSON of values given to the API, option checks, pack texts
// and bytes, the objects over WebAssembly memory, and the compiler's registry (one module instance, so
// that loading preclaim/compiler makes `fromPacks` and `compile` of the other entries work). Not an entry
// point of its own.

import { PreclaimError, call, shown } from './shared.js';

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
export const NON_FINITE = { NaN: '\u0000preclaim:NaN', Infinity: '\u0000preclaim:Infinity', '-Infinity': '\u0000preclaim:-Infinity' };

/** The JSON text of a value given to the API. A `Date` anywhere in it becomes its local calendar day
 * (YYYY-MM-DD, as `localDate`; claim@1 dates are calendar days, never instants), an invalid Date or a
 * BigInt is a TypeError naming where it is (`what` and the path in it). NaN and ±Infinity become the
 * `NON_FINITE` markers (a C00 on their field), never `null`.
 *
 * The common path is one plain `JSON.stringify`: only a text that could hide one of those cases (a `null`,
 * which is what NaN, ±Infinity and an invalid Date become; a `toJSON` instant, which is what a Date
 * becomes; or an exception, which is what a BigInt gives) is written again with the replacer, which costs a
 * call per value (200 invoices of 10,000 items: 1.5 s of the 1.8 s `check()` took). */
export function jsonOf(value, what) {
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

/** Checks an options argument: undefined or a plain object whose keys are all in `allowed` (a misspelt
 * option is an error, never silently ignored). */
export function optionsOf(options, what, allowed, example) {
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

export function localeOf(options, what = 'check') {
  const { locale = 'zh-CN' } = optionsOf(options, what, ['locale'], '{ locale: "en" }');
  if (locale !== 'zh-CN' && locale !== 'en') {
    throw new TypeError(`preclaim: locale must be "zh-CN" or "en", not ${shown(locale)}`);
  }
  return locale;
}

export const FREED = 'was freed (free() was called): create a new one';

/** How a Catalog of preclaim/catalog hands its bytes to a checker (another WebAssembly module). */
export const CATALOG_BYTES = Symbol.for('preclaim.catalog.bytes');


/** The bytes of `fromCompiled(packs)` one after the other, and the length of each (one crossing for them
 * all); each pack a Uint8Array (a Node Buffer is one) or an ArrayBuffer, or a TypeError. */
export function compiledPacks(packs) {
  if (!Array.isArray(packs)) throw new TypeError('preclaim: fromCompiled takes an array of compiled packs (Uint8Array)');
  const views = packs.map((p, i) => {
    if (p instanceof Uint8Array) return p;
    if (p instanceof ArrayBuffer) return new Uint8Array(p);
    throw new TypeError(`preclaim: compiled pack ${i} must be a Uint8Array or an ArrayBuffer, not ${shown(p)}`);
  });
  const bytes = new Uint8Array(views.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of views) {
    bytes.set(v, at);
    at += v.length;
  }
  return [bytes, Uint32Array.from(views, (v) => v.length)];
}

/** The JSON texts and options of `fromPacks(packs, options)` (checked: a misspelt option, a `publicKeys`
 * that is not an array of strings or a `requireSignature` that is not a boolean is a TypeError). */
export function packTexts(packs, options) {
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
  return [texts, publicKeys, requireSignature];
}

/** The bytes of a catalog given to `attachCatalog`: a Catalog of preclaim/catalog, a Uint8Array or an
 * ArrayBuffer. */
export function catalogBytes(catalog) {
  const bytes = catalog?.[CATALOG_BYTES]?.() ?? (catalog instanceof ArrayBuffer ? new Uint8Array(catalog) : catalog);
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError('preclaim: attachCatalog takes a Catalog (from preclaim/catalog) or the catalog bytes (a Uint8Array)');
  }
  return bytes;
}

/** The method of a `Handle` that returns its WebAssembly object, or throws once it was freed. */
export const LIVE = Symbol('preclaim.live');

/** The base of every object over WebAssembly memory (checker, session, rule, finder): `free()` releases
 * the memory at once and a second `free()` does nothing; any other call after it is a TypeError naming
 * the object (`what`), never a crash inside WebAssembly. */
export class Handle {
  #inner;
  #freed = false;
  #what;

  constructor(inner, what) {
    this.#inner = inner;
    this.#what = what;
  }

  [LIVE]() {
    if (this.#freed) throw new TypeError(`preclaim: this ${this.#what} ${FREED}`);
    return this.#inner;
  }

  /** Releases the WebAssembly memory now (otherwise it is released when the object is collected). Any
   * later call throws a TypeError; a second free() does nothing. */
  free() {
    if (!this.#freed) this.#inner.free();
    this.#freed = true;
  }
}

/** `set(path, value)` of a session held in WebAssembly (`inner`): `undefined` removes the field, anything
 * else is sent as JSON (see `jsonOf`). */
export function setField(inner, path, value) {
  if (typeof path !== 'string') throw new TypeError('preclaim: the path must be a string like "invoices[0].total"');
  if (value === undefined) {
    call(() => inner.unset(path));
  } else {
    const text = jsonOf(value, `the value for ${shown(path)}`);
    if (text === undefined) throw new TypeError('preclaim: the value must be JSON data');
    call(() => inner.set(path, text));
  }
}

/** What a checker and a finder share over their packs and catalogs (both hold a checker in WebAssembly). */
export class PackHolder extends Handle {
  /** The loaded packs: [{ id, version, products, benefits, title }]. */
  packs() {
    return JSON.parse(call(() => this[LIVE]().packsJson()));
  }

  /** Loads a medical catalog for the rules — item classes and self-pay-first rates from insurance codes,
   * diagnosis codes checked against the list — replacing one of the same kind: a `Catalog` from
   * `preclaim/catalog`, or the catalog file's bytes (a Uint8Array or an ArrayBuffer: then the catalog
   * module is not needed). Corrupt bytes throw a PreclaimError with an E_CATALOG_* code. Sessions see it
   * at their next report. Returns this object. */
  attachCatalog(catalog) {
    const bytes = catalogBytes(catalog);
    call(() => this[LIVE]().attachCatalogBytes(bytes));
    return this;
  }

  /** Unloads the catalog of a kind ("diagnosis" or "item"). Returns this object. */
  detachCatalog(kind) {
    if (kind !== 'diagnosis' && kind !== 'item') throw new TypeError('preclaim: the catalog kind is "diagnosis" or "item"');
    call(() => this[LIVE]().detachCatalog(kind));
    return this;
  }

  /** The kinds of catalog loaded: a subset of ["diagnosis", "item"]. */
  catalogs() {
    return JSON.parse(call(() => this[LIVE]().catalogsJson()));
  }
}

/** The pack and rule compiler (preclaim/compiler) once it is loaded: `api` is `{ compile, compilePacks }`
 * (set by that entry's init), `load` a way to load it on first use (set by the Node entries, which read
 * its .wasm from the package; browsers `await init()` from 'preclaim/compiler' first). */
export const compiler = { api: null, load: null };

/** The compiler's functions, for `what` (a function of another entry that needs them). */
export function compilerApi(what) {
  if (compiler.api === null && compiler.load !== null) compiler.load();
  if (compiler.api === null) {
    throw new PreclaimError({
      code: 'init',
      message: `preclaim: ${what} needs the pack and rule compiler, an entry of its own: call \`await init()\` from 'preclaim/compiler' first (once, before using it), or ship packs compiled ahead of time (\`preclaim pack compile\`, fromCompiled)`,
    });
  }
  return compiler.api;
}
