// The mail worker: claims due outbox rows, renders them from current data, sends them, marks them.
//
// Claiming is one short statement (`FOR UPDATE SKIP LOCKED`) that also bumps `attempts` and pushes
// `send_after` one lease ahead, and commits before anything is sent. So several workers never
// claim the same row, and a worker that dies mid-batch leaves its rows to be claimed again once
// the lease is over: a mail sent but not yet marked goes out once more (at most one duplicate per
// crash, and the same Message-ID lets mail clients fold it), a mail never sent is never lost.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { isMailKind, type MailKind } from './outbox.ts';
import { renderMail } from './render.ts';
import { scheduleDueMails } from './schedule.ts';
import { createTransport, type MailTransport } from './transport.ts';

/** How long a claimed row is reserved for the worker that claimed it. */
export const LEASE_MS = 5 * 60_000;
/** After this many attempts a mail is marked failed (1 + 2 + 4 … 256 min: about 8 h of retries). */
export const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 6 * 60 * 60_000;

/** Wait before the next attempt after `attempts` failed ones: 1, 2, 4, 8 … minutes, at most 6 h. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

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
  log?: WorkerLog;
  /** Defaults to the transport of the config (SMTP_URL or local .eml files). */
  transport?: MailTransport;
}

export interface WorkerOptions {
  batchSize?: number;
  /** Mails rendered and sent at the same time (the SMTP pool has several connections). */
  concurrency?: number;
  /** Test seam: runs after a mail is handed to the transport and before it is marked sent;
   *  throwing here is what a crash at the worst moment looks like. */
  afterSend?: (outboxId: number) => void | Promise<void>;
}

export interface WorkerCounts {
  claimed: number;
  sent: number;
  /** Nothing left to send (registration erased, event cancelled…): marked sent with a note. */
  skipped: number;
  retried: number;
  failed: number;
}

type OutboxRow = typeof outbox.$inferSelect;

/** The deterministic Message-ID of an outbox row: the same row always gives the same id. */
export function messageIdFor(config: Pick<Config, 'publicUrl'>, outboxId: number): string {
  return `<outbox-${outboxId}@${new URL(config.publicUrl).hostname}>`;
}

/** Claims up to `limit` due rows for this worker (committed before returning). */
export async function claimDue(db: Database, now: Date, limit: number): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.sendAfter, now)))
    .orderBy(asc(outbox.sendAfter), asc(outbox.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, sendAfter: new Date(now.getTime() + LEASE_MS) })
    .where(inArray(outbox.id, due))
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

/** SMTP refused this recipient or this message for good (5xx): retrying would not help. */
function isPermanent(error: unknown): boolean {
  const e = error as { responseCode?: number; command?: string };
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && (e.command === 'RCPT TO' || e.command === 'DATA');
}

function describeError(error: unknown): string {
  const e = error as { message?: string; code?: string; response?: string };
  return (e.response || e.message || String(error)).slice(0, 1000);
}

// Every update below is guarded by the attempt that claimed the row: if this worker was so slow
// that its lease ran out and another worker took the row over, the later state wins.
function claimedBy(row: OutboxRow) {
  return and(eq(outbox.id, row.id), eq(outbox.status, 'pending'), eq(outbox.attempts, row.attempts));
}

async function processRow(deps: WorkerDeps & { transport: MailTransport }, row: OutboxRow, now: Date, options: WorkerOptions): Promise<keyof Omit<WorkerCounts, 'claimed'>> {
  const { db, config, transport } = deps;
  const log = deps.log ?? silentLog;
  const messageId = messageIdFor(config, row.id);
  try {
    if (!isMailKind(row.kind)) throw new Error(`type de courriel inconnu : ${row.kind}`);
    const rendered = await renderMail(db, config, { id: row.id, kind: row.kind as MailKind, recipient: row.recipient, payload: row.payload }, now);
    if ('skip' in rendered) {
      await db.update(outbox).set({ status: 'sent', sentAt: now, lastError: `non envoyé : ${rendered.skip}` }).where(claimedBy(row));
      log.info({ outboxId: row.id, kind: row.kind, reason: rendered.skip }, 'courriel sans objet, non envoyé');
      return 'skipped';
    }
    await transport.send({ outboxId: row.id, messageId, date: now, from: config.mailFrom, to: row.recipient, ...rendered });
  } catch (error) {
    const message = describeError(error);
    if (row.attempts >= MAX_ATTEMPTS || isPermanent(error)) {
      await db.update(outbox).set({ status: 'failed', lastError: message }).where(claimedBy(row));
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
  await db.update(outbox).set({ status: 'sent', sentAt: now, messageId, lastError: null }).where(claimedBy(row));
  return 'sent';
}

/** Processes what is due now (one batch); returns what happened. Tests drive it with the clock. */
export async function runWorkerOnce(deps: WorkerDeps, options: WorkerOptions = {}): Promise<WorkerCounts> {
  const transport = deps.transport ?? createTransport(deps.config);
  const now = deps.clock.now();
  const rows = await claimDue(deps.db, now, options.batchSize ?? 100);
  const counts: WorkerCounts = { claimed: rows.length, sent: 0, skipped: 0, retried: 0, failed: 0 };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  let next = 0;
  let crash: { error: unknown } | undefined;
  const lane = async () => {
    while (next < rows.length && !crash) {
      const row = rows[next++]!;
      try {
        counts[await processRow({ ...deps, transport }, row, now, options)]++;
      } catch (error) {
        // The database went away mid-batch (or a test simulates a crash): take no new row; the
        // rows claimed and not marked are sent again once their lease is over.
        crash ??= { error };
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
  } finally {
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
  const transport = deps.transport ?? createTransport(deps.config);
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
        const queued = await scheduleDueMails(deps.db, deps.config, deps.clock.now());
        if (queued.total > 0) log.info({ ...queued }, 'rappels et synthèses mis en file');
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
