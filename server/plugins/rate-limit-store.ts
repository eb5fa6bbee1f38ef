// The rate limits' counts in PostgreSQL, so that they hold across app processes (@fastify/rate-limit
// keeps them in each process's memory by default). One statement per counted request: it starts a
// new window when the last one has ended, otherwise adds one, and says where the count stands.
// The database's clock is the one clock every process shares.
import { lte, sql } from 'drizzle-orm';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { queryRows, type Database } from '../db/client.ts';
import { rateLimitHit } from '../db/schema.ts';

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

export class PostgresRateLimitStore implements FastifyRateLimitStore {
  constructor(
    private readonly db: Database,
    private readonly scope = 'global',
  ) {}

  incr(key: string, callback: Callback, timeWindow: number): void {
    const id = `${this.scope} ${key}`;
    queryRows<{ count: number; ttl: number }>(
      this.db,
      sql`insert into ${rateLimitHit} (key, count, window_ends_at)
          values (${id}, 1, now() + ${timeWindow}::int * interval '1 millisecond')
          on conflict (key) do update set
            count = case when ${rateLimitHit.windowEndsAt} <= now() then 1 else ${rateLimitHit.count} + 1 end,
            window_ends_at = case when ${rateLimitHit.windowEndsAt} <= now() then excluded.window_ends_at else ${rateLimitHit.windowEndsAt} end
          returning count, ceil(extract(epoch from (window_ends_at - now())) * 1000)::int as ttl`,
    ).then(
      ([row]) => callback(null, { current: Number(row!.count), ttl: Math.max(0, Number(row!.ttl)) }),
      (error: Error) => callback(error),
    );
  }

  /** Each limited route counts on its own, as the in-memory store does. The plugin hands over its
   *  merged options, whose `routeInfo` is the route (its types say the route options). */
  child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    const { method, url } = (options as unknown as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
    return new PostgresRateLimitStore(this.db, `${[method].flat().join(',')} ${url ?? ''}`);
  }
}

/** Deletes the counts whose window has ended: they hold addresses (personal data) and serve no
 *  longer. For the hourly purge; returns how many rows went. */
export async function forgetEndedRateLimits(db: Database): Promise<number> {
  return (await db.delete(rateLimitHit).where(lte(rateLimitHit.windowEndsAt, sql`now()`)).returning({ key: rateLimitHit.key })).length;
}
