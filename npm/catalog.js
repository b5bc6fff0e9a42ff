// preclaim/catalog: medical catalogs (diagnosis codes, the drugs, consumables and services of the
// medical-insurance catalog) in preclaim's binary format — look-ups and autocomplete — with a WebAssembly
// module of its own, fetched only by an app that imports this entry (call `await init()` once first; the
// Node entry loads it on import). `checker.attachCatalog(catalog)` hands the rules a copy.

import initGlue, { initSync as initGlueSync, WasmCatalog } from './preclaim_catalog.js';
import { call, loaders, notLoaded } from './shared.js';

export { PreclaimError } from './shared.js';

const PRIVATE = Symbol('preclaim.catalog.inner');
const CATALOG_BYTES = Symbol.for('preclaim.catalog.bytes');
let ready = false;

function loaded() {
  if (!ready) throw notLoaded('preclaim/catalog');
}


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
  #bytes;
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
    const c = new Catalog(PRIVATE, call(() => WasmCatalog.load(b)));
    c.#bytes = b.slice(); // for checker.attachCatalog (the checker is another WebAssembly module)
    return c;
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

  /** The checked bytes, for checker.attachCatalog. */
  [CATALOG_BYTES]() {
    this[PRIVATE]();
    return this.#bytes;
  }

  [PRIVATE]() {
    if (this.#freed) throw new TypeError('preclaim: this catalog was freed (catalog.free())');
    return this.#inner;
  }
}

const loader = loaders(initGlue, initGlueSync, () => {
  ready = true;
});

/** Loads preclaim/catalog's WebAssembly module (browsers, bundlers, workers; once): from a URL, a Response,
 * bytes or a WebAssembly.Module, by default the .wasm file next to this module. */
export default loader.init;

/** Loads preclaim/catalog's WebAssembly module synchronously from bytes or a WebAssembly.Module. */
export const initSync = loader.initSync;
