// What a kind of mail is to the mail feature. Each feature defines the kinds it causes (a label for
// administrators, the payload keys holding a secret, how to render one from current data) and may
// queue some on a schedule; one composition point (server/mail-kinds.ts) gathers them into the
// registry handed to the worker, the admin pages and the tests. The mail feature knows no kind.
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { OutboxChannel } from '../db/schema.ts';
import type { BatchShare } from './batch.ts';

/** An outbox row as a kind sees it: the payload only holds ids and values, never a whole mail. */
export interface MailRow {
  id: number;
  kind: string;
  /** 'sms': `recipient` is a phone number (E.164) and only PreparedMail.sms is sent; 'email' when absent. */
  channel?: OutboxChannel;
  recipient: string;
  payload: Record<string, unknown>;
  /** The language the row is rendered in (outbox.language); French when absent. */
  language?: string;
}

export interface MailInvite {
  method: 'REQUEST' | 'CANCEL';
  content: string;
}

/** What a kind hands to its templates. */
export interface PreparedMail {
  subject: string;
  data: Record<string, unknown>;
  /** Why the person gets this mail (the footer). */
  reason: string;
  invite?: MailInvite;
  /** The short text sent instead when the row's channel is 'sms' (plain, a few hundred
   *  characters at most); a kind without one cannot be sent by text. */
  sms?: string;
}

/** Nothing to send any more (registration erased, event cancelled…): the worker notes why. */
export type Skip = { skip: string };

/** For kinds that read on their own. */
export const nothingShared: BatchShare<null> = () => null;

export interface MailContext<S> {
  db: Database;
  config: Config;
  row: MailRow;
  now: Date;
  shared: S;
}

export interface MailKind<S = unknown> {
  /** What the kind is, in words an administrator reads (failed mails page). */
  label: string;
  /** Payload keys that carry a secret (a sign-in link is a password for a while): erased once
   *  the mail is sent, skipped or failed, so they do not stay at rest in the outbox. */
  secretPayloadKeys?: readonly string[];
  /** Claimed before any other due mail (a sign-in link expires within minutes). */
  urgent?: boolean;
  /** The template pair views/<template>.html.eta and .text.eta, inside the shared layout. */
  template: string;
  share: BatchShare<S>;
  /** What the mail says, from current data, or why there is nothing to send. */
  prepare(ctx: MailContext<S>): Promise<PreparedMail | Skip>;
}

/** The kinds of one feature that share what they read, their templates in `viewsFolder`/<kind>. */
export function mailKindGroup<S>(viewsFolder: string, share: BatchShare<S>, kinds: Record<string, Omit<MailKind<S>, 'template' | 'share'>>): Record<string, MailKind<S>> {
  return Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [name, { ...kind, template: `${viewsFolder}/${name}`, share }]));
}

/** Queues the mails nobody's click causes (reminders…), with dedupe keys so that running it twice
 *  queues nothing twice; says how many it queued. */
export type MailScheduler = (db: Database, config: Config, now: Date) => Promise<{ total: number }>;

/** Told, in the transaction that marks them failed, of the texts that will never leave, so that
 *  the feature that queued them tells the person another way (the organiser's call list). */
export type FailedSmsHandler = (tx: Database, rows: ReadonlyArray<Pick<MailRow, 'id' | 'kind' | 'payload'>>, now: Date) => Promise<void>;

export interface MailRegistry {
  kinds: ReadonlyMap<string, MailKind>;
  schedulers: readonly MailScheduler[];
  onSmsFailed?: FailedSmsHandler;
}

export function mailRegistry(
  groups: ReadonlyArray<Readonly<Record<string, MailKind>>>,
  schedulers: readonly MailScheduler[],
  onSmsFailed?: FailedSmsHandler,
): MailRegistry {
  const kinds = new Map<string, MailKind>();
  for (const [name, kind] of groups.flatMap((group) => Object.entries(group))) {
    // Two features claiming one name would silently render each other's mails.
    if (kinds.has(name)) throw new Error(`mail kind defined twice: ${name}`);
    kinds.set(name, kind);
  }
  return { kinds, schedulers, ...(onSmsFailed ? { onSmsFailed } : {}) };
}

/** A payload value as an integer id (JSON may have turned it into a string), or null. */
export const payloadInt = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null);
/** A payload value as non-blank text, or null. */
export const payloadText = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
