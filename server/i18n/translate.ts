// The language of what is being written, and `t` to write it. A request's language (its URL
// prefix) is held for the whole request by the language plugin; mails, SMS and feeds made outside
// a request run inside `inLanguage(code, …)`. Code that writes words for people calls `t` and
// never passes a language around, so services, templates and the vocabulary stay as they were.
// See docs/decisions/0019-languages.md.
import { AsyncLocalStorage } from 'node:async_hooks';
import i18next, { type TFunction, type i18n } from 'i18next';
import { BUILT_IN_CATALOGUES, SOURCE_LANGUAGE, loadCatalogues, type Catalogues, type LanguageInfo } from './catalogues.ts';

interface Registry {
  folders: string;
  catalogues: Catalogues;
  byCode: Map<string, LanguageInfo>;
  instance: i18n;
  fixed: Map<string, TFunction>;
}

let registry: Registry | null = null;

/** What tHtml escapes in values: markup only (i18next's own escape also rewrites « / », breaking addresses). */
function escapeMarkup(value: string): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function build(folders: string[]): Registry {
  const catalogues = loadCatalogues(folders);
  const instance = i18next.createInstance();
  instance.init({
    resources: catalogues.resources,
    lng: SOURCE_LANGUAGE,
    fallbackLng: SOURCE_LANGUAGE,
    supportedLngs: catalogues.languages.map((l) => l.code),
    ns: Object.keys(catalogues.resources[SOURCE_LANGUAGE]!),
    defaultNS: 'common',
    // Escaping is the template's job (Eta's `<%= %>`); mails in text and SMS need raw words.
    interpolation: { escapeValue: false, escape: escapeMarkup },
    initAsync: false,
    returnNull: false,
    returnEmptyString: false,
  });
  return { folders: folders.join('\n'), catalogues, byCode: new Map(catalogues.languages.map((l) => [l.code, l])), instance, fixed: new Map() };
}

/**
 * The languages of the built-in catalogues plus those of `extraFolder` (CATALOGUES_EXTRA_DIR).
 * The app and the worker call it once at start; anything else gets the built-in ones.
 */
export function useCatalogues(extraFolder?: string | null): LanguageInfo[] {
  const folders = [BUILT_IN_CATALOGUES, ...(extraFolder ? [extraFolder] : [])];
  if (!registry || registry.folders !== folders.join('\n')) registry = build(folders);
  return registry.catalogues.languages;
}

function current(): Registry {
  return registry ?? (registry = build([BUILT_IN_CATALOGUES]));
}

export function languages(): LanguageInfo[] {
  return current().catalogues.languages;
}

export function findLanguage(code: string): LanguageInfo | undefined {
  return current().byCode.get(code);
}

export function sourceLanguage(): LanguageInfo {
  return current().byCode.get(SOURCE_LANGUAGE)!;
}

const storage = new AsyncLocalStorage<LanguageInfo>();

/** The language being written now: the request's, the one of `inLanguage`, else French. */
export function currentLanguage(): LanguageInfo {
  return storage.getStore() ?? sourceLanguage();
}

/** Runs `work` in the language `code` (French when it is unknown, e.g. a catalogue removed since). */
export function inLanguage<T>(code: string | null | undefined, work: () => T): T {
  return storage.run(findLanguage(code ?? SOURCE_LANGUAGE) ?? sourceLanguage(), work);
}

function fixedT(code: string): TFunction {
  const r = current();
  let f = r.fixed.get(code);
  if (!f) {
    f = r.instance.getFixedT(code);
    r.fixed.set(code, f);
  }
  return f;
}

export type Values = Record<string, string | number | null | undefined>;

/** The message `namespace:key` in the current language, with its `{{placeholders}}` filled (and `count` choosing the plural). */
export function t(key: string, values?: Values): string {
  return fixedT(currentLanguage().code)(key, values as Record<string, unknown>) as string;
}

/**
 * A message whose catalogue text holds markup (a link in a sentence), for `<%~ %>`: the
 * catalogue is trusted, the values are escaped.
 */
export function tHtml(key: string, values?: Values): string {
  return fixedT(currentLanguage().code)(key, { ...(values as Record<string, unknown>), interpolation: { escapeValue: true } }) as string;
}

/** Whether the current language's catalogue (or French) has this key: for optional wordings. */
export function hasMessage(key: string): boolean {
  return current().instance.exists(key, { lng: currentLanguage().code });
}

/** The site path `path` (« /programme?jour=… ») in the language `code`: French has no prefix, others « /en/… ». */
export function pathIn(code: string, path: string): string {
  if (code === SOURCE_LANGUAGE) return path;
  return path === '/' ? `/${code}/` : `/${code}${path}`;
}

/** `path` in the current language. */
export function localPath(path: string): string {
  return pathIn(currentLanguage().code, path);
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** « 1 234 » in French, « 1,234 » in English. */
export function formatNumber(value: number): string {
  const { locale } = currentLanguage();
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format.format(value);
}

/**
 * Labels of a vocabulary, read in the current language from `prefix.<value>` of the vocabulary
 * catalogue: an object used as a plain record (`CATEGORY_LABELS[c]`, `Object.entries(…)`) whose
 * values follow the language of the moment.
 */
export function translatedLabels<K extends string>(prefix: string, values: readonly K[]): Record<K, string> {
  const labels = {} as Record<K, string>;
  for (const value of values) {
    Object.defineProperty(labels, value, { enumerable: true, get: () => t(`vocabulary:${prefix}.${value}`) });
  }
  return Object.freeze(labels);
}
