// Node benchmark of the photo pre-check in WebAssembly (pkg/): a 12-megapixel RGBA buffer as is, and the
// 2048-pixel copy `assessFile` passes after the browser's resize. Medians; printed, never asserted.
import { performance } from 'node:perf_hooks';
const { assessImageData } = await import(new URL('../pkg/photo.node.js', import.meta.url));

function page(w, h) {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const ink = (y % 24) < 6 && ((x * 7 + y) % 31) < 18 && x > w * 0.1 && x < w * 0.9 && y > h * 0.1 && y < h * 0.9;
    const i = (y * w + x) * 4; const v = ink ? 30 : 235;
    data[i] = v; data[i + 1] = v; data[i + 2] = v; data[i + 3] = 255;
  }
  return { data, width: w, height: h };
}
const SMOKE = process.env.PRECLAIM_BENCH_SMOKE === '1';
for (const [w, h, runs] of SMOKE ? [[400, 300, 1]] : [[4000, 3000, 7], [2048, 1536, 15]]) {
  const img = page(w, h);
  assessImageData(img);
  const t = [];
  for (let i = 0; i < runs; i++) { const a = performance.now(); assessImageData(img); t.push(performance.now() - a); }
  t.sort((a, b) => a - b);
  console.log(`assess ${w}×${h} RGBA in WebAssembly (Node): median ${t[runs >> 1].toFixed(1)} ms`);
}
