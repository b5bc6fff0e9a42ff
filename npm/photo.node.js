// The Node entry of preclaim/photo: loads its WebAssembly module synchronously on import (no init()).
import { readFileSync } from 'node:fs';
import { initSync } from './photo.js';

initSync(readFileSync(new URL('./preclaim_photo_bg.wasm', import.meta.url)));

export { assessFile, assessImageData, PreclaimError, initSync } from './photo.js';

/** Already initialised in Node; kept so code written for browsers runs unchanged. */
export default async function init() {}
