// The Node entry of preclaim/finder: loads its WebAssembly module synchronously on import (no init()).
import { readFileSync } from 'node:fs';
import { initSync as initCompilerSync } from './compiler.js';
import { compiler } from './checker-shared.js';
import { initSync } from './finder.js';

initSync(readFileSync(new URL('./preclaim_finder_bg.wasm', import.meta.url)));

// The pack and rule compiler (preclaim/compiler: fromPacks, compile) is loaded on first use only.
compiler.load ??= () => initCompilerSync(readFileSync(new URL('./preclaim_compiler_bg.wasm', import.meta.url)));

export { Finder, FinderSession, PreclaimError, localDate, initSync } from './finder.js';

/** Already initialised in Node; kept so code written for browsers runs unchanged. */
export default async function init() {}
