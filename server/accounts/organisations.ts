// Accounts: organisations and their members, and what a signed-in person belongs to. Domain
// rules only (no HTTP):
// every function takes a database handle (or a transaction) and plain values, and the caller's
// `now` — the database clock is never used for decisions, so tests and app agree on time.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { appUser, event, membership, organisation, territory } from '../db/schema.ts';
import type { SessionUser } from '../plugins/session.ts';
import { findOrCreateUser } from './people.ts';
import { queueInvitation } from './sign-in.ts';
import type { OrganisationInput } from './schemas.ts';

// ——— What a signed-in person sees ———

export async function organisationsOfUser(db: Database, userId: number) {
  return db
    .select({ id: organisation.id, name: organisation.name, kind: organisation.kind, territoryName: territory.name, timeZone: territory.timeZone })
    .from(membership)
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .innerJoin(territory, eq(territory.id, organisation.territoryId))
    .where(and(eq(membership.userId, userId), eq(membership.role, 'member')))
    .orderBy(asc(organisation.name));
}

export async function coordinatedTerritories(db: Database, userId: number) {
  return db
    .select({ id: territory.id, name: territory.name, timeZone: territory.timeZone })
    .from(membership)
    .innerJoin(territory, eq(territory.id, membership.territoryId))
    .where(and(eq(membership.userId, userId), eq(membership.role, 'coordinator')))
    .orderBy(asc(territory.name));
}

/** Territories one may attach an organisation to (reference table, read only). */
export async function territoryChoices(db: Database) {
  return db.select({ id: territory.id, name: territory.name }).from(territory).orderBy(asc(territory.name));
}

// ——— Organisations ———

/** Members of the organisation and administrators. */
export async function canAccessOrganisation(db: Database, user: SessionUser, organisationId: number): Promise<boolean> {
  if (user.isAdmin) return true;
  const [row] = await db
    .select({ id: membership.id })
    .from(membership)
    .where(and(eq(membership.userId, user.id), eq(membership.role, 'member'), eq(membership.organisationId, organisationId)));
  return row !== undefined;
}

export async function getOrganisation(db: Database, id: number) {
  const [row] = await db
    .select({
      id: organisation.id,
      name: organisation.name,
      kind: organisation.kind,
      territoryId: organisation.territoryId,
      territoryName: territory.name,
      timeZone: territory.timeZone,
      contactEmail: organisation.contactEmail,
      contactPhone: organisation.contactPhone,
      website: organisation.website,
    })
    .from(organisation)
    .innerJoin(territory, eq(territory.id, organisation.territoryId))
    .where(eq(organisation.id, id));
  return row;
}

/** The creator becomes its first member. */
export async function createOrganisation(db: Database, creatorUserId: number, input: OrganisationInput, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(organisation)
      .values({
        territoryId: input.territoryId,
        name: input.name,
        kind: input.kind,
        contactEmail: input.contactEmail,
        contactPhone: input.contactPhone,
        website: input.website,
        createdAt: now,
      })
      .returning({ id: organisation.id });
    await tx.insert(membership).values({ userId: creatorUserId, role: 'member', organisationId: row!.id, createdAt: now });
    return row!.id;
  });
}

/** Everything but the territory, which stays: the organisation's events and venues belong to it. */
export async function updateOrganisation(db: Database, id: number, input: Omit<OrganisationInput, 'territoryId'>): Promise<void> {
  await db
    .update(organisation)
    .set({ name: input.name, kind: input.kind, contactEmail: input.contactEmail, contactPhone: input.contactPhone, website: input.website })
    .where(eq(organisation.id, id));
}

export async function listMembers(db: Database, organisationId: number) {
  return db
    .select({ userId: appUser.id, email: appUser.email, name: appUser.name, lastSignInAt: appUser.lastSignInAt, since: membership.createdAt })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.organisationId, organisationId), eq(membership.role, 'member')))
    .orderBy(asc(sql`lower(${appUser.email})`));
}

/** The organisation's events, newest first (read-only look at the events table). */
export async function listOrganisationEvents(db: Database, organisationId: number) {
  return db
    .select({ id: event.id, title: event.title, state: event.state, startsAt: event.startsAt, timeZone: territory.timeZone })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .where(eq(event.organisationId, organisationId))
    .orderBy(desc(event.startsAt));
}

export type InviteResult = { ok: true; created: boolean } | { ok: false; reason: 'already_member' };

/**
 * Adds a person (created if needed) to the organisation and queues their invitation mail, in one
 * transaction.
 */
export async function inviteMember(
  db: Database,
  input: { organisationId: number; email: string; invitedByUserId: number; now: Date; publicUrl: string },
): Promise<InviteResult> {
  return db.transaction(async (tx) => {
    const { user, created } = await findOrCreateUser(tx, input.email);
    const [added] = await tx
      .insert(membership)
      .values({ userId: user.id, role: 'member', organisationId: input.organisationId, createdAt: input.now })
      .onConflictDoNothing()
      .returning({ id: membership.id });
    if (!added) return { ok: false, reason: 'already_member' } as const;
    await queueInvitation(tx, { ...input, email: user.email });
    return { ok: true, created } as const;
  });
}

export type RemoveMemberResult = 'removed' | 'not_member' | 'last_member';

/** Removes a member; an organisation always keeps at least one (someone must answer for it). */
export async function removeMember(db: Database, input: { organisationId: number; userId: number }): Promise<RemoveMemberResult> {
  return db.transaction(async (tx) => {
    // Two members removing each other at once must not leave the organisation empty.
    await tx.execute(sql`select id from ${organisation} where ${organisation.id} = ${input.organisationId} for update`);
    const members = await tx
      .select({ userId: membership.userId })
      .from(membership)
      .where(and(eq(membership.organisationId, input.organisationId), eq(membership.role, 'member')));
    if (!members.some((m) => m.userId === input.userId)) return 'not_member';
    if (members.length <= 1) return 'last_member';
    await tx
      .delete(membership)
      .where(and(eq(membership.organisationId, input.organisationId), eq(membership.role, 'member'), eq(membership.userId, input.userId)));
    return 'removed';
  });
}
