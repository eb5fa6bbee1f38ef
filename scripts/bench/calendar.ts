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
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { and, asc, eq } from 'drizzle-orm';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createPglite, openPglite, openPostgres, type Database, type DatabaseHandle } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { edition, event, organisation, territory, venue } from '../../server/db/schema.ts';
import { ACCESS_FEATURES, AUDIENCES, EVENT_CATEGORIES } from '../../server/domain/vocabulary.ts';
import { fixedClock } from '../../server/lib/clock.ts';
import { addEventToCalendar, createCalendar, loadCalendarEvents, organizerOf, serializeCalendar } from '../../server/calendar/ical.ts';
import { eventIcsPath } from '../../server/calendar/links.ts';
import { programmeScope } from '../../server/calendar/queries.ts';
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
const NOW = new Date('2026-09-15T08:00:00Z');

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
  /** First generation in the process (wall ms; CPU ms of this process in brackets). */
  cold: { load: number; build: number; serialize: number; total: number; cpu: number };
  /** Generation without cache once the process is warm: median of 5 (wall ms, CPU ms). */
  uncached: { wall: number; cpu: number };
  rows: Array<Measurement & { cpuMsPerRequest: number }>;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function openDatabase(): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) return { handle: openPglite(await createPglite()), drop: async () => {} };
  const name = 'rassembler_bench_calendar';
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    handle: openPostgres(url.toString()),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

export async function benchCalendar(log: (line: string) => void = console.log): Promise<CalendarBenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-bench-'));
  const { handle, drop } = await openDatabase();
  try {
    await runMigrations(handle);
    const { db } = handle;
    await seedCalendarBench(db);
    const config = loadConfig({ LOG_LEVEL: 'silent', SESSION_SECRET: randomBytes(32).toString('base64url'), DATA_DIR: dataDir, DEMO_DATA: 'false', MAIL_WORKER: 'false', PUBLIC_URL: 'http://localhost:3000' });
    const clock = fixedClock(NOW);

    // Cold: the first generation in this process, in its parts.
    const scoped = await programmeScope(db, {}, NOW);
    if (!scoped.ok) throw new Error(scoped.message);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const events = await loadCalendarEvents(db, { publicUrl: config.publicUrl, where: scoped.scope.where });
    const t1 = performance.now();
    const calendar = createCalendar({ name: scoped.scope.name, ttl: 3600 });
    for (const data of events) addEventToCalendar(calendar, data, { organizer: organizerOf(data, config.mailFrom) });
    const t2 = performance.now();
    const text = serializeCalendar(calendar);
    const t3 = performance.now();
    const cold = { load: t1 - t0, build: t2 - t1, serialize: t3 - t2, total: t3 - t0, cpu: cpuMs(c0) };
    if (events.length !== EVENTS) throw new Error(`expected ${EVENTS} events in the feed, got ${events.length}`);

    const runs: Array<{ wall: number; cpu: number }> = [];
    for (let i = 0; i < 5; i++) {
      const c = process.cpuUsage();
      const start = performance.now();
      await generateFeed(db, scoped.scope, config);
      runs.push({ wall: performance.now() - start, cpu: cpuMs(c) });
    }
    const uncached = { wall: runs.map((r) => r.wall).sort((a, b) => a - b)[2]!, cpu: runs.map((r) => r.cpu).sort((a, b) => a - b)[2]! };

    const app = await buildApp(config, { database: handle, clock });
    // The naive path, for comparison only: everything on every request, no cache, no validators.
    app.get('/bench/naive-agenda.ics', async (request, reply) => {
      const result = await programmeScope(db, request.query as Record<string, string>, clock.now());
      if (!result.ok) return reply.status(400).send(result.message);
      const feed = await generateFeed(db, result.scope, config);
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
      log(`${events.length} événements, ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(2)} Mo`);
      log(`génération à froid (1re du processus) : ${cold.total.toFixed(0)} ms (chargement ${cold.load.toFixed(0)}, construction ${cold.build.toFixed(0)}, sérialisation ${cold.serialize.toFixed(0)}) ; CPU ${cold.cpu.toFixed(0)} ms — ${verdict(cold.total)}`);
      log(`génération sans cache, processus chaud : médiane ${uncached.wall.toFixed(0)} ms ; CPU ${uncached.cpu.toFixed(0)} ms — ${verdict(uncached.wall)}`);
      for (const r of rows) {
        const ratio = r === naive ? '' : ` — ${(r.requestsPerSecond / naive.requestsPerSecond).toFixed(0)}× le naïf (CPU : ${(naive.cpuMsPerRequest / r.cpuMsPerRequest).toFixed(0)}×)`;
        log(`${r.name} : ${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.p50} ms, CPU ${r.cpuMsPerRequest.toFixed(2)} ms/req, ${Math.round(r.bytesPerResponse).toLocaleString('fr-FR')} octets/rép.${ratio}`);
      }
      return { database: handle.kind, events: events.length, bytes: Buffer.byteLength(text), cold, uncached, rows };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    await drop();
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
