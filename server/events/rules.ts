// Pure domain rules of events, shared by the service (which enforces them), the form parser
// (which explains them before saving) and the queries (which show what changed). No database.
import { editionOfDay, runningOrNext, type EditionDays } from '../domain/editions.ts';
import type { EventTranslations } from '../domain/event-text.ts';
import { t } from '../i18n/index.ts';
import { dayBounds, dayKey, formatCalendarDay } from '../lib/time.ts';
import type { AccessFeature, Audience, EventCategory, EventState } from '../domain/vocabulary.ts';

/** The moves the state machine allows; anything else is refused by the service. */
export const TRANSITIONS = {
  submit: { from: ['draft', 'changes_requested'], to: 'submitted' },
  requestChanges: { from: ['submitted'], to: 'changes_requested' },
  publish: { from: ['submitted'], to: 'published' },
  refuse: { from: ['submitted'], to: 'refused' },
  cancel: { from: ['published'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly EventState[]; to: EventState }>;
export type Transition = keyof typeof TRANSITIONS;

export function canTransition(transition: Transition, state: EventState): boolean {
  return (TRANSITIONS[transition].from as readonly EventState[]).includes(state);
}

/** A refused or cancelled event is closed: its history stays, its content no longer moves. */
export function isEditable(state: EventState): boolean {
  return state !== 'refused' && state !== 'cancelled';
}

/** A proposal under review: the coordination may publish it, send it back or refuse it. */
export function isUnderReview(state: EventState): boolean {
  return canTransition('publish', state) && canTransition('requestChanges', state) && canTransition('refuse', state);
}

/** What the organiser's event page offers for an event in this state. */
export function organiserActions(state: EventState) {
  return { edit: isEditable(state), submit: canTransition('submit', state), cancel: canTransition('cancel', state) };
}

/** What the coordination's review page offers for an event in this state. */
export function coordinationActions(state: EventState) {
  return { review: isUnderReview(state), cancel: canTransition('cancel', state) };
}

/** Interpreters and captioners are booked two to three weeks ahead; other needs need a week. */
export function defaultDeadlineDays(offered: readonly AccessFeature[]): number {
  return offered.includes('lsf') || offered.includes('captioning') ? 14 : 7;
}

/** The last minute of a local calendar day (« jusqu'au 22 septembre inclus »). */
export function endOfLocalDay(isoDay: string, zone: string): Date | null {
  const bounds = dayBounds(isoDay, zone);
  return bounds ? new Date(bounds[1].getTime() - 60_000) : null;
}

/** The first instant of a local calendar day. */
export function startOfLocalDay(isoDay: string, zone: string): Date | null {
  return dayBounds(isoDay, zone)?.[0] ?? null;
}

/** The local calendar day `days` before `date`'s own local day. */
export function localDayBefore(date: Date, days: number, zone: string): string {
  const [start] = dayBounds(dayKey(date, zone), zone)!;
  // Noon of the day, moved whole days back, stays on the right calendar day across DST changes.
  return dayKey(new Date(start.getTime() + 12 * 3_600_000 - days * 86_400_000), zone);
}

/** Default access-request deadline: the end of the day N days before the event's day. */
export function defaultAccessDeadline(startsAt: Date, offered: readonly AccessFeature[], zone: string): Date {
  return endOfLocalDay(localDayBefore(startsAt, defaultDeadlineDays(offered), zone), zone)!;
}

/** The event's deadline is the default for its day and features (nobody chose another one). */
export function isDefaultAccessDeadline(e: { startsAt: Date; accessibilityOffered: readonly AccessFeature[]; accessRequestDeadline: Date | null }, zone: string): boolean {
  return e.accessRequestDeadline?.getTime() === defaultAccessDeadline(e.startsAt, e.accessibilityOffered, zone).getTime();
}

/**
 * The editions an event's dates may place it in: a new proposal, or one not yet published, goes
 * to the edition of its dates (see editionOfDay), its own first, then those open for proposals;
 * a published event stays in its own (`fixed`) whatever its dates.
 */
export interface EditionChoice<E extends EditionDays = EditionDays> {
  editions: readonly E[];
  fixed: boolean;
}

/** The edition an event starting at `startsAt` belongs to, or undefined when none of the choice fits. */
export function editionForEvent<E extends EditionDays>(choice: EditionChoice<E>, startsAt: Date, zone: string): E | undefined {
  return choice.fixed ? choice.editions[0] : editionOfDay(choice.editions, dayKey(startsAt, zone));
}

/** Why a date was refused: it belongs to no edition the event may go to. */
export function noEditionForDateMessage(choice: EditionChoice): string {
  if (choice.editions.length === 0) return noOpenEditionMessage();
  const years = choice.editions.map((e) => t('events:editionYearDates', { year: e.year, dates: editionDates(e) }));
  return t('events:errors.noEditionForDate', { years: years.join(` ${t('events:or')} `) });
}

/** « du mardi 6 octobre 2026 au dimanche 18 octobre 2026 »: an edition's days, in the language of the moment. */
export function editionDates(e: Pick<EditionDays, 'firstDay' | 'lastDay'>): string {
  return t('common:time.editionDates', { first: formatCalendarDay(e.firstDay), last: formatCalendarDay(e.lastDay) });
}

export function noOpenEditionMessage(): string {
  return t('events:errors.noOpenEdition');
}

/** True when the event starts before the edition's first day or ends after its last day. */
export function isOutsideEdition(startsAt: Date, endsAt: Date, edition: EditionDays, zone: string): boolean {
  return dayKey(startsAt, zone) < edition.firstDay || dayKey(endsAt, zone) > edition.lastDay;
}

/** Dates outside the edition that the coordination has not accepted yet (the form warns about them). */
export function awaitsOutsideEditionApproval(
  e: { startsAt: Date; endsAt: Date; outsideEditionApproved: boolean },
  edition: EditionDays,
  zone: string,
): boolean {
  return !e.outsideEditionApproved && isOutsideEdition(e.startsAt, e.endsAt, edition, zone);
}

/**
 * The edition a coordinator asked for by its year, else the one running on `today` or the next to
 * come (not a newer edition just created and still empty), else the latest.
 */
export function chosenEdition<E extends EditionDays>(editions: readonly E[], year: number, today: string): E | undefined {
  return editions.find((e) => e.year === year) ?? runningOrNext(editions, today);
}

/** What a person writes about an event (the form, once parsed); the venue is chosen apart. */
export interface EventFields {
  title: string;
  summary: string;
  description: string;
  easyReadSummary: string | null;
  category: EventCategory;
  audience: Audience;
  startsAt: Date;
  endsAt: Date;
  onlineUrl: string | null;
  /** null: free entry. */
  capacity: number | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  /** null: the default (see defaultAccessDeadline). */
  accessRequestDeadline: Date | null;
  accessibilityOffered: AccessFeature[];
  contentNote: string | null;
  /** The organiser's title and summary in other languages; absent: left as they are. */
  translations?: EventTranslations;
}

/** The fields whose change, once published, matters to registrants (time and place). */
const FIELDS_THAT_MATTER = ['startsAt', 'endsAt', 'venue', 'onlineUrl'] as const;

/** What an event says, as comparable plain values: stored in history at each submission and review. */
export interface EventSnapshot {
  title: string;
  summary: string;
  description: string;
  easyReadSummary: string | null;
  category: string;
  audience: string;
  startsAt: string;
  endsAt: string;
  venue: string | null;
  onlineUrl: string | null;
  capacity: number | null;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  accessRequestDeadline: string | null;
  accessibilityOffered: string[];
  contentNote: string | null;
}

const SNAPSHOT_KEYS = [
  'title',
  'summary',
  'description',
  'easyReadSummary',
  'category',
  'audience',
  'startsAt',
  'endsAt',
  'venue',
  'onlineUrl',
  'capacity',
  'registrationOpensAt',
  'registrationClosesAt',
  'accessRequestDeadline',
  'accessibilityOffered',
  'contentNote',
] as const satisfies ReadonlyArray<keyof EventSnapshot>;

/** The fields' names (« Titre »), read in the language of the moment (events:fields.*). */
export const SNAPSHOT_LABELS: Record<keyof EventSnapshot, string> = (() => {
  const labels = {} as Record<keyof EventSnapshot, string>;
  for (const field of SNAPSHOT_KEYS) Object.defineProperty(labels, field, { enumerable: true, get: () => t(`events:fields.${field}`) });
  return Object.freeze(labels);
})();

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A venue as one line of text, so that the history says where, even if the venue is edited later. */
export function venueLabel(v: { name: string; address: string; postcode: string; commune: string } | null | undefined): string | null {
  return v ? `${v.name}, ${v.address}, ${v.postcode} ${v.commune}` : null;
}

export function snapshotOf(e: EventFields, venue: string | null): EventSnapshot {
  return {
    title: e.title,
    summary: e.summary,
    description: e.description,
    easyReadSummary: e.easyReadSummary,
    category: e.category,
    audience: e.audience,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt.toISOString(),
    venue,
    onlineUrl: e.onlineUrl,
    capacity: e.capacity,
    registrationOpensAt: iso(e.registrationOpensAt),
    registrationClosesAt: iso(e.registrationClosesAt),
    accessRequestDeadline: iso(e.accessRequestDeadline),
    accessibilityOffered: [...e.accessibilityOffered].sort(),
    contentNote: e.contentNote,
  };
}

export type Change<K extends string = string> = { field: K; before: unknown; after: unknown };

/** Fields whose values differ between two snapshots (or any two records of plain values). */
export function diff<T extends object>(before: Partial<T>, after: T, fields: ReadonlyArray<keyof T & string>): Change<keyof T & string>[] {
  return fields
    .filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

export const SNAPSHOT_FIELDS: Array<keyof EventSnapshot> = [...SNAPSHOT_KEYS];

/**
 * Whether registrants must hear about this change of a published event: a new time, place or
 * link, or an accessibility feature withdrawn (someone may have registered because of it).
 * Adding a feature, or rewording a text, only goes to the history.
 */
export function mattersToRegistrants(change: Change): boolean {
  if ((FIELDS_THAT_MATTER as readonly string[]).includes(change.field)) return true;
  if (change.field !== 'accessibilityOffered') return false;
  const after = Array.isArray(change.after) ? change.after : [];
  return Array.isArray(change.before) && change.before.some((feature) => !after.includes(feature));
}

/** A field's name (« Titre »), or the field itself when it is not one of the snapshot's. */
export function fieldLabel(field: string): string {
  return (SNAPSHOT_KEYS as readonly string[]).includes(field) ? SNAPSHOT_LABELS[field as keyof EventSnapshot] : field;
}

/** The fields a history row changed, by their names (« Titre, Accessibilité proposée »). */
export function changedFieldNames(changes: Record<string, unknown> | null): string[] {
  return Object.keys(changes ?? {})
    .filter((field) => field !== 'snapshot')
    .map(fieldLabel);
}

/** A history row: a move of the state machine (or an edit, published to published), with what it changed. */
interface HistoryStep {
  fromState: EventState | null;
  toState: EventState;
  changes: Record<string, unknown> | null;
  createdAt: Date;
}

/** An edit of a published event; announced when it moved the sequence (registrants were told). */
export function isPublishedEdit(h: Pick<HistoryStep, 'fromState' | 'toState'>): boolean {
  return h.fromState === 'published' && h.toState === 'published';
}

/**
 * What was changed on a published event since its publication (field names, the last time), for
 * the coordination; null when nothing was.
 */
export function editsSincePublication(history: HistoryStep[]): { fields: string[]; lastAt: Date } | null {
  const published = history.findLastIndex((h) => h.toState === 'published' && h.fromState !== 'published');
  const edits = history.slice(published + 1).filter(isPublishedEdit);
  if (edits.length === 0) return null;
  return { fields: [...new Set(edits.flatMap((h) => changedFieldNames(h.changes)))], lastAt: edits.at(-1)!.createdAt };
}
