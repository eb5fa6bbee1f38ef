// Small helpers shared by the registration tests.
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { accessNeed, outbox, registration } from '../../server/db/schema.ts';
import type { RegistrationInput } from '../../server/registrations/schemas.ts';

let n = 0;
/** A valid registration input: one seat, a unique email, no needs. */
export function person(values: Partial<RegistrationInput> = {}): RegistrationInput {
  n++;
  return {
    name: `Personne ${n}`,
    email: `personne-${n}-${process.pid}@example.org`,
    phone: null,
    seats: 1,
    onBehalf: false,
    contactName: null,
    contactEmail: null,
    contactPhone: null,
    needs: [],
    needsConsent: false,
    smsConsent: false,
    ...values,
  };
}

export async function registrationsOf(db: Database, eventId: number) {
  return db.select().from(registration).where(eq(registration.eventId, eventId)).orderBy(asc(registration.id));
}

export async function needsOf(db: Database, registrationId: number) {
  return db.select().from(accessNeed).where(eq(accessNeed.registrationId, registrationId)).orderBy(asc(accessNeed.id));
}

export async function mails(db: Database, kind?: string) {
  const rows = await db.select().from(outbox).orderBy(asc(outbox.id));
  return kind ? rows.filter((r) => r.kind === kind) : rows;
}

/** Seats held by confirmed registrations, and the waitlist positions in order. */
export async function occupancy(db: Database, eventId: number) {
  const rows = await registrationsOf(db, eventId);
  return {
    confirmedSeats: rows.filter((r) => r.state === 'confirmed').reduce((s, r) => s + r.seats, 0),
    positions: rows
      .filter((r) => r.state === 'waitlisted')
      .map((r) => r.waitlistPosition!)
      .sort((a, b) => a - b),
    rows,
  };
}

/** 1..n */
export const oneTo = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
