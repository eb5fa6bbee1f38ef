// Benchmark section « programme »: the public programme (first page, a filtered page), the
// embedded programme (what a commune's site frames) and an event page, as browsers ask for them
// (compressed), on the seeded 5,000-event edition; the programme also in English (/en/), which is
// cached apart (docs/decisions/0019-languages.md) and must cost the same.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { event } from '../../server/db/schema.ts';
import { measure, type BenchContext, type Measurement } from './lib.ts';

export async function programmeSection(ctx: BenchContext): Promise<Measurement[]> {
  const { db } = ctx.database;
  // An ordinary published event with a capacity: its page shows places left and JSON-LD offers.
  const [sample] = await db
    .select({ id: event.id })
    .from(event)
    .where(and(eq(event.state, 'published'), isNotNull(event.capacity)))
    .orderBy(asc(event.id))
    .limit(1);
  if (!sample) throw new Error('Aucun événement publié : le programme de démonstration n’a pas été chargé.');

  // A filter people use: one day, wheelchair access, places left.
  const [day] = await db.select({ startsAt: event.startsAt }).from(event).where(eq(event.id, sample.id));
  const isoDay = day!.startsAt.toISOString().slice(0, 10);

  return [
    await measure('programme, page 1', `${ctx.baseUrl}/programme`),
    await measure('programme filtré', `${ctx.baseUrl}/programme?day=${isoDay}&access=wheelchair&places=1`),
    await measure('programme en anglais, page 1', `${ctx.baseUrl}/en/programme`),
    await measure('programme filtré en anglais', `${ctx.baseUrl}/en/programme?day=${isoDay}&access=wheelchair&places=1`),
    await measure('programme intégré, page 1', `${ctx.baseUrl}/integrer/programme`),
    await measure('page événement', `${ctx.baseUrl}/evenements/${sample.id}`),
  ];
}
