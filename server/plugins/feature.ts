// What every feature plugin receives from buildApp. Its own module, so that feature routes do not
// import app.ts, which imports them.
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';

export interface FeatureOptions {
  config: Config;
  db: Database;
  clock: Clock;
}
