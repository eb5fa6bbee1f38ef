// Renders an outbox row into a mail, at send time, from current data: the payload only holds ids,
// so a reminder sent days later shows today's time and place. The row's kind (from the registry)
// says what to read, whether the mail still makes sense, the subject and the invite; its template
// pair renders inside the shared layout (views/mail/emails/layout.*.eta).
//
// A row about something gone (registration erased, event cancelled before its reminder) is not an
// error: the kind returns { skip } and the worker marks the row sent with that note.
import { Eta } from 'eta';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { currentLanguage, formatNumber, inLanguage, t, tHtml } from '../i18n/index.ts';
import { escapeHtml, viewsDir } from '../plugins/views.ts';
import { newRenderBatch, type RenderBatch } from './batch.ts';
import type { MailInvite, MailRegistry, MailRow, Skip } from './kinds.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  invite?: MailInvite;
}

/** What an 'sms' row sends: the kind's short text, nothing else. */
export interface RenderedSms {
  sms: string;
}

export type RenderResult = RenderedMail | RenderedSms | Skip;

// Two engines: HTML escapes what it prints, plain text must not (« l'atelier », not « l&#39;atelier »).
const engines = new Map<string, Eta>();
const mailHelpers = { formatNumber, escapeHtml };
function engine(kind: 'html' | 'text', cache: boolean): Eta {
  const key = `${kind}|${cache}`;
  let eta = engines.get(key);
  if (!eta) {
    eta = new Eta({ views: viewsDir, cache, autoEscape: kind === 'html', autoTrim: false });
    engines.set(key, eta);
  }
  return eta;
}

/**
 * The mail an outbox row stands for, from current data, or why there is nothing to send: written
 * in the row's language (the recipient's), whoever caused it — subject, text, HTML, SMS and invite.
 */
export async function renderMail(registry: MailRegistry, db: Database, config: Config, row: MailRow, now: Date, batch: RenderBatch = newRenderBatch(db, config)): Promise<RenderResult> {
  return inLanguage(row.language, () => renderInLanguage(registry, db, config, row, now, batch));
}

async function renderInLanguage(registry: MailRegistry, db: Database, config: Config, row: MailRow, now: Date, batch: RenderBatch): Promise<RenderResult> {
  const kind = registry.kinds.get(row.kind);
  if (!kind) throw new Error(`type de courriel inconnu : ${row.kind}`);
  const prepared = await kind.prepare({ db, config, row, now, shared: batch.shared(kind.share) });
  if ('skip' in prepared) return prepared;
  if (row.channel === 'sms') {
    if (prepared.sms === undefined) throw new Error(`pas de texte SMS pour le type ${row.kind}`);
    return { sms: prepared.sms };
  }
  // `it.t` / `it.tHtml` write the mail's words in the row's language, `it.language` is that language (`<html lang>`).
  const data = { ...prepared.data, subject: prepared.subject, reason: prepared.reason, publicUrl: config.publicUrl, t, tHtml, h: mailHelpers, language: currentLanguage() };
  const [html, text] = await Promise.all([
    engine('html', config.viewCache).renderAsync(`/${kind.template}.html.eta`, data),
    engine('text', config.viewCache).renderAsync(`/${kind.template}.text.eta`, data),
  ]);
  return { subject: prepared.subject, html, text: tidyText(text), ...(prepared.invite ? { invite: prepared.invite } : {}) };
}

/** renderMail with these kinds, for whoever renders one mail outside the worker (tests). */
export function mailRenderer(registry: MailRegistry) {
  return (db: Database, config: Config, row: MailRow, now: Date, batch?: RenderBatch) => renderMail(registry, db, config, row, now, batch);
}

/** At most one blank line in a row, no trailing spaces: templates can stay readable. */
function tidyText(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
