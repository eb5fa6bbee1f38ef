// Languages: catalogues, the current language, `t`. See docs/decisions/0019-languages.md.
export { SOURCE_LANGUAGE, BUILT_IN_CATALOGUES, loadCatalogues, type LanguageInfo, type Catalogues } from './catalogues.ts';
export {
  useCatalogues,
  languages,
  findLanguage,
  sourceLanguage,
  currentLanguage,
  inLanguage,
  t,
  tHtml,
  hasMessage,
  pathIn,
  localPath,
  formatNumber,
  translatedLabels,
  type Values,
} from './translate.ts';
