// The medical catalogs of the portal, loaded after the first report so they never delay it:
// the diagnosis catalog is the WHO ICD-10 list (/catalogs/icd10-who.bin, built by scripts/build-catalogs.sh
// when PyPI could be reached), else the 48-code sample (/catalogs/diagnosis-sample.bin), else none (the
// diagnosis field stays a plain text field); the item catalog is /catalogs/drugs-sample.bin when present.
// A missing or unreadable catalog is never an error for the customer: the console says so (console.info).

import initCatalog, { Catalog } from '/pkg/catalog.js';

export const DIAGNOSIS_URLS = ['/catalogs/icd10-who.bin', '/catalogs/diagnosis-sample.bin'];
export const ITEM_URLS = ['/catalogs/drugs-sample.bin'];

/** The first of `urls` that loads as a catalog of `kind`: { catalog, url } or null. */
async function first(urls, kind) {
  for (const url of urls) {
    try {
      const res = await fetch(url);
      if (!res.ok) {
        console.info(`preclaim portal: ${url} is not there (HTTP ${res.status})`);
        continue;
      }
      const catalog = Catalog.load(new Uint8Array(await res.arrayBuffer()));
      if (catalog.info().kind !== kind) {
        console.info(`preclaim portal: ${url} is not a ${kind} catalog`);
        catalog.free();
        continue;
      }
      return { catalog, url };
    } catch (err) {
      console.info(`preclaim portal: ${url} could not be loaded: ${err?.message ?? err}`);
    }
  }
  console.info(`preclaim portal: no ${kind} catalog; the form works without it`);
  return null;
}

/** Loads the catalog module (preclaim/catalog: its own WebAssembly, fetched only now, after the first
 * report) and fetches both catalogs in parallel. */
export async function loadCatalogs() {
  try {
    await initCatalog();
  } catch (err) {
    console.info(`preclaim portal: the catalog module could not be loaded: ${err?.message ?? err}`);
    return { diagnosis: null, item: null };
  }
  const [diagnosis, item] = await Promise.all([first(DIAGNOSIS_URLS, 'diagnosis'), first(ITEM_URLS, 'item')]);
  return { diagnosis, item };
}

/** The name of a catalog file without its folder and extension ("icd10-who"). */
export function catalogName(url) {
  return url.replace(/^.*\//, '').replace(/\.bin$/, '');
}
