// A small claim checker on top of a peer JSONLogic engine, for the benchmark of issue #8: it runs packs
// exported to plain JSONLogic (`preclaim pack jsonlogic PACK.json`) the way our checker runs them —
// decode the claim (money → fen, dates → day numbers, defaults; bench/peer-domain.mjs), derived values
// in dependency order, the rules that apply to the claim's benefit (each `each` loop binding its variable
// and index), the estimate steps — and returns the fired rule ids and the estimate, which bench/peers.mjs
// compares with our report before timing anything. It does not build messages, field paths or the
// report object (our checker does: its figures include that work).
//
// Engines (`kind`):
//   'json-logic-js'                json-logic-js 2.0.5. It has no `val` (scope climbing), `??`, `throw`,
//                                  `preserve`, `try`, and its iterators cannot see outer scopes, so its `map`,
//                                  `filter`, `all`, `some`, `none`, `reduce` are replaced by custom
//                                  operations that keep a scope stack (the body is passed unevaluated as a
//                                  two-key object, which json-logic-js treats as data).
//   'json-logic-engine'            json-logic-engine 5.0.7 interpreted (`engine.run`).
//   'json-logic-engine-compiled'   json-logic-engine 5.0.7 compiled (`engine.build`: new Function, so a page
//                                  needs 'unsafe-eval' under a CSP).
// For json-logic-engine the extra iterators are rewritten into standard ones with the same scopes:
// count(L, B) → len(filter(L, B)), find(L, B) → get(filter(L, B), 0), sum(L, B) → sum(map(L, B)).
//
// Engines are passed in (`libs`), so the same file runs in Node and in a browser page:
//   { jsonLogic }                   json-logic-js's export (CommonJS in Node, window.jsonLogic in a page)
//   { LogicEngine }                 json-logic-engine's class (its ESM build)
import { OPERATIONS, decodeClaim, requiredProblems } from './peer-domain.mjs';

const BENEFITS = ['inpatient', 'outpatient', 'critical_illness', 'disability', 'death', 'hospital_cash'];
const ITERATORS = new Set(['map', 'filter', 'all', 'some', 'none', 'reduce', 'count', 'find']);

/** Rewrites a JSONLogic tree bottom-up: `f(op, args)` may return a replacement node. */
function rewrite(node, f) {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, f));
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] === 'preserve') return node;
  const op = keys[0];
  const raw = node[op];
  const args = Array.isArray(raw) ? raw.map((n) => rewrite(n, f)) : [rewrite(raw, f)];
  return f(op, args, Array.isArray(raw)) ?? { [op]: Array.isArray(raw) ? args : args[0] };
}

/** The `derived.NAME` names an expression reads (through `var` or climbing `val`). */
function derivedRefs(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => derivedRefs(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [op, a] of Object.entries(node)) {
      if (op === 'var') {
        const p = Array.isArray(a) ? a[0] : a;
        if (typeof p === 'string' && p.startsWith('derived.')) out.add(p.split('.')[1]);
      } else if (op === 'val' && Array.isArray(a)) {
        const i = a.indexOf('derived');
        if (i >= 0 && typeof a[i + 1] === 'string') out.add(a[i + 1]);
      }
      derivedRefs(a, out);
    }
  }
  return out;
}

function dependencyOrder(derived) {
  const order = [];
  const state = new Map();
  const visit = (name) => {
    if (state.get(name) === 2) return;
    if (state.get(name) === 1) throw new Error(`derived values in a cycle at ${name}`);
    state.set(name, 1);
    for (const d of derivedRefs(derived[name])) if (d in derived) visit(d);
    state.set(name, 2);
    order.push(name);
  };
  Object.keys(derived).forEach(visit);
  return order;
}

// ---- json-logic-engine ------------------------------------------------------------------------------

function engineCompiler(LogicEngine, compiled) {
  const engine = new LogicEngine();
  for (const [name, f] of Object.entries(OPERATIONS)) {
    engine.addMethod(name, (args) => f(...(Array.isArray(args) ? args : [args])), { deterministic: true });
  }
  const fix = (op, args) => {
    if (op === 'count' && args.length === 2) return { len: [{ filter: args }] };
    if (op === 'find' && args.length === 2) return { get: [{ filter: args }, 0] };
    if (op === 'sum' && args.length === 2) return { sum: [{ map: args }] };
    return null;
  };
  return (logic) => {
    const l = rewrite(logic, fix);
    if (compiled) return engine.build(l);
    return (data) => engine.run(l, data);
  };
}

// ---- json-logic-js ----------------------------------------------------------------------------------

function jsonLogicJsCompiler(jsonLogic) {
  // The scope chain of json-logic-engine and datalogic-rs: each iteration level is [{index}, outer data,
  // outer chain]; `val` with [[n], ...] climbs it. Evaluation is synchronous, so one variable suffices.
  let above = null;
  const truthy = jsonLogic.truthy;
  const iterate = (list, body, data, each) => {
    if (list === null || list === undefined) list = [];
    if (!Array.isArray(list)) throw new Error('not a list');
    const saved = above;
    try {
      for (let i = 0; i < list.length; i++) {
        above = [{ index: i }, data, saved];
        if (each(jsonLogic.apply(body.λ, list[i]), i) === false) break;
      }
    } finally {
      above = saved;
    }
  };
  const ops = {
    pc_map(list, body) {
      const out = [];
      iterate(list, body, this, (v) => void out.push(v));
      return out;
    },
    pc_filter(list, body) {
      const out = [];
      iterate(list, body, this, (v, i) => void (truthy(v) && out.push(list[i])));
      return out;
    },
    pc_some(list, body) {
      let r = false;
      iterate(list, body, this, (v) => (truthy(v) ? ((r = true), false) : true));
      return r;
    },
    pc_all(list, body) {
      if (!list || list.length === 0) return false;
      let r = true;
      iterate(list, body, this, (v) => (truthy(v) ? true : ((r = false), false)));
      return r;
    },
    pc_none(list, body) {
      let r = true;
      iterate(list, body, this, (v) => (truthy(v) ? ((r = false), false) : true));
      return r;
    },
    pc_count(list, body) {
      let n = 0;
      iterate(list, body, this, (v) => void (truthy(v) && n++));
      return n;
    },
    pc_find(list, body) {
      let r = null;
      iterate(list, body, this, (v, i) => (truthy(v) ? ((r = list[i]), false) : true));
      return r;
    },
    pc_sum(list, body) {
      let s = 0;
      iterate(list, body, this, (v) => void (s += v ?? 0));
      return s;
    },
    val(...args) {
      let r = this;
      let start = 0;
      if (Array.isArray(args[0])) {
        start = 1;
        // The chain is [{index}, outer data, outer chain]: climbing 1 gives {index}, 2 the outer data,
        // 3 the next {index} up, and so on.
        let chain = above;
        let n = Math.abs(args[0][0]);
        for (; n > 2; n -= 2) chain = chain[2];
        r = n === 0 ? this : chain[n - 1];
      }
      for (let i = start; i < args.length; i++) {
        if (r === null || r === undefined) return null;
        r = r[args[i]];
      }
      return r ?? null;
    },
    '??': (...args) => args.find((a) => a !== null && a !== undefined) ?? null,
    throw: (t) => {
      throw new Error(String(t));
    },
    preserve: (x) => x,
    // `try` must catch errors of its arguments, so they come unevaluated (like iterator bodies).
    pc_try(...alts) {
      let error = new Error('try needs an argument');
      for (const a of alts) {
        try {
          return jsonLogic.apply(a.λ, this);
        } catch (e) {
          error = e;
        }
      }
      throw error;
    },
    exists: () => {
      throw new Error('exists is not supported on json-logic-js');
    },
  };
  for (const [name, f] of Object.entries({ ...OPERATIONS, ...ops })) jsonLogic.add_operation(name, f);
  const fix = (op, args) => {
    if (op === 'reduce') throw new Error('reduce with scopes is not supported on json-logic-js');
    if (op === 'try') return { pc_try: args.map((a) => ({ λ: a, _: 0 })) };
    if ((ITERATORS.has(op) || (op === 'sum' && args.length === 2)) && args.length === 2) {
      return { [`pc_${op}`]: [args[0], { λ: args[1], _: 0 }] };
    }
    return null;
  };
  return (logic) => {
    const l = rewrite(logic, fix);
    return (data) => jsonLogic.apply(l, data);
  };
}

// ---- the checker ------------------------------------------------------------------------------------

function failing() {
  throw new Error('a derived value this reads failed');
}

/** A checker over exported packs (objects) with one peer engine. */
export class PeerChecker {
  constructor(packs, kind, libs) {
    const compile =
      kind === 'json-logic-js'
        ? jsonLogicJsCompiler(libs.jsonLogic)
        : kind === 'json-logic-engine' || kind === 'json-logic-engine-compiled'
          ? engineCompiler(libs.LogicEngine, kind === 'json-logic-engine-compiled')
          : null;
    if (!compile) throw new Error(`unknown peer ${kind}`);
    this.kind = kind;
    this.byProduct = new Map();
    for (const pack of packs) {
      const p = {
        id: pack.id,
        required: pack.required ?? [],
        params: pack.params ?? {},
        derived: dependencyOrder(pack.derived ?? {}).map((name) => [name, compile(pack.derived[name])]),
        byBenefit: BENEFITS.map(() => []),
        anyBenefit: [],
        steps: (pack.estimate?.steps ?? []).map((s) => ({
          rule: s.rule,
          when: s.when === undefined ? null : compile(s.when),
          amount: compile(s.amount),
        })),
      };
      for (const r of pack.rules ?? []) {
        const rule = {
          id: r.id,
          kind: r.kind,
          severity: r.severity,
          when: compile(r.when),
          each: (r.each ?? []).map((e) => ({ as: e.as, index: e.index, in: compile(e.in) })),
          aggregate: r.aggregate === true,
        };
        const benefits = r.benefits ?? [];
        BENEFITS.forEach((b, i) => {
          if (benefits.length === 0 || benefits.includes(b)) p.byBenefit[i].push(rule);
        });
        if (benefits.length === 0) p.anyBenefit.push(rule);
      }
      for (const product of pack.products) if (!this.byProduct.has(product)) this.byProduct.set(product, p);
    }
  }

  /** The claim (a claim@1 JS object) → { findings: [{rule, kind, severity}], payable (fen or null), steps }. */
  check(claim) {
    const { value: root, problems } = decodeClaim(claim);
    const findings = problems.map(() => ({ rule: 'C00', kind: 'C', severity: 'block' }));
    let product = null;
    try {
      product = root.policy.product;
    } catch {
      // a malformed policy
    }
    const p = this.byProduct.get(product);
    findings.push(...requiredProblems(root, p?.required).map(() => ({ rule: 'C00', kind: 'C', severity: 'block' })));
    if (!p) {
      if (product !== null) findings.push({ rule: 'C00', kind: 'C', severity: 'block' });
      return { findings, payable: null, steps: null };
    }
    root.params = p.params;
    const derived = {};
    root.derived = derived;
    for (const [name, f] of p.derived) {
      try {
        derived[name] = f(root);
      } catch {
        Object.defineProperty(derived, name, { get: failing, enumerable: true });
      }
    }
    let benefit = null;
    try {
      benefit = root.benefit;
    } catch {
      // malformed
    }
    const bi = BENEFITS.indexOf(benefit);
    for (const rule of bi >= 0 ? p.byBenefit[bi] : p.anyBenefit) {
      const fired = [];
      this.#rule(rule, root, 0, fired);
      // An aggregate rule gives one finding for all its firings.
      findings.push(...(rule.aggregate ? fired.slice(0, 1) : fired));
    }
    let steps = [];
    for (const s of p.steps) {
      try {
        if (s.when !== null && !truthy(s.when(root))) continue;
        const a = s.amount(root);
        if (!Number.isInteger(a)) throw new Error('not fen');
        steps.push({ rule: s.rule, amount: Math.max(a, 0) });
      } catch {
        steps = null;
        break;
      }
    }
    if (steps !== null && steps.length === 0) steps = null;
    const ineligible = findings.some((f) => f.kind === 'E' && f.severity === 'block');
    if (ineligible) steps = null;
    const payable = steps === null ? null : steps[steps.length - 1].amount;
    return {
      findings: payable === null ? findings.filter((f) => !(f.kind === 'K' && f.severity === 'info')) : findings,
      payable,
      steps,
    };
  }

  #rule(rule, root, level, findings) {
    const loop = rule.each[level];
    if (loop === undefined) {
      let fired = false;
      try {
        fired = truthy(rule.when(root));
      } catch {
        // a rule that fails does not fire
      }
      if (fired) findings.push({ rule: rule.id, kind: rule.kind, severity: rule.severity });
      return;
    }
    let list;
    try {
      list = loop.in(root);
    } catch {
      return;
    }
    if (!Array.isArray(list)) return;
    for (let i = 0; i < list.length; i++) {
      root[loop.as] = list[i];
      if (loop.index !== undefined) root[loop.index] = i;
      this.#rule(rule, root, level + 1, findings);
    }
  }
}

/** JSONLogic truthiness (both engines agree on it): [] is false. */
function truthy(v) {
  return Array.isArray(v) ? v.length > 0 : !!v;
}
