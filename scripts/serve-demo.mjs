#!/usr/bin/env node
// serve-demo: a tiny static server for the demo portal (`make demo`), on 127.0.0.1 only.
//
//   node scripts/serve-demo.mjs [--port N]      (or PORT=N; 0 picks a free port; default 8080, or a
//                                               free port when 8080 is busy)
//
// Serves www/ at /, the built npm package pkg/ at /pkg/ (exactly what `npm install preclaim` gives a
// frontend developer; build it first with `bash scripts/build-package.sh`) and the example claims
// examples/*.json at /examples/ (with /examples/index.json listing them), and the medical catalogs built by
// scripts/build-catalogs.sh (target/catalogs/*.bin) at /catalogs/. Every response carries the
// portal's strict Content-Security-Policy. GET and HEAD only; nothing is ever written or uploaded.
// Prints "preclaim demo: http://127.0.0.1:PORT/" once listening (the browser tests read that line).

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MOUNTS = [
  ['/pkg/', path.join(ROOT, 'pkg')],
  ['/examples/', path.join(ROOT, 'examples')],
  ['/catalogs/', path.join(ROOT, 'target', 'catalogs')],
  ['/', path.join(ROOT, 'www')],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

function headers(type, length) {
  return {
    'Content-Type': type,
    'Content-Length': length,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

function send(res, status, text, method) {
  const body = Buffer.from(text);
  res.writeHead(status, headers('text/plain; charset=utf-8', body.length));
  res.end(method === 'HEAD' ? undefined : body);
}

// Maps a URL path to a file inside one mount, or null (never outside the mounted folders).
function resolve(urlPath) {
  for (const [prefix, dir] of MOUNTS) {
    if (!urlPath.startsWith(prefix)) continue;
    const rest = urlPath.slice(prefix.length);
    const file = path.resolve(dir, '.' + path.posix.normalize('/' + rest));
    if (file !== dir && !file.startsWith(dir + path.sep)) return null;
    return { dir, file, rest };
  }
  return null;
}

async function exampleIndex(dir) {
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json') && n !== 'index.json').sort();
  return JSON.stringify(names);
}

export function createServer() {
  return http.createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed\n', method);
    }
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'bad request\n', method);
    }
    if (urlPath.includes('\0')) return send(res, 400, 'bad request\n', method);
    const target = resolve(urlPath);
    if (!target) return send(res, 404, 'not found\n', method);
    try {
      let body;
      let file = target.file;
      if (target.dir.endsWith(`${path.sep}examples`) && target.rest === 'index.json') {
        body = Buffer.from(await exampleIndex(target.dir));
      } else {
        const stat = await fs.stat(file).catch(() => null);
        if (stat?.isDirectory()) file = path.join(file, 'index.html');
        body = await fs.readFile(file);
      }
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, headers(type, body.length));
      res.end(method === 'HEAD' ? undefined : body);
    } catch {
      if (urlPath.startsWith('/pkg/')) {
        return send(res, 404, 'not found: build the package first (bash scripts/build-package.sh)\n', method);
      }
      send(res, 404, 'not found\n', method);
    }
  });
}

function portArg() {
  const i = process.argv.indexOf('--port');
  const v = i >= 0 ? process.argv[i + 1] : process.env.PORT;
  const n = v === undefined || v === '' ? 8080 : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`serve-demo: bad port ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await fs.access(path.join(ROOT, 'pkg', 'index.js'));
  } catch {
    console.error('serve-demo: pkg/ is missing; build it first: bash scripts/build-package.sh');
    process.exit(1);
  }
  const server = createServer();
  const port = portArg();
  const asked = process.argv.includes('--port') || (process.env.PORT ?? '') !== '';
  server.on('error', (e) => {
    if (e.code === 'EADDRINUSE' && !asked) {
      console.error(`serve-demo: port ${port} is busy; using a free port instead`);
      server.listen(0, '127.0.0.1');
      return;
    }
    console.error(`serve-demo: ${e.message}`);
    process.exit(1);
  });
  server.on('listening', () => {
    const { port } = server.address();
    console.log(`preclaim demo: http://127.0.0.1:${port}/`);
    console.log('(serving www/, pkg/, examples/ and catalogs/ on this machine only; Ctrl-C stops it)');
  });
  server.listen(port, '127.0.0.1');
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
