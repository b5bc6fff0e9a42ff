// The strict-CSP test page: loads the npm package from /pkg/ exactly as an app would
// (`import init, { Checker } from 'preclaim'`), checks every example claim in both locales through
// `checker.checkJson(text)`, shows a table, and leaves everything for the driver (run.mjs) on `window`:
//   window.__preclaim = { done, error, version, results: { [name]: { 'zh-CN': reportJson, en: reportJson } } }
//   window.__preclaimStress(claimText, calls, checkpoint) -> { calls, bytesAtCheckpoint, bytesAtEnd, last }
import init, { Checker, version } from './pkg/index.js';
import initGlue from './pkg/preclaim.js';

const LOCALES = ['zh-CN', 'en'];
const state = { done: false, error: null, version: null, results: {} };
window.__preclaim = state;

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
}

function show(name, reports) {
  const en = JSON.parse(reports.en);
  const zh = JSON.parse(reports['zh-CN']);
  const row = document.createElement('tr');
  cell(row, name);
  cell(row, en.status, `status-${en.status}`);
  cell(row, en.route);
  cell(row, en.estimate ? en.estimate.payable : '—', 'num');
  cell(row, String(en.findings.length), 'num');
  const same = zh.status === en.status && zh.route === en.route &&
    JSON.stringify(zh.estimate?.payable) === JSON.stringify(en.estimate?.payable);
  cell(row, same ? 'yes' : 'NO');
  document.getElementById('rows').append(row);
}

async function main() {
  await init();
  state.version = version();
  const names = await (await fetch('./examples/index.json')).json();
  const checker = new Checker();
  for (const name of names) {
    const text = await (await fetch(`./examples/${name}.json`)).text();
    const reports = {};
    for (const locale of LOCALES) reports[locale] = checker.checkJson(text, { locale });
    state.results[name] = reports;
    show(name, reports);
  }
  checker.free();
  const el = document.getElementById('state');
  el.textContent = `preclaim ${state.version}: ${names.length} claims × ${LOCALES.length} locales checked in Chromium`;
  el.className = 'state ok';
}

// Called by the driver: many checks of one claim, reporting the WebAssembly memory size after
// `checkpoint` calls and at the end (the glue's init returns the instance's exports once initialised).
window.__preclaimStress = async (text, calls, checkpoint) => {
  const wasm = await initGlue();
  const checker = new Checker();
  let bytesAtCheckpoint = -1;
  let last = '';
  for (let i = 1; i <= calls; i++) {
    last = checker.checkJson(text, { locale: 'en' });
    if (i === checkpoint) bytesAtCheckpoint = wasm.memory.buffer.byteLength;
  }
  const bytesAtEnd = wasm.memory.buffer.byteLength;
  checker.free();
  return { calls, bytesAtCheckpoint, bytesAtEnd, last };
};

main().then(
  () => { state.done = true; },
  (e) => {
    state.error = String(e && e.stack ? e.stack : e);
    state.done = true;
    const el = document.getElementById('state');
    el.textContent = `failed: ${e}`;
    el.className = 'state failed';
  },
);
