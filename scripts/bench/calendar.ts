// Calendar feeds benchmark, two ways:
//  - `calendarSection`: a section of `npm run bench` (scripts/bench.ts): the programme feed served
//    from the cache (200, compressed as clients ask), to a polling client (304), one event's .ics;
//    then `benchCalendar()` on its own 2,000-event database (its lines printed, its rows added).
//  - `benchCalendar()` / `npx tsx scripts/bench/calendar.ts [--duration 5]`: the targets of issue 6
//    on exactly 2,000 events: cold generation time (load, build, serialize), then the naive path
//    (load + generate on every request, no cache, no validators) against the cached path (200) and
//    the 304 path. PGlite in memory by default, BENCH_DATABASE_URL=postgres://… for a fresh
//    PostgreSQL database. Besides req/s (which depends on what else runs on the machine), it reports
//    the app process's CPU time per request, which does not.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import postgres from 'postgres';
import { and, asc, eq } from 'drizzle-orm';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase, type Database, type DatabaseHandle } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { edition, event, organisation, territory, venue } from '../../server/db/schema.ts';
import { ACCESS_FEATURES, AUDIENCES, EVENT_CATEGORIES } from '../../server/domain/vocabulary.ts';
import { fixedClock } from '../../server/lib/clock.ts';
import type { CalendarConfig } from '../../server/calendar/calendar-event.ts';
import { createCalendar, serializeCalendar } from '../../server/calendar/ical.ts';
import { loadCalendarEvents } from '../../server/calendar/load-events.ts';
import { addPublicEvent } from '../../server/calendar/entries.ts';
import { eventIcsPath } from '../../server/calendar/links.ts';
import { programmeScope, type FeedScope } from '../../server/calendar/queries.ts';
import { generateFeed } from '../../server/calendar/service.ts';
import { defaults, measure, type BenchContext, type Measurement } from './lib.ts';

/** Section of `npm run bench`: the feeds as calendar clients poll them, then the 2,000-event targets. */
export async function calendarSection(ctx: BenchContext): Promise<Measurement[]> {
  const url = `${ctx.baseUrl}/programme/agenda.ics`;
  const first = await fetch(url);
  const etag = first.headers.get('etag');
  await first.arrayBuffer();
  if (!first.ok || !etag) throw new Error(`${url} : réponse ${first.status} sans ETag.`);
  const [sample] = await ctx.database.db.select({ id: event.id }).from(event).where(eq(event.state, 'published')).orderBy(asc(event.id)).limit(1);
  const client = { 'accept-encoding': 'gzip', accept: 'text/calendar' };
  const rows = [
    await measure('agenda du programme (200, cache)', url, { headers: client }),
    await measure('agenda du programme (304)', url, { headers: { ...client, 'if-none-match': etag }, expectedStatus: 304 }),
    await measure('agenda d’un événement (.ics)', `${ctx.baseUrl}${eventIcsPath(sample!.id)}`, { headers: client }),
  ];
  console.log(`  Agenda du programme de ${EVENTS.toLocaleString('fr-FR')} événements, sur une base à part :`);
  const targets = await benchCalendar((line) => console.log(`    ${line}`));
  return [...rows, ...targets.rows.map((r) => ({ ...r, name: `${EVENTS.toLocaleString('fr-FR')} év. : ${r.name}` }))];
}

/** Issue 6: a 2,000-event feed generated without cache in at most this long. */
const GENERATION_TARGET_MS = 200;
const verdict = (ms: number) => `objectif ≤ ${GENERATION_TARGET_MS} ms : ${ms <= GENERATION_TARGET_MS ? 'tenu' : 'NON TENU'}`;

const EVENTS = 2_000;
export const NOW = new Date('2026-09-15T08:00:00Z');

/** 2,000 published events (1 in 50 cancelled) over two territories (Paris, Réunion), 40 venues, 20 organisations. */
export async function seedCalendarBench(db: Database): Promise<void> {
  const [ed] = await db.insert(edition).values({ year: 2026, theme: 'Pour notre santé mentale, réparons le lien social', firstDay: '2026-10-05', lastDay: '2026-10-18' }).returning();
  const territories = await db
    .insert(territory)
    .values([
      { slug: 'grenoble', name: 'CLSM de Grenoble', timeZone: 'Europe/Paris', communes: ['Grenoble', 'Échirolles'] },
      { slug: 'saint-denis', name: 'CLSM de Saint-Denis', timeZone: 'Indian/Reunion', communes: ['Saint-Denis'] },
    ])
    .returning();
  const orgs = await db
    .insert(organisation)
    .values(Array.from({ length: 20 }, (_, i) => ({ territoryId: territories[i % 2]!.id, name: `Association n° ${i + 1}, « lien social »`, kind: 'association' as const, contactEmail: `asso${i + 1}@example.org` })))
    .returning();
  const venues = await db
    .insert(venue)
    .values(
      Array.from({ length: 40 }, (_, i) => ({
        territoryId: orgs[i % 20]!.territoryId,
        organisationId: orgs[i % 20]!.id,
        name: `Salle polyvalente ${i + 1}`,
        address: `${i + 1} rue de la République`,
        postcode: '38000',
        commune: i % 2 === 0 ? (i % 4 === 0 ? 'Grenoble' : 'Échirolles') : 'Saint-Denis',
        latitude: 45.18 + i / 1000,
        longitude: 5.72 + i / 1000,
        stepFreeEntrance: i % 3 === 0,
        accessDirections: 'Entrée de plain-pied côté parc ; rampe à gauche de l’accueil, ascenseur au fond du hall.',
      })),
    )
    .returning();
  const rows = Array.from({ length: EVENTS }, (_, i) => {
    const v = venues[i % venues.length]!;
    const start = new Date(Date.UTC(2026, 9, 5 + (i % 14), 7 + (i % 10), (i % 4) * 15));
    return {
      editionId: ed!.id,
      territoryId: v.territoryId,
      organisationId: v.organisationId!,
      venueId: v.id,
      title: `Atelier n° ${i + 1} : écrire, dire ; chanter ensemble`,
      summary: 'Un moment convivial pour se rencontrer, parler de santé mentale et prendre soin du lien social.',
      description: 'Description complète de l’événement, avec des accents, des virgules, des points-virgules ; et plusieurs lignes.\nDeuxième ligne.\nTroisième ligne.',
      category: EVENT_CATEGORIES[i % EVENT_CATEGORIES.length]!,
      audience: AUDIENCES[i % AUDIENCES.length]!,
      startsAt: start,
      endsAt: new Date(start.getTime() + 2 * 3_600_000),
      capacity: 20,
      accessibilityOffered: ACCESS_FEATURES.filter((_, k) => (i + k) % 3 === 0),
      state: i % 50 === 0 ? ('cancelled' as const) : ('published' as const),
      sequence: i % 50 === 0 ? 1 : 0,
      publishedAt: new Date('2026-09-01T00:00:00Z'),
      updatedAt: new Date('2026-09-01T00:00:00Z'),
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insert(event).values(rows.slice(i, i + 500));
}

export interface CalendarBenchResult {
  database: 'pglite' | 'postgres';
  events: number;
  bytes: number;
  /** First generation of a new process (wall ms, CPU ms of that process): no entry stored yet
   *  (every event rendered, then stored), and with the entries stored. */
  cold: { empty: Generation; stored: Generation };
  /** Generation without memory cache once the process is warm, median of 5: from the stored
   *  entries, and rendering every event (the naive path's generation; load, build, serialise). */
  warm: { stored: Generation; rendered: Generation & { load: number; build: number; serialize: number } };
  rows: Array<Measurement & { cpuMsPerRequest: number }>;
}

interface Generation {
  wall: number;
  cpu: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** The configuration of the bench's app and of its cold-generation processes. */
export function benchConfig(dataDir: string) {
  return loadConfig({ LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-session-secret-of-at-least-32-characters', DATA_DIR: dataDir, DEMO_DATA: 'false', MAIL_WORKER: 'false', PUBLIC_URL: 'http://localhost:3000' });
}

/** A fresh database: PostgreSQL (BENCH_DATABASE_URL), or PGlite on disk in `dataDir` (so a second process can open it). */
async function createDatabase(dataDir: string): Promise<{ url: string | undefined; open(): Promise<DatabaseHandle>; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) return { url: undefined, open: () => openDatabase({ databaseUrl: undefined, dataDir }), drop: async () => {} };
  const name = 'rassembler_bench_calendar';
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    open: () => openDatabase({ databaseUrl: url.toString(), dataDir }),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** scripts/bench/calendar-cold.ts in a new process, on the database (closed meanwhile if PGlite). */
function coldGeneration(url: string | undefined, dataDir: string): Promise<Generation & { bytes: number; sha: string }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'calendar-cold.ts');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, COLD_DATABASE_URL: url ?? '', COLD_DATA_DIR: dataDir } }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!));
    });
  });
}

const median = (runs: Generation[]) => ({ wall: runs.map((r) => r.wall).sort((a, b) => a - b)[runs.length >> 1]!, cpu: runs.map((r) => r.cpu).sort((a, b) => a - b)[runs.length >> 1]! });

/** Every event loaded and rendered (no stored entry): the naive path's generation. */
async function renderEverything(db: Database, scope: FeedScope, config: CalendarConfig) {
  const t0 = performance.now();
  const events = await loadCalendarEvents(db, { publicUrl: config.publicUrl, where: scope.where });
  const t1 = performance.now();
  const calendar = createCalendar({ name: scope.name, ttl: 3600 });
  for (const data of events) addPublicEvent(calendar, data, config);
  const t2 = performance.now();
  const text = serializeCalendar(calendar);
  return { text, events: events.length, load: t1 - t0, build: t2 - t1, serialize: performance.now() - t2 };
}

export async function benchCalendar(log: (line: string) => void = console.log): Promise<CalendarBenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-bench-'));
  const database = await createDatabase(dataDir);
  try {
    const seeding = await database.open();
    await runMigrations(seeding);
    await seedCalendarBench(seeding.db);
    await seeding.close();
    const config = benchConfig(dataDir);
    const clock = fixedClock(NOW);

    // Cold: the first generation of a new process, before any entry is stored, then after.
    const coldEmpty = await coldGeneration(database.url, dataDir);
    const coldStored = await coldGeneration(database.url, dataDir);
    if (coldEmpty.sha !== coldStored.sha) throw new Error('the feed from stored entries differs from the feed rendered whole');

    const handle = await database.open();
    try {
      const { db } = handle;
      const scoped = await programmeScope(db, {}, NOW);
      if (!scoped.ok) throw new Error(scoped.message);
      const stored: Generation[] = [];
      const rendered: Array<Generation & { load: number; build: number; serialize: number }> = [];
      let text = '';
      for (let i = 0; i < 5; i++) {
        let c = process.cpuUsage();
        let start = performance.now();
        await generateFeed(db, scoped.scope, config);
        stored.push({ wall: performance.now() - start, cpu: cpuMs(c) });
        c = process.cpuUsage();
        start = performance.now();
        const whole = await renderEverything(db, scoped.scope, config);
        rendered.push({ wall: performance.now() - start, cpu: cpuMs(c), load: whole.load, build: whole.build, serialize: whole.serialize });
        if (whole.events !== EVENTS) throw new Error(`expected ${EVENTS} events in the feed, got ${whole.events}`);
        text = whole.text;
      }
      if (createHash('sha256').update(text).digest('hex') !== coldStored.sha) throw new Error('the feed rendered whole differs from the generated feed');
      // The median run of rendering everything, with its own parts.
      const warm = { stored: median(stored), rendered: rendered.sort((a, b) => a.wall - b.wall)[2]! };

      const app = await buildApp(config, { database: handle, clock });
      // The naive path, for comparison only: everything on every request, no cache, no validators.
      app.get('/bench/naive-agenda.ics', async (request, reply) => {
        const result = await programmeScope(db, request.query as Record<string, string>, clock.now());
        if (!result.ok) return reply.status(400).send(result.message);
        const feed = await renderEverything(db, result.scope, config);
        return reply.type('text/calendar; charset=utf-8').send(feed.text);
      });
      const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const url = `${baseUrl}/programme/agenda.ics`;
        const first = await fetch(url);
        const etag = first.headers.get('etag')!;
        await first.arrayBuffer();
        const [sample] = await db.select({ id: event.id }).from(event).where(and(eq(event.state, 'published'))).orderBy(asc(event.id)).limit(1);
        const options = { connections: 4, warmup: 1 };
        const cases: Array<[string, string, Record<string, string>, number?]> = [
          ['naïf : chargement + génération à chaque requête', `${baseUrl}/bench/naive-agenda.ics`, {}],
          ['programme, cache (200)', url, {}],
          ['programme, cache (200, gzip)', url, { 'accept-encoding': 'gzip' }],
          ['programme, If-None-Match (304)', url, { 'if-none-match': etag }, 304],
          ['un événement (.ics, 200)', `${baseUrl}${eventIcsPath(sample!.id)}`, {}],
        ];
        const rows: CalendarBenchResult['rows'] = [];
        for (const [name, target, headers, expectedStatus] of cases) {
          const c = process.cpuUsage();
          const m = await measure(name, target, { ...options, headers, expectedStatus });
          const requests = m.requestsPerSecond * (defaults.duration + options.warmup);
          rows.push({ ...m, cpuMsPerRequest: requests > 0 ? cpuMs(c) / requests : NaN });
        }

        const naive = rows[0]!;
        log(`Base : ${handle.kind}, Node ${process.version}, ${os.cpus().length} cœurs, charge moyenne ${os.loadavg()[0]!.toFixed(1)}`);
        log(`${EVENTS} événements, ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(2)} Mo`);
        log(`génération à froid (1re d'un processus neuf), entrées enregistrées : ${coldStored.wall.toFixed(0)} ms ; CPU ${coldStored.cpu.toFixed(0)} ms — ${verdict(coldStored.wall)}`);
        log(`génération à froid, aucune entrée enregistrée (tous les événements rendus, puis enregistrés) : ${coldEmpty.wall.toFixed(0)} ms ; CPU ${coldEmpty.cpu.toFixed(0)} ms`);
        log(`génération sans cache, processus chaud : médiane ${warm.stored.wall.toFixed(0)} ms ; CPU ${warm.stored.cpu.toFixed(0)} ms — ${verdict(warm.stored.wall)}`);
        log(`  pour comparaison, tout rendre (chemin naïf) : médiane ${warm.rendered.wall.toFixed(0)} ms (chargement ${warm.rendered.load.toFixed(0)}, construction ${warm.rendered.build.toFixed(0)}, sérialisation ${warm.rendered.serialize.toFixed(0)}) ; CPU ${warm.rendered.cpu.toFixed(0)} ms`);
        for (const r of rows) {
          const ratio = r === naive ? '' : ` — ${(r.requestsPerSecond / naive.requestsPerSecond).toFixed(0)}× le naïf (CPU : ${(naive.cpuMsPerRequest / r.cpuMsPerRequest).toFixed(0)}×)`;
          log(`${r.name} : ${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.p50} ms, CPU ${r.cpuMsPerRequest.toFixed(2)} ms/req, ${Math.round(r.bytesPerResponse).toLocaleString('fr-FR')} octets/rép.${ratio}`);
        }
        return { database: handle.kind, events: EVENTS, bytes: Buffer.byteLength(text), cold: { empty: coldEmpty, stored: coldStored }, warm, rows };
      } finally {
        await app.close();
      }
    } finally {
      await handle.close();
    }
  } finally {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--duration');
  defaults.duration = at > 0 ? Number(process.argv[at + 1]) : 5;
  benchCalendar().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
