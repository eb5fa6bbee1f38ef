// What the events pages show, built from the queries' rows: the choices of the forms, an edition
// with its days spelt out, and an event with what surrounds it.
import {
  ACCESS_FEATURES,
  ACCESS_FEATURE_INFO,
  AUDIENCES,
  AUDIENCE_LABELS,
  CATEGORY_LABELS,
  EVENT_CATEGORIES,
  EVENT_STATE_LABELS,
  VENUE_FACTS,
  VENUE_FACT_LABELS,
} from '../domain/vocabulary.ts';
import { findLanguage, t } from '../i18n/index.ts';
import { formatCalendarDay } from '../lib/time.ts';
import type { EventContext } from './queries.ts';
import { editionDates, isOutsideEdition } from './rules.ts';
import { venueFacts } from './venues.ts';

/** The choices of the event and venue forms, in the page's language. */
export function formOptions() {
  return {
    category: [{ value: '', label: t('events:form.categoryChoose') }, ...EVENT_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))],
    audience: AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] })),
    access: ACCESS_FEATURES.map((a) => ({ value: a, label: ACCESS_FEATURE_INFO[a].label })),
    venueFacts: VENUE_FACTS.map((f) => ({ value: f, label: VENUE_FACT_LABELS[f] })),
  };
}

/** An edition with its first and last days as people read them (« du … au … » as `datesLabel`). */
export function editionView<E extends { firstDay: string; lastDay: string }>(edition: E) {
  return { ...edition, firstDayLabel: formatCalendarDay(edition.firstDay), lastDayLabel: formatCalendarDay(edition.lastDay), datesLabel: editionDates(edition) };
}

/** The organiser's title and summary in other languages, for the event's pages (languages the site still has). */
export function translationsView(translations: EventContext['event']['translations'] | null | undefined) {
  return Object.entries(translations ?? {}).flatMap(([code, text]) => {
    const language = findLanguage(code);
    return language && (text.title || text.summary) ? [{ language, title: text.title, summary: text.summary }] : [];
  });
}

/** What the event pages show about an event, whoever looks. */
export function eventView(ctx: EventContext) {
  const zone = ctx.territory.timeZone;
  return {
    event: ctx.event,
    zone,
    stateLabel: EVENT_STATE_LABELS[ctx.event.state],
    organisation: ctx.organisation,
    territory: ctx.territory,
    edition: editionView(ctx.edition),
    venue: ctx.venue,
    venueFacts: ctx.venue ? venueFacts(ctx.venue).map((f) => VENUE_FACT_LABELS[f]) : [],
    outsideEdition: isOutsideEdition(ctx.event.startsAt, ctx.event.endsAt, ctx.edition, zone),
    eventTranslations: translationsView(ctx.event.translations),
  };
}
