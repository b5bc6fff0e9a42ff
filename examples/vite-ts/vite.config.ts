import { defineConfig } from 'vite';

// Vite 7 and 8 need nothing for preclaim: the .wasm file is found through `new URL(..., import.meta.url)`
// and emitted as an asset, and the worker (src/worker.ts) builds in the default "iife" format because it
// has no top-level await. With Vite 6 or older add:
//   optimizeDeps: { exclude: ['preclaim'] },   // the dev server then serves the .wasm next to the JS
//   build: { target: 'es2022' },                // top-level await in src/main.ts
export default defineConfig({});
