// Administration: territories (CLSM), editions (one per year) and the coordinators of each
// territory. Domain rules only; the routes check that the person is an administrator.
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { appUser, edition, membership, territory } from '../db/schema.ts';
import type { FieldError } from '../plugins/views.ts';
import { t } from '../i18n/index.ts';
import type { EditionInput, TerritoryInput } from './schemas.ts';
import { findOrCreateUser, isUniqueViolation } from './people.ts';
import { queueInvitation } from './sign-in.ts';

export type Saved = { ok: true; id: number } | { ok: false; errors: FieldError[] };

// ——— Territories ———

export async function listTerritories(db: Database) {
  const rows = await db.select().from(territory).orderBy(asc(territory.name));
  const counts = await db
    .select({ territoryId: membership.territoryId, coordinators: count() })
    .from(membership)
    .where(eq(membership.role, 'coordinator'))
    .groupBy(membership.territoryId);
  const byTerritory = new Map(counts.map((c) => [c.territoryId, c.coordinators]));
  return rows.map((row) => ({ ...row, coordinators: byTerritory.get(row.id) ?? 0 }));
}

export async function getTerritory(db: Database, id: number) {
  const [row] = await db.select().from(territory).where(eq(territory.id, id));
  return row;
}

const slugTaken = (slug: string): FieldError[] => [
  { field: 'slug', message: t('accounts:admin.territoryPage.slugTaken', { slug }) },
];

export async function createTerritory(db: Database, input: TerritoryInput, now: Date): Promise<Saved> {
  try {
    const [row] = await db
      .insert(territory)
      .values({ name: input.name, slug: input.slug, communes: input.communes, timeZone: input.timeZone, createdAt: now })
      .returning({ id: territory.id });
    return { ok: true, id: row!.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: slugTaken(input.slug) };
    throw error;
  }
}

export async function updateTerritory(db: Database, id: number, input: TerritoryInput): Promise<Saved> {
  try {
    await db
      .update(territory)
      .set({ name: input.name, slug: input.slug, communes: input.communes, timeZone: input.timeZone })
      .where(eq(territory.id, id));
    return { ok: true, id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: slugTaken(input.slug) };
    throw error;
  }
}

// ——— Editions ———

export async function listEditions(db: Database) {
  return db.select().from(edition).orderBy(desc(edition.year));
}

export async function getEdition(db: Database, id: number) {
  const [row] = await db.select().from(edition).where(eq(edition.id, id));
  return row;
}

const yearTaken = (year: number): FieldError[] => [{ field: 'year', message: t('accounts:admin.editionForm.yearTaken', { year }) }];

export async function createEdition(db: Database, input: EditionInput, now: Date): Promise<Saved> {
  try {
    const [row] = await db.insert(edition).values({ ...input, createdAt: now }).returning({ id: edition.id });
    return { ok: true, id: row!.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: yearTaken(input.year) };
    throw error;
  }
}

export async function updateEdition(db: Database, id: number, input: EditionInput): Promise<Saved> {
  try {
    await db.update(edition).set(input).where(eq(edition.id, id));
    return { ok: true, id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: yearTaken(input.year) };
    throw error;
  }
}

// ——— Coordinators ———

export async function listCoordinators(db: Database, territoryId: number) {
  return db
    .select({ userId: appUser.id, email: appUser.email, name: appUser.name, lastSignInAt: appUser.lastSignInAt })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.territoryId, territoryId), eq(membership.role, 'coordinator')))
    .orderBy(asc(sql`lower(${appUser.email})`));
}

export type NameCoordinatorResult = { ok: true; created: boolean } | { ok: false; reason: 'already_coordinator' };

/** Names a coordinator (the person is created if needed) and queues their invitation, in one transaction. */
export async function nameCoordinator(
  db: Database,
  input: { territoryId: number; email: string; invitedByUserId: number; now: Date; publicUrl: string },
): Promise<NameCoordinatorResult> {
  return db.transaction(async (tx) => {
    const { user, created } = await findOrCreateUser(tx, input.email);
    const [added] = await tx
      .insert(membership)
      .values({ userId: user.id, role: 'coordinator', territoryId: input.territoryId, createdAt: input.now })
      .onConflictDoNothing()
      .returning({ id: membership.id });
    if (!added) return { ok: false, reason: 'already_coordinator' } as const;
    await queueInvitation(tx, { email: user.email, now: input.now, publicUrl: input.publicUrl, invitedByUserId: input.invitedByUserId, territoryId: input.territoryId });
    return { ok: true, created } as const;
  });
}

/** Ends a coordination (the account stays). Returns false if the person was not a coordinator there. */
export async function removeCoordinator(db: Database, territoryId: number, userId: number): Promise<boolean> {
  const removed = await db
    .delete(membership)
    .where(and(eq(membership.territoryId, territoryId), eq(membership.role, 'coordinator'), eq(membership.userId, userId)))
    .returning({ id: membership.id });
  return removed.length > 0;
}
