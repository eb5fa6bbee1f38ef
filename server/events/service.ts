// Events: creation, editing and the moderation state machine
//   draft → submitted → (changes_requested ↔ submitted) → published → cancelled; submitted → refused.
// Each transition locks the event row, checks the current state, writes its history row and
// queues its mails in one transaction. No HTTP here: routes check who may act, then call these.
import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { edition, event, territory, venue } from '../db/schema.ts';
import { EVENT_STATE_LABELS, type EventState } from '../domain/vocabulary.ts';
import { notifyRegistrants } from '../registrations/notify.ts';
import { promoteFromWaitlist } from '../registrations/service.ts';
import { announcePublishedChange, mailDecision, recordHistory, recordPublishedEdit, type Decision, type EventRow } from './history.ts';
import {
  SNAPSHOT_FIELDS,
  TRANSITIONS,
  canTransition,
  defaultAccessDeadline,
  diff,
  isEditable,
  isOutsideEdition,
  mattersToRegistrants,
  snapshotOf,
  venueLabel,
  type EventFields,
  type Transition,
} from './rules.ts';
import { createVenue, type VenueFields } from './venues.ts';

export type EventRuleCode =
  | 'not_found'
  | 'invalid_transition'
  | 'not_editable'
  | 'message_required'
  | 'outside_edition'
  | 'proposals_closed'
  | 'no_open_edition'
  | 'venue_not_allowed'
  | 'invalid_fields'
  | 'changed_since_seen';

/** A rule of the domain said no; the message is French and meant for the person who acted. */
export class EventRuleError extends Error {
  constructor(
    readonly code: EventRuleCode,
    message: string,
    /** The form field the problem is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export type VenueChoice = { kind: 'none' } | { kind: 'existing'; venueId: number } | { kind: 'new'; fields: VenueFields };

export interface FieldProblem {
  field: string;
  message: string;
}

/** Rules between fields, checked by the form (to explain) and by the service (to enforce). */
export function timingProblems(f: Pick<EventFields, 'startsAt' | 'endsAt' | 'capacity' | 'registrationOpensAt' | 'registrationClosesAt' | 'accessRequestDeadline'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (f.endsAt <= f.startsAt) problems.push({ field: 'endTime', message: "La fin de l'événement doit être après son début." });
  if (f.capacity !== null && (!Number.isInteger(f.capacity) || f.capacity < 1))
    problems.push({ field: 'capacity', message: 'Le nombre de places doit être un nombre entier supérieur à zéro, par exemple 20.' });
  if (f.accessRequestDeadline && f.accessRequestDeadline >= f.startsAt)
    problems.push({ field: 'accessDeadline', message: "La date limite des demandes d'aménagement doit être avant le jour de l'événement." });
  if (f.registrationOpensAt && f.registrationOpensAt >= f.endsAt)
    problems.push({ field: 'registrationOpens', message: "L'ouverture des inscriptions doit être avant l'événement." });
  if (f.registrationOpensAt && f.registrationClosesAt && f.registrationClosesAt <= f.registrationOpensAt)
    problems.push({ field: 'registrationCloses', message: 'La fin des inscriptions doit être après leur ouverture.' });
  else if (f.registrationClosesAt && f.registrationClosesAt > f.endsAt)
    problems.push({ field: 'registrationCloses', message: "Les inscriptions doivent se terminer au plus tard le jour de l'événement." });
  return problems;
}

interface Acting {
  actorUserId: number;
  now: Date;
}

/** A coordinator's decision, with the version of the event they read (its updated_at), when known. */
interface Reviewing extends Acting {
  seenVersion?: Date;
}

const CHANGED_SINCE_SEEN_MESSAGE =
  "L'organisation a modifié cet événement pendant votre relecture : relisez la version actuelle ci-dessous avant de décider.";

/** The organisation may edit a proposal under review: a decision is only about the version the coordinator read. */
function assertUnchanged(row: EventRow, seenVersion: Date | undefined) {
  if (seenVersion && seenVersion.getTime() !== row.updatedAt.getTime()) throw new EventRuleError('changed_since_seen', CHANGED_SINCE_SEEN_MESSAGE);
}

async function lockEvent(tx: Database, eventId: number): Promise<EventRow> {
  const [row] = await tx.select().from(event).where(eq(event.id, eventId)).for('update');
  if (!row) throw new EventRuleError('not_found', "Cet événement n'existe pas ou n'existe plus.");
  return row;
}

const VERBS: Record<Transition, string> = {
  submit: 'proposer à la coordination',
  requestChanges: 'demander des modifications sur',
  publish: 'publier',
  refuse: 'refuser',
  cancel: 'annuler',
};

function assertTransition(row: EventRow, transition: Transition) {
  if (!canTransition(transition, row.state))
    throw new EventRuleError('invalid_transition', `Impossible de ${VERBS[transition]} un événement à l'état « ${EVENT_STATE_LABELS[row.state]} ».`);
}

function requiredText(value: string | null | undefined, message: string, field = 'message'): string {
  const text = (value ?? '').trim();
  if (!text) throw new EventRuleError('message_required', message, field);
  if (text.length > 4000) throw new EventRuleError('message_required', 'Le message est trop long (4 000 caractères au plus).', field);
  return text;
}

async function contextOf(tx: Database, row: Pick<EventRow, 'editionId' | 'territoryId' | 'venueId'>) {
  const [ed] = await tx.select().from(edition).where(eq(edition.id, row.editionId));
  const [ter] = await tx.select().from(territory).where(eq(territory.id, row.territoryId));
  const [v] = row.venueId ? await tx.select().from(venue).where(eq(venue.id, row.venueId)) : [];
  return { edition: ed!, zone: ter!.timeZone, venue: v ?? null };
}

async function snapshot(tx: Database, row: EventRow) {
  const { venue: v } = await contextOf(tx, row);
  return snapshotOf(row, venueLabel(v));
}

async function setState(tx: Database, row: EventRow, to: EventState, now: Date, extra: Partial<typeof event.$inferInsert> = {}) {
  const [updated] = await tx
    .update(event)
    .set({ state: to, updatedAt: now, ...extra })
    .where(eq(event.id, row.id))
    .returning();
  return updated!;
}

/** A review (or a resubmission): state moves, a snapshot of what was reviewed is kept, the organisation is told. */
async function review(db: Database, eventId: number, transition: Transition, acting: Reviewing, options: { message?: string | null; decision?: Decision; extra?: (row: EventRow, tx: Database) => Promise<Partial<typeof event.$inferInsert>> }) {
  return db.transaction(async (tx) => {
    const row = await lockEvent(tx, eventId);
    assertTransition(row, transition);
    assertUnchanged(row, acting.seenVersion);
    const extra = options.extra ? await options.extra(row, tx) : {};
    const updated = await setState(tx, row, TRANSITIONS[transition].to, acting.now, extra);
    const historyId = await recordHistory(tx, {
      eventId,
      actorUserId: acting.actorUserId,
      fromState: row.state,
      toState: updated.state,
      message: options.message ?? null,
      changes: { snapshot: await snapshot(tx, updated) },
      sequence: updated.sequence,
      now: acting.now,
    });
    if (options.decision) await mailDecision(tx, updated, options.decision, options.message ?? null, historyId, acting.now);
    return updated;
  });
}

/** The organisation proposes its event to the territory's coordination. */
export async function submit(db: Database, eventId: number, acting: Acting): Promise<EventRow> {
  return review(db, eventId, 'submit', acting, {
    extra: async (row, tx) => {
      // A first proposal needs the edition open; an answer to "changes requested" is always welcome.
      if (row.state === 'draft') {
        const { edition: ed } = await contextOf(tx, row);
        if (!ed.proposalsOpen) throw new EventRuleError('proposals_closed', `Les propositions sont closes pour l'édition ${ed.year}. Contactez la coordination de votre territoire.`);
      }
      return {};
    },
  });
}

export async function requestChanges(db: Database, eventId: number, acting: Reviewing & { message: string }): Promise<EventRow> {
  const message = requiredText(acting.message, "Écrivez à l'organisateur·rice ce qu'il faut modifier.");
  return review(db, eventId, 'requestChanges', acting, { message, decision: 'changes_requested' });
}

export async function refuse(db: Database, eventId: number, acting: Reviewing & { message: string }): Promise<EventRow> {
  const message = requiredText(acting.message, "Écrivez à l'organisateur·rice pourquoi la proposition est refusée.");
  return review(db, eventId, 'refuse', acting, { message, decision: 'refused' });
}

/**
 * Publishes a submitted proposal. Dates outside the edition need the coordinator's explicit
 * agreement (`outsideEditionApproved`), which stays on the event.
 */
export async function publish(db: Database, eventId: number, acting: Reviewing & { outsideEditionApproved?: boolean; message?: string | null }): Promise<EventRow> {
  const message = acting.message?.trim() || null;
  return review(db, eventId, 'publish', acting, {
    message,
    decision: 'published',
    extra: async (row, tx) => {
      const { edition: ed, zone } = await contextOf(tx, row);
      const outside = isOutsideEdition(row.startsAt, row.endsAt, ed, zone);
      if (outside && !row.outsideEditionApproved && !acting.outsideEditionApproved)
        throw new EventRuleError(
          'outside_edition',
          `Les dates sont en dehors de l'édition ${ed.year} : cochez « J'accepte des dates hors édition » pour publier quand même.`,
          'outsideEditionApproved',
        );
      return { publishedAt: row.publishedAt ?? acting.now, outsideEditionApproved: row.outsideEditionApproved || outside };
    },
  });
}

/** Cancels a published event: the reason is shown publicly, registrants are told, the sequence moves. */
export async function cancel(db: Database, eventId: number, acting: Acting & { reason: string }): Promise<EventRow> {
  const reason = requiredText(acting.reason, "Indiquez la raison de l'annulation : elle sera affichée sur la page de l'événement.", 'reason');
  return db.transaction(async (tx) => {
    const row = await lockEvent(tx, eventId);
    assertTransition(row, 'cancel');
    const sequence = row.sequence + 1;
    const updated = await setState(tx, row, 'cancelled', acting.now, { sequence, cancellationReason: reason });
    const historyId = await recordHistory(tx, { eventId, actorUserId: acting.actorUserId, fromState: row.state, toState: 'cancelled', message: reason, sequence, now: acting.now });
    await notifyRegistrants(tx, eventId, 'event_cancelled', { sequence, reason }, acting.now);
    await mailDecision(tx, updated, 'cancelled', reason, historyId, acting.now);
    return updated;
  });
}

/** The edition new proposals go to: the most recent one open for proposals. */
export async function openEdition(db: Database) {
  const [row] = await db.select().from(edition).where(eq(edition.proposalsOpen, true)).orderBy(desc(edition.year)).limit(1);
  return row;
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
  if (!v) throw new EventRuleError('venue_not_allowed', "Ce lieu ne fait pas partie des lieux de votre structure. Choisissez-en un dans la liste ou décrivez-en un nouveau.", 'venueId');
  return v.id;
}

export const NO_PLACE_MESSAGE = "Indiquez un lieu, ou un lien pour suivre l'événement en ligne.";

function checkFields(fields: EventFields, place: VenueChoice) {
  const [problem] = timingProblems(fields);
  if (problem) throw new EventRuleError('invalid_fields', problem.message, problem.field);
  if (!fields.title.trim() || !fields.summary.trim()) throw new EventRuleError('invalid_fields', 'Le titre et le résumé sont obligatoires.', fields.title.trim() ? 'summary' : 'title');
  if (place.kind === 'none' && !fields.onlineUrl) throw new EventRuleError('invalid_fields', NO_PLACE_MESSAGE, 'venueId');
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
  };
}

/** A new draft for an organisation, in the edition open for proposals. */
export async function createEvent(
  db: Database,
  input: { organisationId: number; territoryId: number; fields: EventFields; venue: VenueChoice } & Acting,
): Promise<EventRow> {
  checkFields(input.fields, input.venue);
  return db.transaction(async (tx) => {
    const ed = await openEdition(tx);
    if (!ed) throw new EventRuleError('no_open_edition', "Aucune édition n'est ouverte aux propositions pour le moment.");
    const [ter] = await tx.select().from(territory).where(eq(territory.id, input.territoryId));
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
      throw new EventRuleError('not_editable', `Cet événement est « ${EVENT_STATE_LABELS[row.state]} » : il ne peut plus être modifié.`);
    const before = await contextOf(tx, row);
    const venueId = await resolveVenue(tx, input.venue, { organisationId: row.organisationId, territoryId: row.territoryId, currentVenueId: row.venueId });
    const values = columns(input.fields, before.zone);
    if (row.state === 'published' && !row.outsideEditionApproved && isOutsideEdition(values.startsAt, values.endsAt, before.edition, before.zone))
      throw new EventRuleError(
        'outside_edition',
        `Un événement publié doit rester dans les dates de l'édition ${before.edition.year} : pour d'autres dates, écrivez à la coordination.`,
        'date',
      );
    const [updated] = await tx
      .update(event)
      .set({ ...values, venueId, updatedAt: input.now })
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
