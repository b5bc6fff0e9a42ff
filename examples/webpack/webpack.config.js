// webpack 5: nothing to configure for preclaim itself — `new URL('preclaim_bg.wasm', import.meta.url)` in
// the package is emitted as an asset (no experiments.asyncWebAssembly needed). The one setting below keeps
// the size hints for your JavaScript but not for the .wasm asset, which is fetched once, compiled while it
// downloads and cached (webpack would otherwise warn on every build that it is over 244 KiB).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  mode: 'production',
  entry: './src/index.js',
  output: { path: path.join(here, 'dist'), filename: 'main.js', clean: true },
  performance: { assetFilter: (file) => !file.endsWith('.wasm') },
};
