// What every entry point (the app, `npm run worker|seed|purge|admin`) does the same way: read the
// configuration once (a bad value: one line naming the variable, exit code 2), open and migrate the
// database with a message a person can act on, and turn the command's result into an exit code.
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';

/** Exit code of a usage or configuration error. */
export const EXIT_USAGE = 2;

export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function configOrFail(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(error.message, EXIT_USAGE);
    throw error;
  }
}

/**
 * The configured database, migrated. `embeddedHint` says what to do when the embedded database is
 * held by another process (PGlite opens in one process at a time). `onOpen` runs as soon as it is
 * open, before the migrations (e.g. to close it on Ctrl-C from then on).
 */
export async function openMigratedDatabase(config: Config, embeddedHint: string, onOpen?: (database: DatabaseHandle) => void): Promise<DatabaseHandle> {
  let database: DatabaseHandle;
  try {
    database = await openDatabase(config);
  } catch (error) {
    const reason = (error as Error).message;
    throw new CommandError(
      config.databaseUrl
        ? `Impossible d'ouvrir la base PostgreSQL (DATABASE_URL) : ${reason}`
        : `Impossible d'ouvrir la base embarquée dans ${config.dataDir} : ${reason}\n${embeddedHint}`,
      1,
    );
  }
  onOpen?.(database);
  try {
    await runMigrations(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** Runs a command and exits with its code; a CommandError prints its message alone. */
export function runCommand(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exit(code);
    },
    (error) => {
      console.error(error instanceof CommandError ? error.message : error);
      process.exit(error instanceof CommandError ? error.exitCode : 1);
    },
  );
}
