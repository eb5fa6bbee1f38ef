// The coordination's overview of a territory's programme for one edition: events per day and per
// commune, what waits for whom, what lacks accessibility, what was edited since publication.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { pgArray, type Database } from '../db/client.ts';
import { edition, event, eventHistory, organisation, venue } from '../db/schema.ts';
import type { EventState } from '../domain/vocabulary.ts';
import { dayKey } from '../lib/time.ts';
import type { EditionRow, TerritoryRow } from './queries.ts';
import { chosenEdition, editsSincePublication } from './rules.ts';

export async function editions(db: Database): Promise<EditionRow[]> {
  return db.select().from(edition).orderBy(desc(edition.year));
}

/** Every calendar day from first to last, inclusive (« yyyy-mm-dd »). */
function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${first}T12:00:00Z`); d.toISOString().slice(0, 10) <= last; d = new Date(d.getTime() + 86_400_000)) days.push(d.toISOString().slice(0, 10));
  return days;
}

/** The key of online events among the communes (the page names it in its language). */
export const ONLINE_COMMUNE = '\u0000online';

export interface Tally {
  key: string;
  published: number;
  submitted: number;
}

/** What changed in these published events since their publication, by event (unchanged ones absent). */
export async function editsOfPublishedEvents(db: Database, eventIds: number[]) {
  const history = eventIds.length
    ? await db
        .select({ eventId: eventHistory.eventId, fromState: eventHistory.fromState, toState: eventHistory.toState, changes: eventHistory.changes, createdAt: eventHistory.createdAt })
        .from(eventHistory)
        // One array parameter, whatever the number of events (thousands on a large territory).
        .where(and(sql`${eventHistory.eventId} = any(${pgArray(eventIds)}::int[])`, eq(eventHistory.toState, 'published')))
        .orderBy(asc(eventHistory.createdAt), asc(eventHistory.id))
    : [];
  const byEvent = new Map<number, typeof history>();
  for (const step of history) {
    const steps = byEvent.get(step.eventId);
    if (steps) steps.push(step);
    else byEvent.set(step.eventId, [step]);
  }
  const edits = new Map<number, NonNullable<ReturnType<typeof editsSincePublication>>>();
  for (const [id, steps] of byEvent) {
    const edited = editsSincePublication(steps);
    if (edited) edits.set(id, edited);
  }
  return edits;
}

/** The territory's programme for one edition, as the coordinator checks it. */
export async function territoryOverview(db: Database, t: TerritoryRow, ed: EditionRow) {
  const rows = await db
    .select({
      id: event.id,
      title: event.title,
      state: event.state,
      startsAt: event.startsAt,
      accessibilityOffered: event.accessibilityOffered,
      commune: venue.commune,
      organisationName: organisation.name,
    })
    .from(event)
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(and(eq(event.territoryId, t.id), eq(event.editionId, ed.id), inArray(event.state, ['submitted', 'changes_requested', 'published'])))
    .orderBy(asc(event.startsAt), asc(event.id));

  const tally = (map: Map<string, Tally>, key: string, state: EventState) => {
    const entry = map.get(key) ?? { key, published: 0, submitted: 0 };
    if (state === 'published') entry.published++;
    if (state === 'submitted') entry.submitted++;
    map.set(key, entry);
  };
  const byDay = new Map<string, Tally>(daysBetween(ed.firstDay, ed.lastDay).map((d) => [d, { key: d, published: 0, submitted: 0 }]));
  const byCommune = new Map<string, Tally>();
  for (const r of rows) {
    if (r.state === 'changes_requested') continue;
    tally(byDay, dayKey(r.startsAt, t.timeZone), r.state);
    tally(byCommune, r.commune ?? ONLINE_COMMUNE, r.state);
  }
  const published = rows.filter((r) => r.state === 'published');
  const edits = await editsOfPublishedEvents(db, published.map((r) => r.id));
  const collator = new Intl.Collator('fr');
  return {
    days: [...byDay.values()].sort((a, b) => a.key.localeCompare(b.key)).map((d) => ({ ...d, inEdition: d.key >= ed.firstDay && d.key <= ed.lastDay })),
    // Communes in French alphabetical order, online events last.
    communes: [...byCommune.values()]
      .sort((a, b) => Number(a.key === ONLINE_COMMUNE) - Number(b.key === ONLINE_COMMUNE) || collator.compare(a.key, b.key))
      .map((c) => ({ ...c, online: c.key === ONLINE_COMMUNE })),
    waiting: rows.filter((r) => r.state === 'submitted').length,
    withOrganiser: rows.filter((r) => r.state === 'changes_requested').length,
    published: rows.filter((r) => r.state === 'published').length,
    withoutAccessibility: rows.filter((r) => r.accessibilityOffered.length === 0),
    publishedEvents: published,
    editedSincePublication: published.flatMap((r) => {
      const edited = edits.get(r.id);
      return edited ? [{ ...r, ...edited }] : [];
    }),
  };
}

/** The overview of the edition the coordinator asked for (by its year), else of the current or next one (see chosenEdition). */
export async function coordinationOverview(db: Database, t: TerritoryRow, year: number, now: Date) {
  const all = await editions(db);
  const chosen = chosenEdition(all, year, dayKey(now, t.timeZone));
  return { editions: all, edition: chosen, overview: chosen ? await territoryOverview(db, t, chosen) : null };
}
