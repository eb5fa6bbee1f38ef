// Some packages cost a lot to load and serve one rare path (PDFKit: half a second; mailparser:
// 0.8 s and 30 MiB): a process that never takes that path never loads them (issue 18: first
// start, memory). They are CommonJS packages, so a synchronous require keeps their callers synchronous.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A getter for `specifier`'s exports, loaded on the getter's first call. */
export function loadOnFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
