// No bundler: import the package's browser entry by its path. Copy node_modules/preclaim/ (index.js,
// preclaim.js, preclaim_bg.wasm) next to the page, or serve node_modules; init() fetches the .wasm file
// next to index.js.
import init, { Checker } from './node_modules/preclaim/index.js';

const claim = await (await fetch('claim.json')).json();
await init();
const checker = new Checker(); // once; reuse it for every claim
const report = checker.check(claim, { locale: 'en' });
document.querySelector('#report').textContent = JSON.stringify(report);
document.querySelector('#status').textContent = report.status;
