// A module Web Worker that checks claims off the main thread. The pattern that works in every bundler and
// in dev: set onmessage at once (a message posted while the WebAssembly loads is not lost) and start
// loading without top-level await (which a worker built as "iife" cannot have).
import init, { Checker, type Claim } from 'preclaim';

const ready = init().then(() => new Checker()); // one Checker for the worker's lifetime

self.onmessage = async (e: MessageEvent<Claim>) => {
  const checker = await ready;
  self.postMessage(checker.check(e.data, { locale: 'en' }));
};
