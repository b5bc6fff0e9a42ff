// The Node entry of preclaim/compiler: loads its WebAssembly module synchronously on import (no init()).
import { readFileSync } from 'node:fs';
import { initSync } from './compiler.js';

initSync(readFileSync(new URL('./preclaim_compiler_bg.wasm', import.meta.url)));

export { compile, compilePacks, Rule, PreclaimError, initSync } from './compiler.js';

/** Already initialised in Node; kept so code written for browsers runs unchanged. */
export default async function init() {}
