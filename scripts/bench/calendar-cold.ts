// One generation of the 2,000-event programme feed in a process that has done nothing else: what
// a freshly started app pays for its first request of a feed (no feed in memory, code not warmed
// up). Run by scripts/bench/calendar.ts, twice: before any entry is stored, then after.
// Prints one JSON line: wall and CPU milliseconds, size and SHA-256 of the text.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../server/db/client.ts';
import { programmeScope } from '../../server/calendar/queries.ts';
import { generateFeed } from '../../server/calendar/service.ts';
import { benchConfig, NOW } from './calendar.ts';

const [databaseUrl, dataDir] = [process.env.COLD_DATABASE_URL || undefined, process.env.COLD_DATA_DIR ?? ''];
const handle = await openDatabase({ databaseUrl, dataDir });
try {
  const scoped = await programmeScope(handle.db, {}, NOW);
  if (!scoped.ok) throw new Error(scoped.message);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const { text } = await generateFeed(handle.db, scoped.scope, benchConfig(dataDir));
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000, bytes: Buffer.byteLength(text), sha: createHash('sha256').update(text).digest('hex') }));
} finally {
  await handle.close();
}
