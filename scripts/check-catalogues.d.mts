// Types of check-catalogues.mjs for the test that runs it.
export function readCatalogues(folder?: string): Map<string, Map<string, string>>;
export function usedKeys(): { exact: Set<string>; prefixes: Set<string> };
export function checkCatalogues(): string[];
