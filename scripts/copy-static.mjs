// Copies htmx from node_modules into static/vendor (no CDN). Runs before start and test.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const source = require.resolve('htmx.org/dist/htmx.min.js');
const target = path.join(root, 'static', 'vendor', 'htmx.min.js');
mkdirSync(path.dirname(target), { recursive: true });
copyFileSync(source, target);
