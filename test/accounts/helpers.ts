// Shared steps for the account tests: ask for a link, read it from the outbox, use it.
import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { outbox } from '../../server/db/schema.ts';
import type { Agent } from '../helpers/app.ts';

/** The newest mail of a kind sent to `to`, with the token of its link. */
export async function lastMail(db: Database, kind: string, to: string) {
  const [row] = await db.select().from(outbox).where(eq(outbox.recipient, to)).orderBy(desc(outbox.id)).limit(1);
  if (!row || row.kind !== kind) throw new Error(`no ${kind} mail to ${to}`);
  const url = new URL(String(row.payload.url));
  return { row, url, token: url.searchParams.get('jeton') ?? '' };
}

/** Asks for a sign-in link as a browser would, and returns the link from the mail. */
export async function requestLink(agent: Agent, db: Database, email: string, retour?: string) {
  const res = await agent.post('/connexion', { email, retour });
  if (res.statusCode !== 303) throw new Error(`sign-in request answered ${res.statusCode}`);
  return lastMail(db, 'sign_in_link', email.trim().toLowerCase());
}

/** The whole sign-in through HTTP: request, open the link, press the button. */
export async function signInByLink(agent: Agent, db: Database, email: string) {
  const { url, token } = await requestLink(agent, db, email);
  await agent.get(url.pathname + url.search);
  const res = await agent.post('/connexion/lien', { jeton: token, retour: url.searchParams.get('retour') ?? undefined });
  if (res.statusCode !== 303) throw new Error(`sign-in answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  return res;
}
