// Browser tests of the portal's second page, "我能赔多少 / What can I claim?" (www/find.html): headless
// Debian Chromium driven by playwright-core against scripts/serve-demo.mjs, audited with axe-core. Run by
// scripts/test-www.sh (node --test). Every expectation waits for its condition (no fixed sleeps).
// Screenshots go to test-artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { eventually, T } from './eventually.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
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

/** A fresh page of find.html (own context: no stored language or mode) that records every problem. */
async function open(query = '', viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${base}find.html${query}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#total[data-amount]');
  return page;
}

async function close(page) {
  await eventually(async () => assert.deepEqual(await page.evaluate(() => window.__csp), [], 'CSP violations'));
  await page.context().close();
}

/** Waits until the plan's total is `amount`. */
const total = (page, amount) => page.waitForSelector(`#total[data-amount="${amount}"]`);

/** Waits until the medical claims are, in order, these policies. */
async function medicalOrder(page, keys) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('#medical-claims > li')].map((li) => li.dataset.policy)) === JSON.stringify(want),
    keys,
  );
}

/** Waits until an element's text matches `re`; returns the text. */
async function textMatches(page, selector, re) {
  await page.waitForFunction(([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ''), [selector, re.source]);
  return page.locator(selector).first().innerText();
}

async function runAxe(page) {
  // Evaluating axe's source over the DevTools protocol is not subject to the page's CSP.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  return page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------

test('the example household: which policies pay, in which order, and what is still needed', async () => {
  const page = await open('?lang=zh-CN');
  await textMatches(page, '#privacy', /不会上传/);
  await total(page, '7000.00');
  // The medical plan first (order gain 1000.00), then the accident plan, which waits for it and needs its D12.
  await medicalOrder(page, ['med', 'acc']);
  await textMatches(page, '#order-note', /多赔 1000\.00 元/);
  await textMatches(page, '#medical-claims li[data-policy="acc"] .after', /百万医疗/);
  await textMatches(page, '#medical-claims li[data-policy="acc"] li[data-doc="D12"]', /第三方结算分割单（百万医疗赔付后向其索取）/);
  await textMatches(page, '#medical-claims li[data-policy="med"] .claim-pay', /1000\.00/);
  await page.waitForSelector('#fixed-claims li[data-policy="cash"][data-benefit="hospital_cash"] .claim-pay[data-amount="1000.00"]');
  // One list of documents for all the claims.
  await textMatches(page, '#documents li[data-doc="D12"]', /意外医疗/);
  // The policies that do not pay, in plain words.
  await page.waitForFunction(() => {
    const reasons = [...document.querySelectorAll('#skipped li')].map((li) => `${li.dataset.policy}:${li.dataset.reason}`);
    return ['ci:ineligible', 'dis:no_benefit', 'life:no_benefit', 'son-med:other_insured'].every((r) => reasons.includes(r));
  });
  await textMatches(page, '#skipped li[data-policy="life"]', /只赔身故/);
  await textMatches(page, '#skipped li[data-policy="son-med"]', /王小某（儿子）[\s\S]*另一位家人/);
  // Nothing in the plan reads like a program value.
  await eventually(async () => assert.doesNotMatch(await page.locator('#plan').innerText(), /\b(false|true|undefined|null|NaN)\b|\[object/));
  // The way to the other page of the portal.
  await eventually(async () => assert.equal(await page.locator('#other').getAttribute('href'), '/?lang=zh-CN'));
  await close(page);
});

test('editing a policy changes the plan and the filing order', async () => {
  const page = await open('?lang=en');
  await total(page, '7000.00');
  // P-MED's deductible already used this year: it pays 11000.00 whichever goes first, so the list order stands.
  await page.fill('#f-policies-1-policy-deductible_used', '10000.00');
  await total(page, '12000.00');
  await medicalOrder(page, ['acc', 'med']);
  await textMatches(page, '#order-note', /already the best order/);
  // The summary for screen readers says the new total.
  await textMatches(page, '#announce', /12000\.00 yuan from 3 claims/);
  // Back to the example e-bill after changing the bill.
  await page.fill('#f-invoices-0-fund_paid', '0.00');
  await page.waitForFunction(() => document.querySelector('#total').dataset.amount !== '12000.00');
  await page.click('#load-bill');
  await textMatches(page, '#bill-status', /Example e-bill loaded/);
  await total(page, '12000.00');
  // A policy without a product is skipped with what is wrong, not an error.
  await page.selectOption('#f-policies-0-policy-product', '');
  await textMatches(page, '#skipped li[data-reason="invalid"]', /policy\.product/);
  await close(page);
});

test('keyboard only: add a policy, choose its product, remove it', async () => {
  const page = await open('?lang=en');
  await total(page, '7000.00');
  await page.focus('#add-policy');
  await page.keyboard.press('Enter');
  const product = '#f-policies-7-policy-product';
  await page.waitForFunction((id) => document.activeElement?.id === id, product.slice(1));
  await textMatches(page, '#announce', /A policy was added/);
  // A second hospital-cash policy for the same person pays another 1000.00.
  await page.selectOption(product, 'P-CASH');
  await total(page, '8000.00');
  const remove = page.locator('#policy-new-1 .remove-policy');
  await remove.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'add-policy');
  await total(page, '7000.00');
  await textMatches(page, '#announce', /Policy removed/);
  // The skip link leads to the plan.
  await page.focus('#skip');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash === '#plan');
  await close(page);
});

test('both languages and elder mode', async () => {
  const page = await open('?lang=zh-CN');
  await textMatches(page, 'h1', /我能赔多少/);
  await page.click('#lang');
  await textMatches(page, 'h1', /What can I claim\?/);
  await textMatches(page, '#skipped li[data-policy="life"]', /Term life pays death only/);
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.click('#elder');
  await page.waitForFunction(() => document.documentElement.classList.contains('elder'));
  await page.waitForSelector('#elder[aria-pressed="true"]');
  // Elder mode: large type, and the plan in plainer words.
  await eventually(async () => {
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.ok(size >= 22, `elder mode font size ${size}`);
  });
  await textMatches(page, '#medical-claims li[data-policy="med"] .badge', /You can send it/);
  await close(page);
});

for (const [lang, elder] of [['zh-CN', '0'], ['en', '0'], ['zh-CN', '1'], ['en', '1']]) {
  test(`axe-core: no serious or critical violations (${lang}, elder mode ${elder === '1' ? 'on' : 'off'})`, async () => {
    const page = await open(`?lang=${lang}&elder=${elder}`);
    // With every "how it is worked out" open too.
    for (const d of await page.locator('details.how').all()) await d.locator('summary').click();
    await page.waitForFunction(() => [...document.querySelectorAll('details.how')].every((d) => d.open));
    let violations = [];
    try {
      await eventually(async () => {
        violations = await runAxe(page);
        assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
      });
    } finally {
      if (violations.length > 0) console.log(`axe find.html (${lang}, elder ${elder}):`, JSON.stringify(violations, null, 1));
    }
    await close(page);
  });
}

test('the claim page links to this page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  await page.goto(`${base}?lang=en`);
  await page.waitForSelector('body[data-ready="true"]');
  await textMatches(page, '#nav-find', /What can I claim\?/);
  await page.click('#nav-find');
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#total[data-amount="7000.00"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await context.close();
});

test('plans in Chromium are byte-identical to Node and to the native snapshot (every finder case, both locales)', async () => {
  const dir = path.join(ROOT, 'tests', 'cases-finder');
  const inputs = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => [f, JSON.stringify(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).finder)]);
  const { Finder } = await import(path.join(ROOT, 'pkg', 'finder.node.js'));
  const node = new Finder();
  const answer = (checker, text, locale) => {
    try {
      return checker.findJson(text, { locale });
    } catch (e) {
      return `error: ${e.code} ${e.path ?? ''}`;
    }
  };
  const page = await open();
  const inBrowser = await page.evaluate(async (inputs) => {
    const { Finder } = await import('/pkg/finder.js');
    const checker = new Finder();
    const out = {};
    for (const [name, text] of inputs) {
      for (const locale of ['zh-CN', 'en']) {
        try {
          out[`${name} ${locale}`] = checker.findJson(text, { locale });
        } catch (e) {
          out[`${name} ${locale}`] = `error: ${e.code} ${e.path ?? ''}`;
        }
      }
    }
    checker.free();
    return out;
  }, inputs);
  for (const [name, text] of inputs) {
    for (const locale of ['zh-CN', 'en']) assert.equal(inBrowser[`${name} ${locale}`], answer(node, text, locale), `${name} ${locale}`);
  }
  for (const locale of ['zh-CN', 'en']) {
    const snapshot = fs.readFileSync(path.join(ROOT, 'tests', 'snapshots', 'finder', `f1-worked-example.${locale}.json`), 'utf8');
    assert.equal(inBrowser[`f1-worked-example.json ${locale}`], JSON.stringify(JSON.parse(snapshot)), `F1 ${locale}`);
  }
  await close(page);
});

test('phone width (360 px): no sideways scrolling; screenshots', async () => {
  const shots = [
    ['find-phone-360x740.png', { width: 360, height: 740 }, '?lang=zh-CN'],
    ['find-phone-elder-360x740.png', { width: 360, height: 740 }, '?lang=zh-CN&elder=1'],
    ['find-desktop-1280x800.png', { width: 1280, height: 800 }, '?lang=en'],
  ];
  for (const [name, viewport, query] of shots) {
    const page = await open(query, viewport);
    await eventually(async () => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: no sideways scrolling (${overflow}px too wide)`);
    });
    if (viewport.width < 900) await page.waitForSelector('#summary:not([hidden])');
    await page.screenshot({ path: path.join(ARTIFACTS, name) });
    await page.locator('#plan').screenshot({ path: path.join(ARTIFACTS, name.replace('.png', '-plan.png')) });
    await close(page);
  }
});

test('no console errors, failed requests or CSP violations in any test', () => {
  assert.deepEqual(problems, []);
});

test('in the browser the compiler is an entry of its own: fromPacks and compile ask for it, then work', async () => {
  const page = await open();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const result = await page.evaluate(async () => {
    const core = await import('/pkg/index.js'); // this page (find.html) loads only preclaim/finder
    await core.default();
    const before = [];
    for (const f of [() => core.Checker.fromPacks([]), () => core.compile({ '+': [1, 2] })]) {
      try {
        f();
        before.push('no error');
      } catch (e) {
        before.push(`${e.code}: ${/preclaim\/compiler/.test(e.message)}`);
      }
    }
    const loaded = performance.getEntriesByType('resource').some((r) => r.name.includes('preclaim_compiler_bg.wasm'));
    const { default: initCompiler, compilePacks } = await import('/pkg/compiler.js');
    await initCompiler();
    const sum = core.compile({ '+': [1, 2] }).evaluate(null);
    const bytes = compilePacks([]);
    const checker = core.Checker.fromPacks([]);
    const packs = checker.packs().length;
    return { before, loaded, sum, bytes: bytes.length, packs };
  });
  assert.deepEqual(result.before, ['init: true', 'init: true']);
  assert.equal(result.loaded, false, 'the portal never fetched the compiler before it was asked for');
  assert.equal(result.sum, 3);
  assert.equal(result.bytes, 0);
  assert.equal(result.packs, 0);
  await page.context().close();
});
