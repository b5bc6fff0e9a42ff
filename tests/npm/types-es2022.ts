// The declarations compile in a project with `lib: ["ES2022"]` alone (no DOM, no @types/node) and catch the
// mistakes a user makes: a misspelt claim key, a value of the wrong type, a path outside claim@1.
import init, { Checker, initSync, type Claim, type ClaimPath, type ClaimWithExtras, type Report } from 'preclaim';
import initPhoto, { assessImageData, type PhotoOptions } from 'preclaim/photo';
import initCatalog, { Catalog, type CatalogHit } from 'preclaim/catalog';
import initFinder, { Finder, type FinderInput, type Plan } from 'preclaim/finder';
import initCompiler, { compilePacks, compile, type Rule } from 'preclaim/compiler';

const claim = {
  schema: 'preclaim/claim@1',
  benefit: 'outpatient',
  cause: 'accident',
  event: { date: '2025-04-12', diagnoses: [{ icd10: 'S62.1', primary: true }] },
  policy: { product: 'P-ACC', effective_on: '2025-01-01', sum_insured: '5000.00' },
  invoices: [{ visit: 'outpatient', total: 300, items: [{ class: 'A', amount: '300.00' }] }],
} satisfies Claim;

// @ts-expect-error: `benfit` is not a claim@1 field (Claim is exact)
const misspelt = { benfit: 'outpatient' } satisfies Claim;
// @ts-expect-error: nested keys are exact too
const nested: Claim = { policy: { efective_on: '2025-01-01' } };
// Newer (or an app's own) fields: ClaimWithExtras allows them and still checks the claim@1 ones.
const extras: ClaimWithExtras = { benefit: 'inpatient', channel: 'app' };
// @ts-expect-error: the claim@1 fields keep their types in ClaimWithExtras
const badExtras: ClaimWithExtras = { benefit: 'dental', channel: 'app' };

async function run(bytes: Uint8Array): Promise<void> {
  await init(bytes);
  initSync(new ArrayBuffer(8));
  await init('/preclaim_bg.wasm');
  const checker = new Checker();
  const report: Report = checker.check(claim);
  checker.check(extras);
  const session = checker.session(claim);
  session
    .set('policy.effective_on', '2025-02-01')
    .set('policy.expires_on', new Date(2025, 11, 31))
    .set('invoices[0].items[1].amount', 12.5)
    .set('documents[2]', { type: 'D05', file: 'receipt.jpg' })
    .set('stay', undefined);
  // @ts-expect-error: not a claim@1 path
  session.set('policy.efective_on', '2025-02-01');
  // @ts-expect-error: a benefit is one of a closed list
  session.set('benefit', 'dental');
  // @ts-expect-error: a count is a number
  session.set('documents[0].pages', '2');
  // A newer field: cast the path.
  session.set('channel' as ClaimPath, 'app');
  const again: ClaimWithExtras = session.claim();
  await initPhoto(bytes);
  const options: PhotoOptions = { docType: 'D05' };
  const quality = assessImageData({ data: new Uint8Array(16), width: 2, height: 2 }, options);
  session.set('documents[0].quality', quality);
  await initCatalog('/assets/preclaim_catalog_bg.wasm');
  const icd = Catalog.load(bytes);
  const hits: CatalogHit[] = icd.search('C50');
  checker.attachCatalog(icd).attachCatalog(bytes);
  void hits;
  void [report.status, again, misspelt, nested, badExtras];
}

void run;

// The claim finder's entry compiles with ES2022 alone too.
async function plan(input: FinderInput): Promise<Plan> {
  await initFinder();
  return new Finder().find(input, { locale: 'en' });
}
void plan;

// The compiler's entry too: JSON packs to their compiled form, for the core's fromCompiled.
async function ownPacks(packs: object[]): Promise<Checker> {
  await initCompiler();
  const compiled: Uint8Array[] = compilePacks(packs, { requireSignature: false });
  const rule: Rule = compile({ '+': [1, 2] });
  void rule;
  return Checker.fromCompiled(compiled);
}
void ownPacks;
