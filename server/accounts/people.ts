// Accounts: people (users and administrators). Domain rules only (no HTTP):
// every function takes a database handle (or a transaction) and plain values, and the caller's
// `now` — the database clock is never used for decisions, so tests and app agree on time.
import { asc, count, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { appUser } from '../db/schema.ts';
import { normaliseEmail } from './schemas.ts';

export type User = typeof appUser.$inferSelect;

/** Unique violations, whichever driver raised them (drizzle wraps the driver's error in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '23505') return true;
  }
  return false;
}

// ——— People ———

export async function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(appUser)
    .where(eq(sql`lower(${appUser.email})`, normaliseEmail(email)));
  return user;
}

/** The person with this address, created if absent (safe when two requests race). */
export async function findOrCreateUser(db: Database, email: string): Promise<{ user: User; created: boolean }> {
  const address = normaliseEmail(email);
  const [inserted] = await db.insert(appUser).values({ email: address }).onConflictDoNothing().returning();
  if (inserted) return { user: inserted, created: true };
  const existing = await findUserByEmail(db, address);
  if (!existing) throw new Error(`app_user for ${address} neither inserted nor found`);
  return { user: existing, created: false };
}

/**
 * The administrator named by ADMIN_EMAIL or `npm run admin -- add`: created, or flagged if the
 * person exists. Idempotent, so it runs at every start.
 */
export async function ensureAdmin(db: Database, email: string): Promise<{ user: User; created: boolean; promoted: boolean }> {
  return db.transaction(async (tx) => {
    const { user, created } = await findOrCreateUser(tx, email);
    if (user.isAdmin) return { user, created, promoted: false };
    const [updated] = await tx.update(appUser).set({ isAdmin: true }).where(eq(appUser.id, user.id)).returning();
    return { user: updated!, created, promoted: !created };
  });
}

export async function listAdmins(db: Database): Promise<User[]> {
  return db.select().from(appUser).where(eq(appUser.isAdmin, true)).orderBy(asc(sql`lower(${appUser.email})`));
}

export type RemoveAdminResult = 'removed' | 'unknown' | 'not_admin' | 'last_admin';

/** Takes the administrator role away (the account stays); never the last administrator. */
export async function removeAdmin(db: Database, email: string): Promise<RemoveAdminResult> {
  return db.transaction(async (tx) => {
    // One at a time, so that two removals cannot leave nobody.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rassembler:admins'))`);
    const user = await findUserByEmail(tx, email);
    if (!user) return 'unknown';
    if (!user.isAdmin) return 'not_admin';
    const [{ admins } = { admins: 0 }] = await tx.select({ admins: count() }).from(appUser).where(eq(appUser.isAdmin, true));
    if (admins <= 1) return 'last_admin';
    await tx.update(appUser).set({ isAdmin: false }).where(eq(appUser.id, user.id));
    return 'removed';
  });
}

export async function updateProfile(db: Database, userId: number, values: { name: string | null }): Promise<void> {
  await db.update(appUser).set({ name: values.name }).where(eq(appUser.id, userId));
}
