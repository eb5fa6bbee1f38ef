// Accounts: people, sign-in links, organisations and their members. Domain rules only (no HTTP):
// every function takes a database handle (or a transaction) and plain values, and the caller's
// `now` — the database clock is never used for decisions, so tests and app agree on time.
import { and, asc, count, desc, eq, gt, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { appUser, event, membership, organisation, session, signInToken, territory } from '../db/schema.ts';
import { hashToken, isTokenShaped, randomToken } from '../lib/tokens.ts';
import { enqueueMail } from '../mail/outbox.ts';
import type { SessionUser } from '../plugins/session.ts';
import { normaliseEmail, type OrganisationInput } from './schemas.ts';

/** A sign-in link works once, for this long. */
export const SIGN_IN_LINK_MS = 10 * 60 * 1000;
/** An invitation is read days later: its link lasts a week (still single use, still hashed). */
export const INVITATION_LINK_MS = 7 * 24 * 60 * 60 * 1000;
/** At most this many links to one address in the window, whoever asks (protects that mailbox). */
export const SIGN_IN_PER_EMAIL = { max: 5, windowMs: 15 * 60 * 1000 };

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

// ——— Sign-in links ———

export function signInUrl(publicUrl: string, token: string, returnTo?: string | null): string {
  const back = returnTo && returnTo !== '/espace' ? `&retour=${encodeURIComponent(returnTo)}` : '';
  return `${publicUrl}/connexion/lien?jeton=${token}${back}`;
}

/** A new single-use token for `email`: only its SHA-256 is stored; the raw token is returned once. */
async function issueLinkToken(tx: Database, email: string, now: Date, lifetimeMs: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + lifetimeMs);
  await tx.insert(signInToken).values({ tokenHash: hashToken(token), email: normaliseEmail(email), expiresAt, createdAt: now });
  return { token, expiresAt };
}

export type SignInRequestResult = { ok: true } | { ok: false; reason: 'too_many'; retryAfterMinutes: number };

/**
 * Someone asks for a sign-in link. Every well-formed address gets one (see
 * docs/decisions/0003-sign-in.md): the account is created only when the link is used. The token
 * and its mail are written in one transaction; per address, at most SIGN_IN_PER_EMAIL links in the
 * window — counted in the database, so the limit holds across app processes.
 */
export async function requestSignIn(
  db: Database,
  input: { email: string; now: Date; publicUrl: string; returnTo?: string | null },
): Promise<SignInRequestResult> {
  const email = normaliseEmail(input.email);
  const { now } = input;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rassembler:sign-in:${email}`}))`);
    const since = new Date(now.getTime() - SIGN_IN_PER_EMAIL.windowMs);
    const recent = await tx
      .select({ createdAt: signInToken.createdAt })
      .from(signInToken)
      .where(and(eq(signInToken.email, email), gt(signInToken.createdAt, since)))
      .orderBy(asc(signInToken.createdAt));
    if (recent.length >= SIGN_IN_PER_EMAIL.max) {
      const freeAt = recent[recent.length - SIGN_IN_PER_EMAIL.max]!.createdAt.getTime() + SIGN_IN_PER_EMAIL.windowMs;
      return { ok: false, reason: 'too_many', retryAfterMinutes: Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000)) };
    }
    const { token, expiresAt } = await issueLinkToken(tx, email, now, SIGN_IN_LINK_MS);
    await enqueueMail(tx, {
      kind: 'sign_in_link',
      to: email,
      payload: { url: signInUrl(input.publicUrl, token, input.returnTo), expiresAt: expiresAt.toISOString() },
      sendAfter: now,
    });
    return { ok: true };
  });
}

/** Used or expired links are kept this long, so that a late click still hears « déjà utilisé » or « expiré ». */
const SPENT_TOKEN_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes what no longer opens anything: expired sessions, and sign-in links used or expired for
 * more than SPENT_TOKEN_KEPT_MS (longer than the per-address limit's window, which counts them).
 * For the hourly purge; returns how many rows went.
 */
export async function purgeSpentCredentials(db: Database, now: Date): Promise<{ sessions: number; signInTokens: number }> {
  const spentBefore = new Date(now.getTime() - SPENT_TOKEN_KEPT_MS);
  const sessions = await db.delete(session).where(lte(session.expiresAt, now)).returning({ sid: session.sid });
  const tokens = await db
    .delete(signInToken)
    .where(or(lt(signInToken.expiresAt, spentBefore), lt(signInToken.usedAt, spentBefore)))
    .returning({ tokenHash: signInToken.tokenHash });
  return { sessions: sessions.length, signInTokens: tokens.length };
}

export type TokenProblem = 'invalid' | 'used' | 'expired';

/** Looks at a link without using it (the GET page: mail scanners open links). */
export async function inspectSignInToken(
  db: Database,
  token: string,
  now: Date,
): Promise<{ ok: true; email: string; expiresAt: Date } | { ok: false; reason: TokenProblem }> {
  if (!isTokenShaped(token)) return { ok: false, reason: 'invalid' };
  const [row] = await db.select().from(signInToken).where(eq(signInToken.tokenHash, hashToken(token)));
  if (!row) return { ok: false, reason: 'invalid' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, email: row.email, expiresAt: row.expiresAt };
}

/**
 * Uses a link: marks it used in the same statement that checks it (two clicks cannot both win),
 * creates the account on a first sign-in, and records the sign-in time.
 */
export async function consumeSignInToken(db: Database, token: string, now: Date): Promise<{ ok: true; user: User } | { ok: false; reason: TokenProblem }> {
  if (!isTokenShaped(token)) return { ok: false, reason: 'invalid' };
  const tokenHash = hashToken(token);
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(signInToken)
      .set({ usedAt: now })
      .where(and(eq(signInToken.tokenHash, tokenHash), isNull(signInToken.usedAt), gt(signInToken.expiresAt, now)))
      .returning({ email: signInToken.email });
    if (!claimed) {
      const [row] = await tx.select().from(signInToken).where(eq(signInToken.tokenHash, tokenHash));
      return { ok: false, reason: !row ? 'invalid' : row.usedAt ? 'used' : 'expired' };
    }
    const { user } = await findOrCreateUser(tx, claimed.email);
    const [signedIn] = await tx.update(appUser).set({ lastSignInAt: now }).where(eq(appUser.id, user.id)).returning();
    return { ok: true, user: signedIn! };
  });
}

/**
 * An invitation mail (to an organisation, or as a territory's coordinator) with a week-long
 * sign-in link. Called inside the transaction that creates the membership.
 */
export async function queueInvitation(
  tx: Database,
  input: { email: string; now: Date; publicUrl: string; invitedByUserId: number; organisationId?: number; territoryId?: number },
): Promise<void> {
  const { token, expiresAt } = await issueLinkToken(tx, input.email, input.now, INVITATION_LINK_MS);
  const scope = input.organisationId !== undefined ? { organisationId: input.organisationId } : { territoryId: input.territoryId };
  await enqueueMail(tx, {
    kind: 'invitation',
    to: normaliseEmail(input.email),
    payload: { ...scope, invitedByUserId: input.invitedByUserId, url: signInUrl(input.publicUrl, token), expiresAt: expiresAt.toISOString() },
    sendAfter: input.now,
  });
}

// ——— What a signed-in person sees ———

export async function organisationsOfUser(db: Database, userId: number) {
  return db
    .select({ id: organisation.id, name: organisation.name, kind: organisation.kind, territoryName: territory.name })
    .from(membership)
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .innerJoin(territory, eq(territory.id, organisation.territoryId))
    .where(and(eq(membership.userId, userId), eq(membership.role, 'member')))
    .orderBy(asc(organisation.name));
}

export async function coordinatedTerritories(db: Database, userId: number) {
  return db
    .select({ id: territory.id, name: territory.name })
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
