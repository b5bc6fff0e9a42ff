// A TypeScript user of the package: compiled with `tsc --noEmit` in the tests, so the declarations must
// describe the API precisely (typed claims and reports, not `any`).
import init, { Checker, PreclaimError, compile, initSync, limits, type JsonValue, type Rule, type Claim, type Report, type Finding, type Status } from 'preclaim';
import initCatalog, { Catalog, type CatalogHit } from 'preclaim/catalog';

async function main(): Promise<void> {
  await init();
  // With the DOM library, a WebAssembly.Module is an init input.
  if (Math.random() > 2) initSync(await WebAssembly.compile(new Uint8Array(0)));
  const claim: Claim = {
    schema: 'preclaim/claim@1',
    benefit: 'outpatient',
    cause: 'accident',
    event: { date: '2025-04-12', diagnoses: [{ icd10: 'S62.1', primary: true }] },
    policy: { product: 'P-ACC', effective_on: '2025-01-01', expires_on: '2025-12-31', social_insurance: true },
    invoices: [{ visit: 'outpatient', issued_on: '2025-04-12', total: '300.00', items: [{ class: 'A', amount: 300 }] }],
    documents: [{ type: 'D01', file: 'form.jpg' }],
  };
  const checker = new Checker();
  const report: Report = checker.check(claim, { locale: 'en' });
  const status: Status = report.status;
  const blocking: Finding[] = report.findings.filter((f) => f.severity === 'block');
  const payable: string | undefined = report.estimate?.payable;
  const session = checker.session(claim);
  session.set('invoices[0].total', '310.00').set('stay', undefined);
  const again: Report = session.report();
  const delta = session.changes();
  const nowStatus: Status | undefined = delta.status?.after;
  const gone: Finding[] = delta.removed;
  console.log(nowStatus, gone.length, delta.changed);
  try {
    Checker.fromPacks([{ id: 'X' }]);
  } catch (e) {
    if (e instanceof PreclaimError) {
      const where: string = `${e.code} ${e.path ?? ''} ${e.line ?? 0}:${e.column ?? 0}`;
      console.log(where);
    }
  }
  // @ts-expect-error: only zh-CN and en exist
  checker.check(claim, { locale: 'fr' });
  // @ts-expect-error: benefits are a closed list
  const wrong: Claim = { benefit: 'dental' };
  await initCatalog();
  const icd = Catalog.load(new Uint8Array(await (await fetch('/catalogs/icd10.bin')).arrayBuffer()));
  checker.attachCatalog(icd).detachCatalog('item');
  const hits: CatalogHit[] = icd.search('乳房', 8);
  const name: string | undefined = icd.lookup('C50.9')?.name_zh;
  const kind: 'diagnosis' | 'item' = icd.info().kind;
  // @ts-expect-error: the kinds are diagnosis and item
  checker.detachCatalog('drug');
  const rules: Rule = compile([{ '<': [{ var: 'age' }, 18] }, { var: 'name' }]);
  const results: JsonValue = rules.evaluate({ age: 17, name: 'Li' });
  rules.free();
  try {
    compile({ '/': [1, { var: 'x' }] }).evaluate({ x: 'a' });
  } catch (e) {
    if (e instanceof PreclaimError && e.code === 'jsonlogic.eval') console.log(e.error?.type);
  }
  console.log(status, blocking.length, payable, again.route, wrong, hits[0]?.match, name, kind, results);
  // Every limit by name, e.g. to refuse a file before sending it.
  const maxClaimBytes: number = limits().MAX_CLAIM_BYTES;
  console.log(maxClaimBytes);
}

void main();
