// Benchmark « croissance » (`npm run bench -- growth [--large]`): what a programme query costs when
// the cache does not hold it, as the edition grows from 500 to 5,000 (and with --large 50,000)
// events. Each size gets its own fresh database and app; each query kind is asked `REQUESTS` times
// one after the other, each time a page no earlier request asked for (the programme's cached pages
// are forgotten before each request, so every one is built from the database; with --cold-counts
// the match counts kept per filters are forgotten too), and the median and 90th percentile are
// printed with the growth from the smallest size.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, desc, eq, sql } from 'drizzle-orm';
import { buildApp } from '../../server/app.ts';
import { edition, event, territory, venue } from '../../server/db/schema.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { seedDemo } from '../../server/demo/index.ts';
import { systemClock } from '../../server/lib/clock.ts';
import { PAGE_SIZE, publicCacheFor } from '../../server/programme/index.ts';
import { BROWSER_HEADERS, benchConfig, openBenchDatabase } from './lib.ts';

const REQUESTS = 40;
const WARMUP = 5;

interface Kind {
  name: string;
  /** The i-th query of this kind (unique per i). */
  path(i: number): string;
}

/** Quantile of sorted values (nearest rank). */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** A page number spread over 1…pages for the i-th request, deep pages included. */
function spreadPage(i: number, pages: number): number {
  return 1 + ((i * 7919) % Math.max(1, pages));
}

async function kindsFor(database: Awaited<ReturnType<typeof openBenchDatabase>>['database']): Promise<Kind[]> {
  const { db } = database;
  const [current] = await db.select({ id: edition.id, firstDay: edition.firstDay }).from(edition).orderBy(desc(edition.year)).limit(1);
  const editionId = current!.id;
  const count = async (where: ReturnType<typeof sql>) =>
    Number(
      (
        await db
          .select({ n: sql<number>`count(*)` })
          .from(event)
          .innerJoin(territory, eq(territory.id, event.territoryId))
          .leftJoin(venue, eq(venue.id, event.venueId))
          .where(and(eq(event.editionId, editionId), sql`${event.state} in ('published', 'cancelled')`, where))
      )[0]!.n,
    );
  const pagesOf = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  const allPages = pagesOf(await count(sql`true`));
  const wheelchairPages = pagesOf(await count(sql`${event.accessibilityOffered} @> array['wheelchair']::text[] and ${event.state} = 'published'`));
  const [busiest] = await db
    .select({ commune: venue.commune, category: event.category, n: sql<number>`count(*)` })
    .from(event)
    .innerJoin(venue, eq(venue.id, event.venueId))
    .where(eq(event.editionId, editionId))
    .groupBy(venue.commune, event.category)
    .orderBy(desc(sql`count(*)`))
    .limit(1);
  const communePages = pagesOf(Number(busiest!.n));
  const words = ['atelier', 'marche', 'cine', 'jardin', 'theatre', 'sante', 'ecoute', 'groupe'];
  const day = (i: number) => {
    const d = new Date(`${current!.firstDay}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + (i % 14));
    return d.toISOString().slice(0, 10);
  };
  const dayPages = pagesOf(Math.ceil((await count(sql`true`)) / 14));
  return [
    { name: 'recherche « mot n »', path: (i) => `/programme?q=${encodeURIComponent(`${words[i % words.length]} ${2 + Math.floor(i / words.length)}`)}` },
    { name: 'page n', path: (i) => `/programme?page=${spreadPage(i, allPages)}` },
    { name: 'fauteuil + places, page n', path: (i) => `/programme?access=wheelchair&places=1&page=${spreadPage(i, wheelchairPages)}` },
    { name: 'jour, page n', path: (i) => `/programme?day=${day(i)}&page=${spreadPage(Math.floor(i / 14), dayPages)}` },
    {
      name: 'commune + catégorie, page n',
      path: (i) => `/programme?commune=${encodeURIComponent(busiest!.commune)}&category=${busiest!.category}&page=${spreadPage(i, communePages)}`,
    },
  ];
}

interface SizeResult {
  events: number;
  medians: Map<string, { p50: number; p90: number }>;
}

async function measureSize(extraEvents: number, coldCounts: boolean): Promise<SizeResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-growth-'));
  const { database, url, drop } = await openBenchDatabase('rassembler_bench_growth');
  try {
    await runMigrations(database);
    const seeded = await seedDemo(database.db, { now: systemClock.now(), theme: 'Santé mentale', extraEvents });
    // As a deployment would have it after a while: statistics and visibility map up to date.
    if (database.kind === 'postgres') await database.db.execute(sql`vacuum analyze`);
    const config = benchConfig(dataDir, url);
    const app = await buildApp(config, { database, clock: systemClock });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const cache = publicCacheFor(database.db);
    const medians = new Map<string, { p50: number; p90: number }>();
    try {
      for (const kind of await kindsFor(database)) {
        const times: number[] = [];
        for (let i = 0; i < WARMUP + REQUESTS; i++) {
          cache.forget('programme|');
          if (coldCounts) cache.forget('count|');
          const started = performance.now();
          const response = await fetch(base + kind.path(i), { headers: BROWSER_HEADERS });
          await response.arrayBuffer();
          const ms = performance.now() - started;
          if (response.status !== 200) throw new Error(`${kind.path(i)} : ${response.status}`);
          if (i >= WARMUP) times.push(ms);
        }
        times.sort((a, b) => a - b);
        medians.set(kind.name, { p50: quantile(times, 0.5), p90: quantile(times, 0.9) });
      }
    } finally {
      await app.close();
    }
    return { events: seeded.events, medians };
  } finally {
    await database.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function growthBench(options: { large: boolean; coldCounts: boolean }): Promise<void> {
  const sizes = options.large ? [500, 5_000, 50_000] : [500, 5_000];
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const started = performance.now();
    results.push(await measureSize(size, options.coldCounts));
    console.log(`  ${results.at(-1)!.events.toLocaleString('fr-FR')} événements mesurés (${((performance.now() - started) / 1000).toFixed(0)} s).`);
  }
  const ms = (v: number) => v.toFixed(1);
  const header = ['requête (hors cache), ms p50 (p90)', ...results.map((r) => `${r.events.toLocaleString('fr-FR')} év.`), `croissance ×`];
  const lines = [...results[0]!.medians.keys()].map((name) => {
    const first = results[0]!.medians.get(name)!.p50;
    const last = results.at(-1)!.medians.get(name)!.p50;
    return [name, ...results.map((r) => `${ms(r.medians.get(name)!.p50)} (${ms(r.medians.get(name)!.p90)})`), (last / first).toFixed(2)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const counts = options.coldCounts ? 'et le nombre d’événements qui correspondent recompté à chaque fois' : 'le nombre d’événements qui correspondent gardé par filtres';
  console.log(`\n${REQUESTS} requêtes séquentielles par ligne, chacune une page que le cache n'a pas (${counts}).\n`);
  console.log([row(header), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...lines.map(row)].join('\n'));
}
