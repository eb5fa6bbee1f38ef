// Writing an event: a new draft, an edit (announced to registrants when it matters once
// published), and the rules between fields that the form explains and this module enforces.
import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { edition, event, territory, venue } from '../db/schema.ts';
import { EVENT_STATE_LABELS } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';
import { promoteFromWaitlist } from '../registrations/index.ts';
import { announcePublishedChange, recordHistory, recordPublishedEdit, type EventRow } from './history.ts';
import { contextOf, lockEvent, type Acting } from './locked-event.ts';
import { EventRuleError } from './rule-error.ts';
import {
  SNAPSHOT_FIELDS,
  defaultAccessDeadline,
  diff,
  editionForEvent,
  isEditable,
  isOutsideEdition,
  mattersToRegistrants,
  noEditionForDateMessage,
  noOpenEditionMessage,
  snapshotOf,
  venueLabel,
  type EditionChoice,
  type EventFields,
} from './rules.ts';
import { createVenue, type VenueFields } from './venues.ts';

type EditionRow = typeof edition.$inferSelect;

export type VenueChoice = { kind: 'none' } | { kind: 'existing'; venueId: number } | { kind: 'new'; fields: VenueFields };

export interface FieldProblem {
  field: string;
  message: string;
}

/** Rules between fields, checked by the form (to explain) and by the service (to enforce). */
export function timingProblems(f: Pick<EventFields, 'startsAt' | 'endsAt' | 'capacity' | 'registrationOpensAt' | 'registrationClosesAt' | 'accessRequestDeadline'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (f.endsAt <= f.startsAt) problems.push({ field: 'endTime', message: t('events:errors.endBeforeStart') });
  if (f.capacity !== null && (!Number.isInteger(f.capacity) || f.capacity < 1))
    problems.push({ field: 'capacity', message: t('events:errors.capacityInvalid') });
  if (f.accessRequestDeadline && f.accessRequestDeadline >= f.startsAt)
    problems.push({ field: 'accessDeadline', message: t('events:errors.accessDeadlineAfterStart') });
  if (f.registrationOpensAt && f.registrationOpensAt >= f.endsAt)
    problems.push({ field: 'registrationOpens', message: t('events:errors.registrationOpensAfterEvent') });
  if (f.registrationOpensAt && f.registrationClosesAt && f.registrationClosesAt <= f.registrationOpensAt)
    problems.push({ field: 'registrationCloses', message: t('events:errors.registrationClosesBeforeOpens') });
  else if (f.registrationClosesAt && f.registrationClosesAt > f.endsAt)
    problems.push({ field: 'registrationCloses', message: t('events:errors.registrationClosesAfterEvent') });
  return problems;
}

/**
 * The editions an event's dates may place it in (see EditionChoice): those open for proposals
 * for a new one (oldest first); for `current`, an event being edited, its own edition first.
 */
export async function editionChoice(db: Database, current?: Pick<EventRow, 'state' | 'editionId'>): Promise<EditionChoice<EditionRow>> {
  const own = current ? (await db.select().from(edition).where(eq(edition.id, current.editionId)))[0]! : undefined;
  if (own && current?.state === 'published') return { editions: [own], fixed: true };
  const open = await db.select().from(edition).where(eq(edition.proposalsOpen, true)).orderBy(asc(edition.year));
  return { editions: own ? [own, ...open.filter((e) => e.id !== own.id)] : open, fixed: false };
}

/** The edition of the event's dates, or a refusal that names the editions open to proposals. */
async function editionOfDates(tx: Database, startsAt: Date, zone: string, current?: Pick<EventRow, 'state' | 'editionId'>): Promise<EditionRow> {
  const choice = await editionChoice(tx, current);
  if (choice.editions.length === 0) throw new EventRuleError('no_open_edition', noOpenEditionMessage());
  const ed = editionForEvent(choice, startsAt, zone);
  if (!ed) throw new EventRuleError('no_edition_for_date', noEditionForDateMessage(choice), 'date');
  return ed;
}

async function resolveVenue(tx: Database, choice: VenueChoice, owner: { organisationId: number; territoryId: number; currentVenueId: number | null }): Promise<number | null> {
  if (choice.kind === 'none') return null;
  if (choice.kind === 'new') return (await createVenue(tx, owner.organisationId, owner.territoryId, choice.fields)).id;
  if (choice.venueId === owner.currentVenueId) return choice.venueId;
  const [v] = await tx
    .select({ id: venue.id })
    .from(venue)
    .where(
      and(
        eq(venue.id, choice.venueId),
        or(eq(venue.organisationId, owner.organisationId), and(isNull(venue.organisationId), eq(venue.territoryId, owner.territoryId))),
      ),
    );
  if (!v) throw new EventRuleError('venue_not_allowed', t('events:errors.venueNotAllowed'), 'venueId');
  return v.id;
}

export function noPlaceMessage(): string {
  return t('events:errors.noPlace');
}

function checkFields(fields: EventFields, place: VenueChoice) {
  const [problem] = timingProblems(fields);
  if (problem) throw new EventRuleError('invalid_fields', problem.message, problem.field);
  if (!fields.title.trim() || !fields.summary.trim()) throw new EventRuleError('invalid_fields', t('events:errors.titleAndSummaryRequired'), fields.title.trim() ? 'summary' : 'title');
  if (place.kind === 'none' && !fields.onlineUrl) throw new EventRuleError('invalid_fields', noPlaceMessage(), 'venueId');
}

function columns(fields: EventFields, zone: string) {
  return {
    title: fields.title,
    summary: fields.summary,
    description: fields.description,
    easyReadSummary: fields.easyReadSummary,
    category: fields.category,
    audience: fields.audience,
    startsAt: fields.startsAt,
    endsAt: fields.endsAt,
    onlineUrl: fields.onlineUrl,
    capacity: fields.capacity,
    registrationOpensAt: fields.registrationOpensAt,
    registrationClosesAt: fields.registrationClosesAt,
    accessRequestDeadline: fields.accessRequestDeadline ?? defaultAccessDeadline(fields.startsAt, fields.accessibilityOffered, zone),
    accessibilityOffered: [...new Set(fields.accessibilityOffered)],
    contentNote: fields.contentNote,
    ...(fields.translations ? { translations: fields.translations } : {}),
  };
}

/** A new draft for an organisation, in the edition of its dates among those open for proposals. */
export async function createEvent(
  db: Database,
  input: { organisationId: number; territoryId: number; fields: EventFields; venue: VenueChoice } & Acting,
): Promise<EventRow> {
  checkFields(input.fields, input.venue);
  return db.transaction(async (tx) => {
    const [ter] = await tx.select().from(territory).where(eq(territory.id, input.territoryId));
    const ed = await editionOfDates(tx, input.fields.startsAt, ter!.timeZone);
    const venueId = await resolveVenue(tx, input.venue, { organisationId: input.organisationId, territoryId: input.territoryId, currentVenueId: null });
    const [row] = await tx
      .insert(event)
      .values({
        editionId: ed.id,
        territoryId: input.territoryId,
        organisationId: input.organisationId,
        venueId,
        ...columns(input.fields, ter!.timeZone),
        state: 'draft',
        createdAt: input.now,
        updatedAt: input.now,
      })
      .returning();
    await recordHistory(tx, { eventId: row!.id, actorUserId: input.actorUserId, fromState: null, toState: 'draft', sequence: 0, now: input.now });
    return row!;
  });
}

/**
 * Edits an event. Refused and cancelled events cannot be edited. On a published event, every
 * change is kept in history with the old and new values; a change of time, place or online link,
 * or an accessibility feature withdrawn, also bumps the sequence and is announced to registrants.
 */
export async function updateEvent(
  db: Database,
  eventId: number,
  input: { fields: EventFields; venue: VenueChoice } & Acting,
): Promise<{ event: EventRow; announced: boolean }> {
  checkFields(input.fields, input.venue);
  return db.transaction(async (tx) => {
    const row = await lockEvent(tx, eventId);
    if (!isEditable(row.state))
      throw new EventRuleError('not_editable', t('events:errors.notEditable', { state: EVENT_STATE_LABELS[row.state] }));
    const before = await contextOf(tx, row);
    const venueId = await resolveVenue(tx, input.venue, { organisationId: row.organisationId, territoryId: row.territoryId, currentVenueId: row.venueId });
    const values = columns(input.fields, before.zone);
    // A proposal not yet published follows its dates to their edition.
    const ed = await editionOfDates(tx, values.startsAt, before.zone, row);
    if (row.state === 'published' && !row.outsideEditionApproved && isOutsideEdition(values.startsAt, values.endsAt, before.edition, before.zone))
      throw new EventRuleError('outside_edition', t('events:errors.publishedOutsideEdition', { year: before.edition.year }), 'date');
    const [updated] = await tx
      .update(event)
      .set({ ...values, editionId: ed.id, venueId, updatedAt: input.now })
      .where(eq(event.id, eventId))
      .returning();
    if (row.state !== 'published') return { event: updated!, announced: false };
    // More seats (or free entry): the waitlist gets them now, under the same lock.
    if (row.capacity !== null && (updated!.capacity === null || updated!.capacity > row.capacity)) await promoteFromWaitlist(tx, updated!, input.now);

    const after = await contextOf(tx, updated!);
    const changes = diff(snapshotOf(row, venueLabel(before.venue)), snapshotOf(updated!, venueLabel(after.venue)), SNAPSHOT_FIELDS);
    if (changes.length === 0) return { event: updated!, announced: false };
    const announced = changes.filter(mattersToRegistrants);
    if (announced.length === 0) {
      await recordPublishedEdit(tx, updated!, changes, input.actorUserId, input.now);
      return { event: updated!, announced: false };
    }
    const sequence = await announcePublishedChange(tx, updated!, announced, input.actorUserId, input.now, changes);
    return { event: { ...updated!, sequence }, announced: true };
  });
}
