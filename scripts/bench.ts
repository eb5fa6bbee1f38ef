// `npm run bench [-- section…] [--duration 10] [--connections 50]`
// Seeds 5,000 events, starts the real app (buildApp, as main.ts does) on a free loopback port
// next to a bare Fastify route (the ceiling, same process), and measures each section's pages
// with autocannon. PGlite by default; PostgreSQL when BENCH_DATABASE_URL is set (a fresh
// database `rassembler_bench` is created there, and dropped at the end).
// To add a section: write scripts/bench/<name>.ts exporting a Section, and list it below.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../server/app.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { seedDemo } from '../server/demo/seed.ts';
import { systemClock } from '../server/lib/clock.ts';
import { defaults, formatTable, measure, benchConfig, openBenchDatabase, type Measurement, type Section } from './bench/lib.ts';
import { growthBench } from './bench/growth.ts';
import { programmeSection } from './bench/programme.ts';
import { calendarSection } from './bench/calendar.ts';
import { registrationsSection } from './bench/registrations.ts';
import { mailSection } from './bench/mail.ts';
import { reportsSection } from './bench/reports.ts';
import { processSection } from './bench/process.ts';
import { bookletSection } from './bench/booklet.ts';
import { openDataSection } from './bench/open-data.ts';

const SECTIONS: Record<string, Section> = {
  programme: programmeSection,
  calendar: calendarSection,
  registrations: registrationsSection,
  mail: mailSection,
  reports: reportsSection,
  process: processSection,
  booklet: bookletSection,
  'open-data': openDataSection,
};

const EXTRA_EVENTS = 5_000;

/** What the command line asks: autocannon sections, and/or the growth table (`growth`, `--large`). */
function parseArgs(argv: string[]): { names: string[]; growth: boolean; large: boolean; coldCounts: boolean } {
  const names: string[] = [];
  let growth = false;
  let large = false;
  let coldCounts = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 600) throw new Error(`${arg} attend un entier entre 1 et 600.`);
      return n;
    };
    if (arg === '--duration') defaults.duration = value();
    else if (arg === '--connections') defaults.connections = value();
    else if (arg === '--warmup') defaults.warmup = value();
    else if (arg === 'growth') growth = true;
    else if (arg === '--large') large = growth = true;
    else if (arg === '--cold-counts') coldCounts = growth = true;
    else if (SECTIONS[arg]) names.push(arg);
    else throw new Error(`Section inconnue « ${arg} » (sections : ${[...Object.keys(SECTIONS), 'growth'].join(', ')}).`);
  }
  return { names: names.length > 0 || growth ? names : Object.keys(SECTIONS), growth, large, coldCounts };
}

async function main() {
  const { names: sections, growth, large, coldCounts } = parseArgs(process.argv.slice(2));
  if (growth) {
    console.log(`Croissance : programme hors cache à ${large ? '500, 5 000 et 50 000' : '500 et 5 000'} événements…`);
    await growthBench({ large, coldCounts });
  }
  if (sections.length === 0) return;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-bench-'));
  const { database, url, drop } = await openBenchDatabase('rassembler_bench');
  const kind = database.kind === 'pglite' ? 'PGlite (embarqué)' : 'PostgreSQL';
  try {
    console.log(`Base : ${kind}. Migrations et programme de démonstration + ${EXTRA_EVENTS.toLocaleString('fr-FR')} événements…`);
    await runMigrations(database);
    const config = benchConfig(dataDir, url);
    const seeded = await seedDemo(database.db, { now: systemClock.now(), theme: config.demoTheme, extraEvents: EXTRA_EVENTS });
    console.log(`SISM ${seeded.editionYear} : ${seeded.events.toLocaleString('fr-FR')} événements, ${seeded.registrations} inscriptions.`);

    const app = await buildApp(config, { database, clock: systemClock });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const ceilingApp = Fastify({ logger: false });
    ceilingApp.get('/', async () => ({ hello: 'world' }));
    await ceilingApp.listen({ port: 0, host: '127.0.0.1' });
    const port = (server: typeof app.server) => (server.address() as { port: number }).port;
    const baseUrl = `http://127.0.0.1:${port(app.server)}`;

    try {
      console.log(`Mesures : ${defaults.connections} connexions, ${defaults.duration} s chacune (après ${defaults.warmup} s de chauffe), sur 127.0.0.1.`);
      const ceiling = await measure('plafond : route Fastify nue', `http://127.0.0.1:${port(ceilingApp.server)}/`);
      const rows: Measurement[] = [ceiling];
      for (const name of sections) {
        console.log(`Section « ${name} »…`);
        rows.push(...(await SECTIONS[name]!({ app, config, database, baseUrl })));
      }
      console.log(`\n${kind}, Node ${process.version}, ${os.cpus().length} cœurs\n`);
      console.log(formatTable(rows, ceiling));
      const failed = rows.filter((r) => r.non2xx + r.errors > 0);
      if (failed.length > 0) {
        console.error(`\nRéponses en erreur pendant : ${failed.map((r) => r.name).join(', ')}.`);
        process.exitCode = 1;
      }
    } finally {
      await app.close();
      await ceilingApp.close();
    }
  } finally {
    await database.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
