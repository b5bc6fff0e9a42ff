// Node tests of Checker.fromCompiled: packs in their compiled form (`preclaim pack compile`) give the same
// reports, byte for byte, as the same packs given as JSON and as the native CLI; damaged or foreign packs
// throw PreclaimError code "pack.compiled" naming the pack; wrong arguments throw TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Checker, PreclaimError } from 'preclaim';
import { Finder } from 'preclaim/finder';
import { root, read } from './witness.mjs';

const cli = new URL('target/debug/preclaim', root).pathname;
const names = readdirSync(new URL('packs/', root)).filter((n) => n.endsWith('.json')).sort();

/** Every default pack compiled by the CLI: [name, bytes]. */
function compiled() {
  const dir = mkdtempSync('/tmp/preclaim-compiled-');
  return names.map((n) => {
    const out = `${dir}/${n.replace(/\.json$/, '.pack')}`;
    execFileSync(cli, ['pack', 'compile', `packs/${n}`, '-o', out], { cwd: new URL('.', root).pathname, stdio: 'pipe' });
    return [n, new Uint8Array(readFileSync(out))];
  });
}

const packs = compiled();
const examples = readdirSync(new URL('examples/', root)).filter((n) => n.endsWith('.json'));

test('compiled packs give the reports of the JSON packs and of the native CLI, byte for byte', () => {
  assert.ok(packs.length >= 6 && examples.length >= 8);
  const fromCompiled = Checker.fromCompiled(packs.map(([, b]) => b));
  const fromJson = Checker.fromPacks(names.map((n) => read(`packs/${n}`)));
  assert.deepEqual(fromCompiled.packs(), fromJson.packs());
  for (const e of examples) {
    const claim = read(`examples/${e}`);
    for (const locale of ['zh-CN', 'en']) {
      const report = fromCompiled.checkJson(claim, { locale });
      assert.equal(report, fromJson.checkJson(claim, { locale }), `${e} ${locale}`);
      const native = execFileSync(cli, ['check', `examples/${e}`, '--locale', locale], {
        cwd: new URL('.', root).pathname,
        encoding: 'utf8',
      });
      assert.deepEqual(JSON.parse(report), JSON.parse(native), `${e} ${locale}: native`);
    }
  }
  // An ArrayBuffer is taken as well as a Uint8Array (and a Node Buffer, which is one).
  const [, med] = packs.find(([n]) => n === 'p-med.json');
  const buffer = med.buffer.slice(med.byteOffset, med.byteOffset + med.byteLength);
  assert.deepEqual(Checker.fromCompiled([buffer]).packs().map((p) => p.id), ['P-MED']);
});

test('a damaged, truncated or foreign compiled pack throws pack.compiled with its index', () => {
  const good = packs[0][1];
  const flipped = good.slice();
  flipped[flipped.length - 1] ^= 1;
  const engine = good.slice();
  engine[11] = '9'.charCodeAt(0);
  for (const [bad, why] of [
    [good.slice(0, good.length - 3), /truncated/],
    [flipped, /checksum/],
    [engine, /compile the pack again/],
    [new TextEncoder().encode(read('packs/p-acc.json')), /not a compiled pack/],
    [new Uint8Array(0), /not a compiled pack/],
  ]) {
    assert.throws(
      () => Checker.fromCompiled([good, bad]),
      (e) => e instanceof PreclaimError && e.code === 'pack.compiled' && e.pack === 1 && why.test(e.message),
      String(why),
    );
  }
  // The instance is still sound afterwards.
  assert.equal(Checker.fromCompiled([good]).packs().length, 1);
});

test('fromCompiled takes an array of Uint8Array or ArrayBuffer, or throws TypeError', () => {
  assert.throws(() => Checker.fromCompiled(packs[0][1]), (e) => e instanceof TypeError && /array/.test(e.message));
  assert.throws(() => Checker.fromCompiled(['{}']), (e) => e instanceof TypeError && /compiled pack 0/.test(e.message));
  assert.throws(() => Checker.fromCompiled([[1, 2]]), TypeError);
  assert.equal(Checker.fromCompiled([]).packs().length, 0);
});

test('Finder.fromCompiled plans with compiled packs as Finder.fromPacks does with JSON', () => {
  const input = read('tests/cases-finder/f1-worked-example.json');
  const finderInput = JSON.stringify(JSON.parse(input).finder);
  const fromCompiled = Finder.fromCompiled(packs.map(([, b]) => b));
  const fromJson = Finder.fromPacks(names.map((n) => read(`packs/${n}`)));
  assert.equal(fromCompiled.findJson(finderInput, { locale: 'en' }), fromJson.findJson(finderInput, { locale: 'en' }));
  assert.equal(fromCompiled.findJson(finderInput, { locale: 'en' }), new Finder().findJson(finderInput, { locale: 'en' }));
  assert.throws(() => Finder.fromCompiled([packs[0][1].slice(0, 30)]), (e) => e.code === 'pack.compiled' && e.pack === 0);
});
