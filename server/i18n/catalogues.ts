// The message catalogues: one folder per language under server/i18n/catalogues (and under the
// extra folder of CATALOGUES_EXTRA_DIR, for a language a territory adds without touching the
// code), one JSON file per namespace in it. Adding a folder adds a language: its `language.json`
// names it and gives its writing direction; a key it lacks falls back to French, the source.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../lib/project-path.ts';

export const SOURCE_LANGUAGE = 'fr';
export const BUILT_IN_CATALOGUES = projectPath('server', 'i18n', 'catalogues');

export interface LanguageInfo {
  /** The language's code, as in the URL prefix and `lang` (« en »). */
  code: string;
  /** Its own name, as the language switch shows it (« English »). */
  name: string;
  dir: 'ltr' | 'rtl';
  /** The Intl / Luxon locale for dates and numbers (« en-GB »). */
  locale: string;
}

export type Namespace = Record<string, unknown>;
export type Catalogue = Record<string, Namespace>;

export interface Catalogues {
  languages: LanguageInfo[];
  /** Language code → namespace → nested messages. */
  resources: Record<string, Catalogue>;
}

function readLanguage(folder: string, code: string): { info: LanguageInfo; catalogue: Catalogue } {
  const catalogue: Catalogue = {};
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.json')).sort()) {
    catalogue[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Namespace;
  }
  const meta = catalogue.language as Partial<LanguageInfo> | undefined;
  if (!meta || typeof meta.name !== 'string' || typeof meta.locale !== 'string' || (meta.dir !== 'ltr' && meta.dir !== 'rtl')) {
    throw new Error(`${folder}/language.json must give name, locale and dir (ltr or rtl).`);
  }
  return { info: { code, name: meta.name, dir: meta.dir, locale: meta.locale }, catalogue };
}

/** Every language of these folders, French first, then in code order. */
export function loadCatalogues(folders: readonly string[]): Catalogues {
  const found = new Map<string, { info: LanguageInfo; catalogue: Catalogue }>();
  for (const root of folders) {
    if (!existsSync(root)) throw new Error(`Le dossier de catalogues ${root} n'existe pas.`);
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(entry.name)) continue;
      found.set(entry.name, readLanguage(path.join(root, entry.name), entry.name));
    }
  }
  if (!found.has(SOURCE_LANGUAGE)) throw new Error(`The French catalogue (${SOURCE_LANGUAGE}) is missing.`);
  const codes = [...found.keys()].sort((a, b) => (a === SOURCE_LANGUAGE ? -1 : b === SOURCE_LANGUAGE ? 1 : a.localeCompare(b)));
  return {
    languages: codes.map((code) => found.get(code)!.info),
    resources: Object.fromEntries(codes.map((code) => [code, found.get(code)!.catalogue])),
  };
}
