// The mail worker: claims due outbox rows, renders them from current data, sends them, marks them.
//
// A claimed row is leased (see claims.ts), so a worker that dies mid-batch leaves its rows to be
// claimed again once the lease is over: a mail sent but not yet marked goes out once more (at most
// one duplicate per crash, and the same Message-ID lets mail clients fold it), a mail never sent is
// never lost. A mail that kills its worker every time is marked failed once its attempts are used up.
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { newRenderBatch, type RenderBatch } from './batch.ts';
import { abandonExhausted, backoffMs, claimDue, claimedBy, LEASE_MS, MAX_ATTEMPTS, messageIdFor, payloadWithoutSecrets, renewLease, sentMarker, type OutboxRow } from './claims.ts';
import type { MailRegistry } from './kinds.ts';
import { renderMail, type RenderResult } from './render.ts';
import { createSmsTransport, type SmsTransport } from './sms.ts';
import { createTransport, type MailTransport, type SmtpTimeouts } from './transport.ts';

/** A hung SMTP server fails an attempt within a minute (15 s, 15 s, 30 s); the lease is renewed
 *  meanwhile, so no other worker takes the row while this one waits. */
export const SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 15_000, greetingMs: 15_000, socketMs: 30_000 };
/** A silent SMS provider fails an attempt too. */
export const SMS_TIMEOUT_MS = 15_000;
/** Real time after which a batch starts no further row (the rest is given back at once). */
const BATCH_BUDGET_MS = 2 * 60_000;

export interface WorkerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
const silentLog: WorkerLog = { info() {}, warn() {}, error() {} };

export interface WorkerDeps {
  db: Database;
  config: Config;
  clock: Clock;
  /** Every kind the features define, and their schedulers (server/mail-kinds.ts). */
  registry: MailRegistry;
  log?: WorkerLog;
  /** Defaults to the transport of the config (SMTP_URL or local .eml files). */
  transport?: MailTransport;
  /** Defaults to the SMS transport of the config (SMS_URL or the local mailbox). */
  smsTransport?: SmsTransport;
}

export interface WorkerOptions {
  batchSize?: number;
  /** Mails rendered and sent at the same time (the SMTP pool has several connections). */
  concurrency?: number;
  /** Test seam: runs after a mail is handed to the transport and before it is marked sent;
   *  throwing here is what a crash at the worst moment looks like. */
  afterSend?: (outboxId: number) => void | Promise<void>;
  /** Real time after which no further row of the batch is started (each lane starts one at
   *  least); the rows not started are given back at once rather than held by a slow batch. */
  budgetMs?: number;
  /** Real time between two renewals of the batch's lease (a third of the lease by default). */
  renewEveryMs?: number;
}

/** The kinds the registry asks to send before the others. */
function urgentKinds(registry: MailRegistry): string[] {
  return [...registry.kinds].filter(([, kind]) => kind.urgent).map(([name]) => name);
}

export interface WorkerCounts {
  /** Rows claimed and started (those given back unstarted when out of time are not counted). */
  claimed: number;
  sent: number;
  /** Nothing left to send (registration erased, event cancelled…): marked sent with a note. */
  skipped: number;
  retried: number;
  /** Including the rows abandoned before the claim (attempts used up by crashes). */
  failed: number;
}

/** SMTP refused this recipient or this message for good (5xx), or the SMS provider this text
 *  (PermanentSmsError): retrying would not help. */
function isPermanent(error: unknown): boolean {
  const e = error as { responseCode?: number; command?: string; permanent?: boolean };
  if (e.permanent === true) return true;
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && (e.command === 'RCPT TO' || e.command === 'DATA');
}

type Transports = { transport: MailTransport; smsTransport: SmsTransport };

/** A failed row is told to its feature in the same transaction when it is a text (call list). */
async function markFailed(db: Database, registry: MailRegistry, row: OutboxRow, lastError: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const failed = await tx.update(outbox).set({ status: 'failed', payload: payloadWithoutSecrets(registry), lastError }).where(claimedBy(row)).returning({ id: outbox.id });
    if (failed.length > 0 && row.channel === 'sms') await registry.onSmsFailed?.(tx, [row], now);
  });
}

function describeError(error: unknown): string {
  const e = error as { message?: string; code?: string; response?: string };
  return (e.response || e.message || String(error)).slice(0, 1000);
}

interface BatchContext {
  now: Date;
  options: WorkerOptions;
  markSent: (row: OutboxRow) => Promise<void>;
}

/** A claimed row and its mail, whose rendering started with the batch. */
interface Job {
  row: OutboxRow;
  rendered: Promise<RenderResult>;
}

function startRendering(deps: WorkerDeps, row: OutboxRow, now: Date, batch: RenderBatch): Job {
  const rendered = renderMail(deps.registry, deps.db, deps.config, { id: row.id, kind: row.kind, channel: row.channel, recipient: row.recipient, payload: row.payload, language: row.language }, now, batch);
  // Its lane sees the error; a row given back unstarted (out of time, crash) must not crash the process.
  rendered.catch(() => {});
  return { row, rendered };
}

async function processRow(deps: WorkerDeps & Transports, { row, rendered: rendering }: Job, { now, options, markSent }: BatchContext): Promise<keyof Omit<WorkerCounts, 'claimed'>> {
  const { db, config, transport, smsTransport, registry } = deps;
  const log = deps.log ?? silentLog;
  const messageId = messageIdFor(config, row.id);
  try {
    const rendered = await rendering;
    if ('skip' in rendered) {
      await db.update(outbox).set({ status: 'sent', sentAt: now, payload: payloadWithoutSecrets(registry), lastError: `non envoyé : ${rendered.skip}` }).where(claimedBy(row));
      log.info({ outboxId: row.id, kind: row.kind, reason: rendered.skip }, 'courriel sans objet, non envoyé');
      return 'skipped';
    }
    if ('sms' in rendered) await smsTransport.send({ outboxId: row.id, date: now, to: row.recipient, text: rendered.sms });
    else await transport.send({ outboxId: row.id, messageId, date: now, from: config.mailFrom, to: row.recipient, ...rendered });
  } catch (error) {
    const message = describeError(error);
    if (row.attempts >= MAX_ATTEMPTS || isPermanent(error)) {
      await markFailed(db, registry, row, message, now);
      log.error({ outboxId: row.id, kind: row.kind, attempts: row.attempts, error: message }, 'courriel en échec définitif');
      return 'failed';
    }
    await db
      .update(outbox)
      .set({ sendAfter: new Date(now.getTime() + backoffMs(row.attempts)), lastError: message })
      .where(claimedBy(row));
    log.warn({ outboxId: row.id, kind: row.kind, attempts: row.attempts, error: message }, 'envoi échoué, nouvel essai plus tard');
    return 'retried';
  }
  // Outside the try: a failure from here on is a crash (the row stays leased and is sent again later).
  await options.afterSend?.(row.id);
  await markSent(row);
  return 'sent';
}

/** Processes what is due now (one batch); returns what happened. Tests drive it with the clock. */
export async function runWorkerOnce(deps: WorkerDeps, options: WorkerOptions = {}): Promise<WorkerCounts> {
  const log = deps.log ?? silentLog;
  const transport = deps.transport ?? createTransport(deps.config, SMTP_TIMEOUTS);
  const smsTransport = deps.smsTransport ?? createSmsTransport(deps.config, SMS_TIMEOUT_MS);
  const now = deps.clock.now();
  const abandoned = await abandonExhausted(deps.db, deps.registry, now);
  for (const row of abandoned) log.error({ outboxId: row.id, kind: row.kind, attempts: row.attempts }, "courriel abandonné : le processus s'arrêtait à chaque envoi");
  const rows = await claimDue(deps.db, now, options.batchSize ?? 100, urgentKinds(deps.registry));
  const counts: WorkerCounts = { claimed: rows.length, sent: 0, skipped: 0, retried: 0, failed: abandoned.length };
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const batch: BatchContext = { now, options, markSent: sentMarker(deps.db, deps.config, deps.registry, now) };
  // Every mail of the batch is rendered at once, ahead of the lanes: the batch's reads and the
  // tokens of all its mails then take one statement each (rendered lane by lane, the tokens took a
  // statement every few mails). Rows given back unstarted leave unused tokens behind, harmlessly.
  const render = newRenderBatch(deps.db, deps.config, rows.map((r) => r.payload));
  const jobs = rows.map((row) => startRendering(deps, row, now, render));
  const budgetMs = options.budgetMs ?? BATCH_BUDGET_MS;
  // While the batch runs, the rows not yet marked stay leased to this worker: a slow SMTP server
  // does not let another worker send them too, and a crash stops the renewals (the lease then
  // runs out and the rows are claimed again).
  const marked = new Set<number>();
  let renewing: Promise<void> = Promise.resolve();
  const renewal = setInterval(() => {
    renewing = renewing
      .then(() => renewLease(deps.db, rows.filter((row) => !marked.has(row.id)), deps.clock.now()))
      .catch((error: unknown) => log.warn({ error: describeError(error) }, 'bail des courriels non renouvelé'));
  }, options.renewEveryMs ?? LEASE_MS / 3);
  let next = 0;
  let crash: { error: unknown } | undefined;
  const started = performance.now();
  const lane = async () => {
    // Each lane starts a first row whatever the time: a batch always moves on, even where the
    // claim alone took longer than the budget (a loaded machine).
    for (let first = true; next < jobs.length && !crash && (first || performance.now() - started < budgetMs); first = false) {
      const job = jobs[next++]!;
      try {
        counts[await processRow({ ...deps, transport, smsTransport }, job, batch)]++;
        marked.add(job.row.id);
      } catch (error) {
        // The database went away mid-batch (or a test simulates a crash): take no new row; the
        // rows claimed and not marked are sent again once their lease is over.
        crash ??= { error };
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    clearInterval(renewal);
    await renewing;
    // Out of time (SMTP is slow or silent): the rows not started are due again at once, as if
    // never claimed, rather than waiting for the end of the lease.
    for (const row of crash ? [] : rows.slice(next)) {
      await deps.db.update(outbox).set({ attempts: row.attempts - 1, sendAfter: now }).where(claimedBy(row));
      counts.claimed--;
    }
  } finally {
    clearInterval(renewal);
    await renewing;
    if (!deps.transport) transport.close();
  }
  if (crash) throw crash.error;
  return counts;
}

export interface StartOptions extends WorkerOptions {
  /** Pause between polls when nothing is due. */
  intervalMs?: number;
  /** How often reminders, digests and alerts are looked for. */
  scheduleEveryMs?: number;
}

/** Runs the worker until the returned function is called (which waits for the current batch). */
export function startMailWorker(deps: WorkerDeps, options: StartOptions = {}): () => Promise<void> {
  const log = deps.log ?? silentLog;
  const transport = deps.transport ?? createTransport(deps.config, SMTP_TIMEOUTS);
  const intervalMs = options.intervalMs ?? 1000;
  const scheduleEveryMs = options.scheduleEveryMs ?? 60_000;
  const batchSize = options.batchSize ?? 100;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastSchedule = -Infinity;

  const tick = async () => {
    try {
      const now = deps.clock.now().getTime();
      if (now - lastSchedule >= scheduleEveryMs) {
        lastSchedule = now;
        for (const schedule of deps.registry.schedulers) {
          const queued = await schedule(deps.db, deps.config, deps.clock.now());
          if (queued.total > 0) log.info({ ...queued }, 'rappels et synthèses mis en file');
        }
      }
      // Keep going while batches come back full: a backlog drains without waiting between polls.
      while (!stopped) {
        const counts = await runWorkerOnce({ ...deps, transport }, { ...options, batchSize });
        if (counts.claimed > 0) log.info({ ...counts }, 'courriels traités');
        if (counts.claimed < batchSize) break;
      }
    } catch (error) {
      log.error({ err: error }, 'le traitement des courriels a échoué, nouvel essai au prochain passage');
    }
  };
  const loop = () => {
    running = tick().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  timer = setTimeout(loop, 0);

  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    transport.close();
  };
}
