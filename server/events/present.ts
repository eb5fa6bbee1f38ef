// Values of events as people read them: the snapshots and change pairs kept in history become
// lines « Début : mardi 6 octobre 2026 à 14 h 00 → mercredi 7 octobre 2026 à 14 h 00 ».
import {
  ACCESS_FEATURE_INFO,
  AUDIENCE_LABELS,
  CATEGORY_LABELS,
  EVENT_STATE_LABELS,
  isAccessFeature,
  isAudience,
  isEventCategory,
  type EventState,
} from '../domain/vocabulary.ts';
import { publicVenue } from '../domain/venue.ts';
import type { PublicEvent } from '../programme/index.ts';
import { formatNumber, hasMessage, t } from '../i18n/index.ts';
import { formatDateTime } from '../lib/time.ts';
import { changedFieldNames, fieldLabel, isPublishedEdit, type Change } from './rules.ts';
import type { EventContext, HistoryRow } from './queries.ts';

export interface ChangeLine {
  label: string;
  before: string;
  after: string;
}

const DATE_FIELDS = new Set(['startsAt', 'endsAt', 'registrationOpensAt', 'registrationClosesAt', 'accessRequestDeadline']);

export function displayValue(field: string, value: unknown, zone: string): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    if (field === 'capacity') return t('events:freeEntry');
    return t('events:history.emptyValue');
  }
  if (DATE_FIELDS.has(field) && typeof value === 'string') return formatDateTime(new Date(value), zone);
  if (field === 'category' && typeof value === 'string' && isEventCategory(value)) return CATEGORY_LABELS[value];
  if (field === 'audience' && typeof value === 'string' && isAudience(value)) return AUDIENCE_LABELS[value];
  if (field === 'accessibilityOffered' && Array.isArray(value))
    return value.map((v) => (typeof v === 'string' && isAccessFeature(v) ? ACCESS_FEATURE_INFO[v].label : String(v))).join(', ');
  if (field === 'capacity' && typeof value === 'number') return t('events:seats', { count: value, n: formatNumber(value) });
  if (field === 'capacity') return t('events:seats', { count: Number(value), n: String(value) });
  return String(value);
}


export function changeLines(changes: Change[], zone: string): ChangeLine[] {
  return changes.map((c) => ({ label: fieldLabel(c.field), before: displayValue(c.field, c.before, zone), after: displayValue(c.field, c.after, zone) }));
}

const LONG_TEXTS = new Set(['description', 'easyReadSummary']);

/**
 * The change pairs of a history row ({ field: [before, after] }); snapshots are not shown, nor
 * the before and after of long texts (their name in the list of changed fields says enough).
 */
export function historyChangeLines(changes: Record<string, unknown> | null, zone: string): ChangeLine[] {
  if (!changes) return [];
  return Object.entries(changes)
    .filter(([field, pair]) => field !== 'snapshot' && !LONG_TEXTS.has(field) && Array.isArray(pair) && pair.length === 2)
    .map(([field, pair]) => ({ label: fieldLabel(field), before: displayValue(field, (pair as unknown[])[0], zone), after: displayValue(field, (pair as unknown[])[1], zone) }));
}

/** What a move to this state is called in the history (events:history.action.*). */
function actionLabel(state: EventState): string {
  return hasMessage(`events:history.action.${state}`) ? t(`events:history.action.${state}`) : EVENT_STATE_LABELS[state];
}

/** History rows ready for the template, newest first. */
export function historyForView(history: HistoryRow[], zone: string) {
  return history
    .map((h, i) => {
      const edit = isPublishedEdit(h);
      return {
        when: formatDateTime(h.createdAt, zone),
        what: edit ? (h.sequence > (history[i - 1]?.sequence ?? 0) ? t('events:history.announcedEdit') : t('events:history.edit')) : actionLabel(h.toState),
        actor: h.actor,
        message: h.message,
        sequence: h.sequence,
        fields: edit ? changedFieldNames(h.changes) : [],
        changes: historyChangeLines(h.changes, zone),
      };
    })
    .reverse();
}

/**
 * The event as the public page will show it once published, for the organiser's preview: the
 * same shape as the programme's public read (which only returns public events), built from the
 * event as it stands, whatever its state. Seats taken come from the public read when there is one.
 */
export function previewShape(ctx: EventContext, seats: Pick<PublicEvent, 'taken'>): PublicEvent {
  const { event: e, venue: v } = ctx;
  return {
    id: e.id,
    title: e.title,
    summary: e.summary,
    description: e.description,
    easyReadSummary: e.easyReadSummary,
    category: e.category,
    audience: e.audience,
    state: e.state === 'cancelled' ? 'cancelled' : 'published',
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    onlineUrl: e.onlineUrl,
    capacity: e.capacity,
    taken: seats.taken,
    registrationOpensAt: e.registrationOpensAt,
    registrationClosesAt: e.registrationClosesAt,
    accessRequestDeadline: e.accessRequestDeadline,
    accessibilityOffered: e.accessibilityOffered,
    contentNote: e.contentNote,
    cancellationReason: e.cancellationReason,
    sequence: e.sequence,
    updatedAt: e.updatedAt,
    territory: { id: ctx.territory.id, name: ctx.territory.name, slug: ctx.territory.slug, timeZone: ctx.territory.timeZone },
    edition: { id: ctx.edition.id, year: ctx.edition.year, theme: ctx.edition.theme, firstDay: ctx.edition.firstDay, lastDay: ctx.edition.lastDay },
    organisation: {
      id: ctx.organisation.id,
      name: ctx.organisation.name,
      kind: ctx.organisation.kind,
      contactEmail: ctx.organisation.contactEmail,
      contactPhone: ctx.organisation.contactPhone,
      website: ctx.organisation.website,
    },
    venue: v ? publicVenue(v) : null,
  };
}
