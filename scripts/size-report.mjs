// Size breakdown of a WebAssembly module by Rust module, from its names section (no external tool).
// Code bytes of each function body (from the code section) are summed by the module path in the
// function's (demangled) name: `preclaim::<module>` for our crate, the crate name for dependencies,
// `<other>` for names without a path; the data section counts as one line (it holds the embedded packs,
// message text and tables), the rest (types, imports, exports, tables, the names section itself) as another;
// then the data segments of 1 KB or more, each with its gzipped size and its first bytes.
//
//   node scripts/size-report.mjs MODULE.wasm [TOP]     (scripts/size-report.sh calls it)
//
// Only a module that keeps its names section gives names (wasm-opt -g); the shipped pkg/ one does not.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = process.argv[2];
const top = Number(process.argv[3] ?? 25);
const bytes = readFileSync(file);

let pos = 0;
function leb() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return result;
  }
}
function name() {
  const n = leb();
  const s = bytes.toString('utf8', pos, pos + n);
  pos += n;
  return s;
}

if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file} is not a WebAssembly module`);
pos = 8;
const sections = [];
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  sections.push({ id, start: pos, size });
  pos += size;
}

// Imported functions come first in the function index space.
let importedFunctions = 0;
const bodies = []; // [index, start, size]
const names = new Map();
let dataBytes = 0;
const segments = []; // the data segments' bytes
for (const s of sections) {
  pos = s.start;
  if (s.id === 2) {
    for (let n = leb(); n > 0; n--) {
      name();
      name();
      const kind = bytes[pos++];
      if (kind === 0) {
        leb();
        importedFunctions++;
      } else if (kind === 1) {
        pos++;
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 2) {
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 3) {
        pos += 2;
      } else {
        throw new Error(`unknown import kind ${kind}`);
      }
    }
  } else if (s.id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      const size = leb();
      bodies.push([importedFunctions + i, pos, size]);
      pos += size;
    }
  } else if (s.id === 11) {
    dataBytes = s.size;
    for (let n = leb(); n > 0; n--) {
      const flags = leb();
      if (flags === 2) leb();
      if (flags !== 1) {
        // The offset: a constant expression up to its `end` (0x0b).
        while (bytes[pos++] !== 0x0b);
      }
      const size = leb();
      segments.push(bytes.subarray(pos, pos + size));
      pos += size;
    }
  } else if (s.id === 0) {
    if (name() !== 'name') continue;
    const end = s.start + s.size;
    while (pos < end) {
      const sub = bytes[pos++];
      const subSize = leb();
      const subEnd = pos + subSize;
      if (sub === 1) {
        for (let n = leb(); n > 0; n--) {
          const idx = leb();
          names.set(idx, name());
        }
      }
      pos = subEnd;
    }
  }
}

/** The module a function belongs to, from its demangled name. */
function moduleOf(fn) {
  const clean = fn.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]+\]/g, '');
  if (/ multivalue shim$/.test(clean)) return 'wasm-bindgen export shims (bodies inlined)';
  const ours = clean.match(/preclaim::([a-z_0-9]+)/);
  if (ours) return `preclaim::${ours[1]}`;
  const krate = clean.match(/^<?&?(?:mut )?(?:dyn )?([a-z_][a-z_0-9]*)::/);
  if (krate) return krate[1];
  if (/^__wbg|^__wbindgen|wasm_bindgen/.test(clean)) return 'wasm_bindgen';
  return '<other>';
}

const total = bytes.length;
const byModule = new Map();
const functions = [];
let codeBytes = 0;
for (const [idx, , size] of bodies) {
  const fn = names.get(idx) ?? `func[${idx}]`;
  const m = names.has(idx) ? moduleOf(fn) : '<unnamed>';
  byModule.set(m, (byModule.get(m) ?? 0) + size);
  functions.push([fn, size]);
  codeBytes += size;
}
const nameSection = sections.filter((s) => s.id === 0).reduce((a, s) => a + s.size, 0);
const rest = total - codeBytes - dataBytes - nameSection;
const pct = (b) => `${((b * 100) / (total - nameSection)).toFixed(1).padStart(5)} %`;

console.log(
  `  names-section breakdown of ${file}: ${total} bytes (${gzipSync(bytes).length} gzipped) of which names ` +
    `${nameSection} (not shipped); ${bodies.length} functions, ${names.size} named`,
);
console.log('  by module (code bytes of function bodies; % of the module without its names section):');
const rows = [...byModule.entries()].sort((a, b) => b[1] - a[1]);
rows.push(['data section (packs, messages, tables)', dataBytes], ['other sections (types, imports, exports, ...)', rest]);
rows.sort((a, b) => b[1] - a[1]);
for (const [m, b] of rows) console.log(`    ${m.padEnd(46)} ${String(b).padStart(8)} bytes ${pct(b)}`);
// The data segments worth a look (wasm-opt merges and splits them: a segment is a run of memory, not one
// Rust static), with how much each gzips to on its own and how it starts.
const bigSegments = segments.filter((b) => b.length >= 1024).sort((a, b) => b.length - a.length);
if (bigSegments.length > 0) {
  console.log('  data segments of 1 KB or more (raw, gzipped alone, how each begins):');
  for (const b of bigSegments) {
    const start = Buffer.from(b.subarray(0, 48)).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    console.log(`    ${String(b.length).padStart(8)} bytes ${String(gzipSync(b).length).padStart(7)} gz  ${start}`);
  }
}
console.log(`  the ${top} biggest functions:`);
functions.sort((a, b) => b[1] - a[1]);
for (const [fn, b] of functions.slice(0, top)) {
  const short = fn.length > 100 ? `${fn.slice(0, 97)}...` : fn;
  console.log(`    ${String(b).padStart(7)} bytes ${pct(b)}  ${short}`);
}
