// An event's own words in the language of the moment: the organiser's translation when they wrote
// one, else their French. `language` says which, so that a page in English marks French text
// with lang="fr" (a screen reader then reads it with a French voice).
import { SOURCE_LANGUAGE, currentLanguage } from '../i18n/index.ts';

/** The organiser's title and summary in other languages, by language code ({ en: { title, summary } }). */
export type EventTranslations = Record<string, { title: string; summary: string }>;

export interface EventText {
  title: string;
  /** The language `title` is written in. */
  titleLanguage: string;
  summary: string;
  summaryLanguage: string;
}

export function eventText(e: { title: string; summary: string; translations?: EventTranslations | null }): EventText {
  const { code } = currentLanguage();
  const own = code === SOURCE_LANGUAGE ? undefined : e.translations?.[code];
  return {
    title: own?.title || e.title,
    titleLanguage: own?.title ? code : SOURCE_LANGUAGE,
    summary: own?.summary || e.summary,
    summaryLanguage: own?.summary ? code : SOURCE_LANGUAGE,
  };
}
