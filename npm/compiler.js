// preclaim/compiler: the pack and rule compiler, with a WebAssembly module of its own — the JSON pack
// loader, the expression compiler (JSONLogic and the text syntax) and pack signatures. The core
// (`preclaim`) checks claims with packs in their compiled form and has none of this, so a page that uses
// the default packs never downloads it. It gives:
//   compilePacks(packs, options)  JSON packs → their compiled form, for Checker.fromCompiled / Finder.fromCompiled
//   compile(rule)                 a JSONLogic rule → a Rule whose evaluate(data) runs it
// Once this entry is loaded (`await init()` from 'preclaim/compiler' in browsers; Node loads it by itself on
// first use), `Checker.fromPacks`, `Finder.fromPacks` and `compile` of the other entries use it too.

import initGlue, { initSync as initGlueSync, compileJsonLogic, compilePackTexts } from './preclaim_compiler.js';
import { call, loaders, notLoaded, shown } from './shared.js';
import { Handle, LIVE, packTexts, compiler } from './checker-shared.js';

export { PreclaimError } from './shared.js';

let ready = false;

function loaded() {
  if (!ready) throw notLoaded('preclaim/compiler');
}

const PRIVATE = Symbol('preclaim.compiler.inner');

/** A compiled JSONLogic rule (or array of rules): evaluate it on many records. */
export class Rule extends Handle {
  constructor(token, inner) {
    if (token !== PRIVATE) throw new TypeError('preclaim: compile a rule with compile(rule)');
    super(inner, 'rule');
  }

  /** The rule's result on `data` (any JSON data; `undefined` is null). An array of rules gives the array
   * of their results, in one crossing. A failed evaluation throws a PreclaimError with code
   * "jsonlogic.eval" and JSONLogic's error object in `error`. */
  evaluate(data) {
    const inner = this[LIVE]();
    const text = data === undefined ? 'null' : JSON.stringify(data);
    if (text === undefined) throw new TypeError(`preclaim: evaluate takes JSON data, not ${shown(data)}`);
    return JSON.parse(call(() => inner.evaluate(text)));
  }
}

/** Compiles a JSONLogic rule (JSON data: an operation object, a literal, or an array of rules, which
 * evaluates to the array of their results). A rule that does not compile throws a PreclaimError with code
 * "jsonlogic.syntax" or "jsonlogic.compile" and the `line` and `column` in its JSON text. */
export function compile(rule) {
  loaded();
  const text = rule === undefined ? undefined : JSON.stringify(rule);
  if (text === undefined) throw new TypeError(`preclaim: compile takes a JSONLogic rule (JSON data), not ${shown(rule)}`);
  return new Rule(PRIVATE, call(() => compileJsonLogic(text)));
}

/** Compiles packs (objects or JSON strings) to their compiled form, one Uint8Array per pack, for
 * `Checker.fromCompiled` (or `Finder.fromCompiled`). Options as `Checker.fromPacks`: with
 * `{ publicKeys: [hex, ...] }` a signed pack must verify with one of the keys; with `requireSignature:
 * true` unsigned packs are refused. A pack that does not load throws a PreclaimError naming the pack, the
 * JSON path and the line and column of the first problem. */
export function compilePacks(packs, options) {
  loaded();
  const [texts, publicKeys, requireSignature] = packTexts(packs, options);
  const framed = call(() => compilePackTexts(texts, publicKeys, requireSignature));
  const out = [];
  const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
  for (let at = 0; at + 4 <= framed.length; ) {
    const len = view.getUint32(at, true);
    out.push(framed.slice(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

const loader = loaders(initGlue, initGlueSync, () => {
  ready = true;
  compiler.api = { compile, compilePacks };
});

/** Loads the compiler's WebAssembly module (browsers, bundlers, workers; once): from a URL, a Response,
 * bytes or a WebAssembly.Module, by default the .wasm file next to this module. */
export default loader.init;

/** Loads the compiler's WebAssembly module synchronously from bytes or a WebAssembly.Module. */
export const initSync = loader.initSync;
