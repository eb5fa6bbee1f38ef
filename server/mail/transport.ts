// Where rendered mails go. With SMTP_URL: a pooled nodemailer SMTP transport. Without it (the
// embedded default): each mail is built as the same raw RFC 822 message (buildMessage) and written as
// `DATA_DIR/mail/outbox-<id>.eml`, which the local mailbox page (/boite-aux-lettres) lists.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
// Private module of nodemailer (not in its documented API), pinned by test/mail/nodemailer-private-api.test.ts:
// see docs/decisions/0009-nodemailer-header-block.md.
import MimeNode from 'nodemailer/lib/mime-node/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Config } from '../config.ts';
import { isEmailAddress } from '../lib/email-address.ts';

/** A mail ready to leave: everything is rendered, nothing refers to the database any more. */
export interface OutgoingMail {
  /** The outbox row id: names the .eml file and makes the Message-ID. */
  outboxId: number;
  messageId: string;
  date: Date;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** An iTIP calendar object (REQUEST or CANCEL), sent as the text/calendar alternative and as an attachment. */
  invite?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

export interface MailTransport {
  kind: 'smtp' | 'local';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Base64 in lines of 76 characters (RFC 2045 §6.8), each ending with CRLF. */
function base64Lines(content: string): string {
  const encoded = Buffer.from(content, 'utf8').toString('base64');
  let lines = '';
  for (let i = 0; i < encoded.length; i += 76) lines += `${encoded.slice(i, i + 76)}\r\n`;
  return lines;
}

/** A multipart body: each part (its headers, a blank line, its content) after the boundary. */
function multipart(boundary: string, parts: string[]): string {
  return `${parts.map((part) => `--${boundary}\r\n${part}`).join('')}--${boundary}--\r\n`;
}

function base64Part(headers: string, content: string): string {
  return `${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(content)}`;
}

/**
 * The whole RFC 822 message, the same for both transports; SMTP sends it as one buffer (streamed
 * from a MIME tree, each header and line was a socket write of its own).
 *
 * The header block is nodemailer's (its MimeNode encodes the addresses and the subject, and folds
 * them); the body is written here. Nodemailer's composer built it as a tree of nodes streamed to a
 * buffer, a stream, a timer turn and a base64 transform per part: 1 ms per mail, the largest cost
 * of sending (npm run bench), against 0.1 ms for the same bytes written directly. Every part is
 * base64 with fixed headers, as the composer wrote them, so boundaries never collide with content
 * (neither `_` nor `-` is a base64 character).
 *
 * iTIP over email (RFC 6047): the invite goes twice, as a text/calendar alternative with the method
 * in its content type (mail clients show an invitation) and as an application/ics attachment (for
 * the others, and to import by hand).
 */
/** A recipient the app's one address syntax refuses: nothing is sent, and retrying would not help. */
export class UnsendableAddressError extends Error {
  readonly permanent = true;
}

function buildMessage(mail: OutgoingMail): Buffer {
  const alternativeBoundary = `--_Rsb-${mail.outboxId}-alternative`;
  const alternatives = [base64Part('Content-Type: text/plain; charset=utf-8', mail.text), base64Part('Content-Type: text/html; charset=utf-8', mail.html)];
  if (mail.invite) alternatives.push(base64Part(`Content-Type: text/calendar; charset=utf-8; method=${mail.invite.method}`, mail.invite.content));
  let contentType = `multipart/alternative; boundary="${alternativeBoundary}"`;
  let body = multipart(alternativeBoundary, alternatives);
  if (mail.invite) {
    const mixedBoundary = `--_Rsb-${mail.outboxId}-mixed`;
    body = multipart(mixedBoundary, [
      `Content-Type: ${contentType}\r\n\r\n${body}`,
      base64Part('Content-Type: application/ics; name=invitation.ics\r\nContent-Disposition: attachment; filename=invitation.ics', mail.invite.content),
    ]);
    contentType = `multipart/mixed; boundary="${mixedBoundary}"`;
  }
  // Encoded words in base64 (B), as the composer wrote them.
  const head = new MimeNode(contentType, { textEncoding: 'B' }).setHeader({
    From: mail.from,
    To: mail.to,
    Subject: mail.subject,
    'Message-ID': mail.messageId,
    Date: mail.date.toUTCString().replace('GMT', '+0000'),
  });
  return Buffer.from(`${head.buildHeaders()}\r\n\r\n${body}`, 'utf8');
}

export function mailDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'mail');
}

export function emlFileName(outboxId: number): string {
  return `outbox-${outboxId}.eml`;
}

/** How long SMTP may keep us waiting; nodemailer's own defaults go up to 10 minutes. */
export interface SmtpTimeouts {
  /** To open the connection: TCP and TLS for smtps://; for smtp://, the greeting timeout covers TCP
   *  too (see noDelaySocket). */
  connectionMs: number;
  /** For the server's greeting once connected. */
  greetingMs: number;
  /** Of silence on an open connection (any command, including the message data). */
  socketMs: number;
}

/**
 * The pool's sockets, opened here to turn Nagle's algorithm off, as nodemailer leaves it on. The
 * end of a message (a lone `.` line) is a small write right after the body: with Nagle it waits
 * until the server acknowledges the body, which the server delays (40 ms on Linux) since it has
 * nothing to answer yet. That capped each connection at about 25 mails per second: 169 mails/s with
 * 10 connections, 400 without the wait (npm run bench).
 *
 * Handed over while still connecting: nodemailer then handles a refused or silent connection as on
 * a socket of its own (an error ends that pool connection; the greeting timeout covers the wait),
 * and does the rest (TLS for smtps://, STARTTLS, timeouts). An error given to the callback instead
 * would leave the pool connection taken for good: after ten, nothing more would be sent.
 */
type SocketFactory = NonNullable<SMTPPool.Options['getSocket']>;
const noDelaySocket: SocketFactory = (options, callback) => {
  // Nodemailer's default ports when the URL names none.
  callback(null, { connection: connect({ host: options.host, port: Number(options.port) || (options.secure ? 465 : 587), noDelay: true }) });
};

/** SMTP, pooled: connections are reused across mails and batches. */
export function smtpTransport(url: string, options: { timeouts: SmtpTimeouts; maxConnections?: number }): MailTransport {
  const { timeouts } = options;
  // Options given beside a URL are taken as message defaults (no pool, nodemailer's timeouts), so
  // they go in the URL's query, which nodemailer documents as transport options.
  const poolUrl = new URL(url);
  const poolOptions = {
    pool: true,
    // Each mail waits on SMTP round trips (MAIL, RCPT, DATA, end of data): 10 connections sent
    // 407–425 mails/s, 5 sent 378–396, with Nagle's algorithm off (npm run bench).
    maxConnections: options.maxConnections ?? 10,
    maxMessages: 1000,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  };
  for (const [key, value] of Object.entries(poolOptions)) poolUrl.searchParams.set(key, String(value));
  const transporter: nodemailer.Transporter & { getSocket?: SocketFactory } = nodemailer.createTransport(poolUrl.href);
  // Nodemailer's documented hook for custom connections (its proxy support).
  transporter.getSocket = noDelaySocket;
  return {
    kind: 'smtp',
    async send(mail) {
      // The forms accept this syntax only; a row written some other way (an older version, by
      // hand) must not reach an envelope that would read it as several addresses.
      if (!isEmailAddress(mail.to)) throw new UnsendableAddressError(`adresse refusée : « ${mail.to} » n'est pas une adresse e-mail seule (nom@exemple.fr)`);
      // The Message-ID is inside the raw message; said again here, or nodemailer makes up a
      // random one for its log line.
      await transporter.sendMail({ envelope: { from: mail.from, to: mail.to }, messageId: mail.messageId, raw: buildMessage(mail) });
    },
    close: () => transporter.close(),
  };
}

/** Raw .eml files in DATA_DIR/mail; a mail sent twice (after a crash) overwrites its own file. */
export function localTransport(config: Pick<Config, 'dataDir'>): MailTransport {
  const dir = mailDir(config);
  return {
    kind: 'local',
    async send(mail) {
      const message = buildMessage(mail);
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, emlFileName(mail.outboxId));
      // Written aside then renamed, so the mailbox page never reads half a message.
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, message);
      renameSync(temp, file);
    },
    close: () => {},
  };
}

export function createTransport(config: Pick<Config, 'smtpUrl' | 'dataDir'>, timeouts: SmtpTimeouts): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl, { timeouts }) : localTransport(config);
}
