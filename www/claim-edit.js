// The portal's copy of the claim, kept in step with the session's by the same path edits as the session
// makes (src/claim/edit.rs): a missing object member or list is created on the way, an index equal to the
// list's length appends, `undefined` removes the member (or the list element, shifting the rest). The form
// applies each edit here after the session accepted it, so a keystroke never pulls the claim back out of
// WebAssembly (tests: www/tests/claim-edit.test.mjs compares the two over random edits).

/** `invoices[0].items[2].amount` → ['invoices', 0, 'items', 2, 'amount']. */
export function parsePath(path) {
  const steps = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && (steps.length === 0 || m[2] === ''))) throw new TypeError(`not a field path: ${path}`);
    if (m[1] !== '') steps.push(m[1]);
    for (const [, n] of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(n));
  }
  return steps;
}

const container = (next) => (typeof next === 'number' ? [] : {});

/** Sets (or, with `undefined`, removes) the value at `path` in `root`, in place; `value` is copied. */
export function setPath(root, path, value) {
  const steps = parsePath(path);
  const last = steps.pop();
  let cur = root;
  for (const [i, step] of steps.entries()) {
    const next = i + 1 < steps.length ? steps[i + 1] : last;
    if (cur[step] === undefined || cur[step] === null) {
      if (value === undefined) return; // removing below something absent: nothing to do
      if (typeof step === 'number' && step !== cur.length) throw new RangeError(`${path}: index past the end`);
      cur[step] = container(next);
    }
    cur = cur[step];
  }
  if (value === undefined) {
    if (Array.isArray(cur) && typeof last === 'number') {
      if (last < cur.length) cur.splice(last, 1);
    } else if (!Array.isArray(cur) && typeof last === 'string') {
      delete cur[last];
    }
    return;
  }
  cur[last] = JSON.parse(JSON.stringify(value));
}
