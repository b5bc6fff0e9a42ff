import init, { Checker, type Report } from 'preclaim';
import { claim } from './claim';

await init(); // fetches preclaim_bg.wasm once
const checker = new Checker(); // compile the packs once; reuse the checker for every claim
const report = checker.check(claim, { locale: 'en' });
document.querySelector('#report')!.textContent = JSON.stringify(report);
document.querySelector('#status')!.textContent = report.status;

// The same check in a module Web Worker (src/worker.ts).
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<Report>) => {
  document.querySelector('#worker-status')!.textContent = e.data.status;
};
worker.postMessage(claim);
