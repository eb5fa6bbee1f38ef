// Copies htmx and Leaflet (script, stylesheet and its marker images) from node_modules into
// static/vendor (no CDN). Runs before start and test; writes
// nothing when the copy is already there, so that a deployed app started by its systemd unit
// (read-only file system, docs/deploy/systemd) starts.
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const vendor = path.join(root, 'static', 'vendor');
const leaflet = path.dirname(require.resolve('leaflet/dist/leaflet.js'));
const copies = [
  [require.resolve('htmx.org/dist/htmx.min.js'), path.join(vendor, 'htmx.min.js')],
  ...['leaflet.js', 'leaflet.css', ...readdirSync(path.join(leaflet, 'images')).map((name) => `images/${name}`)].map((name) => [
    path.join(leaflet, name),
    path.join(vendor, 'leaflet', name),
  ]),
];

function readOrNull(file) {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

for (const [source, target] of copies) {
  if (!readOrNull(target)?.equals(readFileSync(source))) {
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
}
