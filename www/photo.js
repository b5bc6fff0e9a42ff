// The hook for the photo pre-checks (issue 6, shared/design/image-checks.md).
//
// The package's `assessFile(file, { docType })` decodes a File/Blob in the browser and returns the
// assessment as claim@1's `documents[].quality`; the portal runs it in a module Web Worker
// (photo-worker.js) so the page never stalls, and shows "retake" from its verdict (rule C19 then asks for a
// new photo). When the check cannot run, `precheckPhoto` returns null and the portal records only the
// document type and the file's details (name, mime, bytes, width/height, sha256).

import * as preclaim from '/pkg/photo.js';

/** The name of the package's File/Blob photo check. */
export const PHOTO_CHECK_EXPORT = 'assessFile';

export function photoChecksAvailable() {
  return typeof preclaim[PHOTO_CHECK_EXPORT] === 'function';
}

let worker = null;
let nextId = 1;
const pending = new Map();

function startWorker() {
  worker = new Worker(new URL('./photo-worker.js', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (e) => {
    const { id, quality, error } = e.data;
    const p = pending.get(id);
    pending.delete(id);
    if (!p) return;
    if (error) p.reject(new Error(error));
    else p.resolve(quality ?? null);
  });
  worker.addEventListener('error', (e) => {
    for (const p of pending.values()) p.reject(new Error(e.message || 'photo check failed'));
    pending.clear();
    worker = null;
  });
}

/**
 * The photo pre-check of one attached file: its `quality` (claim@1, e.g. { verdict: 'retake', issues })
 * or null when the capability does not exist yet or the check could not run (never blocks attaching).
 */
export async function precheckPhoto(file, docType, locale) {
  if (!photoChecksAvailable()) return null;
  try {
    if (!worker) startWorker();
    const id = nextId++;
    return await new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, file, docType, locale, exportName: PHOTO_CHECK_EXPORT });
    });
  } catch (e) {
    console.warn('preclaim demo: photo check skipped:', e.message);
    return null;
  }
}
