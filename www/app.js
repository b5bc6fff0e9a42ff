// The demo customer portal: a claim form checked live by preclaim, through the public npm API only
// (`import init, { Checker } from 'preclaim'`, served here at /pkg/). Every edit sends one field to the
// session (`session.set(path, value)`; the form keeps its own copy of the claim in step, claim-edit.js) and
// the checklist is kept up to date from `session.changes()` (`applyChanges`), redrawn only when the report
// changed: a keystroke pulls neither the claim nor the whole report back out of WebAssembly. Nothing leaves
// the device: there is no upload and no network call except loading this page, the package and the
// example claims.

import init, { Checker, localDate, applyChanges } from '/pkg/index.js';
import { setPath } from './claim-edit.js';
import { translator, has, EXAMPLES } from './i18n.js';
import { precheckPhoto } from './photo.js';
import { loadCatalogs, catalogName } from './catalogs.js';
import { combobox } from './combobox.js';

const DOC_CODES = Array.from({ length: 22 }, (_, i) => `D${String(i + 1).padStart(2, '0')}`);
const BENEFITS = ['inpatient', 'outpatient', 'critical_illness', 'disability', 'death', 'hospital_cash'];
const MEDICAL = ['inpatient', 'outpatient'];
// The benefits of the default products (shared/spec/products.md): a product with one benefit fills it in.
const PRODUCT_BENEFITS = {
  'P-MED': MEDICAL,
  'P-ACC': MEDICAL,
  'P-CI': ['critical_illness'],
  'P-CASH': ['hospital_cash'],
  'P-DIS': ['disability'],
  'P-LIFE': ['death'],
};
const CHOICES = {
  benefit: BENEFITS,
  cause: ['illness', 'accident'],
  id_type: ['resident_id', 'household_register', 'passport', 'other'],
  sex: ['M', 'F'],
  relation: ['self', 'guardian', 'spouse', 'parent', 'child', 'beneficiary', 'heir', 'agent'],
  level: ['3A', '3B', '3C', '3', '2A', '2B', '2C', '2', '1', 'unrated'],
  department: ['general', 'special_needs', 'international', 'vip'],
  visit: ['inpatient', 'outpatient'],
  class: ['A', 'B', 'self', 'nonmedical'],
  death_manner: ['natural', 'accident', 'suicide', 'declared'],
  accident: ['traffic', 'fall', 'work', 'other'],
};

const params = new URLSearchParams(location.search);
const state = {
  locale: pickLocale(),
  elder: params.has('elder') ? params.get('elder') === '1' : localStorage.getItem('preclaim.elder') === '1',
  checker: null,
  session: null,
  claim: {},
  report: null,
  source: 'blank',
  filedToday: true,
  step: 0,
  packs: [],
  announced: '',
  diagnosisCatalog: null, // a Catalog once loaded (after the first report), else null
};
// At most this many suggestions under a diagnosis field.
const SUGGESTIONS = 8;
let t = translator(state.locale, state.elder);
let announceTimer = 0;

function pickLocale() {
  const asked = params.get('lang') ?? localStorage.getItem('preclaim.locale');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

// ---------------------------------------------------------------------------------------------------
// Small DOM helpers

const $ = (id) => document.getElementById(id);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'on') for (const [ev, f] of Object.entries(v)) el.addEventListener(ev, f);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** The id of the form control of a claim path ("invoices[0].total" → "f-invoices-0-total"). */
function idFor(path) {
  return 'f-' + path.replace(/[[\].]+/g, '-').replace(/-$/, '');
}

/** A path with its indices removed ("invoices[0].items[2].amount" → "invoices[].items[].amount"). */
function generic(path) {
  return path.replace(/\[\d+\]/g, '[]');
}

function get(obj, path) {
  let v = obj;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (v === null || v === undefined) return undefined;
    v = v[part];
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------
// The form: steps of fields, drawn from the claim held by the session

/** The steps of the form, with what each shows for the claim as it is now. */
function steps(c) {
  const benefit = c.benefit ?? null;
  const medical = benefit === null || MEDICAL.includes(benefit);
  return [
    { id: 'claim', show: true },
    { id: 'policy', show: true },
    { id: 'insured', show: true },
    { id: 'applicant', show: true },
    { id: 'payee', show: true },
    { id: 'hospital', show: benefit !== 'death' },
    { id: 'invoices', show: medical || (c.invoices?.length ?? 0) > 0 },
    { id: 'documents', show: true },
  ].filter((s) => s.show);
}

function stepContent(id, c) {
  const benefit = c.benefit ?? null;
  const medical = benefit === null || MEDICAL.includes(benefit);
  const idType = c.insured?.id_type;
  switch (id) {
    case 'claim':
      return [
        field('policy.product', 'product'),
        field('benefit', 'enum', { choices: 'benefit' }),
        field('cause', 'enum', { choices: 'cause' }),
        field('event.date', 'date'),
        field('reported_on', 'date'),
        c.cause === 'accident' && field('event.accident.kind', 'enum', { choices: 'accident' }),
        c.cause === 'accident' && field('event.accident.description', 'text'),
        (benefit === 'disability' || c.event?.disability_grade != null) && field('event.disability_grade', 'int'),
        (benefit === 'death' || c.event?.death_manner != null) && field('event.death_manner', 'enum', { choices: 'death_manner' }),
        diagnoses(c),
      ];
    case 'policy':
      return [
        field('policy.number', 'text'),
        field('policy.effective_on', 'date'),
        field('policy.expires_on', 'date'),
        field('policy.continuous_since', 'date'),
        (c.policy?.reinstated_on != null || !state.elder) && field('policy.reinstated_on', 'date'),
        field('policy.sum_insured', 'money'),
        (medical || c.policy?.social_insurance != null) && field('policy.social_insurance', 'bool'),
        medical && field('policy.paid_this_year', 'money'),
        medical && field('policy.deductible_used', 'money'),
        (benefit === 'hospital_cash' || c.policy?.cash_days_paid_this_year != null) &&
          field('policy.cash_days_paid_this_year', 'int'),
        field('policy.premium_due_on', 'date'),
        field('policy.unpaid_premium', 'money'),
      ];
    case 'insured':
      return [
        field('insured.name', 'text', { autocomplete: 'name' }),
        field('insured.id_type', 'enum', { choices: 'id_type' }),
        field('insured.id_number', 'text', { autocomplete: 'off' }),
        (idType === 'passport' || idType === 'other' || c.insured?.birth_date != null) &&
          field('insured.birth_date', 'date'),
        (idType === 'passport' || idType === 'other' || c.insured?.sex != null) &&
          field('insured.sex', 'enum', { choices: 'sex' }),
      ];
    case 'applicant': {
      const other = c.applicant?.relation && c.applicant.relation !== 'self';
      return [
        field('applicant.relation', 'enum', { choices: 'relation' }),
        other && field('applicant.name', 'text'),
        other && field('applicant.id_type', 'enum', { choices: 'id_type' }),
        other && field('applicant.id_number', 'text', { autocomplete: 'off' }),
        other && (c.applicant?.id_type === 'passport' || c.applicant?.id_type === 'other' || c.applicant?.birth_date != null) &&
          field('applicant.birth_date', 'date'),
      ];
    }
    case 'payee':
      return [
        field('payee.name', 'text'),
        field('payee.bank_card', 'text', { inputmode: 'numeric', autocomplete: 'off' }),
        field('payee.bank_name', 'text'),
        (benefit === 'death' || c.estate != null) && field('estate', 'check'),
        (benefit === 'death' || (c.beneficiaries?.length ?? 0) > 0) && !c.estate && beneficiaries(c),
      ];
    case 'hospital':
      return [
        field('hospital.name', 'text'),
        field('hospital.level', 'enum', { choices: 'level' }),
        field('hospital.public', 'bool'),
        field('hospital.department', 'enum', { choices: 'department' }),
        (benefit !== 'outpatient' || c.stay != null) && field('stay.admitted_on', 'date'),
        (benefit !== 'outpatient' || c.stay != null) && field('stay.discharged_on', 'date'),
      ];
    case 'invoices':
      return [invoices(c)];
    case 'documents':
      return [documents(c)];
    default:
      return [];
  }
}

/** One labelled control bound to a claim path. */
function field(path, kind, opts = {}) {
  const key = generic(path);
  const id = idFor(path);
  const value = get(state.claim, path);
  const hintId = `${id}-hint`;
  const msgId = `${id}-msg`;
  const hint = has(state.locale, `h.${key}`) ? h('p', { class: 'hint', id: hintId, text: t(`h.${key}`) }) : null;
  // A diagnosis code field shows the name of its code under it (when a catalog knows it).
  const nameId = `${id}-name`;
  const named = opts.catalog === 'diagnosis';
  const describedBy = [hint && hintId, named && nameId, msgId].filter(Boolean).join(' ');
  const common = { id, 'aria-describedby': describedBy, dataset: { path, kind } };
  let control;
  if (kind === 'enum' || kind === 'bool' || kind === 'product') {
    const options = [h('option', { value: '', text: t('c.none') })];
    let values;
    if (kind === 'bool') values = [['true', t('c.yes')], ['false', t('c.no')]];
    else if (kind === 'product') values = state.packs.flatMap((p) => p.products.map((code) => [code, p.title[state.locale] ?? code]));
    else values = CHOICES[opts.choices].map((v) => [v, t(`c.${opts.choices}.${v}`)]);
    const current = value === undefined || value === null ? '' : String(value);
    if (current !== '' && !values.some(([v]) => v === current)) values.push([current, current]);
    for (const [v, label] of values) options.push(h('option', { value: v, text: label, selected: v === current }));
    control = h('select', common, options);
  } else if (kind === 'check') {
    control = h('input', { ...common, type: 'checkbox', checked: value === true });
  } else {
    const type = kind === 'date' ? 'date' : 'text';
    const inputmode = kind === 'money' ? 'decimal' : kind === 'int' ? 'numeric' : opts.inputmode;
    const shown = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    control = h('input', { ...common, type, inputmode, autocomplete: opts.autocomplete, value: shown, spellcheck: 'false' });
    if (kind === 'date' && shown !== '' && control.value !== shown) {
      // A malformed date cannot be shown by a date input: use a text box so the customer sees and fixes it.
      control.type = 'text';
      control.value = shown;
    }
  }
  const label = h('label', { for: id, text: t(`f.${key}`) });
  const msgs = h('div', { class: 'msgs', id: msgId });
  if (kind === 'check') {
    return h('div', { class: 'field check', dataset: { field: path } }, h('div', { class: 'check-row' }, control, label), hint, msgs);
  }
  const name = named && h('p', { class: 'code-name', id: nameId });
  const div = h('div', { class: 'field', dataset: { field: path } }, label, control, name, hint, msgs);
  if (named) {
    control.dataset.catalog = 'diagnosis';
    if (state.diagnosisCatalog) diagnosisCombobox(control);
  }
  return div;
}

// ---------------------------------------------------------------------------------------------------
// Diagnosis codes: autocomplete from the diagnosis catalog (codes, Chinese and English names)

function nameIn(entry, locale) {
  return (locale === 'en' ? entry.name_en ?? entry.name_zh : entry.name_zh ?? entry.name_en) ?? '';
}

/** The catalog's suggestions for a query, as combobox options: code, name here, name in the other language. */
function diagnosisSuggestions(query) {
  const cat = state.diagnosisCatalog;
  if (!cat) return [];
  const other = state.locale === 'en' ? 'zh-CN' : 'en';
  return cat.search(query, SUGGESTIONS).map((e) => {
    const here = nameIn(e, state.locale);
    const there = nameIn(e, other);
    return {
      value: e.code,
      parts: [
        { text: e.code, class: 'opt-code' },
        { text: here, class: 'opt-name' },
        there && there !== here && { text: there, class: 'opt-other', lang: other },
      ].filter(Boolean),
    };
  });
}

/** The catalog's entry for what is typed in a code field ("c50.9" finds C50.9), or null. */
function lookupCode(value) {
  const cat = state.diagnosisCatalog;
  const code = value.trim();
  if (!cat || code === '') return null;
  return cat.lookup(code) ?? cat.lookup(code.toUpperCase());
}

/** Writes the name of the code in a diagnosis field under it (empty when unknown). */
function showCodeName(input) {
  const line = input.closest('.field')?.querySelector('.code-name');
  if (!line) return;
  const entry = lookupCode(input.value);
  line.replaceChildren();
  if (entry) {
    line.append(h('span', { class: 'k', text: t('dx.name') }), h('span', { class: 'code-name-text', text: nameIn(entry, state.locale) }));
  }
}

function diagnosisCombobox(input) {
  if (input.getAttribute('role') === 'combobox') return;
  const hintId = `${input.id}-search-hint`;
  input.closest('.field')?.querySelector('.code-name')?.after(h('p', { class: 'hint', id: hintId, text: t('dx.hint') }));
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${hintId}`.trim());
  combobox(input, {
    suggest: diagnosisSuggestions,
    listLabel: t('dx.list', { field: t('f.event.diagnoses[].icd10') }),
    countText: (n) => (n === 0 ? t('dx.none') : t('dx.count', { n })),
  });
  input.addEventListener('input', () => showCodeName(input));
  input.addEventListener('change', () => showCodeName(input));
  showCodeName(input);
}

/** Loads the catalogs, attaches them to the checker and upgrades the diagnosis fields in place. */
async function startCatalogs() {
  const { diagnosis, item } = await loadCatalogs();
  if (item) state.checker.attachCatalog(item.catalog);
  if (diagnosis) {
    state.checker.attachCatalog(diagnosis.catalog);
    state.diagnosisCatalog = diagnosis.catalog;
    for (const input of $('claim-form').querySelectorAll('input[data-catalog="diagnosis"]')) diagnosisCombobox(input);
  }
  document.body.dataset.catalogs = [diagnosis && catalogName(diagnosis.url), item && catalogName(item.url)].filter(Boolean).join(' ') || 'none';
  // Sessions see attached catalogs at their next report (C17 for diagnosis codes the catalog lacks).
  if (state.session && (diagnosis || item)) check();
}

function listButton(text, action, path, index) {
  return h('button', { type: 'button', class: 'list-btn', text, dataset: { action, path, index: String(index ?? '') } });
}

function diagnoses(c) {
  const list = c.event?.diagnoses ?? [];
  const ci = c.benefit === 'critical_illness';
  return h(
    'fieldset',
    { class: 'list', dataset: { field: 'event.diagnoses' } },
    h('legend', { text: t('f.event.diagnoses') }),
    h('div', { class: 'msgs', id: `${idFor('event.diagnoses')}-msg` }),
    list.map((d, i) => {
      const p = `event.diagnoses[${i}]`;
      return h(
        'fieldset',
        { class: 'entry', dataset: { field: p } },
        h('legend', { text: t('l.diagnosis', { n: i + 1 }) }),
        field(`${p}.icd10`, 'text', { autocomplete: 'off', catalog: 'diagnosis' }),
        (ci || d?.icdo3 != null) && field(`${p}.icdo3`, 'text', { autocomplete: 'off' }),
        field(`${p}.primary`, 'check'),
        listButton(t('b.remove.diagnosis', { n: i + 1 }), 'remove', 'event.diagnoses', i),
      );
    }),
    listButton(t('b.add.diagnosis'), 'add', 'event.diagnoses'),
  );
}

function beneficiaries(c) {
  const list = c.beneficiaries ?? [];
  return h(
    'fieldset',
    { class: 'list', dataset: { field: 'beneficiaries' } },
    h('legend', { text: t('f.beneficiaries') }),
    h('div', { class: 'msgs', id: `${idFor('beneficiaries')}-msg` }),
    list.map((_, i) => {
      const p = `beneficiaries[${i}]`;
      return h(
        'fieldset',
        { class: 'entry', dataset: { field: p } },
        h('legend', { text: t('l.beneficiary', { n: i + 1 }) }),
        field(`${p}.name`, 'text'),
        field(`${p}.id_number`, 'text', { autocomplete: 'off' }),
        field(`${p}.relation`, 'enum', { choices: 'relation' }),
        listButton(t('b.remove.beneficiary', { n: i + 1 }), 'remove', 'beneficiaries', i),
      );
    }),
    listButton(t('b.add.beneficiary'), 'add', 'beneficiaries'),
  );
}

function invoices(c) {
  const list = c.invoices ?? [];
  return h(
    'div',
    { class: 'list', dataset: { field: 'invoices' } },
    h('div', { class: 'msgs', id: `${idFor('invoices')}-msg` }),
    list.map((inv, i) => {
      const p = `invoices[${i}]`;
      const items = inv?.items ?? [];
      return h(
        'fieldset',
        { class: 'entry invoice', dataset: { field: p } },
        h('legend', { text: t('l.invoice', { n: i + 1 }) }),
        h('div', { class: 'msgs', id: `${idFor(p)}-msg` }),
        h(
          'div',
          { class: 'grid' },
          field(`${p}.visit`, 'enum', { choices: 'visit' }),
          field(`${p}.code`, 'text', { inputmode: 'numeric', autocomplete: 'off' }),
          field(`${p}.number`, 'text', { inputmode: 'numeric', autocomplete: 'off' }),
          field(`${p}.check_code`, 'text', { autocomplete: 'off' }),
          field(`${p}.issued_on`, 'date'),
          (inv?.visit === 'outpatient' || inv?.visit_on != null) && field(`${p}.visit_on`, 'date'),
          field(`${p}.patient_name`, 'text'),
          field(`${p}.total`, 'money'),
          field(`${p}.fund_paid`, 'money'),
          field(`${p}.account_paid`, 'money'),
          field(`${p}.other_paid`, 'money'),
        ),
        h(
          'fieldset',
          { class: 'list items', dataset: { field: `${p}.items` } },
          h('legend', { text: t('f.invoices[].items') }),
          h('div', { class: 'msgs', id: `${idFor(`${p}.items`)}-msg` }),
          items.map((it, j) => {
            const q = `${p}.items[${j}]`;
            return h(
              'fieldset',
              { class: 'entry item', dataset: { field: q } },
              h('legend', { text: t('l.item', { n: j + 1 }) }),
              h(
                'div',
                { class: 'grid' },
                field(`${q}.name`, 'text'),
                field(`${q}.class`, 'enum', { choices: 'class' }),
                field(`${q}.amount`, 'money'),
                (!state.elder || it?.code != null) && field(`${q}.code`, 'text', { autocomplete: 'off' }),
                (it?.class === 'B' || it?.self_pay_first != null) && field(`${q}.self_pay_first`, 'money'),
              ),
              listButton(t('b.remove.item', { n: j + 1 }), 'remove', `${p}.items`, j),
            );
          }),
          listButton(t('b.add.item'), 'add', `${p}.items`),
        ),
        listButton(t('b.remove.invoice', { n: i + 1 }), 'remove', 'invoices', i),
      );
    }),
    listButton(t('b.add.invoice'), 'add', 'invoices'),
  );
}

/** Document codes the report asks for: missing (block) and recommended (warn). */
function wantedDocuments(report) {
  const missing = report?.missing_documents ?? [];
  const recommended = new Set();
  for (const f of report?.findings ?? []) {
    if (f.severity === 'warn') for (const d of f.documents) if (!missing.includes(d)) recommended.add(d);
  }
  const have = new Set((state.claim.documents ?? []).map((d) => d?.type));
  return { missing, recommended: [...recommended].filter((d) => !have.has(d)).sort() };
}

function docInput(code, label) {
  const id = `doc-${code}`;
  return h(
    'div',
    { class: 'doc-need', dataset: { doc: code } },
    h('label', { for: id, class: 'file-label', text: label }),
    h('input', { type: 'file', id, accept: 'image/*,application/pdf', multiple: true, dataset: { docType: code } }),
  );
}

function humanSize(bytes) {
  if (typeof bytes !== 'number') return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function documents(c) {
  const { missing, recommended } = wantedDocuments(state.report);
  const list = c.documents ?? [];
  const otherType = h(
    'select',
    { id: 'doc-other-type' },
    DOC_CODES.map((code) => h('option', { value: code, text: t(`doc.${code}`) })),
  );
  return h(
    'div',
    { class: 'documents', dataset: { field: 'documents' } },
    h('p', { class: 'hint', text: t('h.documents') }),
    h('div', { class: 'msgs', id: `${idFor('documents')}-msg` }),
    missing.length > 0 &&
      h('section', { class: 'doc-group', 'aria-labelledby': 'doc-needed-title' },
        h('h3', { id: 'doc-needed-title', text: t('d.needed') }),
        missing.map((code) => docInput(code, t('d.attach', { name: t(`doc.${code}`) })))),
    recommended.length > 0 &&
      h('section', { class: 'doc-group', 'aria-labelledby': 'doc-recommended-title' },
        h('h3', { id: 'doc-recommended-title', text: t('d.recommended') }),
        recommended.map((code) => docInput(code, t('d.attach', { name: t(`doc.${code}`) })))),
    h('section', { class: 'doc-group', 'aria-labelledby': 'doc-other-title' },
      h('h3', { id: 'doc-other-title', text: t('d.other') }),
      h('div', { class: 'field' }, h('label', { for: 'doc-other-type', text: t('d.other.type') }), otherType),
      h('div', { class: 'field' },
        h('label', { for: 'doc-other-file', class: 'file-label', text: t('d.other.file') }),
        h('input', { type: 'file', id: 'doc-other-file', accept: 'image/*,application/pdf', multiple: true, dataset: { docType: 'other' } }))),
    h('section', { class: 'doc-group', 'aria-labelledby': 'doc-attached-title' },
      h('h3', { id: 'doc-attached-title', tabindex: '-1', text: t('d.attached') }),
      list.length === 0
        ? h('p', { text: t('d.none') })
        : h('ul', { class: 'attached', id: 'attached' },
          list.map((d, i) => {
            const name = t(`doc.${d?.type}`);
            const meta = [t('d.meta', { file: d?.file ?? '', size: humanSize(d?.bytes) })];
            if (d?.width && d?.height) meta.push(t('d.pixels', { w: d.width, h: d.height }));
            const verdict = d?.quality?.verdict;
            return h('li', { dataset: { doc: d?.type ?? '' } },
              h('span', { class: 'doc-name', text: name }),
              h('span', { class: 'doc-meta', text: meta.join(' · ') }),
              verdict && h('span', { class: `quality q-${verdict}`, text: t(`d.quality.${verdict}`) }),
              listButton(t('b.remove.document', { name }), 'remove', 'documents', i));
          }))),
  );
}

function renderForm() {
  const form = $('claim-form');
  const focused = document.activeElement?.id;
  const all = steps(state.claim);
  state.step = Math.min(state.step, all.length - 1);
  form.replaceChildren(
    ...all.map((s, i) =>
      h(
        'section',
        { class: 'step', id: `step-${s.id}`, 'aria-labelledby': `step-${s.id}-title`, hidden: state.elder && i !== state.step },
        h('h2', { id: `step-${s.id}-title`, tabindex: '-1', text: t(`step.${s.id}`) }),
        h('div', { class: s.id === 'invoices' || s.id === 'documents' ? 'fields wide' : 'fields' }, stepContent(s.id, state.claim)),
      ),
    ),
  );
  $('steps-list').replaceChildren(
    ...all.map((s, i) =>
      h('li', {}, h('a', { href: `#step-${s.id}`, 'aria-current': state.elder && i === state.step ? 'step' : false, dataset: { step: String(i) }, text: t(`step.${s.id}`) })),
    ),
  );
  $('step-of').textContent = state.elder ? t('step.of', { n: state.step + 1, total: all.length }) : '';
  $('prev').disabled = state.step === 0;
  $('next').disabled = state.step === all.length - 1;
  if (focused && $(focused) && document.activeElement !== $(focused)) $(focused).focus();
  renderJson();
}

function renderJson() {
  $('json').textContent = JSON.stringify(state.claim, null, 1);
}

// ---------------------------------------------------------------------------------------------------
// The checklist: status, route, missing documents, findings (also next to their fields), estimate

function labelOf(path) {
  const key = `f.${generic(path)}`;
  const label = t(key);
  if (label === key) return path;
  const where = [];
  const inv = path.match(/^invoices\[(\d+)\]/);
  if (inv) where.push(t('l.invoice', { n: Number(inv[1]) + 1 }));
  const item = path.match(/items\[(\d+)\]/);
  if (item) where.push(t('l.item', { n: Number(item[1]) + 1 }));
  const dx = path.match(/diagnoses\[(\d+)\]/);
  if (dx) where.push(t('l.diagnosis', { n: Number(dx[1]) + 1 }));
  return [...where, label].join(' · ');
}

/** A finding's message with any quoted field path replaced by the field's label. */
function plainMessage(f) {
  let m = f.message;
  for (const p of f.fields) {
    const label = labelOf(p);
    m = m.split(`"${p}"`).join(`“${label}”`).split(`“${p}”`).join(`“${label}”`);
  }
  return m;
}

/** The form element a field path belongs to: the field itself, else its nearest shown parent. */
function fieldElement(path) {
  let p = path;
  while (p) {
    const el = $('claim-form').querySelector(`[data-field="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return null;
}

function stepOf(el) {
  return el?.closest('.step') ?? null;
}

function gotoElement(el) {
  const step = stepOf(el);
  if (step && state.elder) {
    const ids = steps(state.claim).map((s) => `step-${s.id}`);
    const i = ids.indexOf(step.id);
    if (i >= 0 && i !== state.step) {
      state.step = i;
      renderForm();
      renderInline();
      el = document.querySelector(`[data-field="${CSS.escape(el.dataset.field ?? '')}"]`) ?? el;
    }
  }
  const target = el.matches('input, select, textarea, button') ? el : el.querySelector('input, select, textarea, button, [tabindex]');
  (target ?? el).focus();
  (target ?? el).scrollIntoView({ block: 'center' });
}

function gotoPath(path) {
  const el = fieldElement(path);
  if (el) gotoElement(el);
}

function gotoDocument(code) {
  const doc = steps(state.claim).findIndex((s) => s.id === 'documents');
  if (state.elder && doc >= 0 && doc !== state.step) {
    state.step = doc;
    renderForm();
    renderInline();
  }
  const input = $(`doc-${code}`) ?? $('doc-other-file');
  if (!$(`doc-${code}`)) $('doc-other-type').value = code;
  input.focus();
  input.scrollIntoView({ block: 'center' });
}

function renderInline() {
  const form = $('claim-form');
  for (const m of form.querySelectorAll('.msgs')) m.replaceChildren();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field.has-block, .field.has-warn')) el.classList.remove('has-block', 'has-warn');
  for (const f of state.report?.findings ?? []) {
    if (f.severity === 'info' && f.fields.length === 0) continue;
    const seen = new Set();
    for (const path of f.fields) {
      const el = fieldElement(path);
      if (!el || seen.has(el)) continue;
      seen.add(el);
      const box = el.querySelector(':scope > .msgs') ?? el.querySelector('.msgs');
      if (!box) continue;
      box.append(h('p', { class: `msg ${f.severity}` }, h('span', { class: 'sev', text: `${t(`r.${f.severity}`)}: ` }), plainMessage(f)));
      if (el.classList.contains('field') && f.severity !== 'info') {
        el.classList.add(f.severity === 'block' ? 'has-block' : 'has-warn');
        if (f.severity === 'block') el.querySelector('input, select')?.setAttribute('aria-invalid', 'true');
      }
    }
  }
}

function renderReport() {
  const r = state.report;
  const box = $('report');
  if (!r) return;
  const product = state.packs.find((p) => p.products.includes(r.product));
  const groups = ['block', 'warn'].map((sev) => [sev, r.findings.filter((f) => f.severity === sev)]);
  const steps = r.estimate?.steps ?? [];
  const why = (rule) => r.findings.filter((f) => f.rule === rule && f.kind === 'calculation').map(plainMessage);
  const infos = r.findings.filter((f) => f.severity === 'info' && f.kind !== 'calculation');

  box.replaceChildren(...[
    h('div', { class: `status s-${r.status}`, id: 'status' },
      h('p', {}, h('span', { class: 'k', text: `${t('r.status')}: ` }), h('strong', { id: 'status-text', dataset: { status: r.status }, text: t(`r.status.${r.status}`) })),
      h('p', {}, h('span', { class: 'k', text: `${t('r.route')}: ` }), h('span', { id: 'route-text', dataset: { route: r.route }, text: t(`r.route.${r.route}`) })),
      product && h('p', { class: 'product', text: t('r.product', { name: product.title[state.locale] }) })),
    h('section', { 'aria-labelledby': 'missing-title', class: 'missing' },
      h('h3', { id: 'missing-title', text: t('r.missing') }),
      r.missing_documents.length === 0
        ? h('p', { id: 'missing-none', text: t('r.missing.none') })
        : h('ul', { id: 'missing-list' }, r.missing_documents.map((code) =>
          h('li', { dataset: { doc: code } },
            h('span', { text: t(`doc.${code}`) }),
            h('button', { type: 'button', class: 'link-btn', dataset: { gotoDoc: code }, 'aria-label': `${t('b.attach')}: ${t(`doc.${code}`)}`, text: t('b.attach') }))))),
    ...groups.map(([sev, list]) => list.length > 0 &&
      h('section', { 'aria-labelledby': `findings-${sev}-title`, class: `findings ${sev}` },
        h('h3', { id: `findings-${sev}-title`, text: t(`r.${sev}`) }),
        h('ul', { id: `findings-${sev}` }, list.map((f) => {
          const target = f.fields.find((p) => fieldElement(p));
          return h('li', { dataset: { rule: f.rule } },
            h('span', { text: plainMessage(f) }),
            target && h('button', { type: 'button', class: 'link-btn', dataset: { gotoPath: target }, 'aria-label': `${t('b.goto')}: ${labelOf(target)}`, text: t('b.goto') }));
        })))),
    groups.every(([, list]) => list.length === 0) && h('p', { class: 'ok', text: t('r.nothing') }),
    h('section', { 'aria-labelledby': 'estimate-title', class: 'estimate' },
      h('h3', { id: 'estimate-title', text: t('r.estimate') }),
      r.estimate
        ? h('div', {},
          h('p', { class: 'payable' }, h('span', { id: 'payable', dataset: { amount: r.estimate.payable }, text: t('r.yuan', { amount: r.estimate.payable }) })),
          h('h4', { text: t('r.steps') }),
          h('ol', { class: 'steps', id: 'estimate-steps' }, steps.map((s) =>
            h('li', { dataset: { rule: s.rule } },
              h('div', { class: 'step-line' }, h('span', { class: 'step-label', text: s.label }), h('span', { class: 'amount', text: t('r.yuan', { amount: s.amount }) })),
              why(s.rule).map((m) => h('p', { class: 'why', text: m }))))))
        : h('p', { id: 'estimate-none', text: t('r.estimate.none') })),
    infos.length > 0 && h('section', { 'aria-labelledby': 'info-title', class: 'findings info' },
      h('h3', { id: 'info-title', text: t('r.info') }),
      h('ul', {}, infos.map((f) => h('li', { text: plainMessage(f) })))),
    r.ignored_fields.length > 0 && h('p', { class: 'hint', text: t('r.ignored', { fields: r.ignored_fields.join(', ') }) }),
  ].filter(Boolean));

  const missing = r.missing_documents.length === 0 ? t('r.missing.none') : t('r.missing.count', { n: r.missing_documents.length });
  const estimate = r.estimate ? t('r.estimate.total', { amount: r.estimate.payable }) : t('r.estimate.none');
  const summary = $('summary');
  summary.hidden = false;
  $('summary-status').textContent = t(`r.status.${r.status}`);
  $('summary-status').className = `badge s-${r.status}`;
  $('summary-missing').textContent = missing;
  $('summary-estimate').textContent = estimate;
  renderInline();

  clearTimeout(announceTimer);
  const text = t('r.announce', { status: t(`r.status.${r.status}`), missing, estimate });
  announceTimer = setTimeout(() => {
    if (text !== state.announced) $('announce').textContent = text;
    state.announced = text;
  }, 900);
}

function refreshDocumentsStep() {
  const step = $('step-documents');
  if (!step) return;
  const focused = document.activeElement?.id;
  step.querySelector('.fields').replaceChildren(documents(state.claim));
  if (focused && $(focused) && document.activeElement !== $(focused)) $(focused).focus();
}

/** Sets a field in the session and in the form's copy of the claim (only once the session took it). */
function edit(path, value) {
  state.session.set(path, value);
  setPath(state.claim, path, value);
}

/** Brings the report up to date with the session's claim through `session.changes()` (nothing is pulled
 * back when nothing changed) and redraws what depends on the claim, and the checklist if it changed. */
function check() {
  const changes = state.session.changes();
  refreshDocumentsStep();
  renderJson();
  if (!changes.changed) return;
  state.report = applyChanges(state.report, changes);
  renderReport();
}

// ---------------------------------------------------------------------------------------------------
// Edits: one field at a time through the session

function readValue(el) {
  const kind = el.dataset.kind;
  if (kind === 'check') return el.checked ? true : undefined;
  const raw = el.value;
  if (raw.trim() === '') return undefined;
  if (kind === 'bool') return raw === 'true';
  if (kind === 'int') return /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (kind === 'money' || kind === 'text' || kind === 'date') return raw.trim();
  return raw;
}

// A change to one of these redraws the form, because it decides which fields are shown.
const SHAPES = /^(benefit|cause|policy\.product|insured\.id_type|applicant\.relation|applicant\.id_type|estate|invoices\[\d+\]\.visit|invoices\[\d+\]\.items\[\d+\]\.class)$/;

function onEdit(e) {
  const el = e.target;
  const path = el.dataset?.path;
  if (!path || !state.session) return;
  if (e.type === 'input' && el.tagName === 'SELECT') return;
  // While a name is being typed into a diagnosis field (to find its code), the claim keeps its code: the
  // field is set when a suggestion is chosen or the field is left, so no "wrong code" flashes meanwhile.
  if (el.getAttribute('role') === 'combobox') {
    if (e.type === 'input' && !/^\s*([A-Za-z]\d|$)/.test(el.value)) {
      el.dataset.pending = '1'; // committed when a suggestion is chosen or the field is left (focusout)
      return;
    }
    delete el.dataset.pending;
    // A code typed in lower case ("k80.0") is the code: its letter is written as the catalog has it.
    if (/^\s*[a-z]\d/.test(el.value)) el.value = el.value.trim().replace(/^[a-z]/, (c) => c.toUpperCase());
  }
  edit(path, readValue(el));
  if (path === 'policy.product' && !state.claim.benefit) {
    const only = PRODUCT_BENEFITS[el.value];
    if (only?.length === 1) edit('benefit', only[0]);
  }
  if (SHAPES.test(path) && e.type === 'change') renderForm();
  check();
}

function onListAction(e) {
  const btn = e.target.closest('button[data-action]');
  if (!btn) return;
  const { action, path, index } = btn.dataset;
  const list = get(state.claim, path) ?? [];
  if (action === 'add') {
    let entry = {};
    if (path === 'invoices') entry = { visit: state.claim.benefit === 'outpatient' ? 'outpatient' : 'inpatient' };
    if (path === 'event.diagnoses' && list.length === 0) entry = { primary: true };
    edit(`${path}[${list.length}]`, entry);
    renderForm();
    check();
    const added = fieldElement(`${path}[${list.length}]`);
    added?.querySelector('input, select')?.focus();
  } else if (action === 'remove') {
    edit(`${path}[${Number(index)}]`, undefined);
    renderForm();
    check();
    const back = fieldElement(path);
    (back?.querySelector(':scope > button[data-action="add"]') ?? back?.querySelector('button[data-action="add"]') ?? $('doc-attached-title'))?.focus();
  }
}

// ---------------------------------------------------------------------------------------------------
// Documents: a photo records its type and file details; the photo pre-check runs when it exists

async function imageSize(file) {
  if (!file.type.startsWith('image/') || typeof createImageBitmap !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null; // a format this browser cannot decode (HEIC, say): the size stays unknown
  }
}

async function sha256(file) {
  if (!crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The documents[] entry of a file (claim@1): type and file details; nothing is uploaded. */
export async function describeFile(type, file) {
  const doc = { type, file: file.name, mime: file.type || null, bytes: file.size };
  const size = await imageSize(file);
  if (size) Object.assign(doc, size, { pages: 1 });
  const hash = await sha256(file).catch(() => null);
  if (hash) doc.sha256 = hash;
  const quality = await precheckPhoto(file, type, state.locale);
  if (quality) doc.quality = quality;
  return doc;
}

async function onFiles(e) {
  const input = e.target;
  if (input.type !== 'file' || !input.dataset.docType || !state.session) return;
  const type = input.dataset.docType === 'other' ? $('doc-other-type').value : input.dataset.docType;
  const files = [...input.files];
  for (const file of files) {
    const doc = await describeFile(type, file);
    edit(`documents[${(state.claim.documents ?? []).length}]`, doc);
  }
  input.value = '';
  check();
  $('doc-attached-title')?.focus();
}

// ---------------------------------------------------------------------------------------------------
// Loading claims, language, elder mode, steps

function loadClaim(claim, source) {
  state.session?.free();
  // "Today" is an input the library never fills in: the form does, for a claim that has none.
  const filled = claim.filed_on === undefined || claim.filed_on === null;
  if (filled) claim = { ...claim, filed_on: localDate() };
  state.session = state.checker.session(claim, { locale: state.locale });
  state.source = source;
  state.filedToday = filled;
  state.step = 0;
  state.claim = state.session.claim();
  state.report = applyChanges(null, state.session.changes());
  renderForm();
  renderReport();
  renderFiledOn();
}

function renderFiledOn() {
  const date = state.claim.filed_on;
  const note = state.filedToday ? t('app.filed_on.today') : t('app.filed_on.example');
  $('filed-on').textContent = date ? `${t('app.filed_on', { date })} ${note}` : '';
}

async function loadExample(name) {
  const res = await fetch(`/examples/${encodeURIComponent(name)}`);
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
  loadClaim(await res.json(), 'example');
  $('open-status').textContent = t('app.opened', { name: exampleLabel(name) });
  for (const b of document.querySelectorAll('#example-buttons button')) b.setAttribute('aria-pressed', String(b.dataset.example === name));
}

function exampleLabel(name) {
  return EXAMPLES[name]?.[state.locale] ?? name.replace(/\.json$/, '');
}

let exampleNames = [];

function renderExamples() {
  const current = [...document.querySelectorAll('#example-buttons button[aria-pressed="true"]')].map((b) => b.dataset.example);
  $('example-buttons').replaceChildren(
    h('button', { type: 'button', class: 'example', dataset: { example: '' }, 'aria-pressed': String(current[0] === ''), text: t('app.new') }),
    ...exampleNames.map((name) =>
      h('button', { type: 'button', class: 'example', dataset: { example: name }, 'aria-pressed': String(current.includes(name)), text: exampleLabel(name) }),
    ),
  );
}

function renderStatic() {
  document.documentElement.lang = state.locale;
  document.documentElement.classList.toggle('elder', state.elder);
  document.title = `${t('app.title')} · preclaim`;
  $('title').textContent = t('app.title');
  $('subtitle').textContent = t('app.subtitle');
  $('privacy').textContent = t('app.privacy');
  $('skip').textContent = t('app.skip');
  $('nav-find').textContent = t('app.nav.find');
  $('nav-find').href = `/find.html?lang=${state.locale}`;
  const lang = $('lang');
  lang.textContent = t('app.lang');
  lang.lang = state.locale === 'en' ? 'zh-CN' : 'en';
  lang.setAttribute('aria-label', `${t('app.lang.label')}: ${t('app.lang')}`);
  const elder = $('elder');
  elder.textContent = state.elder ? t('app.elder.on') : t('app.elder');
  elder.title = t('app.elder.hint');
  elder.setAttribute('aria-pressed', String(state.elder));
  $('examples-title').textContent = t('app.examples');
  $('open-label').textContent = t('app.open');
  $('steps-title').textContent = t('step.nav');
  $('prev').textContent = t('step.prev');
  $('next').textContent = t('step.next');
  $('json-title').textContent = t('app.json');
  $('download').textContent = t('app.download');
  $('checklist-title').textContent = t('r.title');
  $('step-buttons').hidden = !state.elder;
  renderExamples();
}

function rerenderAll() {
  t = translator(state.locale, state.elder);
  renderStatic();
  if (!state.session) return;
  state.session.setLocale(state.locale);
  state.report = applyChanges(state.report, state.session.changes());
  renderForm();
  renderReport();
  renderFiledOn();
}

function goStep(i) {
  state.step = i;
  renderForm();
  renderInline();
  const all = steps(state.claim);
  $(`step-${all[state.step].id}-title`)?.focus();
}

function wire() {
  const form = $('claim-form');
  form.addEventListener('input', onEdit);
  // A diagnosis field left with a name typed in it (no change event when the text is back to what it was).
  form.addEventListener('focusout', (e) => {
    if (e.target.dataset?.pending) onEdit({ type: 'change', target: e.target });
  });
  form.addEventListener('change', (e) => (e.target.type === 'file' ? onFiles(e) : onEdit(e)));
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('click', onListAction);
  $('report').addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (b?.dataset.gotoPath) gotoPath(b.dataset.gotoPath);
    if (b?.dataset.gotoDoc) gotoDocument(b.dataset.gotoDoc);
  });
  $('steps-list').addEventListener('click', (e) => {
    const a = e.target.closest('a[data-step]');
    if (!a || !state.elder) return;
    e.preventDefault();
    goStep(Number(a.dataset.step));
  });
  $('prev').addEventListener('click', () => goStep(Math.max(0, state.step - 1)));
  $('next').addEventListener('click', () => goStep(Math.min(steps(state.claim).length - 1, state.step + 1)));
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
  $('example-buttons').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-example]');
    if (!b) return;
    if (b.dataset.example === '') {
      loadClaim({ schema: 'preclaim/claim@1' }, 'blank');
      $('open-status').textContent = '';
      for (const x of document.querySelectorAll('#example-buttons button')) x.setAttribute('aria-pressed', String(x === b));
    } else {
      loadExample(b.dataset.example).catch(fail);
    }
  });
  $('open').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    if (!file) return;
    try {
      const claim = JSON.parse(await file.text());
      if (claim === null || typeof claim !== 'object' || Array.isArray(claim)) throw new Error('not an object');
      loadClaim(claim, 'file');
      $('open-status').textContent = t('app.opened', { name: file.name });
    } catch (err) {
      $('open-status').textContent = t('app.open.bad', { error: err.message });
    }
    e.target.value = '';
  });
  $('download').addEventListener('click', () => {
    const blob = new Blob([JSON.stringify(state.claim, null, 1)], { type: 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: 'claim.json' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
}

function fail(err) {
  const p = h('p', { class: 'error', role: 'alert', text: `${t('app.failed')}${err?.message ?? err}` });
  $('claim-form').replaceChildren(p);
  console.error(err);
}

async function main() {
  renderStatic();
  $('loading').textContent = t('app.loading');
  wire();
  await init();
  state.checker = new Checker();
  state.packs = state.checker.packs();
  try {
    const res = await fetch('/examples/index.json');
    exampleNames = res.ok ? await res.json() : [];
  } catch {
    exampleNames = [];
  }
  renderExamples();
  const example = params.get('example');
  if (example && exampleNames.includes(example)) await loadExample(example);
  else loadClaim({ schema: 'preclaim/claim@1' }, 'blank');
  document.body.dataset.ready = 'true';
  // After the first report: the catalogs (2.5 MB for ICD-10) never hold it up.
  await startCatalogs().catch((err) => {
    console.info(`preclaim portal: catalogs not used: ${err?.message ?? err}`);
    document.body.dataset.catalogs = 'none';
  });
}

main().catch(fail);
