// The catalogue check (`npm run check:catalogues`, and test/i18n/catalogues.test.ts in CI): every
// key the code uses exists in every language of server/i18n/catalogues, no catalogue holds a key
// nothing uses, and a message has the same {{placeholders}} in every language.
//
// A key is used when `t('ns:key'`, `tHtml('ns:key'` (also `it.t(…)`) appears in server/ or
// views/. A key built from a template (`t(\`vocabulary:category.${c}\`)`) uses every key under its
// fixed start. A used key `k` also uses its plural forms `k_one`, `k_other`…
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function files(dir, suffixes) {
  return readdirSync(path.join(root, dir), { recursive: true })
    .map(String)
    .filter((name) => suffixes.some((s) => name.endsWith(s)))
    .map((name) => path.join(root, dir, name));
}

/** `{ a: { b: 'x' } }` → Map { 'a.b' → 'x' } */
function flatten(object, prefix = '', into = new Map()) {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') flatten(value, name, into);
    else into.set(name, String(value));
  }
  return into;
}

/** Language code → Map of « ns:key » → message. */
export function readCatalogues(folder = path.join(root, 'server', 'i18n', 'catalogues')) {
  const languages = new Map();
  for (const code of readdirSync(folder).sort()) {
    const messages = new Map();
    for (const file of readdirSync(path.join(folder, code)).filter((f) => f.endsWith('.json'))) {
      const ns = file.slice(0, -5);
      if (ns === 'language') continue; // the language's own description, read by the code whole
      for (const [key, value] of flatten(JSON.parse(readFileSync(path.join(folder, code, file), 'utf8')))) messages.set(`${ns}:${key}`, value);
    }
    languages.set(code, messages);
  }
  return languages;
}

/** The keys the code uses: exact ones, and the fixed starts of keys built at run time. */
export function usedKeys() {
  const exact = new Set();
  const prefixes = new Set();
  const call = /\b(?:t|tHtml)\(\s*(['"`])([a-zA-Z][\w-]*:[^'"`]*?)(\$\{|\1)/g;
  for (const file of [...files('server', ['.ts']), ...files('views', ['.eta'])]) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(call)) {
      if (match[3] === '${') prefixes.add(match[2]);
      else exact.add(match[2]);
    }
  }
  return { exact, prefixes };
}

const placeholders = (message) => new Set([...message.matchAll(/\{\{\s*-?\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]));
const same = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));

export function checkCatalogues() {
  const catalogues = readCatalogues();
  const { exact, prefixes } = usedKeys();
  const problems = [];
  const source = catalogues.get('fr');
  const base = (key) => key.replace(PLURAL, '');
  const isUsed = (key) => exact.has(key) || exact.has(base(key)) || [...prefixes].some((p) => key.startsWith(p));

  for (const key of exact) {
    for (const [code, messages] of catalogues) {
      if (!messages.has(key) && !['one', 'other'].every((form) => messages.has(`${key}_${form}`) || (code === 'fr' ? false : messages.has(`${key}_other`)))) {
        problems.push(`${code}: la clé « ${key} » est utilisée par le code mais absente.`);
      }
    }
  }
  for (const prefix of prefixes) {
    if (![...source.keys()].some((key) => key.startsWith(prefix))) problems.push(`fr: aucune clé ne commence par « ${prefix} » (clé construite par le code).`);
  }
  for (const [code, messages] of catalogues) {
    for (const [key, message] of messages) {
      if (!isUsed(key)) problems.push(`${code}: la clé « ${key} » n'est utilisée nulle part.`);
      if (code === 'fr') continue;
      const reference = source.get(key) ?? source.get(`${base(key)}_other`);
      if (reference === undefined) {
        problems.push(`${code}: la clé « ${key} » n'existe pas en français.`);
        continue;
      }
      const mine = placeholders(message);
      const theirs = placeholders(reference);
      // A singular may leave out its count (« one event »).
      mine.delete('count');
      theirs.delete('count');
      if (!same(mine, theirs)) problems.push(`${code}: « ${key} » a les paramètres {${[...mine].join(', ')}} au lieu de {${[...theirs].join(', ')}}.`);
    }
    for (const key of source.keys()) {
      const covered = messages.has(key) || (PLURAL.test(key) && messages.has(`${base(key)}_other`));
      if (!covered) problems.push(`${code}: la clé « ${key} » manque (elle existe en français).`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkCatalogues();
  for (const problem of problems) console.error(problem);
  console.log(problems.length === 0 ? 'Catalogues : tout est en ordre.' : `Catalogues : ${problems.length} problème(s).`);
  process.exit(problems.length === 0 ? 0 : 1);
}
