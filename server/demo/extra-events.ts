// Many generated events on top of the hand-written ones, for load tests and benchmarks.
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema.ts';
import { DEMO_EVENTS, type TerritoryKey } from './data.ts';
import { DAY_MS, eventTiming, needsInterpreter } from './dates.ts';
import { insertInBatches, required } from './insert.ts';
import type { Random } from './random.ts';

interface ExtraContext {
  rng: Random;
  now: Date;
  dates: { firstDay: string };
  editionId: number;
  territoryIds: Map<TerritoryKey, number>;
  organisationIds: Map<string, number>;
  venueIds: Map<string, number>;
  zones: Map<TerritoryKey, string>;
}

const EXTRA_SLOTS = ['09:30', '10:00', '14:00', '14:30', '16:00', '17:30', '18:30', '20:00'];

/** Many more published events for benchmarks, re-using the hand-written ones as templates. */
export async function seedExtraEvents(db: Database, count: number, ctx: ExtraContext): Promise<void> {
  if (count === 0) return;
  const templates = DEMO_EVENTS.filter((e) => (e.state ?? 'published') === 'published' && e.minutes <= 8 * 60);
  const publishedAt = new Date(ctx.now.getTime() - 30 * DAY_MS);
  const createdAt = new Date(ctx.now.getTime() - 40 * DAY_MS);
  const rows: (typeof schema.event.$inferInsert)[] = [];
  for (let i = 0; i < count; i++) {
    const def = templates[i % templates.length]!;
    const round = Math.floor(i / templates.length) + 2;
    const day = (i + round) % 14;
    const timing = eventTiming(ctx.dates.firstDay, day, ctx.rng.pick(EXTRA_SLOTS), def.minutes, required(ctx.zones, def.territory, 'territoire'), ctx.now, needsInterpreter(def));
    rows.push({
      editionId: ctx.editionId,
      territoryId: required(ctx.territoryIds, def.territory, 'territoire'),
      organisationId: required(ctx.organisationIds, def.organisation, 'structure'),
      venueId: required(ctx.venueIds, def.venue, 'lieu'),
      title: `${def.title} (séance ${round})`,
      summary: def.summary,
      description: def.description,
      easyReadSummary: def.easyRead ?? null,
      category: def.category,
      audience: def.audience,
      ...timing,
      capacity: def.capacity,
      accessibilityOffered: def.access,
      contentNote: def.contentNote ?? null,
      state: 'published',
      publishedAt,
      createdAt,
      updatedAt: publishedAt,
    });
  }
  await insertInBatches(db, schema.event, rows);
}
