// Form parsing for events: raw strings in, typed values or error messages out (one per field, in
// the order of the form, in the page's language), and the raw strings kept to refill the form.
// The organiser's title and summary in other languages come as `translations.<code>.title` and
// `translations.<code>.summary`, one pair per language of the site other than French.
import { ACCESS_FEATURES, AUDIENCES, EVENT_CATEGORIES, type AccessFeature, type Audience, type EventCategory } from '../domain/vocabulary.ts';
import type { EventTranslations } from '../domain/event-text.ts';
import { SOURCE_LANGUAGE, languages, t, type LanguageInfo } from '../i18n/index.ts';
import { toLocalParts } from '../lib/time.ts';
import type { FieldError } from '../plugins/views.ts';
import type { EditionDays } from '../domain/editions.ts';
import { editionForEvent, endOfLocalDay, isDefaultAccessDeadline, isOutsideEdition, noEditionForDateMessage, startOfLocalDay, type EditionChoice, type EventFields } from './rules.ts';
import { noPlaceMessage, timingProblems, type VenueChoice } from './editing.ts';
import { list, normaliseDay, normaliseTime, str, textField, type Body } from './form-fields.ts';
import { localInstant, offsetChoices, optionalDay, type OffsetChoice } from './local-time-fields.ts';
import { parseVenueFields, venueFormValues, type VenueFormValues } from './venue-schemas.ts';

export interface EventFormValues extends VenueFormValues {
  title: string;
  summary: string;
  description: string;
  easyReadSummary: string;
  category: string;
  audience: string;
  date: string;
  startTime: string;
  endDate: string;
  endTime: string;
  /** UTC offset in minutes chosen for a time repeated by the autumn DST change. */
  startOffset: string;
  endOffset: string;
  /** '' (not chosen), 'new', 'none' (online only), or a venue id. */
  venueId: string;
  onlineUrl: string;
  capacity: string;
  freeEntry: boolean;
  registrationOpens: string;
  registrationCloses: string;
  accessDeadline: string;
  access: string[];
  contentNote: string;
  /** The organiser's title and summary in each other language, as typed ('' when none). */
  translations: Record<string, { title: string; summary: string }>;
}

/** The languages an organiser may write a title and summary in: every one of the site but French. */
export function translationLanguages(): LanguageInfo[] {
  return languages().filter((l) => l.code !== SOURCE_LANGUAGE);
}

/** The form's names and ids of a translated text: `translations.en.title`, its id `translations-en-title`. */
export const translationField = (code: string, part: 'title' | 'summary') => ({ name: `translations.${code}.${part}`, id: `translations-${code}-${part}` });

function translationValues(body: Body): EventFormValues['translations'] {
  return Object.fromEntries(
    translationLanguages().map((l) => [l.code, { title: str(body, translationField(l.code, 'title').name), summary: str(body, translationField(l.code, 'summary').name) }]),
  );
}

/** The stored translations as the form shows them: every language, empty where none. */
function translationsToForm(stored: EventTranslations | null | undefined): EventFormValues['translations'] {
  return Object.fromEntries(translationLanguages().map((l) => [l.code, { title: stored?.[l.code]?.title ?? '', summary: stored?.[l.code]?.summary ?? '' }]));
}

export function eventFormValues(body: Body): EventFormValues {
  return {
    ...venueFormValues(body),
    title: str(body, 'title'),
    summary: str(body, 'summary'),
    description: str(body, 'description'),
    easyReadSummary: str(body, 'easyReadSummary'),
    category: str(body, 'category'),
    audience: str(body, 'audience'),
    date: str(body, 'date'),
    startTime: str(body, 'startTime'),
    endDate: str(body, 'endDate'),
    endTime: str(body, 'endTime'),
    startOffset: str(body, 'startOffset'),
    endOffset: str(body, 'endOffset'),
    venueId: str(body, 'venueId'),
    onlineUrl: str(body, 'onlineUrl'),
    capacity: str(body, 'capacity'),
    freeEntry: str(body, 'freeEntry') !== '',
    registrationOpens: str(body, 'registrationOpens'),
    registrationCloses: str(body, 'registrationCloses'),
    accessDeadline: str(body, 'accessDeadline'),
    access: list(body, 'access'),
    contentNote: str(body, 'contentNote'),
    translations: translationValues(body),
  };
}

/** An empty form, with the defaults a new proposal starts from. */
export function emptyEventForm(): EventFormValues {
  return { ...eventFormValues({}), audience: 'tout_public' };
}

/** The form as it was saved, to edit it. */
export function eventToFormValues(e: EventFields & { venueId: number | null }, zone: string): EventFormValues {
  const start = toLocalParts(e.startsAt, zone);
  const end = toLocalParts(e.endsAt, zone);
  const day = (d: Date | null) => (d ? toLocalParts(d, zone).day : '');
  return {
    ...venueFormValues({}),
    title: e.title,
    summary: e.summary,
    description: e.description,
    easyReadSummary: e.easyReadSummary ?? '',
    category: e.category,
    audience: e.audience,
    date: start.day,
    startTime: start.time,
    endDate: end.day === start.day ? '' : end.day,
    endTime: end.time,
    startOffset: String(start.offset),
    endOffset: String(end.offset),
    venueId: e.venueId === null ? 'none' : String(e.venueId),
    onlineUrl: e.onlineUrl ?? '',
    capacity: e.capacity === null ? '' : String(e.capacity),
    freeEntry: e.capacity === null,
    registrationOpens: day(e.registrationOpensAt),
    registrationCloses: day(e.registrationClosesAt),
    // The computed default is shown as « left empty », as it was entered: it then follows the event when it moves.
    accessDeadline: isDefaultAccessDeadline(e, zone) ? '' : day(e.accessRequestDeadline),
    access: [...e.accessibilityOffered],
    contentNote: e.contentNote ?? '',
    translations: translationsToForm(e.translations),
  };
}

/**
 * The form of a new proposal copied from an existing event (this year's or an earlier one's):
 * everything it says, at the same hours, but its days left to choose (the event, the
 * registration window, the deadline for access requests follow from them).
 */
export function copiedFormValues(e: EventFields & { venueId: number | null }, zone: string): EventFormValues {
  return { ...eventToFormValues(e, zone), date: '', endDate: '', startOffset: '', endOffset: '', registrationOpens: '', registrationCloses: '', accessDeadline: '' };
}

export interface EventFormContext {
  zone: string;
  /** The editions the dates may place the event in. */
  editions: EditionChoice;
  /** Venues the organisation may choose (its own and the territory's shared ones). */
  venueIds: number[];
  /** The territory's communes, one of which a new venue names (none: free text). */
  communes: readonly string[];
}

export interface EventFormResult {
  values: EventFormValues;
  errors: FieldError[];
  /** Present when there is no error. */
  fields?: EventFields;
  venue?: VenueChoice;
  /** Radio choices for a start or end time repeated by the DST change. */
  choices: { start: OffsetChoice[]; end: OffsetChoice[] };
  /** The edition of the dates, when they have one. */
  edition?: EditionDays;
  /** The dates fall outside that edition's days: saved with a notice, the coordinator must agree. */
  outsideEdition: boolean;
}

/** The longest title and summary, in French and in every other language. */
const TITLE_MAX = 150;
const SUMMARY_MAX = 400;

/** Beyond this a capacity is a typo; a bigger event is free entry. */
const MAX_CAPACITY = 100_000;

export function parseEventForm(body: Body, ctx: EventFormContext): EventFormResult {
  const values = eventFormValues(body);
  const errors: FieldError[] = [];
  const choices = { start: offsetChoices(values.date, values.startTime, ctx.zone), end: offsetChoices(values.endDate || values.date, values.endTime, ctx.zone) };

  const title = textField(errors, body, 'title', { required: t('events:errors.titleRequired'), max: TITLE_MAX, label: t('events:errors.titleName') });
  const summary = textField(errors, body, 'summary', { required: t('events:errors.summaryRequired'), max: SUMMARY_MAX, label: t('events:errors.summaryName') });
  const description = textField(errors, body, 'description', { max: 10_000, label: t('events:errors.descriptionName') });
  const easyReadSummary = textField(errors, body, 'easyReadSummary', { max: 1_000, label: t('events:errors.easyReadName') });
  if (!(EVENT_CATEGORIES as readonly string[]).includes(values.category)) errors.push({ field: 'category', message: t('events:errors.category') });
  if (!(AUDIENCES as readonly string[]).includes(values.audience)) errors.push({ field: 'audience', message: t('events:errors.audience') });
  const translations = parseTranslations(errors, body);

  // Date and times, in the territory's zone.
  let day: string | null = null;
  if (!values.date) errors.push({ field: 'date', message: t('events:errors.dateRequired') });
  else if (!(day = normaliseDay(values.date))) errors.push({ field: 'date', message: t('events:errors.dateInvalid') });
  const startTime = values.startTime ? normaliseTime(values.startTime) : null;
  if (!values.startTime) errors.push({ field: 'startTime', message: t('events:errors.startTimeRequired') });
  else if (!startTime) errors.push({ field: 'startTime', message: t('events:errors.startTimeInvalid') });
  let endDay = values.endDate ? optionalDay(errors, 'endDate', values.endDate, t('events:errors.endDateName')) : day;
  if (day && endDay && endDay < day) {
    errors.push({ field: 'endDate', message: t('events:errors.endDateBeforeStart') });
    endDay = null; // one error for one mistake: the end time is not also "before the start"
  }
  const endTime = values.endTime ? normaliseTime(values.endTime) : null;
  if (!values.endTime) errors.push({ field: 'endTime', message: t('events:errors.endTimeRequired') });
  else if (!endTime) errors.push({ field: 'endTime', message: t('events:errors.endTimeInvalid') });
  const startsAt = localInstant(errors, { time: 'startTime', offset: 'startOffset' }, day, startTime, values.startOffset, ctx.zone, 'start');
  const endsAt = localInstant(errors, { time: 'endTime', offset: 'endOffset' }, endDay, endTime, values.endOffset, ctx.zone, 'end');

  // Place: a venue of the organisation, a new one described here, or online only.
  let venue: VenueChoice | undefined;
  if (values.venueId === 'new') {
    const venueErrors: FieldError[] = [];
    const fields = parseVenueFields(body, venueErrors, ctx.communes);
    errors.push(...venueErrors);
    venue = { kind: 'new', fields };
  } else if (values.venueId === 'none') {
    venue = { kind: 'none' };
  } else if (/^\d+$/.test(values.venueId) && ctx.venueIds.includes(Number(values.venueId))) {
    venue = { kind: 'existing', venueId: Number(values.venueId) };
  } else if (values.venueId === '') {
    errors.push({ field: 'venueId', message: t('events:errors.venueRequired') });
  } else {
    errors.push({ field: 'venueId', message: t('events:errors.venueNotOurs') });
  }

  let onlineUrl: string | null = null;
  if (values.onlineUrl) {
    try {
      const url = new URL(values.onlineUrl);
      if (!['http:', 'https:'].includes(url.protocol) || !url.hostname.includes('.')) throw new Error('not a web address');
      if (values.onlineUrl.length > 500) throw new Error('too long');
      onlineUrl = url.toString();
    } catch {
      errors.push({ field: 'onlineUrl', message: t('events:errors.onlineUrlInvalid') });
    }
  } else if (venue?.kind === 'none') {
    errors.push({ field: 'onlineUrl', message: noPlaceMessage() });
  }

  // Capacity, or free entry.
  let capacity: number | null = null;
  if (values.freeEntry && values.capacity) errors.push({ field: 'capacity', message: t('events:errors.capacityAndFreeEntry') });
  else if (!values.freeEntry && !values.capacity) errors.push({ field: 'capacity', message: t('events:errors.capacityRequired') });
  else if (values.capacity) {
    if (!/^\d+$/.test(values.capacity) || Number(values.capacity) < 1) errors.push({ field: 'capacity', message: t('events:errors.capacityInvalid') });
    else if (Number(values.capacity) > MAX_CAPACITY) errors.push({ field: 'capacity', message: t('events:errors.capacityTooBig') });
    else capacity = Number(values.capacity);
  }

  // Registration window and access-request deadline: whole days, the last one included.
  const opensDay = optionalDay(errors, 'registrationOpens', values.registrationOpens, t('events:errors.registrationOpensName'));
  const closesDay = optionalDay(errors, 'registrationCloses', values.registrationCloses, t('events:errors.registrationClosesName'));
  const deadlineDay = optionalDay(errors, 'accessDeadline', values.accessDeadline, t('events:errors.accessDeadlineName'));
  const registrationOpensAt = opensDay ? startOfLocalDay(opensDay, ctx.zone) : null;
  let registrationClosesAt = closesDay ? endOfLocalDay(closesDay, ctx.zone) : null;
  // Closing "on the day of the event" means: until it ends.
  if (registrationClosesAt && endsAt && registrationClosesAt > endsAt && closesDay === endDay) registrationClosesAt = endsAt;
  const accessRequestDeadline = deadlineDay ? endOfLocalDay(deadlineDay, ctx.zone) : null;

  const accessibilityOffered = values.access.filter((a): a is AccessFeature => (ACCESS_FEATURES as readonly string[]).includes(a));
  const contentNote = textField(errors, body, 'contentNote', { max: 1_000, label: t('events:errors.contentNoteName') });

  let outsideEdition = false;
  let edition: EditionDays | undefined;
  if (startsAt && endsAt) {
    const already = new Set(errors.map((e) => e.field));
    for (const problem of timingProblems({ startsAt, endsAt, capacity, registrationOpensAt, registrationClosesAt, accessRequestDeadline })) {
      if (!already.has(problem.field)) errors.push(problem);
    }
    edition = editionForEvent(ctx.editions, startsAt, ctx.zone);
    if (!edition) errors.push({ field: 'date', message: noEditionForDateMessage(ctx.editions) });
    else outsideEdition = isOutsideEdition(startsAt, endsAt, edition, ctx.zone);
  }
  sortByForm(errors);

  if (errors.length > 0 || !startsAt || !endsAt || !venue) return { values, errors, choices, edition, outsideEdition };
  return {
    values,
    errors,
    choices,
    edition,
    outsideEdition,
    venue,
    fields: {
      title,
      summary,
      description,
      easyReadSummary: easyReadSummary || null,
      category: values.category as EventCategory,
      audience: values.audience as Audience,
      startsAt,
      endsAt,
      onlineUrl,
      capacity,
      registrationOpensAt,
      registrationClosesAt,
      accessRequestDeadline,
      accessibilityOffered,
      contentNote: contentNote || null,
      translations,
    },
  };
}

/** The title and summary in each other language: same limits as the French ones, empty means none. */
function parseTranslations(errors: FieldError[], body: Body): EventTranslations {
  const translations: EventTranslations = {};
  for (const language of translationLanguages()) {
    const title = translationField(language.code, 'title');
    const summary = translationField(language.code, 'summary');
    const own = {
      title: textField(errors, { [title.id]: str(body, title.name) }, title.id, { max: TITLE_MAX, label: t('events:errors.translationTitleName', { language: language.name }) }),
      summary: textField(errors, { [summary.id]: str(body, summary.name) }, summary.id, { max: SUMMARY_MAX, label: t('events:errors.translationSummaryName', { language: language.name }) }),
    };
    if (own.title || own.summary) translations[language.code] = own;
  }
  return translations;
}

/** The order of the fields on the page: the error summary lists problems in reading order. */
export const EVENT_FORM_ORDER = [
  'title', 'summary', 'description', 'easyReadSummary', 'category', 'audience', 'translations',
  'date', 'startTime', 'startOffset', 'endDate', 'endTime', 'endOffset',
  'venueId', 'venueName', 'venueAddress', 'venuePostcode', 'venueCommune', 'venueDirections', 'venueLatitude', 'venueLongitude', 'onlineUrl',
  'capacity', 'registrationOpens', 'registrationCloses', 'accessDeadline', 'access', 'contentNote',
];

function sortByForm(errors: FieldError[]) {
  const rank = (field: string) => {
    // The other languages' fields come together, after the audience, in the order of the languages.
    const i = EVENT_FORM_ORDER.indexOf(field.startsWith('translations-') ? 'translations' : field);
    return i === -1 ? EVENT_FORM_ORDER.length : i;
  };
  errors.sort((a, b) => rank(a.field) - rank(b.field));
}
