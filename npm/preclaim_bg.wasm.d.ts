// `preclaim/preclaim_bg.wasm` is the WebAssembly file itself: an asset whose URL or bytes you hand to
// `init()` (`init(new URL(...))`, `initSync(bytes)`), not a JavaScript module, so it exports nothing to
// import. Get its URL with your bundler's asset import (Vite: `import url from
// 'preclaim/preclaim_bg.wasm?url'`) or, in Node, `import.meta.resolve('preclaim/preclaim_bg.wasm')`.
export {};
