// Files the app reads beside its code (views, static, migrations) are found from the project's
// root, the nearest folder up with a package.json: the same from server/<feature>/*.ts run by tsx
// as from the compiled dist/main.js (scripts/build.mjs).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Aucun package.json au-dessus de ${from}.`);
  }
}

const root = findRoot(path.dirname(fileURLToPath(import.meta.url)));

export function projectPath(...parts: string[]): string {
  return path.join(root, ...parts);
}
