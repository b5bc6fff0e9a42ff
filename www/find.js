// "我能赔多少 / What can I claim?": the claim finder in the demo portal, through the public npm API only
// (`finder.find(finderInput, { locale })` of the entry `preclaim/finder`, served here at /pkg/finder.js,
// which fetches its own .wasm). The page holds one finder@1 object — an
// example household's policies and one event with its e-bill — that the form edits field by field; every
// edit asks preclaim for a new plan (which policies pay, in which order, how much, what is still missing).
// Nothing leaves the device.

import init, { Finder } from '/pkg/finder.js';
import { translator, exampleHousehold, EXAMPLE_BILL } from './find-i18n.js';

const DOC_CODES = Array.from({ length: 22 }, (_, i) => `D${String(i + 1).padStart(2, '0')}`);
const LEVELS = ['3A', '3B', '3C', '3', '2A', '2B', '2C', '2', '1', 'unrated'];
const ACCIDENTS = ['traffic', 'fall', 'work', 'other'];
const DEATH = ['natural', 'accident', 'suicide', 'declared'];
const CLASSES = ['A', 'B', 'self', 'nonmedical'];

const params = new URLSearchParams(location.search);
const state = {
  locale: pickLocale(),
  elder: params.has('elder') ? params.get('elder') === '1' : localStorage.getItem('preclaim.elder') === '1',
  finder: null,
  packs: [],
  input: exampleHousehold(),
  plan: null,
  error: null,
  announced: '',
  nextKey: 1,
};
let t = translator(state.locale, state.elder);
let announceTimer = 0;

function pickLocale() {
  const asked = params.get('lang') ?? localStorage.getItem('preclaim.locale');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

const $ = (id) => document.getElementById(id);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** The parts of a path: "policies[2].policy.product" → ["policies", 2, "policy", "product"]. */
function parts(path) {
  return (path.match(/[^.[\]]+/g) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function get(obj, path) {
  let v = obj;
  for (const p of parts(path)) {
    if (v === null || v === undefined) return undefined;
    v = v[p];
  }
  return v;
}

/** Sets (or with `undefined`, removes) the value at `path`, creating objects on the way. */
function set(obj, path, value) {
  const ps = parts(path);
  let v = obj;
  for (const [i, p] of ps.slice(0, -1).entries()) {
    if (v[p] === null || typeof v[p] !== 'object') v[p] = typeof ps[i + 1] === 'number' ? [] : {};
    v = v[p];
  }
  const last = ps[ps.length - 1];
  if (value === undefined) delete v[last];
  else v[last] = value;
}

const idOf = (path) => 'f-' + path.replace(/[[\].]+/g, '-').replace(/-$/, '');

function productTitle(code) {
  const pack = state.packs.find((p) => p.products.includes(code));
  return pack ? pack.title[state.locale] : code || '—';
}

function personName(key) {
  const name = state.input.people?.[key]?.name ?? key;
  const roleKey = `person.${key}`;
  const role = t(roleKey);
  if (role === roleKey) return name;
  return state.locale === 'en' ? `${name} (${role})` : `${name}（${role}）`;
}

/** A policy's name in the plan: its product's title, with the number when the person has two of that product. */
function policyName(key) {
  const entry = state.input.policies.find((p) => p.key === key);
  if (!entry) return key;
  const title = productTitle(entry.policy?.product);
  const twins = state.input.policies.filter((p) => p.insured === entry.insured && p.policy?.product === entry.policy?.product).length > 1;
  return twins && entry.policy?.number ? `${title} ${entry.policy.number}` : title;
}

/** Whether a product reimburses medical costs (its pack offers inpatient or outpatient): it has a deductible. */
function isMedical(code) {
  const benefits = state.packs.find((p) => p.products.includes(code))?.benefits ?? [];
  return benefits.includes('inpatient') || benefits.includes('outpatient');
}

function announce(text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    $('announce').textContent = text;
  }, 400);
}

// ---------------------------------------------------------------------------------------------------
// The form

/** A labelled control bound to a path of the finder input. `kind`: text, date, money, select, check. */
function field(path, label, kind, opts = {}) {
  const id = idOf(path);
  const value = get(state.input, path);
  const data = { path, kind, ...(opts.rerender ? { rerender: '1' } : {}), ...(opts.number ? { number: '1' } : {}) };
  let control;
  if (kind === 'select') {
    control = h(
      'select',
      { id, dataset: data },
      opts.empty !== undefined && h('option', { value: '', text: opts.empty }),
      opts.choices.map(([v, text]) => h('option', { value: String(v), text })),
    );
    control.value = value === undefined || value === null ? '' : String(value);
  } else if (kind === 'check') {
    control = h('input', { id, type: 'checkbox', dataset: data });
    control.checked = value === true;
    return h('div', { class: 'check-row' }, control, h('label', { for: id, text: label }));
  } else {
    control = h('input', {
      id,
      type: kind === 'date' ? 'date' : 'text',
      inputmode: kind === 'money' ? 'decimal' : undefined,
      autocomplete: 'off',
      dataset: data,
    });
    control.value = value === undefined || value === null ? '' : String(value);
  }
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), control);
}

function policyCard(entry, i) {
  const p = `policies[${i}]`;
  const name = `${productTitle(entry.policy?.product)} · ${personName(entry.insured)}`;
  const products = state.packs.flatMap((pack) =>
    pack.products.map((code) => [code, state.locale === 'en' ? `${pack.title.en} (${code})` : `${pack.title['zh-CN']}（${code}）`]),
  );
  return h(
    'fieldset',
    { class: 'policy-card', id: `policy-${entry.key}`, dataset: { key: entry.key } },
    h('legend', { text: t('policies.legend', { n: i + 1, name }) }),
    h(
      'div',
      { class: 'fields' },
      field(`${p}.policy.product`, t('f.product'), 'select', { choices: products, empty: '—', rerender: true }),
      field(`${p}.insured`, t('f.insured'), 'select', {
        choices: Object.keys(state.input.people).map((k) => [k, personName(k)]),
        rerender: true,
      }),
      field(`${p}.policy.number`, t('f.number'), 'text'),
      field(`${p}.policy.sum_insured`, t('f.sum_insured'), 'money'),
      field(`${p}.policy.effective_on`, t('f.effective_on'), 'date'),
      field(`${p}.policy.expires_on`, t('f.expires_on'), 'date'),
      !state.elder && field(`${p}.policy.continuous_since`, t('f.continuous_since'), 'date'),
      field(`${p}.policy.paid_this_year`, t('f.paid_this_year'), 'money'),
      isMedical(entry.policy?.product) && field(`${p}.policy.deductible_used`, t('f.deductible_used'), 'money'),
      field(`${p}.policy.social_insurance`, t('f.social_insurance'), 'check'),
    ),
    h('button', {
      type: 'button',
      class: 'list-btn remove-policy',
      dataset: { remove: entry.key },
      text: t('policies.remove', { name }),
    }),
  );
}

function billFields() {
  const inv = 'invoices[0]';
  const amountOf = (cls) => (state.input.invoices?.[0]?.items ?? []).find((it) => it.class === cls)?.amount ?? '';
  return [
    field(`${inv}.visit`, t('bill.visit'), 'select', {
      choices: ['inpatient', 'outpatient'].map((v) => [v, t(`c.visit.${v}`)]),
      empty: '—',
    }),
    field(`${inv}.total`, t('bill.total'), 'money'),
    field(`${inv}.fund_paid`, t('bill.fund_paid'), 'money'),
    ...CLASSES.map((cls) => {
      const id = `f-item-${cls}`;
      const input = h('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', dataset: { item: cls } });
      input.value = amountOf(cls);
      return h('div', { class: 'field' }, h('label', { for: id, text: t(`bill.${cls}`) }), input);
    }),
  ];
}

function renderForm() {
  const c = state.input;
  const cause = c.event?.cause;
  const docs = new Set((c.documents ?? []).map((d) => d.type));
  $('finder-form').replaceChildren(
    h(
      'section',
      { class: 'step', 'aria-labelledby': 'policies-title' },
      h('h2', { id: 'policies-title', text: t('policies.title') }),
      h('p', { class: 'hint', text: t('policies.hint') }),
      h('div', { class: 'policy-list', id: 'policy-list' }, c.policies.map(policyCard)),
      h('button', { type: 'button', id: 'add-policy', class: 'big', text: t('policies.add') }),
    ),
    h(
      'section',
      { class: 'step', 'aria-labelledby': 'event-title' },
      h('h2', { id: 'event-title', text: t('event.title') }),
      h(
        'div',
        { class: 'fields' },
        field('event.insured', t('event.person'), 'select', {
          choices: Object.keys(c.people).map((k) => [k, personName(k)]),
        }),
        field('event.cause', t('event.cause'), 'select', {
          choices: ['illness', 'accident'].map((v) => [v, t(`c.cause.${v}`)]),
          rerender: true,
        }),
        field('event.date', t('event.date'), 'date'),
        field('event.diagnoses[0].icd10', t('event.icd10'), 'text'),
        cause === 'accident' &&
          field('event.accident.kind', t('event.accident'), 'select', {
            choices: ACCIDENTS.map((v) => [v, t(`c.accident.${v}`)]),
            empty: '—',
          }),
        field('event.death_manner', t('event.death_manner'), 'select', {
          choices: DEATH.map((v) => [v, t(`c.death_manner.${v}`)]),
          empty: t('event.death_manner.none'),
        }),
        field('event.disability_grade', t('event.disability_grade'), 'select', {
          choices: Array.from({ length: 10 }, (_, i) => [i + 1, String(i + 1)]),
          empty: t('event.disability_grade.none'),
          number: true,
        }),
      ),
      h('h3', { id: 'stay-title', text: t('stay.title') }),
      h(
        'div',
        { class: 'fields' },
        field('stay.admitted_on', t('stay.admitted_on'), 'date'),
        field('stay.discharged_on', t('stay.discharged_on'), 'date'),
        field('hospital.level', t('hospital.level'), 'select', { choices: LEVELS.map((v) => [v, t(`c.level.${v}`)]), empty: '—' }),
      ),
      h('h3', { id: 'bill-title', text: t('bill.title') }),
      h(
        'div',
        { class: 'file-actions' },
        h('button', { type: 'button', id: 'load-bill', text: t('bill.example') }),
        h('span', { id: 'bill-status', role: 'status' }),
      ),
      h('div', { class: 'fields' }, billFields()),
      h(
        'fieldset',
        { class: 'docs-held' },
        h('legend', { text: t('docs.title') }),
        h(
          'div',
          { class: 'doc-checks' },
          DOC_CODES.map((code) => {
            const id = `doc-${code}`;
            const box = h('input', { id, type: 'checkbox', dataset: { doc: code } });
            box.checked = docs.has(code);
            return h('div', { class: 'check-row' }, box, h('label', { for: id, text: t(`doc.${code}`) }));
          }),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------
// The plan

function findingLines(report) {
  return (report?.findings ?? []).filter((f) => f.severity === 'block' || (f.severity === 'warn' && f.kind !== 'calculation'));
}

function claimItem(c, step) {
  const title = `${policyName(c.policy)} · ${t(`c.benefit.${c.benefit}`)}`;
  const after = c.after.map(policyName).join(state.locale === 'en' ? ' and ' : '、');
  const missing = c.report.missing_documents;
  const problems = findingLines(c.report).filter((f) => f.documents.length === 0);
  const steps = c.report.estimate?.steps ?? [];
  const status = t(`plan.status.${c.status}`);
  return h(
    'li',
    { class: 'claim', dataset: { policy: c.policy, benefit: c.benefit, status: c.status } },
    h('h4', { text: step ? `${t('plan.step', { n: step })} · ${title}` : title }),
    h(
      'p',
      { class: 'claim-pay', dataset: { amount: c.payable ?? '' } },
      c.payable === null ? t('plan.payable.none') : t('plan.payable', { amount: c.payable }),
    ),
    h('p', { class: `badge s-${c.status}`, text: status }),
    c.after.length > 0 && h('p', { class: 'after', text: t('plan.after', { names: after }) }),
    missing.length > 0 &&
      h(
        'div',
        { class: 'needs' },
        h('p', { class: 'k', text: t('plan.needs') }),
        h(
          'ul',
          { class: 'missing' },
          missing.map((d) =>
            h('li', {
              dataset: { doc: d },
              text: d === 'D12' && c.after.length > 0 ? t('plan.needs.after', { doc: t(`doc.${d}`), names: after }) : t(`doc.${d}`),
            }),
          ),
        ),
      ),
    problems.length > 0 &&
      h(
        'div',
        { class: 'problems' },
        h('p', { class: 'k', text: t('plan.problems') }),
        h('ul', { class: 'findings' }, problems.map((f) => h('li', { class: f.severity, text: f.message }))),
      ),
    steps.length > 0 &&
      h(
        'details',
        { class: 'how' },
        h('summary', { text: t('plan.how') }),
        h(
          'ol',
          { class: 'steps' },
          steps.map((s) =>
            h('li', {}, h('span', { class: 'step-line' }, h('span', { text: s.label }), h('span', { class: 'amount', text: t('yuan', { amount: s.amount }) }))),
          ),
        ),
      ),
  );
}

function renderPlan() {
  const body = $('plan-body');
  $('plan-title').textContent = t('plan.title');
  if (state.error) {
    body.replaceChildren(
      h('p', { class: 'error', role: 'alert', id: 'plan-error', text: `${t('plan.error')}${state.error.message}` }),
      h('p', { class: 'hint', text: t('plan.error.hint') }),
    );
    $('summary').hidden = true;
    return;
  }
  const plan = state.plan;
  const medical = plan.claims.filter((c) => c.order !== null);
  const fixed = plan.claims.filter((c) => c.order === null);
  let note = null;
  if (!plan.order_searched) note = t('plan.order.not_searched');
  else if (plan.order_gain !== '0.00') note = t('plan.gain', { amount: plan.order_gain });
  else if (medical.length > 1) note = t('plan.order.same');
  const docNames = (keys) => keys.map(policyName).join(state.locale === 'en' ? ', ' : '、');
  const shown = [
    h('p', { class: 'payable', id: 'total', dataset: { amount: plan.total_payable }, text: t('plan.total', { amount: plan.total_payable }) }),
    note && h('p', { id: 'order-note', class: 'order-note', text: note }),
    plan.claims.length === 0 && h('p', { id: 'no-claims', text: t('plan.none') }),
    medical.length > 0 &&
      h('section', { 'aria-labelledby': 'medical-title' }, h('h3', { id: 'medical-title', text: t('plan.medical') }), h('ol', { id: 'medical-claims', class: 'claims' }, medical.map((c) => claimItem(c, c.order)))),
    fixed.length > 0 &&
      h('section', { 'aria-labelledby': 'fixed-title' }, h('h3', { id: 'fixed-title', text: t('plan.fixed') }), h('ul', { id: 'fixed-claims', class: 'claims' }, fixed.map((c) => claimItem(c, null)))),
    h(
      'section',
      { 'aria-labelledby': 'documents-title' },
      h('h3', { id: 'documents-title', text: t('plan.documents') }),
      plan.documents.length === 0
        ? h('p', { class: 'ok', id: 'documents-none', text: t('plan.documents.none') })
        : h(
            'ul',
            { id: 'documents', class: 'missing' },
            plan.documents.map((d) =>
              h('li', { dataset: { doc: d.type } }, h('span', { class: 'doc-name', text: t(`doc.${d.type}`) }), ' ', h('span', { class: 'doc-meta', text: t('plan.documents.for', { names: docNames(d.claims) }) })),
            ),
          ),
    ),
    plan.skipped.length > 0 &&
      h(
        'section',
        { 'aria-labelledby': 'skipped-title' },
        h('h3', { id: 'skipped-title', text: t('plan.skipped') }),
        h(
          'ul',
          { id: 'skipped', class: 'skipped' },
          plan.skipped.map((s) =>
            h(
              'li',
              { dataset: { policy: s.policy ?? '', reason: s.reason } },
              h('strong', { text: s.policy ? policyName(s.policy) : '—' }),
              s.reason === 'other_insured' && ` · ${personName(state.input.policies.find((p) => p.key === s.policy)?.insured)}`,
              s.benefit ? ` · ${t(`c.benefit.${s.benefit}`)}` : '',
              h('br', {}),
              h('span', { text: s.message }),
            ),
          ),
        ),
      ),
  ];
  body.replaceChildren(...shown.filter(Boolean));
  $('summary-total').textContent = t('plan.total', { amount: plan.total_payable });
  $('summary').hidden = false;
}

function compute() {
  try {
    state.plan = state.finder.find(state.input, { locale: state.locale });
    state.error = null;
  } catch (e) {
    state.plan = null;
    state.error = e;
  }
  renderPlan();
  const text = state.error
    ? `${t('plan.error')}${state.error.message}`
    : t('plan.total.announce', { amount: state.plan.total_payable, n: state.plan.claims.length });
  if (text !== state.announced) {
    state.announced = text;
    announce(text);
  }
}

// ---------------------------------------------------------------------------------------------------
// Edits

function rerenderForm() {
  const focused = document.activeElement?.id;
  renderForm();
  if (focused) $(focused)?.focus();
}

function onEdit(e) {
  const el = e.target;
  if (el.dataset.doc) {
    const docs = (state.input.documents ?? []).filter((d) => d.type !== el.dataset.doc);
    if (el.checked) docs.push({ type: el.dataset.doc, file: `${el.dataset.doc.toLowerCase()}.jpg` });
    docs.sort((a, b) => (a.type < b.type ? -1 : 1));
    state.input.documents = docs;
  } else if (el.dataset.item) {
    set(state.input, 'invoices[0].items', state.input.invoices?.[0]?.items ?? []);
    const items = state.input.invoices[0].items.filter((it) => it.class !== el.dataset.item);
    if (el.value.trim() !== '') items.push({ class: el.dataset.item, amount: el.value.trim() });
    items.sort((a, b) => CLASSES.indexOf(a.class) - CLASSES.indexOf(b.class));
    state.input.invoices[0].items = items;
  } else if (el.dataset.path) {
    const { path, kind } = el.dataset;
    let value;
    if (kind === 'check') value = el.checked;
    else if (el.value.trim() === '') value = undefined;
    else if (el.dataset.number) value = Number(el.value);
    else value = el.value.trim();
    set(state.input, path, value);
    if (path === 'event.diagnoses[0].icd10' && value !== undefined) state.input.event.diagnoses[0].primary = true;
    if (path === 'event.diagnoses[0].icd10' && value === undefined) state.input.event.diagnoses = [];
    if (e.type === 'change' && el.dataset.rerender) rerenderForm();
  } else {
    return;
  }
  compute();
}

function addPolicy() {
  const key = `new-${state.nextKey++}`;
  state.input.policies.push({
    key,
    insured: state.input.event?.insured ?? Object.keys(state.input.people)[0],
    policy: { effective_on: '2024-01-01', expires_on: '2024-12-31', paid_this_year: '0.00', social_insurance: true },
  });
  renderForm();
  compute();
  $(idOf(`policies[${state.input.policies.length - 1}].policy.product`))?.focus();
  announce(t('policies.added'));
}

function removePolicy(key) {
  const i = state.input.policies.findIndex((p) => p.key === key);
  if (i < 0) return;
  const entry = state.input.policies[i];
  const name = `${productTitle(entry.policy?.product)} · ${personName(entry.insured)}`;
  state.input.policies.splice(i, 1);
  renderForm();
  compute();
  const next = state.input.policies[i] ? idOf(`policies[${i}].policy.product`) : 'add-policy';
  $(next)?.focus();
  announce(t('policies.removed', { name }));
}

function loadBill() {
  const bill = structuredClone(EXAMPLE_BILL);
  state.input.event = { insured: state.input.event?.insured ?? 'me', ...bill.event };
  state.input.hospital = bill.hospital;
  state.input.stay = bill.stay;
  state.input.invoices = bill.invoices;
  renderForm();
  compute();
  $('load-bill').focus();
  $('bill-status').textContent = t('bill.loaded');
}

// ---------------------------------------------------------------------------------------------------
// Language, elder mode, start

function renderStatic() {
  document.documentElement.lang = state.locale;
  document.documentElement.classList.toggle('elder', state.elder);
  document.title = `${t('app.title')} · preclaim`;
  $('title').textContent = t('app.title');
  $('subtitle').textContent = t('app.subtitle');
  $('privacy').textContent = t('app.privacy');
  $('skip').textContent = t('app.skip');
  $('work').setAttribute('aria-label', `${t('policies.title')}, ${t('event.title')}`);
  const other = $('other');
  other.textContent = t('app.other');
  other.setAttribute('aria-label', t('app.other.label'));
  other.href = `/?lang=${state.locale}`;
  const lang = $('lang');
  lang.textContent = t('app.lang');
  lang.lang = state.locale === 'en' ? 'zh-CN' : 'en';
  lang.setAttribute('aria-label', `${t('app.lang.label')}: ${t('app.lang')}`);
  const elder = $('elder');
  elder.textContent = state.elder ? t('app.elder.on') : t('app.elder');
  elder.title = t('app.elder.hint');
  elder.setAttribute('aria-pressed', String(state.elder));
}

function rerenderAll() {
  t = translator(state.locale, state.elder);
  renderStatic();
  if (!state.finder) return;
  rerenderForm();
  compute();
}

function wire() {
  const form = $('finder-form');
  form.addEventListener('input', (e) => {
    if (e.target.type !== 'checkbox' && e.target.tagName !== 'SELECT') onEdit(e);
  });
  form.addEventListener('change', onEdit);
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.id === 'add-policy') addPolicy();
    else if (b.id === 'load-bill') loadBill();
    else if (b.dataset.remove) removePolicy(b.dataset.remove);
  });
  $('lang').addEventListener('click', () => {
    state.locale = state.locale === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem('preclaim.locale', state.locale);
    rerenderAll();
  });
  $('elder').addEventListener('click', () => {
    state.elder = !state.elder;
    localStorage.setItem('preclaim.elder', state.elder ? '1' : '0');
    rerenderAll();
  });
}

function fail(err) {
  $('finder-form').replaceChildren(h('p', { class: 'error', role: 'alert', text: `${t('app.failed')}${err?.message ?? err}` }));
  console.error(err);
}

async function main() {
  renderStatic();
  $('loading').textContent = t('app.loading');
  wire();
  await init();
  state.finder = new Finder();
  state.packs = state.finder.packs();
  renderForm();
  compute();
  document.body.dataset.ready = 'true';
}

main().catch(fail);
