// `npm run bench [-- section…] [--duration 10] [--connections 50]`
// Seeds 5,000 events, starts the real app (buildApp, as main.ts does) on a free loopback port
// next to a bare Fastify route (the ceiling, same process), and measures each section's pages
// with autocannon. PGlite by default; PostgreSQL when BENCH_DATABASE_URL is set (a fresh
// database `rassembler_bench` is created there, and dropped at the end).
// To add a section: write scripts/bench/<name>.ts exporting a Section, and list it below.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import postgres from 'postgres';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { createPglite, openPglite, openPostgres, type DatabaseHandle } from '../server/db/client.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { seedDemo } from '../server/demo/seed.ts';
import { systemClock } from '../server/lib/clock.ts';
import { defaults, formatTable, measure, type Measurement, type Section } from './bench/lib.ts';
import { programmeSection } from './bench/programme.ts';
import { calendarSection } from './bench/calendar.ts';
import { registrationsSection } from './bench/registrations.ts';
import { mailSection } from './bench/mail.ts';
import { reportsSection } from './bench/reports.ts';
import { openDataSection } from './bench/open-data.ts';

const SECTIONS: Record<string, Section> = {
  programme: programmeSection,
  calendar: calendarSection,
  registrations: registrationsSection,
  mail: mailSection,
  reports: reportsSection,
  'open-data': openDataSection,
};

const BENCH_DATABASE = 'rassembler_bench';
const EXTRA_EVENTS = 5_000;

function parseArgs(argv: string[]): string[] {
  const names: string[] = [];
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
    else if (SECTIONS[arg]) names.push(arg);
    else throw new Error(`Section inconnue « ${arg} » (sections : ${Object.keys(SECTIONS).join(', ')}).`);
  }
  return names.length > 0 ? names : Object.keys(SECTIONS);
}

async function openBenchDatabase(): Promise<{ database: DatabaseHandle; url?: string; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const database = openPglite(await createPglite());
    return { database, drop: async () => {} };
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${BENCH_DATABASE} with (force)`);
  await admin.unsafe(`create database ${BENCH_DATABASE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${BENCH_DATABASE}`;
  const database = openPostgres(url.toString());
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${BENCH_DATABASE} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

async function main() {
  const sections = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-bench-'));
  const { database, url, drop } = await openBenchDatabase();
  const kind = database.kind === 'pglite' ? 'PGlite (embarqué)' : 'PostgreSQL';
  try {
    console.log(`Base : ${kind}. Migrations et programme de démonstration + ${EXTRA_EVENTS.toLocaleString('fr-FR')} événements…`);
    await runMigrations(database);
    const config = loadConfig({
      LOG_LEVEL: 'warn',
      MAIL_WORKER: 'false',
      DEMO_DATA: 'false',
      DATA_DIR: dataDir,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      ...(url ? { DATABASE_URL: url } : {}),
    });
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
