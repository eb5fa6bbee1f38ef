// The demo's registrations: some events filled exactly, one overflowing into a waiting list,
// phone-only registrations, people registered by a helper, and access needs, answered or not.
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema.ts';
import { slugify } from '../lib/slug.ts';
import { EMAIL_DOMAINS, FIRST_NAMES, HELPER_STRUCTURES, LAST_NAMES, type DemoEvent, type TerritoryKey } from './data.ts';
import { DAY_MS, type Timing } from './dates.ts';
import { BATCH_SIZE, insertInBatches } from './insert.ts';
import type { Random } from './random.ts';

export interface SeededEvent {
  def: DemoEvent;
  id: number;
  organisationId: number;
  memberId: number;
  zone: string;
  timing: Timing;
  publishedAt: Date | null;
}

interface RegistrationContext {
  rng: Random;
  now: Date;
}

type RegistrationRow = typeof schema.registration.$inferInsert;
type NeedRow = typeof schema.accessNeed.$inferInsert;

/**
 * Registrations on the published events that have a `fill`: confirmed seats reach exactly the
 * capacity for 'full' and 'waitlist' (which then gets waitlisted people, positions 1..n), a share
 * of it otherwise. Access needs go to each event's first registrants, with consent recorded.
 */
export async function seedRegistrations(db: Database, events: SeededEvent[], ctx: RegistrationContext): Promise<number> {
  const { rng, now } = ctx;
  const rows: RegistrationRow[] = [];
  // Keyed by event and email: everyone with needs has an email (phone-only registrations have no
  // needs), unique within an event.
  const needsByEmail = new Map<string, { needs: NonNullable<DemoEvent['needs']>; answeredBy: number; createdAt: Date }>();

  for (const event of events) {
    const { def, timing } = event;
    if (def.fill === undefined || def.capacity === null) continue;
    const capacity = def.capacity;
    const target = def.fill === 'full' || def.fill === 'waitlist' ? capacity : Math.round(capacity * def.fill);
    const territory = def.territory;
    const emails = new Set<string>();
    const needs = def.needs ?? [];

    // Who registers, in order; seats sum to exactly `target`.
    type Person = { seats: number; state: 'confirmed' | 'waitlisted' | 'cancelled'; needs: typeof needs };
    const persons: Person[] = [];
    let remaining = target;
    while (remaining > 0) {
      const personNeeds = persons.length < needs.length ? [needs[persons.length]!] : [];
      const wanted = personNeeds.some((n) => n.category === 'companion') ? 2 : rng.chance(0.2) ? 2 : rng.chance(0.05) ? 3 : 1;
      const seats = Math.min(wanted, remaining);
      persons.push({ seats, state: 'confirmed', needs: personNeeds });
      remaining -= seats;
    }
    if (def.fill === 'waitlist') {
      const waiting = rng.int(3, 5);
      for (let i = 0; i < waiting; i++) persons.push({ seats: rng.chance(0.25) ? 2 : 1, state: 'waitlisted', needs: [] });
    } else if (rng.chance(0.4)) {
      // Someone who changed their mind: cancelled seats no longer count.
      persons.splice(rng.int(0, persons.length), 0, { seats: 1, state: 'cancelled', needs: [] });
    }

    // Registration dates, increasing with the order above (waitlist positions follow time).
    const from = Math.max(timing.registrationOpensAt.getTime(), event.publishedAt?.getTime() ?? 0);
    const until = Math.max(from, Math.min(now.getTime(), timing.registrationClosesAt.getTime()));
    const times = persons.map(() => from + Math.floor(rng.next() * (until - from))).sort((a, b) => a - b);
    const ended = timing.endsAt.getTime() <= now.getTime();

    let waitlistPosition = 0;
    persons.forEach((person, index) => {
      const createdAt = new Date(times[index]!);
      const first = rng.pick(FIRST_NAMES[territory]);
      const last = rng.pick(LAST_NAMES[territory]);
      const name = `${first} ${last}`;
      // Now and then an organiser takes a registration by phone: no email, a phone number.
      const byPhone = person.needs.length === 0 && person.state === 'confirmed' && rng.chance(0.08);
      let email: string | null = null;
      if (!byPhone) {
        const base = `${slugify(first)}.${slugify(last)}`;
        const domain = rng.pick(EMAIL_DOMAINS);
        email = `${base}@${domain}`;
        for (let n = 2; emails.has(email); n++) email = `${base}${n}@${domain}`;
        emails.add(email);
      }
      const phone = byPhone || rng.chance(0.3) ? mobileNumber(rng, territory) : null;
      const onBehalf = !byPhone && rng.chance(0.08);
      const helperFirst = rng.pick(FIRST_NAMES[territory]);
      const helperLast = rng.pick(LAST_NAMES[territory]);
      if (person.state === 'waitlisted') waitlistPosition += 1;
      rows.push({
        eventId: event.id,
        name,
        email,
        phone,
        seats: person.seats,
        onBehalf,
        contactName: onBehalf ? `${helperFirst} ${helperLast} (${rng.pick(HELPER_STRUCTURES[territory])})` : null,
        contactEmail: onBehalf ? `${slugify(helperFirst)}.${slugify(helperLast)}@accompagnement.example` : null,
        needsConsentAt: person.needs.length > 0 ? createdAt : null,
        state: person.state,
        waitlistPosition: person.state === 'waitlisted' ? waitlistPosition : null,
        checkedInAt: ended && person.state === 'confirmed' && rng.chance(0.85) ? new Date(timing.startsAt.getTime() - 10 * 60_000) : null,
        createdByUserId: byPhone ? event.memberId : null,
        createdAt,
        updatedAt: createdAt,
        cancelledAt: person.state === 'cancelled' ? new Date(Math.min(now.getTime(), createdAt.getTime() + 2 * DAY_MS)) : null,
      });
      if (person.needs.length > 0 && email) needsByEmail.set(`${event.id}|${email}`, { needs: person.needs, answeredBy: event.memberId, createdAt });
    });
  }

  const needRows: NeedRow[] = [];
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    const inserted = await db
      .insert(schema.registration)
      .values(rows.slice(i, i + BATCH_SIZE))
      .returning({ id: schema.registration.id, eventId: schema.registration.eventId, email: schema.registration.email });
    // No manage tokens: each mail mints its own link when it is rendered (registrations/links.ts).
    for (const row of inserted) {
      const declared = row.email ? needsByEmail.get(`${row.eventId}|${row.email}`) : undefined;
      if (!declared) continue;
      for (const need of declared.needs) {
        const answered = need.status !== 'requested';
        needRows.push({
          registrationId: row.id,
          category: need.category,
          detail: need.detail ?? null,
          status: need.status,
          response: answered ? (need.response ?? null) : null,
          answeredAt: answered ? new Date(Math.min(now.getTime(), declared.createdAt.getTime() + 2 * DAY_MS)) : null,
          answeredByUserId: answered ? declared.answeredBy : null,
          createdAt: declared.createdAt,
        });
      }
    }
  }
  await insertInBatches(db, schema.accessNeed, needRows);
  return rows.length;
}

function mobileNumber(rng: Random, territory: TerritoryKey): string {
  const pairs = (n: number) => Array.from({ length: n }, () => String(rng.int(0, 99)).padStart(2, '0')).join(' ');
  // 06 12 34 56 78 in the Hexagone, 0692 12 34 56 at La Réunion.
  return territory === 'reunion' ? `0692 ${pairs(3)}` : `06 ${pairs(4)}`;
}
