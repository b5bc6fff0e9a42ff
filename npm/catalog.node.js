// The Node entry of preclaim/catalog: loads its WebAssembly module synchronously on import (no init()).
import { readFileSync } from 'node:fs';
import { initSync } from './catalog.js';

initSync(readFileSync(new URL('./preclaim_catalog_bg.wasm', import.meta.url)));

export { Catalog, PreclaimError, initSync } from './catalog.js';

/** Already initialised in Node; kept so code written for browsers runs unchanged. */
export default async function init() {}
