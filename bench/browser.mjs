// End-to-end benchmark in headless Chromium (issue #8): the workloads of bench/peers.mjs (ours against
// json-logic-js and json-logic-engine, interpreted and compiled) on a page served from 127.0.0.1
// (bench/www/), at CPU throttling 1×, 4× and 6× through the DevTools protocol
// (Emulation.setCPUThrottlingRate), plus cold start: fetch + instantiate + compile the six default packs
// (`await init(); new Checker()`) in Chromium (fresh page loads, no HTTP cache) and in Node (fresh processes).
//
//   node bench/browser.mjs                         (after `bash scripts/build-package.sh`)
//   PRECLAIM_BENCH_SMOKE=1 node bench/browser.mjs  (a few iterations, 1× and 6× only)
//
// Exported packs as in bench/peers.mjs. Figures are printed, never asserted.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { exportedPacks, workedClaims } from './peers.mjs';
import { syntheticPacks } from './workloads.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SMOKE = !!process.env.PRECLAIM_BENCH_SMOKE;
const RATES = SMOKE ? [1, 6] : [1, 4, 6];
const RUNS = SMOKE ? 3 : 300;
const COLD_LOADS = SMOKE ? 2 : 7;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const PEERS = ['json-logic-js', 'json-logic-engine', 'json-logic-engine-compiled'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
// What the page may fetch: our package, the bench scripts, the two peers' files.
const ALLOWED = ['pkg/', 'bench/', 'node_modules/json-logic-js/logic.js', 'node_modules/json-logic-engine/dist/esm/'];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function serve(dataJson) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    // Cross-origin isolated, so performance.now() has 5 µs resolution instead of 100 µs.
    const headers = { 'Cache-Control': 'no-store', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    if (url === '/data.json') return res.writeHead(200, { ...headers, 'Content-Type': TYPES['.json'] }).end(dataJson);
    const rel = url === '/' ? 'bench/www/index.html' : path.posix.normalize(url).slice(1);
    const file = path.join(ROOT, rel);
    if (!ALLOWED.some((a) => rel.startsWith(a)) || !file.startsWith(ROOT + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return res.writeHead(404, headers).end();
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Cold start in fresh Node processes: import + instantiate, then compile the default packs. */
function nodeCold() {
  const code = `const t0 = performance.now(); const { Checker } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'pkg/node.js')).href)});
const t1 = performance.now(); new Checker(); const t2 = performance.now(); console.log(JSON.stringify([t1 - t0, t2 - t1]));`;
  const runs = [];
  for (let i = 0; i < COLD_LOADS; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node cold start failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  return { instantiate: median(runs.map((r) => r[0])), compile: median(runs.map((r) => r[1])) };
}

async function main() {
  const { chromium } = await import('playwright-core');
  const data = JSON.stringify({ packs: exportedPacks(), claims: workedClaims(), synthetic: syntheticPacks(SMOKE ? 20 : 500, 20) });
  const server = await serve(data);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preclaim-bench-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const version = context.browser()?.version() ?? 'Chromium';

    const nc = nodeCold();
    console.log(`==> cold start (median of ${COLD_LOADS} fresh loads): fetch/import + instantiate, then new Checker() (compile the 6 default packs)`);
    console.log(`  Node ${process.version} (fresh process): ${fmt(nc.instantiate)} ms + ${fmt(nc.compile)} ms = ${fmt(nc.instantiate + nc.compile)} ms`);
    const results = [];
    for (const rate of RATES) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      const colds = [];
      for (let i = 0; i < COLD_LOADS; i++) {
        await page.goto(`${origin}/`, { waitUntil: 'load' });
        colds.push(await page.evaluate(() => window.__cold));
      }
      const ci = median(colds.map((c) => c.instantiate));
      const cc = median(colds.map((c) => c.compile));
      console.log(`  ${version} at ${rate}× CPU throttling: ${fmt(ci)} ms + ${fmt(cc)} ms = ${fmt(ci + cc)} ms`);
      const runs = Math.max(SMOKE ? 2 : 30, Math.round(RUNS / rate));
      const r = await page.evaluate((n) => window.__benchRun(n), runs);
      if (!(await page.evaluate(() => window.crossOriginIsolated))) console.log('  (the page is not cross-origin isolated: timer resolution 100 µs)');
      results.push({ rate, runs, ...r });
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);

    for (const { rate, runs, agreement, synAgree, rows } of results) {
      console.log(`==> ${version}, CPU ${rate}× slower, µs per check: median (p90); ratio = peer / ours; ${runs} runs per cell`);
      console.log(`  agreement with our report: ${PEERS.map((k) => `${k} ${agreement[k]}`).join(', ')}; synthetic set: ${synAgree.join(', ') || 'none'}`);
      const head = ['workload', 'ours', ...PEERS];
      console.log(`| ${head.join(' | ')} |`);
      console.log(`|${head.map(() => '---').join('|')}|`);
      // Throttling suspends the page in time slices, so one short call is either unthrottled or hit by a
      // whole pause: under throttling the mean (total time / calls) is what a phone feels; ratios use it.
      const key = rate > 1 ? 'mean' : 'median';
      if (rate > 1) console.log('  under throttling: mean / median (p90); ratio of the means');
      const cell = (x) => (rate > 1 ? `${fmt(x.mean)} / ${fmt(x.median)} (${fmt(x.p90)})` : `${fmt(x.median)} (${fmt(x.p90)})`);
      for (const r of rows) {
        const cells = [r.name, cell(r.ours)];
        for (const k of PEERS) cells.push(r[k] ? `${cell(r[k])} ${(r[k][key] / r.ours[key]).toFixed(2)}×` : 'disagrees');
        console.log(`| ${cells.join(' | ')} |`);
      }
    }
  } finally {
    await context?.close().catch(() => {});
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`browser.mjs: ${e?.stack ?? e}`);
  process.exit(1);
});
