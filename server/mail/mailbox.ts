// The local mailbox: the .eml files the local transport writes (no SMTP_URL), read back for the
// /boite-aux-lettres page so a newcomer can open the mails the app sent (sign-in links included).
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AddressObject, ParsedMail, simpleParser } from 'mailparser';
import type { Config } from '../config.ts';
import { emlFileName, mailDir } from './transport.ts';
import { t } from '../i18n/index.ts';
import { loadOnFirstUse } from '../lib/load-on-first-use.ts';

// Only the mailbox page reads mails back.
const mailparser = loadOnFirstUse<{ simpleParser: typeof simpleParser }>('mailparser');

export interface MailboxEntry {
  id: number;
  date: Date | null;
  to: string;
  subject: string;
}

export interface MailboxMessage extends MailboxEntry {
  from: string;
  text: string;
  /** The HTML part, as sent (shown only in a sandboxed page). */
  html: string | null;
  /** Every web address in the text part, so they can be followed with one click. */
  links: string[];
  /** Files attached (the invite's text/calendar body part is not one: it is shown as the invitation). */
  attachments: Array<{ index: number; filename: string; contentType: string; size: number }>;
}

/** The local mailbox exists when mails are not sent over SMTP. */
export function mailboxEnabled(config: Pick<Config, 'smtpUrl'>): boolean {
  return !config.smtpUrl;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

async function parse(config: Pick<Config, 'dataDir'>, id: number): Promise<ParsedMail | null> {
  const file = path.join(mailDir(config), emlFileName(id));
  if (!existsSync(file)) return null;
  return mailparser().simpleParser(await readFile(file));
}

/** The newest mails first (by outbox id, which follows the order they were queued). */
export async function listMailbox(config: Pick<Config, 'dataDir'>, limit = 200): Promise<MailboxEntry[]> {
  const dir = mailDir(config);
  if (!existsSync(dir)) return [];
  const ids = (await readdir(dir))
    .map((name) => /^outbox-(\d+)\.eml$/.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => b - a)
    .slice(0, limit);
  const entries = await Promise.all(
    ids.map(async (id) => {
      const mail = await parse(config, id);
      return mail ? { id, date: mail.date ?? null, to: addresses(mail.to), subject: mail.subject ?? t('mailbox:mailbox.noSubject') } : null;
    }),
  );
  return entries.filter((e): e is MailboxEntry => e !== null);
}

/** http(s) addresses in a text, without the punctuation that ends a sentence. */
export function extractLinks(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'«»]+/g) ?? [];
  return [...new Set(found.map((url) => url.replace(/[.,;:!?)\]]+$/, '')))];
}

export async function readMailboxMessage(config: Pick<Config, 'dataDir'>, id: number): Promise<MailboxMessage | null> {
  const mail = await parse(config, id);
  if (!mail) return null;
  const text = mail.text ?? '';
  return {
    id,
    date: mail.date ?? null,
    to: addresses(mail.to),
    from: addresses(mail.from),
    subject: mail.subject ?? t('mailbox:mailbox.noSubject'),
    text,
    html: typeof mail.html === 'string' ? mail.html : null,
    links: extractLinks(text),
    attachments: mail.attachments
      .map((a, index) => ({ index, filename: a.filename ?? 'piece-jointe', contentType: a.contentType, size: a.size, disposition: a.contentDisposition }))
      .filter((a) => a.disposition === 'attachment')
      .map(({ disposition: _, ...a }) => a),
  };
}

/** One attachment's bytes (the calendar invite, to check it in a calendar app). */
export async function readMailboxAttachment(config: Pick<Config, 'dataDir'>, id: number, index: number) {
  const mail = await parse(config, id);
  const attachment = mail?.attachments[index];
  return attachment ? { filename: attachment.filename ?? 'piece-jointe', contentType: attachment.contentType, content: attachment.content } : null;
}

/** Removes the local .eml files of these outbox rows, if any (erasure and purge of personal data). */
export async function deleteLocalMails(config: Pick<Config, 'dataDir'>, outboxIds: number[]): Promise<void> {
  const dir = mailDir(config);
  if (outboxIds.length === 0 || !existsSync(dir)) return;
  await Promise.all(outboxIds.map((id) => rm(path.join(dir, emlFileName(id)), { force: true })));
}
