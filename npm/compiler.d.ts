// preclaim/compiler: the pack and rule compiler, with a WebAssembly module of its own (`await init()`
// first in browsers; the Node entry loads it on import). Once loaded, `Checker.fromPacks`,
// `Finder.fromPacks` and `compile` of the other entries use it too.
import type { BufferSourceLike, InitInput, JsonValue, WasmModule } from './index.js';
export { PreclaimError } from './index.js';

/** A compiled JSONLogic rule (`compile(rule)`). */
export class Rule {
  private constructor();
  /** The rule's result on `data`; an array of rules gives the array of their results (one crossing). */
  evaluate(data?: unknown): JsonValue;
  /** Releases the WebAssembly memory now; later calls throw a TypeError, a second free() does nothing. */
  free(): void;
}

/** Compiles a JSONLogic rule: an operation, a literal, or an array of rules. preclaim's own operators
 * (dates, money, ID checks; docs/expressions.md) are available besides JSONLogic's. */
export function compile(rule: JsonValue | object): Rule;

/** Compiles packs (objects or JSON strings) to their compiled form, one Uint8Array per pack, for
 * `Checker.fromCompiled` or `Finder.fromCompiled`; the options of `Checker.fromPacks`. */
export function compilePacks(
  packs: ReadonlyArray<object | string>,
  options?: { publicKeys?: string[]; requireSignature?: boolean },
): Uint8Array[];

/** Loads the compiler's WebAssembly module (browsers, bundlers, workers); not needed in Node. */
export default function init(input?: InitInput): Promise<void>;
export function initSync(module: BufferSourceLike | WasmModule): void;
