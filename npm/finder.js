// preclaim/finder: the claim finder — which of the customer's policies pay for an event, in which order to
// file them, what each pays and still needs (finder@1 in, plan@1 out; docs/finder.md). It runs the checker
// on each candidate claim, so this entry's WebAssembly module holds the checker and the default packs as
// well; a page that only checks claims never fetches it (call `await init()` from this entry once first;
// the Node entry loads it on import).

import initGlue, { initSync as initGlueSync, WasmChecker } from './preclaim_finder.js';
import { call, loaders, shown, notLoaded } from './shared.js';
import { Handle, LIVE, PackHolder, localDate, jsonOf, localeOf, compiledPacks, compilerApi, setField } from './checker-shared.js';

export { PreclaimError } from './shared.js';
export { localDate } from './checker-shared.js';

let ready = false;

function loaded() {
  if (!ready) throw notLoaded('preclaim/finder');
}

const PRIVATE = Symbol('preclaim.finder.inner');

function finderText(finder, method) {
  if (typeof finder === 'string') {
    throw new TypeError(`preclaim: ${method} takes a finder@1 object; for JSON text use finder.findJson(text)`);
  }
  if (finder === null || typeof finder !== 'object' || Array.isArray(finder)) {
    throw new TypeError(`preclaim: the finder input must be an object (finder@1), not ${shown(finder)}`);
  }
  if (finder.filed_on === undefined || finder.filed_on === null) {
    finder = { ...finder, filed_on: localDate() };
  }
  return jsonOf(finder, 'the finder input');
}

/** A finder input being edited in a form: it stays inside WebAssembly; each `set` sends one field and
 * `plan()` answers for the input as it is now. */
export class FinderSession extends Handle {
  constructor(token, inner) {
    if (token !== PRIVATE) throw new TypeError('preclaim: create a finder session with finder.session(input)');
    super(inner, 'finder session');
  }

  /** Sets the field at `path` (like "policies[1].policy.paid_this_year") to `value`; `undefined` removes it. */
  set(path, value) {
    setField(this[LIVE](), path, value);
    return this;
  }

  /** The plan (plan@1) for the input as it is now; throws a PreclaimError when it is not a finder@1. */
  plan() {
    return JSON.parse(call(() => this[LIVE]().plan()));
  }

  /** The finder input as it is now. */
  input() {
    return JSON.parse(this[LIVE]().inputJson());
  }

  /** Changes the language of messages ("zh-CN" or "en"). */
  setLocale(locale) {
    const l = localeOf({ locale });
    call(() => this[LIVE]().setLocale(l));
    return this;
  }
}

/** The claim finder over rule packs: the six embedded default packs, or an insurer's own. */
export class Finder extends PackHolder {
  /** A finder with the embedded default packs. */
  constructor(token, inner) {
    if (token !== PRIVATE) loaded();
    super(token === PRIVATE ? inner : call(() => new WasmChecker()), 'finder');
  }

  /** A finder with your own packs (objects or JSON strings), with the options of `Checker.fromPacks`
   * (`publicKeys`, `requireSignature`); compiled by `preclaim/compiler`, as there. */
  static fromPacks(packs, options) {
    loaded();
    return Finder.fromCompiled(compilerApi('Finder.fromPacks').compilePacks(packs, options));
  }

  /** A finder with packs in their compiled form (`preclaim pack compile`), as `Checker.fromCompiled`. */
  static fromCompiled(packs) {
    loaded();
    const [bytes, lengths] = compiledPacks(packs);
    return new Finder(PRIVATE, call(() => WasmChecker.fromCompiled(bytes, lengths)));
  }

  /** Plans the claims of a finder@1 object and returns the plan@1; an input that is not a finder@1
   * (unknown insured key, duplicate policy key, ...) throws a PreclaimError with code "finder.input" and
   * the input's `path`. `filed_on` defaults to today on this device. */
  find(input, options) {
    const text = finderText(input, 'find');
    return JSON.parse(call(() => this[LIVE]().findJson(text, localeOf(options, 'find'))));
  }

  /** The claim finder on JSON text: a finder@1 in, a plan@1 out, as JSON text. */
  findJson(inputJson, options) {
    if (typeof inputJson !== 'string') throw new TypeError('preclaim: findJson takes a JSON string');
    return call(() => this[LIVE]().findJson(inputJson, localeOf(options, 'findJson')));
  }

  /** A session for a form that changes one field at a time (set a field, get the new plan). */
  session(input, options) {
    const text = finderText(input, 'session');
    return new FinderSession(PRIVATE, call(() => this[LIVE]().finderSession(text, localeOf(options, 'session'))));
  }

  // packs(), attachCatalog(), detachCatalog(), catalogs() and free() come from PackHolder and Handle:
  // free() releases the WebAssembly memory now; sessions already made keep working.
}

const loader = loaders(initGlue, initGlueSync, () => {
  ready = true;
});

/** Loads the finder's WebAssembly module (browsers, bundlers, workers; once): from a URL, a Response,
 * bytes or a WebAssembly.Module, by default the .wasm file next to this module. */
export default loader.init;

/** Loads the finder's WebAssembly module synchronously from bytes or a WebAssembly.Module. */
export const initSync = loader.initSync;
