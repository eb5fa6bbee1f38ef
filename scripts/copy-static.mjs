// Copies htmx from node_modules into static/vendor (no CDN). Runs before start and test; writes
// nothing when the copy is already there, so that a deployed app started by its systemd unit
// (read-only file system, docs/deploy/systemd) starts.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const source = require.resolve('htmx.org/dist/htmx.min.js');
const target = path.join(root, 'static', 'vendor', 'htmx.min.js');

function readOrNull(file) {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

if (!readOrNull(target)?.equals(readFileSync(source))) {
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
}
