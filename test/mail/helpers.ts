// A real SMTP server for the mail tests (smtp-server on 127.0.0.1, a free port), keeping every
// message it accepts, parsed with mailparser; and a worker wired to it, driven by the test clock.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../helpers/free-port.ts';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { asc, eq } from 'drizzle-orm';
import type { Config } from '../../server/config.ts';
import type { Database } from '../../server/db/client.ts';
import { outbox } from '../../server/db/schema.ts';
import type { Clock } from '../../server/lib/clock.ts';
import { smtpTransport, type MailTransport } from '../../server/mail/transport.ts';
import { runWorkerOnce, SMTP_TIMEOUTS, type WorkerCounts, type WorkerOptions } from '../../server/mail/worker.ts';
import { mailKinds } from '../../server/mail-kinds.ts';
import { parseFeed, type ParsedFeed } from '../calendar/parse.ts';
import { TEST_SECRET } from '../helpers/app.ts';
import { npmScriptArguments } from '../helpers/npm-script.ts';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface Received {
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface Inbox {
  url: string;
  port: number;
  mails: Received[];
  /** Stops listening: connections are refused, as when the SMTP server is down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Mails received for `to` (envelope recipient). */
  to(address: string): Received[];
  /** Resolves once `count` mails have arrived in all (for the worker loop, which runs on its own). */
  waitFor(count: number): Promise<void>;
}


export async function startInbox(t: Teardown, options: { refuse?: (address: string) => boolean; delayMs?: number } = {}): Promise<Inbox> {
  const mails: Received[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const arrived = () => {
    for (const w of waiters.filter((w) => mails.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const port = await freePort();
  let server: SMTPServer | null = null;

  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // A mailbox that does not exist: a permanent refusal (550), as a real server answers.
      onRcptTo(address, _session, callback) {
        if (options.refuse?.(address.address)) {
          const error = new Error("550 5.1.1 Cette boîte n'existe pas") as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      // Answer 250 only once the message is parsed and stored: when sendMail resolves, it is here.
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          // A slow server (delayMs) keeps mails in flight long enough to kill a worker among them.
          Promise.all([simpleParser(raw), new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0))]).then(
            ([parsed]) => {
              mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
              callback();
              arrived();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });

  const up = () =>
    new Promise<void>((resolve, reject) => {
      const s = make();
      server = s;
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        // A client that goes away mid-session (a killed worker) is not the server's failure.
        s.on('error', () => {});
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
    });

  await up();
  t.teardown(down);
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    up,
    down,
    to: (address) => mails.filter((m) => m.envelopeTo.includes(address)),
    waitFor: (count) => (mails.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/** The compiled `scripts/worker.ts` (dist/worker.js) in its own process, as `npm run worker` runs it, on this database and inbox. */
export function spawnWorker(t: Teardown, databaseUrl: string, inbox: Inbox): WorkerProcess {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-worker-'));
  const child = spawn(process.execPath, npmScriptArguments('worker'), {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, SMTP_URL: inbox.url, SESSION_SECRET: TEST_SECRET, DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_URL: 'http://localhost:3000', DEMO_DATA: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { child, exited };
}

/** Polls `check` every 50 ms until it holds; fails after `timeoutMs` with `what`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A worker pass with an SMTP transport to the inbox (pooled, closed at teardown). */
export function workerFor(t: Teardown, deps: { db: Database; config: Config; clock: Clock }, inbox: Inbox, options: WorkerOptions = {}) {
  const transport: MailTransport = smtpTransport(inbox.url, { timeouts: SMTP_TIMEOUTS });
  t.teardown(() => transport.close());
  return {
    transport,
    run: (more: WorkerOptions = {}): Promise<WorkerCounts> => runWorkerOnce({ ...deps, transport, registry: mailKinds }, { ...options, ...more }),
  };
}

export async function outboxRows(db: Database, kind?: string) {
  const rows = await db.select().from(outbox).orderBy(asc(outbox.id));
  return kind ? rows.filter((r) => r.kind === kind) : rows;
}

export async function outboxRow(db: Database, id: number) {
  const [row] = await db.select().from(outbox).where(eq(outbox.id, id));
  return row!;
}

/** The calendar invite of a mail: the text/calendar part, with its MIME method, parsed by ical.js. */
export function inviteOf(mail: Received): { mimeMethod: string | null; feed: ParsedFeed; text: string } | null {
  const part = mail.parsed.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) return null;
  // Unfolded (RFC 5545 §3.1): a long line continues on the next one after CRLF + space.
  const text = part.content.toString('utf8').replace(/\r\n[ \t]/g, '');
  const header = String(part.headers.get('content-type') ? (part.headers.get('content-type') as { params?: Record<string, string> }).params?.method ?? '' : '');
  return { mimeMethod: header || null, feed: parseFeed(text), text };
}

/** The one mail to `to` with this subject (mails of one batch arrive in any order). */
export function mailWith(inbox: Inbox, to: string, subject: string | RegExp): Received {
  const found = inbox.to(to).filter((m) => (typeof subject === 'string' ? m.parsed.subject === subject : subject.test(m.parsed.subject ?? '')));
  if (found.length !== 1) throw new Error(`${found.length} mails to ${to} with subject ${subject}; got: ${inbox.to(to).map((m) => m.parsed.subject).join(' | ')}`);
  return found[0]!;
}

/** Every http(s) link of the text part. */
export function linksOf(mail: Received): string[] {
  return [...new Set((mail.parsed.text ?? '').match(/https?:\/\/[^\s<>"«»]+/g) ?? [])];
}
