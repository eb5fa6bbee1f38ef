// A registration after the fact: found by its manage link, its seats and needs changed, cancelled,
// erased, exported. No HTTP here; every change of seats holds the event's lock (capacity.ts).
import { eq, inArray, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { accessNeed, registration } from '../db/schema.ts';
import { ACCESS_FEATURE_INFO, type RegistrationState } from '../domain/vocabulary.ts';
import { deleteLocalMails, deleteMailsAbout } from '../mail/index.ts';
import { lockEvent, promoteFromWaitlist, renumberWaitlist, seatsSummary } from './capacity.ts';
import { registrationIdForToken } from './links.ts';
import { noticeNewNeeds } from './need-notices.ts';
import { needRows, needsOf, type ManagedNeed } from './needs.ts';
import { needsConsultedAt } from './audit-journal.ts';
import { notifyRegistrant, reachColumns } from './notify.ts';
import { getRegistrationEvent, registrationWindow, type RegistrationEvent } from './registration-event.ts';
import type { NeedInput } from './schemas.ts';

/** What both the person's own page and the organiser's lists read of a registration. */
export const registrationDetailColumns = {
  id: registration.id,
  name: registration.name,
  email: registration.email,
  phone: registration.phone,
  seats: registration.seats,
  onBehalf: registration.onBehalf,
  contactName: registration.contactName,
  contactEmail: registration.contactEmail,
  contactPhone: registration.contactPhone,
  state: registration.state,
  waitlistPosition: registration.waitlistPosition,
  checkedInAt: registration.checkedInAt,
  createdAt: registration.createdAt,
  cancelledAt: registration.cancelledAt,
};
export type RegistrationDetails = Pick<typeof registration.$inferSelect, keyof typeof registrationDetailColumns>;

const registrationColumns = {
  ...registrationDetailColumns,
  eventId: registration.eventId,
  needsConsentAt: registration.needsConsentAt,
  smsConsentAt: registration.smsConsentAt,
  inviteSequence: registration.inviteSequence,
};

/** A registration as its manage link shows it: the row, its needs and its event. */
export type ManagedRegistration = Pick<typeof registration.$inferSelect, keyof typeof registrationColumns> & {
  needs: ManagedNeed[];
  /** When the organisation last read the needs (never who): shown to the person. */
  needsConsultedAt: Date | null;
  event: RegistrationEvent;
  /** While it waits: the event's free seats, in which this group does not fit (null otherwise). */
  freeSeats: number | null;
};

/** The registration a manage link points to (by the SHA-256 of its token), or null. */
export async function findByToken(db: Database, token: string): Promise<ManagedRegistration | null> {
  const id = await registrationIdForToken(db, token, 'manage');
  if (id === null) return null;
  const [row] = await db.select(registrationColumns).from(registration).where(eq(registration.id, id));
  if (!row) return null;
  const ev = await getRegistrationEvent(db, row.eventId);
  if (!ev) return null;
  const free = row.state === 'waitlisted' ? (await seatsSummary(db, ev)).remaining : null;
  const [needs, needsConsulted] = await Promise.all([needsOf(db, row.id), needsConsultedAt(db, row.id)]);
  return { ...row, needs, needsConsultedAt: needsConsulted, event: ev, freeSeats: free };
}

/** Re-reads the registration once the event lock is held (it may have changed meanwhile). */
async function lockedRegistration(tx: Database, registrationId: number) {
  const [first] = await tx.select({ eventId: registration.eventId }).from(registration).where(eq(registration.id, registrationId));
  if (!first) return null;
  const ev = await lockEvent(tx, first.eventId);
  if (!ev) return null;
  const [reg] = await tx
    .select({ ...reachColumns, state: registration.state, seats: registration.seats })
    .from(registration)
    .where(eq(registration.id, registrationId));
  return reg ? { ev, reg } : null;
}

export type SeatsChangeResult =
  | { ok: true; state: RegistrationState; waitlistPosition: number | null; promoted: boolean }
  | { ok: false; reason: 'not_found' | 'cancelled' | 'closed' }
  | { ok: false; reason: 'no_room'; available: number };

/**
 * Changes the number of seats. Fewer seats: always, and the freed ones go to the waitlist — a
 * waiting group that now fits in the free seats is confirmed at once (`promoted`). More seats for
 * a confirmed person: only if they fit in the free seats (no waiting registration fits in them,
 * see capacity.ts); otherwise refused, and the person keeps the seats they have — moving them to
 * the waitlist would take away seats they already hold. A waitlisted person keeps their position.
 */
export async function changeSeats(db: Database, now: Date, registrationId: number, seats: number): Promise<SeatsChangeResult> {
  return db.transaction(async (tx): Promise<SeatsChangeResult> => {
    const locked = await lockedRegistration(tx, registrationId);
    if (!locked) return { ok: false, reason: 'not_found' };
    const { ev, reg } = locked;
    if (reg.state === 'cancelled') return { ok: false, reason: 'cancelled' };
    if (seats > reg.seats && registrationWindow(ev, now) !== 'open') return { ok: false, reason: 'closed' };
    if (seats > reg.seats && reg.state === 'confirmed') {
      const available = (await seatsSummary(tx, ev)).remaining;
      if (available !== null && seats - reg.seats > available) return { ok: false, reason: 'no_room', available };
    }
    let promoted = false;
    if (seats !== reg.seats) {
      // A new SEQUENCE: the confirmation's invite must outrank the one the person holds.
      await tx
        .update(registration)
        .set({ seats, inviteSequence: sql`${registration.inviteSequence} + 1`, updatedAt: now })
        .where(eq(registration.id, reg.id));
      // Only fewer seats can let someone in (this very group included, if it waits: the promotion
      // notice then says it all).
      if (seats < reg.seats) promoted = (await promoteFromWaitlist(tx, ev, now)).includes(reg.id);
      if (!promoted) await notifyRegistrant(tx, reg, { kind: 'seats_changed', sendAfter: now });
    }
    const [after] = await tx.select({ state: registration.state, waitlistPosition: registration.waitlistPosition }).from(registration).where(eq(registration.id, reg.id));
    return { ok: true, state: after!.state, waitlistPosition: after!.waitlistPosition, promoted };
  });
}

/**
 * Replaces the person's needs. A need kept with the same detail keeps the organiser's answer;
 * a new or reworded one goes back to « requested » (or « planned » when the event offers it).
 * With no needs left, the consent is withdrawn; with needs, it must be given again.
 */
export async function changeNeeds(
  db: Database,
  now: Date,
  registrationId: number,
  needs: NeedInput[],
  consent: boolean,
): Promise<{ ok: true } | { ok: false; reason: 'not_found' | 'cancelled' | 'needs_without_consent' }> {
  if (needs.length > 0 && !consent) return { ok: false, reason: 'needs_without_consent' };
  return db.transaction(async (tx) => {
    const locked = await lockedRegistration(tx, registrationId);
    if (!locked) return { ok: false as const, reason: 'not_found' as const };
    if (locked.reg.state === 'cancelled') return { ok: false as const, reason: 'cancelled' as const };
    const current = await needsOf(tx, registrationId);
    const wanted = new Map(needs.map((n) => [n.category, n]));
    const unchanged = current.filter((c) => wanted.get(c.category)?.detail === c.detail);
    const keep = new Set(unchanged.map((c) => c.category));
    const drop = current.filter((c) => !keep.has(c.category)).map((c) => c.id);
    if (drop.length > 0) await tx.delete(accessNeed).where(inArray(accessNeed.id, drop));
    const fresh = needs.filter((n) => !keep.has(n.category));
    if (fresh.length > 0) {
      const stored = await tx.insert(accessNeed).values(needRows(registrationId, fresh, locked.ev.accessibilityOffered, now)).returning({ id: accessNeed.id, status: accessNeed.status });
      await noticeNewNeeds(tx, locked.ev.id, stored, now);
    }
    await tx
      .update(registration)
      .set({ needsConsentAt: needs.length > 0 ? now : null, updatedAt: now })
      .where(eq(registration.id, registrationId));
    // The person gets the needs now recorded in writing (nothing when they saved the same ones).
    if (drop.length > 0 || fresh.length > 0) await notifyRegistrant(tx, locked.reg, { kind: 'needs_changed', sendAfter: now });
    return { ok: true as const };
  });
}

/**
 * Cancels: frees the seats and promotes from the waitlist in the same locked transaction. The
 * needs and the consent are deleted at once (the person is no longer coming: no reason to keep
 * health data); the name stays in the organiser's « cancelled » list until the identity purge.
 */
export async function cancelRegistration(
  db: Database,
  now: Date,
  registrationId: number,
): Promise<{ ok: true; promoted: number[] } | { ok: false; reason: 'not_found' | 'already_cancelled' }> {
  return db.transaction(async (tx) => {
    const locked = await lockedRegistration(tx, registrationId);
    if (!locked) return { ok: false as const, reason: 'not_found' as const };
    const { ev, reg } = locked;
    if (reg.state === 'cancelled') return { ok: false as const, reason: 'already_cancelled' as const };
    await tx
      .update(registration)
      .set({ state: 'cancelled', waitlistPosition: null, cancelledAt: now, needsConsentAt: null, updatedAt: now })
      .where(eq(registration.id, reg.id));
    await tx.delete(accessNeed).where(eq(accessNeed.registrationId, reg.id));
    // wasConfirmed: only then did the person get a calendar invite that the mail must withdraw.
    const payload = { wasConfirmed: reg.state === 'confirmed' };
    await notifyRegistrant(tx, reg, { kind: 'registration_cancelled', payload, sendAfter: now, dedupeKey: `registration_cancelled:${reg.id}` });
    const promoted = reg.state === 'confirmed' ? await promoteFromWaitlist(tx, ev, now) : [];
    if (reg.state === 'waitlisted') await renumberWaitlist(tx, ev.id);
    return { ok: true as const, promoted };
  });
}

/**
 * Erases the registration for good, with its needs and tokens (cascade) and every mail about it,
 * queued or sent (the outbox keeps the address and the local mailbox the whole message); its
 * seats are freed as by a cancellation.
 */
export async function eraseRegistration(
  db: Database,
  config: Pick<Config, 'dataDir'>,
  now: Date,
  registrationId: number,
): Promise<{ ok: boolean; eventId?: number; promoted: number[] }> {
  const result = await db.transaction(async (tx) => {
    const locked = await lockedRegistration(tx, registrationId);
    if (!locked) return { ok: false, promoted: [], mails: [] };
    const { ev, reg } = locked;
    await tx.delete(registration).where(eq(registration.id, reg.id));
    const mails = await deleteMailsAbout(tx, [reg.id]);
    const promoted = reg.state === 'confirmed' ? await promoteFromWaitlist(tx, ev, now) : [];
    if (reg.state === 'waitlisted') await renumberWaitlist(tx, ev.id);
    return { ok: true, eventId: ev.id, promoted, mails };
  });
  // Files go once the rows are gone for good (after the commit).
  await deleteLocalMails(config, result.mails);
  const { mails: _mails, ...rest } = result;
  return rest;
}

/** Everything stored about the registration, for « Télécharger mes données » (GDPR art. 15/20). */
export function personalData(r: ManagedRegistration, exportedAt: Date): Record<string, unknown> {
  return {
    exporteLe: exportedAt.toISOString(),
    evenement: { id: r.event.id, titre: r.event.title, debut: r.event.startsAt.toISOString(), fin: r.event.endsAt.toISOString() },
    inscription: {
      id: r.id,
      nom: r.name,
      email: r.email,
      telephone: r.phone,
      places: r.seats,
      inscriptionPourUnTiers: r.onBehalf,
      contact: r.onBehalf ? { nom: r.contactName, email: r.contactEmail, telephone: r.contactPhone } : null,
      etat: r.state,
      positionListeAttente: r.waitlistPosition,
      creeeLe: r.createdAt.toISOString(),
      annuleeLe: r.cancelledAt?.toISOString() ?? null,
      presenceNoteeLe: r.checkedInAt?.toISOString() ?? null,
      accordBesoinsDonneLe: r.needsConsentAt?.toISOString() ?? null,
      accordSmsDonneLe: r.smsConsentAt?.toISOString() ?? null,
    },
    besoinsAccessibilite: r.needs.map((n) => ({
      categorie: n.category,
      libelle: ACCESS_FEATURE_INFO[n.category].requestLabel,
      precision: n.detail,
      statut: n.status,
      reponseOrganisateur: n.response,
      reponduLe: n.answeredAt?.toISOString() ?? null,
    })),
  };
}
