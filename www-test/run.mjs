// Drives the npm package (pkg/, built by scripts/build-package.sh) in Node and in headless Chromium and
// proves three targets give the same bytes: every example claim's report, in both locales, must equal the
// compact form of the native CLI's snapshot (tests/snapshots/<name>.<locale>.json) byte for byte.
//
//   node www-test/run.mjs     (scripts/test-browser.sh runs it; exits 1 on any failure)
//
// 1. Node: the package's Node entry (pkg/node.js), `checker.checkJson(text, { locale })`.
// 2. Chromium: a page with a strict Content-Security-Policy (meta tag and HTTP header) served from a tiny
//    static server on 127.0.0.1 (pkg/ at /pkg/, examples/ at /examples/), loaded by Debian's Chromium
//    through playwright-core. Any console error, page error, failed request or CSP violation fails the run;
//    a deliberate inline script at the end must be reported as a violation (the listener works and the
//    policy is enforced). Screenshot: test-artifacts/csp-page.png.
// 3. Memory: 100,000 `checkJson` calls of one claim (and of an invalid claim) in Node, and in Chromium;
//    the WebAssembly memory after 1,000 and after 100,000 calls must be equal (at most one 64 KiB page
//    apart).

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(ROOT, 'www-test');
const PKG = path.join(ROOT, 'pkg');
const EXAMPLES = path.join(ROOT, 'examples');
const SNAPSHOTS = path.join(ROOT, 'tests', 'snapshots');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const LOCALES = ['zh-CN', 'en'];
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const STRESS_CLAIM = 'acc-inpatient-missing-documents';
const STRESS_CALLS = 100_000;
const STRESS_CHECKPOINT = 1_000;
const PAGE = 65_536;

const failures = [];
function fail(msg) {
  failures.push(msg);
  console.error(`FAIL: ${msg}`);
}

const fmt = (n) => n.toLocaleString('en-US');

/** The JSON text without whitespace outside strings (strings are kept byte for byte). */
function compact(text) {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        i++;
        out += text[i];
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      out += c;
    }
  }
  return out;
}

/** Where two texts first differ, for a readable failure. */
function firstDifference(got, want) {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  return `at char ${i}: got …${JSON.stringify(got.slice(Math.max(0, i - 40), i + 40))}… want …${JSON.stringify(
    want.slice(Math.max(0, i - 40), i + 40),
  )}…`;
}

function loadCases() {
  const names = fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  const cases = [];
  for (const name of names) {
    const claim = fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8');
    for (const locale of LOCALES) {
      const snapshot = fs.readFileSync(path.join(SNAPSHOTS, `${name}.${locale}.json`), 'utf8');
      const want = compact(snapshot);
      // Guard the comparison itself: the compact form is the same JSON value.
      if (JSON.stringify(JSON.parse(want)) !== JSON.stringify(JSON.parse(snapshot))) {
        fail(`compacting ${name}.${locale}.json changed its value`);
      }
      cases.push({ name, locale, claim, want });
    }
  }
  return { names, cases };
}

function compareAll(target, cases, got) {
  let same = 0;
  for (const c of cases) {
    const g = got(c);
    if (g === c.want) same++;
    else fail(`${target}: ${c.name}.${c.locale} differs from the CLI snapshot ${firstDifference(g ?? '<none>', c.want)}`);
  }
  return same;
}

function memoryVerdict(where, r) {
  const grew = r.bytesAtEnd - r.bytesAtCheckpoint;
  const line =
    `${where}: WebAssembly memory after ${fmt(STRESS_CHECKPOINT)} calls ${fmt(r.bytesAtCheckpoint)} bytes ` +
    `(${r.bytesAtCheckpoint / PAGE} pages), after ${fmt(r.calls)} calls ${fmt(r.bytesAtEnd)} bytes ` +
    `(${r.bytesAtEnd / PAGE} pages): grew ${fmt(grew)} bytes`;
  if (r.bytesAtCheckpoint <= 0 || grew < 0 || grew > PAGE) fail(`${line} (allowed: at most one 64 KiB page)`);
  return line;
}

// ---- 1. Node ---------------------------------------------------------------------------------------

async function nodePart(cases) {
  const pkg = await import(pathToFileURL(path.join(PKG, 'node.js')).href);
  const checker = new pkg.Checker();
  const same = compareAll('node', cases, (c) => checker.checkJson(c.claim, { locale: c.locale }));
  checker.free();
  return { same, version: pkg.version() };
}

// ---- 3. Memory in Node -----------------------------------------------------------------------------

async function nodeMemory(cases) {
  const pkg = await import(pathToFileURL(path.join(PKG, 'node.js')).href);
  // The same module instance as the one pkg/node.js initialised: its init returns the instance's exports.
  const glue = await import(pathToFileURL(path.join(PKG, 'preclaim.js')).href);
  const wasm = await glue.default();
  if (!(wasm.memory instanceof WebAssembly.Memory)) throw new Error('the wasm exports have no memory');
  const want = cases.find((c) => c.name === STRESS_CLAIM && c.locale === 'en');
  const checker = new pkg.Checker();

  const ok = { calls: STRESS_CALLS, bytesAtCheckpoint: -1, bytesAtEnd: -1 };
  const t0 = performance.now();
  let last = '';
  for (let i = 1; i <= STRESS_CALLS; i++) {
    last = checker.checkJson(want.claim, { locale: 'en' });
    if (i === STRESS_CHECKPOINT) ok.bytesAtCheckpoint = wasm.memory.buffer.byteLength;
  }
  ok.bytesAtEnd = wasm.memory.buffer.byteLength;
  const okMs = performance.now() - t0;
  if (last !== want.want) fail(`node: report ${fmt(STRESS_CALLS)} differs from the snapshot`);

  // The error path: an invalid claim throws a PreclaimError every time and must not leak either.
  const bad = { calls: STRESS_CALLS, bytesAtCheckpoint: -1, bytesAtEnd: -1 };
  const bad_claim = want.claim.slice(0, Math.floor(want.claim.length / 2));
  let thrown = 0;
  for (let i = 1; i <= STRESS_CALLS; i++) {
    try {
      checker.checkJson(bad_claim, { locale: 'en' });
    } catch (e) {
      if (e.name === 'PreclaimError' && e.code === 'claim.json') thrown++;
    }
    if (i === STRESS_CHECKPOINT) bad.bytesAtCheckpoint = wasm.memory.buffer.byteLength;
  }
  bad.bytesAtEnd = wasm.memory.buffer.byteLength;
  if (thrown !== STRESS_CALLS) fail(`node: ${fmt(thrown)} of ${fmt(STRESS_CALLS)} invalid claims threw PreclaimError claim.json`);
  if (checker.checkJson(want.claim, { locale: 'en' }) !== want.want) fail('node: the checker broke after errors');
  checker.free();
  return {
    ok: memoryVerdict(`node, ${STRESS_CLAIM} (${(okMs / STRESS_CALLS * 1000).toFixed(1)} µs/call)`, ok),
    bad: memoryVerdict('node, invalid claim (throws)', bad),
  };
}

// ---- 2. Chromium -----------------------------------------------------------------------------------

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
};

/** A file under `base`, or null when the path leaves it or is not a file. */
function fileUnder(base, rel) {
  const p = path.resolve(base, `.${path.posix.normalize(`/${rel}`)}`);
  if (p !== base && !p.startsWith(base + path.sep)) return null;
  try {
    return fs.statSync(p).isFile() ? p : null;
  } catch {
    return null;
  }
}

function startServer(names, badRequests) {
  const server = http.createServer((req, res) => {
    const headers = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    let url;
    try {
      url = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      url = '';
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      badRequests.push(`${req.method} ${req.url} -> 405`);
      return;
    }
    if (url === '/favicon.ico') {
      res.writeHead(204, headers).end();
      return;
    }
    let file = null;
    let body = null;
    if (url === '/examples/index.json') {
      body = JSON.stringify(names);
      headers['Content-Type'] = TYPES['.json'];
    } else if (url.startsWith('/pkg/')) {
      file = fileUnder(PKG, url.slice('/pkg/'.length));
    } else if (url.startsWith('/examples/')) {
      file = fileUnder(EXAMPLES, url.slice('/examples/'.length));
    } else {
      file = fileUnder(WWW, url === '/' ? 'index.html' : url.slice(1));
    }
    if (body === null && file === null) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      badRequests.push(`GET ${req.url} -> 404`);
      return;
    }
    if (body === null) {
      body = fs.readFileSync(file);
      headers['Content-Type'] = TYPES[path.extname(file)] ?? 'application/octet-stream';
    }
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function chromiumPart(names, cases) {
  const { chromium } = await import('playwright-core');
  const badRequests = [];
  const server = await startServer(names, badRequests);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preclaim-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 960, height: 420 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors = [];
    const pageErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('requestfailed', (r) => badRequests.push(`${r.url()} failed: ${r.failure()?.errorText}`));
    // Before any page script runs: record every CSP violation.
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });

    const response = await page.goto(`${origin}/`, { waitUntil: 'load' });
    if (response?.headers()['content-security-policy'] !== CSP) fail('chromium: the page was served without the CSP header');
    await page.waitForFunction(() => window.__preclaim?.done === true, null, { timeout: 60_000 });
    const state = await page.evaluate(() => window.__preclaim);
    if (state.error) fail(`chromium: the page failed: ${state.error}`);
    const same = compareAll('chromium', cases, (c) => state.results[c.name]?.[c.locale]);
    const rows = await page.locator('#rows tr').count();
    if (rows !== names.length) fail(`chromium: the table has ${rows} rows, want ${names.length}`);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'csp-page.png');
    await page.screenshot({ path: shot, fullPage: true });

    // 3. Memory in Chromium, the same loop as in Node.
    const want = cases.find((c) => c.name === STRESS_CLAIM && c.locale === 'en');
    let memLine = `chromium: memory not measured (the page failed)`;
    if (!state.error) {
      const mem = await page.evaluate(
        ([text, calls, checkpoint]) => window.__preclaimStress(text, calls, checkpoint),
        [want.claim, STRESS_CALLS, STRESS_CHECKPOINT],
      );
      if (mem.last !== want.want) fail(`chromium: report ${fmt(STRESS_CALLS)} differs from the snapshot`);
      memLine = memoryVerdict(`chromium, ${STRESS_CLAIM}`, mem);
    }

    // Everything so far must have been clean.
    const violations = await page.evaluate(() => [...window.__cspViolations]);
    for (const v of violations) fail(`chromium: CSP violation: ${v}`);
    for (const e of consoleErrors) fail(`chromium: console error: ${e}`);
    for (const e of pageErrors) fail(`chromium: page error: ${e}`);
    for (const r of badRequests) fail(`chromium: request: ${r}`);
    const clean = { violations: violations.length, consoleErrors: consoleErrors.length, pageErrors: pageErrors.length };

    // Control: an inline script must be blocked and reported, or the checks above prove nothing.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.body.append(s);
    });
    await page.waitForFunction(() => window.__cspViolations.length > 0, null, { timeout: 5_000 }).catch(() => {});
    const control = await page.evaluate(() => ({ ran: window.__inlineRan === true, seen: window.__cspViolations.length }));
    if (control.ran || control.seen < 1) fail(`chromium: the CSP control failed (inline script ran: ${control.ran}, violations seen: ${control.seen})`);

    return { same, clean, shot, memLine, version: state.version, browser: context.browser()?.version() ?? '' };
  } finally {
    await context?.close().catch(() => {});
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

// ---- main ------------------------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(path.join(PKG, 'preclaim_bg.wasm'))) {
    console.error('run.mjs: pkg/ is missing: run `bash scripts/build-package.sh` first');
    process.exit(1);
  }
  const { names, cases } = loadCases();
  const lines = [];

  const node = await nodePart(cases);
  lines.push(
    `[2/3] node (pkg/node.js, preclaim ${node.version}): ${node.same}/${cases.length} reports ` +
      `(${names.length} claims × ${LOCALES.length} locales) byte-identical to the native CLI snapshots`,
  );
  console.log(lines.at(-1));

  const ch = await chromiumPart(names, cases);
  lines.push(
    `[2/3] chromium ${ch.browser} (strict CSP page, pkg/index.js): ${ch.same}/${cases.length} reports byte-identical ` +
      `to the native CLI snapshots; ${ch.clean.consoleErrors} console errors, ${ch.clean.pageErrors} page errors, ` +
      `${ch.clean.violations} CSP violations (control inline script blocked and reported); screenshot ` +
      `${path.relative(ROOT, ch.shot)}`,
  );
  console.log(lines.at(-1));

  const mem = await nodeMemory(cases);
  for (const l of [mem.ok, mem.bad, ch.memLine]) {
    lines.push(`[3/3] ${l}`);
    console.log(lines.at(-1));
  }

  if (failures.length > 0) {
    console.error(`run.mjs: ${failures.length} failure(s)`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`run.mjs: ${e?.stack ?? e}`);
  process.exit(1);
});
