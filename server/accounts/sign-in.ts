// Accounts: sign-in and invitation links (single use, stored hashed), and their purge. Domain
// rules only (no HTTP):
// every function takes a database handle (or a transaction) and plain values, and the caller's
// `now` — the database clock is never used for decisions, so tests and app agree on time.
import { and, asc, eq, gt, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { appUser, session, signInToken } from '../db/schema.ts';
import { hashToken, isTokenShaped, randomToken } from '../lib/tokens.ts';
import { currentLanguage, localPath } from '../i18n/index.ts';
import { enqueueMail } from '../mail/index.ts';
import { findOrCreateUser, type User } from './people.ts';
import { normaliseEmail } from './schemas.ts';

/** A sign-in link works once, for this long. */
export const SIGN_IN_LINK_MS = 10 * 60 * 1000;
/** An invitation is read days later: its link lasts a week (still single use, still hashed). */
export const INVITATION_LINK_MS = 7 * 24 * 60 * 60 * 1000;
/** At most this many links to one address in the window, whoever asks (protects that mailbox). */
export const SIGN_IN_PER_EMAIL = { max: 5, windowMs: 15 * 60 * 1000 };

/** The link of a sign-in or invitation mail, in the language of the moment (« /en/connexion/lien… »). */
export function signInUrl(publicUrl: string, token: string, returnTo?: string | null): string {
  const back = returnTo && returnTo !== '/espace' ? `&retour=${encodeURIComponent(returnTo)}` : '';
  return `${publicUrl}${localPath(`/connexion/lien?jeton=${token}${back}`)}`;
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
      // Written in the language of the page that asked for it, as is the link it carries.
      language: currentLanguage().code,
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
    // The invitee's language is unknown: the inviter's is the best guess, and the link opens in it.
    language: currentLanguage().code,
  });
}
