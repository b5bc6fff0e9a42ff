// preclaim/photo: photo pre-checks before upload (type and size from the bytes, then sharpness,
// exposure, glare, framing, resolution and duplicates), with a WebAssembly module of its own, fetched only
// by an app that imports this entry (call `await init()` once first; the Node entry loads it on import).

import initGlue, { initSync as initGlueSync, assessPhoto, limitsJson } from './preclaim_photo.js';
import { PreclaimError, call, loaders, notLoaded } from './shared.js';

export { PreclaimError } from './shared.js';

let ready = false;

function loaded() {
  if (!ready) throw notLoaded('preclaim/photo');
}


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

/** `MAX_PHOTO_FILE_BYTES` of src/limits.rs, read from the module once. */
let maxFileBytes;

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
  maxFileBytes ??= JSON.parse(limitsJson()).MAX_PHOTO_FILE_BYTES;
  const max = maxFileBytes;
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

const loader = loaders(initGlue, initGlueSync, () => {
  ready = true;
});

/** Loads preclaim/photo's WebAssembly module (browsers, bundlers, workers; once): from a URL, a Response,
 * bytes or a WebAssembly.Module, by default the .wasm file next to this module. */
export default loader.init;

/** Loads preclaim/photo's WebAssembly module synchronously from bytes or a WebAssembly.Module. */
export const initSync = loader.initSync;
