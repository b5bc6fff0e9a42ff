// Internal to the preclaim package: what all its entries (preclaim, preclaim/compiler, preclaim/finder,
// preclaim/photo, preclaim/catalog) share without loading each other's WebAssembly: the error class and
// the loaders. What only the checker's entries share is in checker-shared.js, so that the photo and
// catalog entries do not carry it. Not an entry point of its own.

/** An error from preclaim: `code` is stable ("pack.json", "pack.format", "pack.expr", "pack.cycle",
 * "pack.limit", "pack.signature", "claim.json", "check.budget", "argument", "init" (a call before
 * `init()`), for finder inputs
 * "finder.json", "finder.input", "finder.limit" (with the input's `path`), and for catalog bytes
 * "E_CATALOG_MAGIC", "E_CATALOG_VERSION", "E_CATALOG_KIND", "E_CATALOG_TRUNCATED", "E_CATALOG_TRAILING",
 * "E_CATALOG_CHECKSUM", "E_CATALOG_MALFORMED", and for JSONLogic rules "jsonlogic.json",
 * "jsonlogic.syntax", "jsonlogic.compile", "jsonlogic.eval"); pack errors also carry `pack`, `path`,
 * `line` and `column`, rule errors `line` and `column`, evaluation errors JSONLogic's `error` object
 * (`{ type: "NaN" }`, `{ type: "Invalid Arguments", message }`, a thrown value). */
export class PreclaimError extends Error {
  constructor(info) {
    super(info.message);
    this.name = 'PreclaimError';
    this.code = info.code;
    for (const k of ['pack', 'path', 'line', 'column', 'error']) {
      if (info[k] !== undefined) this[k] = info[k];
    }
  }
}

export function rethrow(e) {
  if (e instanceof Error) {
    let info;
    try {
      info = JSON.parse(e.message);
    } catch {
      throw e;
    }
    if (info && typeof info.code === 'string') throw new PreclaimError(info);
  }
  throw e;
}

export function call(f) {
  try {
    return f();
  } catch (e) {
    return rethrow(e);
  }
}

/** A value as a TypeError message may show it: strings quoted, with control and invisible line-breaking
 * characters escaped (so a message stays one line and cannot drive a terminal), other values by type. */
export function shown(v) {
  if (typeof v === 'string') {
    const quoted = JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
    return quoted.replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The error of a call before `init()` loaded an entry's WebAssembly (`what` names the entry). */
export function notLoaded(what) {
  return new PreclaimError({
    code: 'init',
    message: `preclaim: the WebAssembly module is not loaded: call \`await init()\` from '${what}' first (once, before using it)`,
  });
}

/** An entry's `init()` and `initSync()` over its wasm-bindgen glue; `onReady` runs once it is loaded.
 * `init(input)`: a URL, a Response, bytes or a WebAssembly.Module, by default the entry's .wasm file
 * next to its glue; `initSync(module)`: bytes or a WebAssembly.Module. */
export function loaders(glueInit, glueInitSync, onReady) {
  return {
    async init(input) {
      await glueInit(input === undefined ? undefined : { module_or_path: input });
      onReady();
    },
    initSync(module) {
      glueInitSync({ module });
      onReady();
    },
  };
}
