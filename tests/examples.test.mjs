// The npm package's recipes (examples/), as built by scripts/test-examples.sh under target/examples/ from
// the `npm pack` tarball, run in headless Debian Chromium (playwright-core): the Vite build (main thread
// and module Web Worker), the webpack build and the page with no bundler, each served with a strict
// Content-Security-Policy; and the Vite dev server. Every page's report must be byte-identical to the one
// Node gives for the same claim, with no console error, page error or CSP violation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Checker } from 'preclaim';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'target', 'examples');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const T = 20000;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };

const claim = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'no-bundler', 'claim.json'), 'utf8'));
const expected = JSON.stringify(new Checker().check(claim, { locale: 'en' }));

let browser;
const servers = [];

/** Serves a folder with the strict CSP on every response; resolves to its base URL. */
function serve(dir) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(dir, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
    fs.createReadStream(file).pipe(res);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/`)));
}

/** Opens a page, collects what goes wrong on it, and returns both. */
async function open(url) {
  const page = await browser.newPage();
  const problems = [];
  // The browser's own favicon request is the one 404 that is not the page's doing.
  page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && problems.push(`console: ${m.text()} (${m.location().url})`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(url);
  return { page, problems };
}

/** Waits for the page's status outputs, then checks the report and that nothing went wrong. */
async function expectReport({ page, problems }, outputs) {
  const want = JSON.parse(expected).status;
  for (const sel of outputs) {
    await page.locator(sel).filter({ hasText: want }).waitFor({ timeout: T });
  }
  await page.locator('#report').filter({ hasText: '"schema":"preclaim/report@1"' }).waitFor({ timeout: T });
  assert.equal(await page.locator('#report').textContent(), expected);
  assert.deepEqual(problems, []);
  await page.close();
}

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

test('node-esm: the Node recipe prints the report Node gives', () => {
  const out = fs.readFileSync(path.join(WORK, 'node-esm', 'report.json'), 'utf8').trim();
  assert.equal(out, expected);
});

test('vite-ts: the built app checks on the main thread and in a module Web Worker, under a strict CSP', async () => {
  const base = await serve(path.join(WORK, 'vite-ts', 'dist'));
  await expectReport(await open(base), ['#status', '#worker-status']);
});

test('vite-ts: the Vite dev server serves the same app', async () => {
  const { createServer } = await import('vite');
  const server = await createServer({ root: path.join(WORK, 'vite-ts'), logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
  try {
    const url = server.resolvedUrls.local[0];
    await expectReport(await open(url), ['#status', '#worker-status']);
  } finally {
    await server.close();
  }
});

test('webpack: the built page checks the claim, under a strict CSP', async () => {
  const base = await serve(path.join(WORK, 'webpack'));
  await expectReport(await open(base), ['#status']);
});

test('no-bundler: the plain page imports the package files, under a strict CSP', async () => {
  const base = await serve(path.join(WORK, 'no-bundler'));
  await expectReport(await open(base), ['#status']);
});
