// The person's capability links: the manage link and the personal calendar feed. Each token is
// 32 random bytes; only its SHA-256 is stored (registration_token). A raw token exists only in
// the response right after registering by phone without texts (manage link: that person has no
// other way to it, docs/decisions/0014) and in the mail or text that was rendered with it:
// every such mail mints its own (mails-batch.ts), all valid until the registration is
// erased or its identity purged. A feed token is minted only into a mail sent to the
// registration's own address, so holding one proves access to that mailbox (the feed lists every
// registration made with the address).
import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { pgArray, queryRows, type Database } from '../db/client.ts';
import { registration, registrationToken } from '../db/schema.ts';
import { languages, localPath } from '../i18n/index.ts';
import type { RegistrationState, RegistrationTokenKind } from '../domain/vocabulary.ts';
import { hashToken, isTokenShaped, randomToken } from '../lib/tokens.ts';

/** Stores a new token of this kind for the registration and returns it (the only time it is seen). */
export async function mintToken(db: Database, registrationId: number, kind: RegistrationTokenKind, now: Date): Promise<string> {
  const token = randomToken();
  const [stored] = await storeTokens(db, [{ token, registrationId, kind, createdAt: now }]);
  if (!stored) throw new Error(`no registration ${registrationId} to mint a token for`);
  return token;
}

export interface TokenToStore {
  token: string;
  registrationId: number;
  kind: RegistrationTokenKind;
  createdAt: Date;
}

/**
 * Stores many tokens in one statement (the mail worker mints those of every mail in flight at
 * once); returns, for each, whether it was stored. A token of a registration erased meanwhile is
 * left out instead of failing the whole statement, so one erasure does not hold back the others.
 */
export async function storeTokens(db: Database, tokens: readonly TokenToStore[]): Promise<boolean[]> {
  const hashes = tokens.map((t) => hashToken(t.token));
  const stored = await queryRows<{ hash: string }>(
    db,
    sql`insert into ${registrationToken} (token_hash, registration_id, kind, created_at)
        select t.hash, t.registration_id, t.kind, t.created_at
        from unnest(${pgArray(hashes)}::text[], ${pgArray(tokens.map((t) => t.registrationId))}::int[],
                    ${pgArray(tokens.map((t) => t.kind))}::text[], ${pgArray(tokens.map((t) => t.createdAt.toISOString()))}::timestamptz[])
             as t(hash, registration_id, kind, created_at)
        where exists (select 1 from ${registration} where ${registration.id} = t.registration_id)
        returning token_hash as hash`,
  );
  const storedHashes = new Set(stored.map((row) => row.hash));
  return hashes.map((hash) => storedHashes.has(hash));
}

/** The registration a token of this kind opens, or null. */
export async function registrationIdForToken(db: Database, token: string, kind: RegistrationTokenKind): Promise<number | null> {
  if (!isTokenShaped(token)) return null;
  const [row] = await db
    .select({ registrationId: registrationToken.registrationId })
    .from(registrationToken)
    .where(and(eq(registrationToken.tokenHash, hashToken(token)), eq(registrationToken.kind, kind)));
  return row?.registrationId ?? null;
}

/** The manage page's address, in the language of the moment (the mail's, the page's). */
export function manageUrl(config: Pick<Config, 'publicUrl'>, token: string): string {
  return `${config.publicUrl}${localPath(`/inscription/${token}`)}`;
}

/**
 * An absolute address of the site (« https://…/evenements/12 ») in the language of the moment,
 * unless it carries a language already: for addresses other features build (the event's page).
 */
export function inCurrentLanguage(config: Pick<Config, 'publicUrl'>, url: string): string {
  if (!url.startsWith(`${config.publicUrl}/`)) return url;
  const path = url.slice(config.publicUrl.length);
  if (languages().some((l) => path === `/${l.code}` || path.startsWith(`/${l.code}/`))) return url;
  return `${config.publicUrl}${localPath(path)}`;
}

/** Where the person's mails go: their own address, else the helper's. */
export function recipientOf(r: { email: string | null; contactEmail: string | null }): string | null {
  return r.email ?? r.contactEmail;
}

/**
 * Where a registration's own links (a fresh manage link, the personal feed link) may be sent: its
 * own address, while it is active. The one rule for the manage page, « renvoyer le lien » and the
 * mails that carry the feed link.
 */
export function linksRecipient(r: { state: RegistrationState; email: string | null; contactEmail: string | null }): { to: string } | { refused: 'cancelled' | 'no_address' } {
  if (r.state === 'cancelled') return { refused: 'cancelled' };
  const to = recipientOf(r);
  return to ? { to } : { refused: 'no_address' };
}
