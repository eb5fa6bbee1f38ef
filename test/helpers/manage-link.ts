// The one way a test gets the manage link of a registration made through HTTP: as the person does,
// from the message sent to them. The registration's answer page shows no link when a mail or a
// text carries it (docs/decisions/0014), and tokens are stored hashed; so the newest confirmation
// queued for the address (or E.164 number) is rendered as the worker renders it, which mints the
// link's token, and the link is read from the text.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Config } from '../../server/config.ts';
import type { Database } from '../../server/db/client.ts';
import { outbox } from '../../server/db/schema.ts';
import { renderMail } from '../../server/mail-kinds.ts';

const CONFIRMATIONS = ['registration_confirmed', 'registration_waitlisted'];

/** The token of the manage link in the newest confirmation (mail or text) queued for `to`. */
export async function manageTokenSentTo(deps: { db: Database; config: Config; clock: { now(): Date } }, to: string): Promise<string> {
  const [row] = await deps.db
    .select()
    .from(outbox)
    .where(and(inArray(outbox.kind, CONFIRMATIONS), eq(sql`lower(${outbox.recipient})`, to.toLowerCase())))
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!row) throw new Error(`no confirmation queued for ${to}`);
  const rendered = await renderMail(deps.db, deps.config, row, deps.clock.now());
  if ('skip' in rendered) throw new Error(`the confirmation for ${to} is not sent: ${rendered.skip}`);
  const text = 'sms' in rendered ? rendered.sms : rendered.text;
  const token = /\/inscription\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (!token) throw new Error(`no manage link in the confirmation for ${to}`);
  return token;
}
