// The JS side of the peer benchmark: preclaim's claim decoding and domain functions written in plain
// JavaScript, so a JSONLogic engine (json-logic-js, json-logic-engine) can run an exported default pack
// (`preclaim pack jsonlogic PACK.json`) on the same data our checker sees. Mirrors src/claim/schema.rs,
// src/claim/decode.rs, src/domain/ and src/expr/ops/ closely enough for the packs' rules to agree.
//
// Values as the rules see them: money is integer fen (a JS number, exact below 2^53), dates are day numbers
// (days since 1970-01-01; they compare and subtract as numbers), absent fields take their default. A
// malformed field (a bad date or amount) becomes a getter that throws, so a rule that reads it fails and
// does not fire, as in our engine.

// ---- dates ------------------------------------------------------------------------------------------

const isLeap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (y, m) => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]);

/** Days since 1970-01-01 of a valid y-m-d, else null (H. Hinnant's days_from_civil). */
export function fromYmd(y, m, d) {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function toYmd(z) {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function parseDate(s) {
  const m = DATE_RE.exec(s);
  return m ? fromYmd(+m[1], +m[2], +m[3]) : null;
}

export function formatDate(days) {
  const [y, m, d] = toYmd(days);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

class Invalid extends Error {}
const invalid = (msg) => {
  throw new Invalid(msg);
};

function dateArg(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') return parseDate(v) ?? invalid(`not a date: ${v}`);
  return invalid('expected a date');
}
function intArg(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return invalid('expected a whole number');
}
function strArg(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return invalid('expected a string');
}

function addMonths(d, n) {
  const [y, m, day] = toYmd(d);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return fromYmd(ny, nm, Math.min(day, daysInMonth(ny, nm)));
}
function addYears(d, n) {
  const [y, m, day] = toYmd(d);
  const ny = y + n;
  return m === 2 && day === 29 && !isLeap(ny) ? fromYmd(ny, 3, 1) : fromYmd(ny, m, day);
}
function ageOn(birth, on) {
  if (on < birth) return null;
  const [by, bm, bd] = toYmd(birth);
  const [oy, om, od] = toYmd(on);
  const [cm, cd] = bm === 2 && bd === 29 && !isLeap(oy) ? [3, 1] : [bm, bd];
  return om < cm || (om === cm && od < cd) ? oy - by - 1 : oy - by;
}

// ---- money ------------------------------------------------------------------------------------------

const MAX_MONEY_FEN = 100_000_000_000_000; // 10^12 yuan
const MONEY_RE = /^(\d+)(?:\.(\d{1,2}))?$/;
/** Fen from "1234.50", or null when it is not a valid amount. */
export function parseMoney(s) {
  const m = MONEY_RE.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + (m[2] === undefined ? 0 : m[2].length === 1 ? Number(m[2]) * 10 : Number(m[2]));
  return fen <= MAX_MONEY_FEN ? fen : null;
}
function moneyFromNumber(x) {
  if (!(x >= 0)) return null;
  const fen = Math.round(x * 100);
  return Math.abs(fen - x * 100) < 1e-6 && fen <= MAX_MONEY_FEN ? fen : null;
}
export const formatMoney = (fen) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

const RATIO_RE = /^(\d+)(?:\.(\d{1,9}))?$/;
/** A ratio 0..1 as [num, den] (integers), or null. */
function parseRatio(v) {
  let s = v;
  if (typeof v === 'number') s = String(v);
  if (typeof s !== 'string') return null;
  const m = RATIO_RE.exec(s);
  if (!m) return null;
  const frac = m[2] ?? '';
  const den = 10 ** frac.length;
  const num = Number(m[1]) * den + (frac ? Number(frac) : 0);
  return num <= den ? [num, den] : null;
}
/** x × num / den rounded half away from zero, in integers (BigInt when the product is large). */
function mulDivHalfUp(x, num, den) {
  if (den === 0) return invalid('division by zero');
  const p = x * num;
  if (Number.isSafeInteger(p)) {
    const q = Math.trunc(p / den);
    const r = p - q * den;
    return 2 * Math.abs(r) >= Math.abs(den) ? q + Math.sign(p) * Math.sign(den) : q;
  }
  const bp = BigInt(x) * BigInt(num);
  const bd = BigInt(den);
  let q = bp / bd;
  const r = bp - q * bd;
  const abs = (b) => (b < 0n ? -b : b);
  if (2n * abs(r) >= abs(bd)) q += (bp < 0n) !== (bd < 0n) ? -1n : 1n;
  return Number(q);
}

// ---- identity numbers, ICD codes ---------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const ID_RE = /^\d{17}[\dXx]$/;
/** GB 11643 resident ID: { birth, sex } or null. */
function residentId(s) {
  if (!ID_RE.test(s)) return null;
  const y = +s.slice(6, 10);
  const birth = y >= 1800 ? fromYmd(y, +s.slice(10, 12), +s.slice(12, 14)) : null;
  if (birth === null) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  if (ID_CHECK[sum % 11] !== s[17].toUpperCase()) return null;
  return { birth, sex: (s.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F' };
}
function luhn(s) {
  if (!/^\d+$/.test(s)) return false;
  let sum = 0;
  for (let i = s.length - 1, k = 0; i >= 0; i--, k++) {
    let d = s.charCodeAt(i) - 48;
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(s) {
  if (s.length !== 18) return false;
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    const v = USCC.indexOf(s[i]);
    if (v < 0) return false;
    sum = (sum + v * w) % 31;
    w = (w * 3) % 31;
  }
  const c = USCC.indexOf(s[17]);
  return c >= 0 && c === (31 - sum) % 31;
}
function mask(s) {
  const chars = [...s];
  const n = chars.length;
  const [head, tail] = n <= 2 ? [0, 0] : n <= 8 ? [0, 2] : [4, 4];
  return chars.map((c, i) => (i < head || i >= n - tail ? c : '*')).join('');
}
const ICD_RE = /^[A-Z][0-9]{2}(?:\.[A-Za-z0-9]{1,4})?$/;
const icdValid = (c) => ICD_RE.test(c);
const catKey = (c) => c.charCodeAt(0) * 100 + Number(c.slice(1, 3));
const CAT_RE = /^[A-Z][0-9]{2}$/;
const rangeCache = new Map();
function parseRange(s) {
  let r = rangeCache.get(s);
  if (r !== undefined) return r;
  const dash = s.search(/[-\u2013]/);
  if (dash >= 0) {
    const lo = s.slice(0, dash);
    const hi = s.slice(dash + 1);
    r = CAT_RE.test(lo) && CAT_RE.test(hi) && catKey(lo) <= catKey(hi) ? { lo: catKey(lo), hi: catKey(hi) } : null;
  } else if (!icdValid(s)) {
    r = null;
  } else if (s.length > 4) {
    r = { cat: catKey(s), sub: s.slice(4).toUpperCase() };
  } else {
    r = { lo: catKey(s), hi: catKey(s) };
  }
  rangeCache.set(s, r);
  return r;
}
function icdIn(code, ranges) {
  if (code === null || code === undefined) return false;
  if (typeof code !== 'string') invalid('icd_in: expected a string');
  if (!icdValid(code)) return false;
  const k = catKey(code);
  for (const text of Array.isArray(ranges) ? ranges : [ranges]) {
    const r = typeof text === 'string' ? parseRange(text) : null;
    if (r === null) invalid(`icd_in: not a range: ${text}`);
    if (r.sub === undefined ? r.lo <= k && k <= r.hi : k === r.cat && code.slice(4).toUpperCase().startsWith(r.sub)) return true;
  }
  return false;
}
const ICDO3_RE = /^M\d{4,5}\/([012369])[1-9]?$/;

// ---- the operators (arguments evaluated), by name as exported ----------------------------------------

const regexCache = new Map();
const pred = (f) => (s) => {
  const v = strArg(s);
  return v === null ? null : f(v);
};

/** Domain functions and list helpers taking evaluated arguments: `name -> (...args) => value`. */
export const OPERATIONS = {
  date: (s) => dateArg(s),
  add_days: (d, n) => ((d = dateArg(d)), (n = intArg(n)), d === null || n === null ? null : d + n),
  add_months: (d, n) => ((d = dateArg(d)), (n = intArg(n)), d === null || n === null ? null : addMonths(d, n)),
  add_years: (d, n) => ((d = dateArg(d)), (n = intArg(n)), d === null || n === null ? null : addYears(d, n)),
  days_between: (a, b) => ((a = dateArg(a)), (b = dateArg(b)), a === null || b === null ? null : b - a),
  age: (b, on) => ((b = dateArg(b)), (on = dateArg(on)), b === null || on === null ? null : ageOn(b, on)),
  latest: (...ds) => ds.reduce((best, d) => ((d = dateArg(d)), d !== null && (best === null || d > best) ? d : best), null),
  earliest: (...ds) => ds.reduce((best, d) => ((d = dateArg(d)), d !== null && (best === null || d < best) ? d : best), null),
  money: (x) => {
    if (x === null || x === undefined) return null;
    const r = typeof x === 'string' ? parseMoney(x) : typeof x === 'number' ? moneyFromNumber(x) : null;
    return r ?? invalid('money: not an amount');
  },
  yuan: (f) => (f === null || f === undefined ? null : Number.isInteger(f) ? formatMoney(f) : invalid('yuan: not fen')),
  apply_ratio: (f, r) => {
    f = intArg(f);
    if (f === null || r === null || r === undefined) return null;
    const q = parseRatio(r) ?? invalid('apply_ratio: bad ratio');
    return mulDivHalfUp(f, q[0], q[1]);
  },
  mul_div: (f, n, d) => ((f = intArg(f)), (n = intArg(n)), (d = intArg(d)), f === null || n === null || d === null ? null : mulDivHalfUp(f, n, d)),
  id_valid: pred((s) => residentId(s) !== null),
  id_birth: pred((s) => residentId(s)?.birth ?? null),
  id_sex: pred((s) => residentId(s)?.sex ?? null),
  luhn: pred(luhn),
  bank_card_valid: pred((s) => s.length >= 15 && s.length <= 19 && luhn(s)),
  uscc_valid: pred(uscc),
  mask: (s) => (s === null || s === undefined ? null : mask(String(s))),
  icd_valid: pred(icdValid),
  icd_category: pred((s) => (icdValid(s) ? s.slice(0, 3) : null)),
  icd_in: icdIn,
  icdo3_behaviour: pred((s) => {
    const m = ICDO3_RE.exec(s);
    return m ? +m[1] : null;
  }),
  regex_match: (s, pattern) => {
    s = strArg(s);
    if (s === null) return null;
    let re = regexCache.get(pattern);
    if (re === undefined) regexCache.set(pattern, (re = new RegExp(pattern, 'u')));
    return re.test(s);
  },
  flatten: (list) => {
    if (list === null || list === undefined) return [];
    if (!Array.isArray(list)) invalid('flatten takes a list');
    const out = [];
    for (const x of list) {
      if (Array.isArray(x)) for (const y of x) out.push(y);
      else if (x !== null) out.push(x);
    }
    return out;
  },
  len: (x) => (x === null || x === undefined ? 0 : typeof x === 'string' ? [...x].length : Array.isArray(x) ? x.length : invalid('len')),
  lower: (s) => strArg(s)?.toLowerCase() ?? null,
  upper: (s) => strArg(s)?.toUpperCase() ?? null,
  trim: (s) => (s === null || s === undefined ? null : typeof s === 'string' ? s.trim() : invalid('trim takes one string')),
  abs: (n) => (n === null ? null : Math.abs(n)),
  get: (o, k) => {
    if (o === null || o === undefined) return null;
    if (Array.isArray(o)) return Number.isInteger(k) && k >= 0 && k < o.length ? o[k] : null;
    if (typeof o === 'object') return k === null ? null : (Object.hasOwn(o, k) ? o[k] : null);
    return invalid('get takes an object or a list');
  },
  slice: (list, start, end) => {
    if (list === null || list === undefined) return [];
    if (!Array.isArray(list)) invalid('slice takes a list');
    return end === undefined ? list.slice(start) : list.slice(start, Math.max(end < 0 ? list.length + end : end, start < 0 ? list.length + start : start));
  },
  index_of: (list, x) => (list === null || list === undefined ? -1 : list.indexOf(x)),
  distinct: (list) => (list === null || list === undefined ? [] : [...new Map(list.map((v) => [typeof v + JSON.stringify(v), v])).values()]),
  /** `repeats(list)`: whether an equal non-null element comes before each one (a Set: linear). */
  repeats: (list) => {
    if (list === null || list === undefined) return [];
    if (!Array.isArray(list)) invalid('repeats takes a list');
    const seen = new Set();
    return list.map((v) => {
      if (v === null) return false;
      const k = typeof v + JSON.stringify(v);
      if (seen.has(k)) return true;
      seen.add(k);
      return false;
    });
  },
  // The catalog functions: the peers run without catalogs, as our checker does in these benchmarks (each
  // answers null, catalog_loaded false), so both compute the same reports.
  catalog_loaded: () => false,
  item_class: () => null,
  item_self_pay_rate: () => null,
  item_price_cap: () => null,
  diagnosis_known: () => null,
  /** `sum(list)` with one argument; the two-argument form is an iterator (see peer-checker.mjs). */
  sum: (list) => {
    if (list === null || list === undefined) return 0;
    if (!Array.isArray(list)) invalid('sum takes a list');
    let s = 0;
    for (const x of list) {
      if (x !== null && typeof x !== 'number') invalid('sum: not a number');
      s += x ?? 0;
    }
    return s;
  },
};

// ---- claim@1 decoding (src/claim/schema.rs, src/claim/decode.rs) --------------------------------------

const S = 'str', B = 'bool', N = 'count', D = 'date', M = 'money', ANY = 'any';
const en = (...allowed) => ({ enum: allowed });
const rec = (fields) => ({ record: fields });
const list = (fields) => ({ list: fields });
// [name, kind, default]: default 'null' (absent), 'zero', 'false', 'empty', or '=other' (another field).
const DIAGNOSIS = [['icd10', S], ['icdo3', S], ['primary', B, 'false']];
const ITEM = [['code', S], ['name', S], ['class', en('A', 'B', 'self', 'nonmedical')], ['amount', M], ['self_pay_first', M]];
const IDT = en('resident_id', 'household_register', 'passport', 'other');
const DOCS = en(...Array.from({ length: 22 }, (_, i) => `D${String(i + 1).padStart(2, '0')}`));
export const CLAIM = [
  ['schema', S],
  ['filed_on', D],
  ['reported_on', D, '=filed_on'],
  ['benefit', en('inpatient', 'outpatient', 'critical_illness', 'disability', 'death', 'hospital_cash')],
  ['cause', en('illness', 'accident')],
  ['event', rec([['date', D], ['diagnoses', list(DIAGNOSIS), 'empty'], ['accident', rec([['kind', S], ['description', S]]), 'empty'],
    ['disability_grade', N], ['death_manner', en('natural', 'accident', 'suicide', 'declared')]]), 'empty'],
  ['policy', rec([['number', S], ['product', S], ['effective_on', D], ['expires_on', D], ['continuous_since', D, '=effective_on'],
    ['reinstated_on', D], ['sum_insured', M], ['unpaid_premium', M], ['premium_due_on', D], ['paid_this_year', M, 'zero'],
    ['deductible_used', M, 'zero'], ['cash_days_paid_this_year', N, 'zero'], ['social_insurance', B, 'false']]), 'empty'],
  ['insured', rec([['name', S], ['id_type', IDT], ['id_number', S], ['birth_date', D], ['sex', en('M', 'F')]]), 'empty'],
  ['applicant', rec([['relation', en('self', 'guardian', 'spouse', 'parent', 'child', 'beneficiary', 'heir', 'agent')], ['name', S],
    ['id_type', IDT], ['id_number', S], ['birth_date', D]]), 'empty'],
  ['payee', rec([['name', S], ['bank_card', S], ['bank_name', S]]), 'empty'],
  ['beneficiaries', list([['name', S], ['id_number', S], ['relation', S]]), 'empty'],
  ['estate', B, 'false'],
  ['hospital', rec([['name', S], ['level', en('3A', '3B', '3C', '3', '2A', '2B', '2C', '2', '1', 'unrated')], ['public', B],
    ['department', en('general', 'special_needs', 'international', 'vip')]]), 'empty'],
  ['stay', rec([['admitted_on', D], ['discharged_on', D]]), 'empty'],
  ['invoices', list([['code', S], ['number', S], ['check_code', S], ['visit', en('inpatient', 'outpatient')], ['visit_on', D, '=issued_on'],
    ['issued_on', D], ['patient_name', S], ['total', M], ['fund_paid', M, 'zero'], ['account_paid', M, 'zero'], ['other_paid', M, 'zero'],
    ['items', list(ITEM), 'empty']]), 'empty'],
  ['documents', list([['type', DOCS], ['file', S], ['mime', S], ['bytes', N], ['width', N], ['height', N], ['pages', N], ['sha256', S],
    ['quality', 'quality']]), 'empty'],
  ['history', rec([['used_invoices', 'strlist', 'empty'], ['prior_visits', list([['date', D], ['icd10', S]]), 'empty']]), 'empty'],
];
// The fields a claim must give (src/claim/required.rs): [path, conditions]; `[]` is every element of a list.
const MEDICAL = ['inpatient', 'outpatient'];
const REQUIRED = [
  ['filed_on'], ['benefit'], ['cause'], ['event.date'], ['policy.product'], ['policy.effective_on'], ['policy.expires_on'],
  ['policy.unpaid_premium', { given: 'policy.premium_due_on' }], ['policy.premium_due_on', { given: 'policy.unpaid_premium' }],
  ['insured.name'], ['insured.id_type'], ['insured.id_number', { idType: ['resident_id', 'household_register'] }],
  ['insured.birth_date', { idType: ['passport', 'other'] }], ['insured.sex', { idType: ['passport', 'other'] }],
  ['applicant.relation'], ['event.diagnoses[].icd10', { benefit: ['critical_illness'] }],
  ['stay.admitted_on', { benefit: ['inpatient', 'hospital_cash'] }], ['stay.discharged_on', { benefit: ['inpatient', 'hospital_cash'] }],
  ['invoices', { benefit: MEDICAL }], ['invoices[].visit', { benefit: MEDICAL }],
  ['invoices[].total', { benefit: MEDICAL, noItems: true }], ['invoices[].items[].class', { benefit: MEDICAL }],
  ['invoices[].items[].amount', { benefit: MEDICAL }],
];

/** A field's value without throwing (a malformed field reads as MALFORMED). */
function peek(obj, name) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const d = Object.getOwnPropertyDescriptor(obj, name);
  return d === undefined ? undefined : d.get ? MALFORMED : d.value;
}

/** Calls f(path, record, value) for every field `path` names (`a[].b`), skipping malformed records and lists. */
function walk(v, path, prefix, f) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
  const dot = path.indexOf('.');
  const seg = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? null : path.slice(dot + 1);
  const name = seg.endsWith('[]') ? seg.slice(0, -2) : seg;
  const here = prefix ? `${prefix}.${name}` : name;
  const child = peek(v, name);
  if (seg.endsWith('[]')) {
    if (!Array.isArray(child)) return;
    child.forEach((it, i) => (rest === null ? f(`${here}[${i}]`, v, it) : walk(it, rest, `${here}[${i}]`, f)));
  } else if (rest === null) f(here, v, child);
  else walk(child, rest, here, f);
}

const isMissing = (v) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);
const at = (v, path) => path.split('.').reduce((o, k) => (o === undefined ? undefined : peek(o, k)), v);

/** The missing required fields of a decoded claim, then those of the pack's `required` list (paths). */
export function requiredProblems(value, packRequired = []) {
  const out = [];
  for (const [path, when = {}] of REQUIRED) {
    if (when.benefit && !when.benefit.includes(at(value, 'benefit'))) continue;
    if (when.idType && !when.idType.includes(at(value, 'insured.id_type'))) continue;
    if (when.given && isMissing(at(value, when.given))) continue;
    walk(value, path, '', (p, record, v) => {
      if (when.noItems && !(Array.isArray(peek(record, 'items')) && peek(record, 'items').length === 0)) return;
      if (isMissing(v)) out.push(p);
    });
  }
  for (const path of packRequired) walk(value, path, '', (p, _, v) => isMissing(v) && !out.includes(p) && out.push(p));
  return out;
}

/** A field that failed to decode: reading it throws, so the expression that reads it fails. */
export const MALFORMED = Symbol('malformed');
function malformedGetter() {
  throw new Invalid('the field is malformed');
}

/** claim@1 JS object → { value, problems } (problems: paths of malformed fields; the missing required ones
 * come from requiredProblems). */
export function decodeClaim(claim) {
  const problems = [];
  const value = decodeRecord(claim !== null && typeof claim === 'object' && !Array.isArray(claim) ? claim : {}, CLAIM, '', problems);
  return { value, problems };
}

function decodeRecord(obj, fields, path, problems) {
  const out = {};
  let bad = null;
  for (const [name, kind, dflt] of fields) {
    const given = obj[name];
    const p = path ? `${path}.${name}` : name;
    let v;
    if (given !== null && given !== undefined) v = decodeField(given, kind, p, problems);
    else if (dflt === 'zero') v = 0;
    else if (dflt === 'false') v = false;
    else if (dflt === 'empty') v = kind.record ? decodeRecord({}, kind.record, p, problems) : [];
    else v = null;
    if (v === MALFORMED) (bad ??= []).push(name);
    out[name] = v;
  }
  for (const [name, , dflt] of fields) {
    if (typeof dflt === 'string' && dflt[0] === '=' && out[name] === null && out[dflt.slice(1)] !== MALFORMED) out[name] = out[dflt.slice(1)];
  }
  if (bad) for (const name of bad) Object.defineProperty(out, name, { get: malformedGetter, enumerable: true });
  return out;
}

function decodeField(v, kind, path, problems) {
  const bad = () => (problems.push(path), MALFORMED);
  switch (kind) {
    case S:
      return typeof v === 'string' ? v : bad();
    case B:
      return typeof v === 'boolean' ? v : bad();
    case N:
      return Number.isInteger(v) && v >= 0 ? v : bad();
    case D:
      return typeof v === 'string' ? (parseDate(v) ?? bad()) : bad();
    case M: {
      const f = typeof v === 'string' ? parseMoney(v) : typeof v === 'number' ? moneyFromNumber(v) : null;
      return f ?? bad();
    }
    case ANY:
      return v;
    case 'quality':
      return v !== null && typeof v === 'object' && !Array.isArray(v) && ['ok', 'warn', 'retake'].includes(v.verdict) &&
        (v.issues === undefined || v.issues === null || (Array.isArray(v.issues) && v.issues.every((x) => typeof x === 'string')))
        ? v
        : bad();
    case 'strlist':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : bad();
    default:
      if (kind.enum) return kind.enum.includes(v) ? v : bad();
      if (kind.record) return v !== null && typeof v === 'object' && !Array.isArray(v) ? decodeRecord(v, kind.record, path, problems) : bad();
      if (kind.list) {
        if (!Array.isArray(v)) return bad();
        return v.map((x, i) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? decodeRecord(x, kind.list, `${path}[${i}]`, problems) : (problems.push(`${path}[${i}]`), MALFORMED)));
      }
      throw new Error(`unknown kind ${JSON.stringify(kind)}`);
  }
}
