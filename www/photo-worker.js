// Module Web Worker for the photo pre-checks (see photo.js): loads the package once and assesses each file
// posted to it off the main thread (preclaim/photo: its own WebAssembly, fetched by this worker only). Used only when the package has the photo check (issue 6).

import init, * as preclaim from '/pkg/photo.js';

const ready = init();

self.addEventListener('message', async (e) => {
  const { id, file, docType, locale, exportName } = e.data;
  try {
    await ready;
    const assess = preclaim[exportName];
    if (typeof assess !== 'function') throw new Error(`the package has no ${exportName}`);
    const quality = await assess(file, { docType, locale });
    self.postMessage({ id, quality });
  } catch (err) {
    self.postMessage({ id, error: String(err?.message ?? err) });
  }
});
