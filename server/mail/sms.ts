// Where rendered texts go. With SMS_URL: Brevo's transactional SMS API (an HTTP POST per text,
// `api-key` header, JSON body; docs/decisions/0011-notification-channels.md). Without it (the
// embedded default): each text is written as a small message in DATA_DIR/mail, so the local
// mailbox page (/boite-aux-lettres) shows it beside the mails.
import type { Config } from '../config.ts';
import { localTransport } from './transport.ts';

export interface OutgoingSms {
  /** The outbox row id (names the local file). */
  outboxId: number;
  date: Date;
  /** E.164, e.g. +33612345678. */
  to: string;
  text: string;
}

export interface SmsTransport {
  kind: 'http' | 'local';
  send(sms: OutgoingSms): Promise<void>;
}

/** The provider refused this text for good (bad number, bad content): retrying would not help. */
export class PermanentSmsError extends Error {
  readonly permanent = true;
}

/**
 * Brevo's « Send SMS message to a mobile number »: POST {sender, recipient, content, type} with
 * the account's key; 201 when accepted. A 400 is about this text (invalid number, content): it is
 * final. Anything else (401/402 until the account is fixed, 429, 5xx, no answer) is retried.
 */
export function httpSmsTransport(options: { url: string; apiKey: string; sender: string; timeoutMs: number }): SmsTransport {
  return {
    kind: 'http',
    async send(sms) {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'api-key': options.apiKey, 'content-type': 'application/json', accept: 'application/json' },
        // The provider wants the international number without its +.
        body: JSON.stringify({ sender: options.sender, recipient: sms.to.replace(/^\+/, ''), content: sms.text, type: 'transactional' }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (response.ok) return;
      const body = (await response.text().catch(() => '')).slice(0, 500);
      const message = `le fournisseur de SMS a répondu ${response.status}${body ? ` : ${body}` : ''}`;
      throw response.status === 400 ? new PermanentSmsError(message) : new Error(message);
    },
  };
}

/** A text as a local message in the mailbox (same file name as a mail: the outbox id). */
export function localSmsTransport(config: Pick<Config, 'dataDir' | 'publicUrl'>): SmsTransport {
  const files = localTransport(config);
  const host = new URL(config.publicUrl).hostname;
  return {
    kind: 'local',
    send: (sms) =>
      files.send({
        outboxId: sms.outboxId,
        messageId: `<sms-${sms.outboxId}@${host}>`,
        date: sms.date,
        from: `SMS <sms@${host}>`,
        to: `SMS ${sms.to} <sms@${host}>`,
        subject: `SMS pour ${sms.to}`,
        text: sms.text,
        html: `<pre style="white-space: pre-wrap">${sms.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`,
      }),
  };
}

/**
 * Mails really leave (SMTP_URL) but texts have no provider: a text written locally would reach
 * nobody, so it fails for good at once and the person lands on the organiser's call list.
 */
const noProvider: SmsTransport = {
  kind: 'local',
  send: () => Promise.reject(new PermanentSmsError("aucun fournisseur de SMS n'est configuré (SMS_URL) : personne à prévenir par téléphone")),
};

export function createSmsTransport(config: Pick<Config, 'smsUrl' | 'smsApiKey' | 'smsSender' | 'smtpUrl' | 'dataDir' | 'publicUrl'>, timeoutMs: number): SmsTransport {
  if (config.smsUrl && config.smsApiKey) return httpSmsTransport({ url: config.smsUrl, apiKey: config.smsApiKey, sender: config.smsSender, timeoutMs });
  return config.smtpUrl ? noProvider : localSmsTransport(config);
}
