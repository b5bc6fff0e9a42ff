// preclaim/photo: photo pre-checks, with a WebAssembly module of its own (`await init()` first in
// browsers; the Node entry loads it on import).
import type { BufferSourceLike, DocumentCode, InitInput, PhotoQuality, WasmModule } from './index.js';

/** Decoded RGBA pixels: an ImageData, or the same shape. */
export interface ImageDataLike {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}
/** A File or Blob. */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}
export interface PhotoOptions {
  /** The claim@1 document code the photo is for (sets the expected paper size: ID card, receipt, A4). */
  docType?: DocumentCode;
  docKind?: 'a4' | 'id_card' | 'receipt';
  /** Results of the photos already attached, to find exact and near duplicates. */
  earlier?: PhotoQuality[];
  /** Threshold overrides by name. */
  config?: Record<string, number>;
  sourceWidth?: number;
  sourceHeight?: number;
}

/** Checks a photo file before upload (decoded in the browser; works in a Web Worker). A file over
 * `limits().MAX_PHOTO_FILE_BYTES` (64 MiB) is refused from its size, before it is read: a `PreclaimError`
 * with code `photo.limit`. */
export function assessFile(file: BlobLike, options?: PhotoOptions): Promise<PhotoQuality>;
/** Assesses decoded RGBA pixels. */
export function assessImageData(image: ImageDataLike, options?: PhotoOptions): PhotoQuality;

/** Loads this entry's WebAssembly module (browsers, bundlers, workers); not needed in Node. */
export default function init(input?: InitInput): Promise<void>;
export function initSync(module: BufferSourceLike | WasmModule): void;
export { PreclaimError } from './index.js';
