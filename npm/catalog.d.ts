// preclaim/catalog: medical catalogs (look-ups, autocomplete), with a WebAssembly module of its own
// (`await init()` first in browsers; the Node entry loads it on import).
import type { BufferSourceLike, CatalogKind, InitInput, WasmModule } from './index.js';

export interface CatalogInfo {
  kind: CatalogKind;
  version: number;
  entries: number;
  bytes: number;
  /** Searchable names. */
  names: number;
}

export interface CatalogEntry {
  code: string;
  name_zh?: string;
  name_en?: string;
  /** Items only: 甲类 A, 乙类 B, 目录外 self. */
  class?: 'A' | 'B' | 'self';
  /** Items only: the self-pay-first rate as a decimal string ("0.10"). */
  self_pay_rate?: string;
  /** The price cap in yuan ("25.00"). */
  price_cap?: string;
}

export interface CatalogHit extends CatalogEntry {
  match: 'code' | 'code_prefix' | 'name_start' | 'word_start' | 'substring';
}

/** A medical catalog in preclaim's binary format (`preclaim catalog build`), read in place. */
export class Catalog {
  private constructor();
  /** Checks the bytes; corrupt or truncated bytes throw a PreclaimError with an E_CATALOG_* code. */
  static load(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): Catalog;
  info(): CatalogInfo;
  /** Whether the catalog lists exactly this code (cheaper than lookup). */
  has(code: string): boolean;
  lookup(code: string): CatalogEntry | null;
  /** Entries whose code starts with `prefix`, in code order (default limit 50, at most 1000). */
  prefix(prefix: string, limit?: number): CatalogEntry[];
  /** Autocomplete over codes and Chinese/English names (default limit 10, at most 1000). */
  search(query: string, limit?: number): CatalogHit[];
  free(): void;
}


/** Loads this entry's WebAssembly module (browsers, bundlers, workers); not needed in Node. */
export default function init(input?: InitInput): Promise<void>;
export function initSync(module: BufferSourceLike | WasmModule): void;
export { PreclaimError } from './index.js';
