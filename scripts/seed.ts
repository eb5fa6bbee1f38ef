// `npm run seed -- [--events N]`: loads the demo programme into an empty database (the configured
// one: PGlite under DATA_DIR, or DATABASE_URL). Does nothing if an edition already exists.
// --events N adds N generated published events, for benchmarks.
import { configOrFail, EXIT_USAGE, openMigratedDatabase, runCommand } from '../server/lib/command.ts';
import { seedDemo } from '../server/demo/seed.ts';

const USAGE = 'Usage : npm run seed -- [--events N]   (N : nombre d’événements supplémentaires, entier de 0 à 100000)';
const MAX_EXTRA_EVENTS = 100_000;

/** The --events value, or an error message in French. */
function parseArgs(args: string[]): { extraEvents: number } | { error: string } {
  let extraEvents = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let value: string | undefined;
    if (arg === '--events') value = args[++i];
    else if (arg.startsWith('--events=')) value = arg.slice('--events='.length);
    else if (arg === '--help' || arg === '-h') return { error: USAGE };
    else return { error: `Option inconnue « ${arg} ».\n${USAGE}` };
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > MAX_EXTRA_EVENTS) {
      return { error: `--events attend un nombre entier entre 0 et ${MAX_EXTRA_EVENTS} (reçu « ${value ?? ''} »).\n${USAGE}` };
    }
    extraEvents = Number(value);
  }
  return { extraEvents };
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if ('error' in parsed) {
    console.error(parsed.error);
    return EXIT_USAGE;
  }
  const config = configOrFail();
  const handle = await openMigratedDatabase(config, "La base embarquée ne s'ouvre que dans un processus à la fois : arrêtez l'application puis réessayez.");
  try {
    const started = performance.now();
    // The one place that reads the real clock: the demo is for the coming October.
    const summary = await seedDemo(handle.db, {
      now: new Date(),
      theme: config.demoTheme,
      extraEvents: parsed.extraEvents,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (summary.created) {
      console.log(
        `Programme de démonstration ${summary.editionYear} créé : ${summary.territories} territoires, ${summary.events} événements, ${summary.registrations} inscriptions (${seconds} s).`,
      );
    } else {
      console.log(`La base contient déjà une édition (${summary.editionYear}) : aucune donnée de démonstration ajoutée.`);
    }
    return 0;
  } finally {
    await handle.close();
  }
}

runCommand(main);
