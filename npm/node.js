// The Node entry of preclaim: loads the WebAssembly module synchronously on import, so Node users need
// no init(). Everything else is the same API as the browser entry.
import { readFileSync } from 'node:fs';
import { initSync as initCompilerSync } from './compiler.js';
import { compiler } from './checker-shared.js';
import { initSync } from './index.js';

initSync(readFileSync(new URL('./preclaim_bg.wasm', import.meta.url)));

// The pack and rule compiler (preclaim/compiler: fromPacks, compile) is loaded on first use only.
compiler.load ??= () => initCompilerSync(readFileSync(new URL('./preclaim_compiler_bg.wasm', import.meta.url)));

export { Checker, Session, PreclaimError, compile, version, limits, localDate, applyChanges, initSync } from './index.js';
export { Rule, compilePacks } from './compiler.js';

/** Already initialised in Node; kept so code written for browsers runs unchanged. */
export default async function init() {}
