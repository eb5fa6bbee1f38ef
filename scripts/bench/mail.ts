// Mail benchmark: 10,000 queued confirmations (rendered from the database with their calendar
// invite, like real ones) delivered by the worker over SMTP to a local sink (smtp-server on
// 127.0.0.1, in a child process). Reports mails per second, lost (must be 0) and duplicated
// (must be 0). Target: ≥ 300 mails/s.
//  - `mailSection`: a section of `npm run bench` (on the bench database);
//  - `npx tsx scripts/bench/mail.ts [--mails 10000] [--workers 1] [--connections 10] [--concurrency 16]`: alone, on an in-memory PGlite,
//    or on PostgreSQL with BENCH_DATABASE_URL=postgres://… (a fresh database, dropped afterwards),
//    where `--workers 2` runs two workers side by side as two processes would (own pools).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { loadConfig, type Config } from '../../server/config.ts';
import { createPglite, openPglite, openPostgres, type Database, type DatabaseHandle } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { edition, event, organisation, outbox, registration, territory, venue } from '../../server/db/schema.ts';
import { systemClock } from '../../server/lib/clock.ts';
import { enqueueMail } from '../../server/mail/outbox.ts';
import { smtpTransport } from '../../server/mail/transport.ts';
import { messageIdFor } from '../../server/mail/claims.ts';
import { runWorkerOnce, SMTP_TIMEOUTS } from '../../server/mail/worker.ts';
import { mailKinds } from '../../server/mail-kinds.ts';
import type { BenchContext, Measurement } from './lib.ts';

export interface MailBenchOptions {
  mails?: number;
  /** Workers side by side (PostgreSQL only: PGlite is one connection). */
  workers?: number;
  batchSize?: number;
  concurrency?: number;
  /** SMTP connections per worker. */
  connections?: number;
}

export interface MailBenchResult {
  mails: number;
  workers: number;
  seconds: number;
  mailsPerSecond: number;
  lost: number;
  duplicated: number;
  /** CPU time per mail (user + system), ms: the machine is CPU bound, and this is far less noisy
   *  than wall-clock time when other work shares it. The worker's process (also the seeding
   *  process, but measured around sending only) and the SMTP sink; PostgreSQL is not counted. */
  cpuMsPerMail: { worker: number; sink: number };
}

interface Sink {
  url: string;
  received(): Promise<{ received: string[]; cpuMicros: number }>;
  stop(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'smtp-sink.ts');
  const child = fork(file, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string } & T) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`le serveur SMTP de mesure s'est arrêté (code ${code})`)));
    });
  const { port } = await next<{ port: number }>('ready');
  return {
    url: `smtp://127.0.0.1:${port}`,
    async received() {
      const reply = next<{ received: string[]; cpuMicros: number }>('stats');
      child.send({ type: 'stats' });
      return reply;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

/** A territory, an organisation, a venue, 50 events and `count` confirmed registrations (in drafts: nothing public changes). */
async function seedRegistrations(db: Database, count: number): Promise<Array<{ id: number; email: string }>> {
  const tag = randomBytes(4).toString('hex');
  const [ter] = await db.insert(territory).values({ slug: `bench-courriels-${tag}`, name: 'CLSM de mesure', timeZone: 'Europe/Paris' }).returning();
  let [ed] = await db.select().from(edition).limit(1);
  if (!ed) [ed] = await db.insert(edition).values({ year: 2026, theme: 'Mesure', firstDay: '2026-10-05', lastDay: '2026-10-18' }).returning();
  const [org] = await db.insert(organisation).values({ territoryId: ter!.id, name: 'Association de mesure', kind: 'association', contactEmail: 'mesure@example.org' }).returning();
  const [ven] = await db
    .insert(venue)
    .values({ territoryId: ter!.id, organisationId: org!.id, name: 'Salle des fêtes', address: '1 place de la Mairie', postcode: '38000', commune: 'Grenoble', stepFreeEntrance: true, accessDirections: 'Rampe côté parc.' })
    .returning();
  const events = await db
    .insert(event)
    .values(
      Array.from({ length: 50 }, (_, i) => ({
        editionId: ed!.id,
        territoryId: ter!.id,
        organisationId: org!.id,
        venueId: ven!.id,
        title: `Atelier de mesure ${i + 1}`,
        summary: 'Un moment convivial.',
        category: 'atelier_culturel' as const,
        startsAt: new Date(Date.UTC(2026, 9, 5 + (i % 14), 12)),
        endsAt: new Date(Date.UTC(2026, 9, 5 + (i % 14), 14)),
        accessibilityOffered: ['wheelchair' as const],
        state: 'draft' as const,
      })),
    )
    .returning({ id: event.id });
  const rows: Array<{ id: number; email: string }> = [];
  for (let start = 0; start < count; start += 1000) {
    const chunk = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const n = start + k;
      return {
        eventId: events[n % events.length]!.id,
        name: `Personne ${n}`,
        email: `personne-${n}-${tag}@example.org`,
        state: 'confirmed' as const,
      };
    });
    rows.push(...(await db.insert(registration).values(chunk).returning({ id: registration.id, email: sql<string>`${registration.email}` })));
  }
  return rows;
}

export async function benchMail(database: DatabaseHandle, config: Config, options: MailBenchOptions = {}): Promise<MailBenchResult> {
  const count = options.mails ?? 10_000;
  const workers = database.kind === 'pglite' ? 1 : (options.workers ?? 1);
  const { db } = database;
  const people = await seedRegistrations(db, count);
  const now = systemClock.now();
  for (let start = 0; start < people.length; start += 1000) {
    await enqueueMail(db, ...people.slice(start, start + 1000).map((p) => ({ kind: 'registration_confirmed' as const, to: p.email, payload: { registrationId: p.id }, sendAfter: now, dedupeKey: `bench:${p.id}` })));
  }
  const queued = await db.select({ id: outbox.id }).from(outbox).where(sql`${outbox.dedupeKey} like 'bench:%' and ${outbox.status} = 'pending'`);

  const sink = await startSink();
  try {
    const runWorker = async () => {
      // Another process would have its own pool: so does each extra worker on PostgreSQL.
      const handle = workers > 1 && database.url ? openPostgres(database.url, 10) : null;
      const transport = smtpTransport(sink.url, { timeouts: SMTP_TIMEOUTS, maxConnections: options.connections });
      try {
        for (;;) {
          const counts = await runWorkerOnce({ db: handle?.db ?? db, config, clock: systemClock, registry: mailKinds, transport }, { batchSize: options.batchSize, concurrency: options.concurrency });
          if (counts.claimed === 0) return;
          if (counts.retried + counts.failed + counts.skipped > 0) throw new Error(`envoi en erreur : ${JSON.stringify(counts)}`);
        }
      } finally {
        transport.close();
        await handle?.close();
      }
    };
    const sinkBefore = (await sink.received()).cpuMicros;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await Promise.all(Array.from({ length: workers }, runWorker));
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - started) / 1000;

    const expected = new Set(queued.map((r) => messageIdFor(config, r.id)));
    const { received, cpuMicros: sinkAfter } = await sink.received();
    const seen = new Set<string>();
    let duplicated = 0;
    for (const id of received) {
      if (!expected.has(id)) continue;
      if (seen.has(id)) duplicated++;
      else seen.add(id);
    }
    const perMail = (micros: number) => micros / 1000 / queued.length;
    return {
      mails: queued.length,
      workers,
      seconds,
      mailsPerSecond: queued.length / seconds,
      lost: expected.size - seen.size,
      duplicated,
      cpuMsPerMail: { worker: perMail(cpu.user + cpu.system), sink: perMail(sinkAfter - sinkBefore) },
    };
  } finally {
    await sink.stop();
  }
}

/** Section of `npm run bench`: one row, mails per second; lost or duplicated mails count as errors. */
export async function mailSection(ctx: BenchContext): Promise<Measurement[]> {
  const result = await benchMail(ctx.database, ctx.config);
  console.log(formatMailResult(result));
  return [
    {
      name: `courriels (${result.mails.toLocaleString('fr-FR')}, SMTP local) : courriels/s`,
      url: 'smtp://127.0.0.1',
      requestsPerSecond: result.mailsPerSecond,
      p50: 0,
      p99: 0,
      rssMiB: process.memoryUsage().rss / 1024 / 1024,
      bytesPerResponse: 0,
      non2xx: result.lost,
      errors: result.duplicated,
    },
  ];
}

export function formatMailResult(r: MailBenchResult): string {
  return [
    `Courriels : ${r.mails.toLocaleString('fr-FR')} envoyés en ${r.seconds.toFixed(1)} s par ${r.workers} processus d'envoi`,
    `  ${Math.round(r.mailsPerSecond).toLocaleString('fr-FR')} courriels/s (objectif ≥ 300)`,
    `  temps processeur par courriel : ${r.cpuMsPerMail.worker.toFixed(2)} ms (envoi), ${r.cpuMsPerMail.sink.toFixed(2)} ms (serveur SMTP)`,
    `  perdus : ${r.lost} (attendu 0), en double : ${r.duplicated} (attendu 0)`,
  ].join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-bench-mail-'));
  const adminUrl = process.env.BENCH_DATABASE_URL;
  const name = 'rassembler_bench_mail';
  let admin: postgres.Sql | undefined;
  let database: DatabaseHandle;
  if (adminUrl) {
    admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    database = openPostgres(url.toString(), 10);
  } else {
    database = openPglite(await createPglite());
  }
  try {
    await runMigrations(database);
    const config = loadConfig({ LOG_LEVEL: 'silent', MAIL_WORKER: 'false', DEMO_DATA: 'false', DATA_DIR: dataDir, SESSION_SECRET: randomBytes(32).toString('base64url'), PUBLIC_URL: 'https://sism.example.org' });
    console.log(`Base : ${database.kind === 'pglite' ? 'PGlite (en mémoire)' : 'PostgreSQL'}, Node ${process.version}, ${os.cpus().length} cœurs`);
    const result = await benchMail(database, config, { mails: option('--mails'), workers: option('--workers'), connections: option('--connections'), concurrency: option('--concurrency') });
    console.log(formatMailResult(result));
    if (result.lost > 0 || result.duplicated > 0) process.exitCode = 1;
  } finally {
    await database.close();
    if (admin) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
