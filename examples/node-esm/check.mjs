// Node, ES modules: the package's Node entry loads the WebAssembly on import (no init()).
// Usage: node check.mjs claim.json [more.json ...]  → one report@1 per line (JSON).
import { readFile } from 'node:fs/promises';
import { Checker } from 'preclaim';

const checker = new Checker(); // compiles the six default packs once: reuse it for every claim
for (const file of process.argv.slice(2)) {
  const claim = JSON.parse(await readFile(file, 'utf8'));
  const report = checker.check(claim, { locale: 'en' });
  console.log(JSON.stringify(report));
}
