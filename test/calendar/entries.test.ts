// @databases: pglite, postgres
// The public feeds' stored VEVENTs (server/calendar/entries.ts): each event rendered once, read
// back as text afterwards, and never served stale whatever row it was rendered from changes.
import t from 'tap';
import { eq, ne } from 'drizzle-orm';
import { buildTestApp, testConfig } from '../helpers/app.ts';
import { makeEvent, makeTerritory, makeOrganisation, makeUser, makeWorld } from '../helpers/factory.ts';
import { calendarEntry, event, organisation, territory, venue } from '../../server/db/schema.ts';
import { territoryScope } from '../../server/calendar/queries.ts';
import { generateFeed } from '../../server/calendar/service.ts';
import { addPublicEvent } from '../../server/calendar/entries.ts';
import { createCalendar, serializeCalendar } from '../../server/calendar/ical.ts';
import { loadCalendarEvents } from '../../server/calendar/load-events.ts';
import { territoryFeedPath } from '../../server/calendar/links.ts';
import { updateEvent } from '../../server/events/editing.ts';
import type { Database } from '../../server/db/client.ts';
import type { Config } from '../../server/config.ts';
import { parseFeed } from './parse.ts';

const NOW = '2026-09-15T08:00:00Z';

/** A territory with four public events: one cancelled, one online (no venue), one at the hour the
 *  October change repeats (written in UTC), and a draft that no feed shows. */
async function world(db: Database) {
  const w = await makeWorld(db, { title: 'Marche du lien', startsAt: new Date('2026-10-05T08:00:00Z'), endsAt: new Date('2026-10-05T10:00:00Z') });
  const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id };
  const at = (iso: string) => ({ startsAt: new Date(iso), endsAt: new Date(new Date(iso).getTime() + 3_600_000) });
  const cancelled = await makeEvent(db, { ...refs, venueId: w.venue.id }, { title: 'Atelier ; annulé', state: 'cancelled', sequence: 1, cancellationReason: 'Salle inondée', ...at('2026-10-06T12:00:00Z') });
  const online = await makeEvent(db, refs, { title: 'Webinaire', onlineUrl: 'https://visio.example.org/sism', ...at('2026-10-07T17:00:00Z') });
  const night = await makeEvent(db, { ...refs, venueId: w.venue.id }, { title: 'Veillée', ...at('2026-10-25T00:30:00Z') });
  await makeEvent(db, { ...refs, venueId: w.venue.id }, { title: 'Brouillon', state: 'draft', ...at('2026-10-08T12:00:00Z') });
  return { ...w, cancelled, online, night };
}

async function territoryFeed(db: Database, slug: string, config: Config) {
  const scope = await territoryScope(db, slug, new Date(NOW));
  return (await generateFeed(db, scope!, config)).text;
}

/** The same feed with every event rendered, as it was before entries were stored. */
async function renderedWhole(db: Database, slug: string, config: Config) {
  const scope = (await territoryScope(db, slug, new Date(NOW)))!;
  const calendar = createCalendar({ name: scope.name, ttl: 3600 });
  for (const data of await loadCalendarEvents(db, { publicUrl: config.publicUrl, where: scope.where })) addPublicEvent(calendar, data, config);
  return serializeCalendar(calendar);
}

const entries = (db: Database) => db.select().from(calendarEntry).orderBy(calendarEntry.eventId);

t.test('a feed renders each event once, stores it, and then reads it back: same text, byte for byte', async (t) => {
  const { app, db, config } = await buildTestApp(t, { now: NOW });
  const w = await world(db);
  t.same(await entries(db), [], 'nothing stored before the first feed');

  const res = await app.inject({ url: territoryFeedPath(w.territory.slug) });
  t.equal(res.statusCode, 200);
  const feed = parseFeed(res.body);
  t.same(feed.events.map((e) => e.summary), ['Marche du lien', 'ANNULÉ – Atelier ; annulé', 'Webinaire', 'Veillée'], 'every public event, the draft left out');
  t.equal(feed.events[3]!.tzid, null, 'the repeated hour is written in UTC');
  t.equal(feed.events[3]!.start.toISOString(), '2026-10-25T00:30:00.000Z');

  const stored = await entries(db);
  t.same(stored.map((e) => e.eventId), [w.event.id, w.cancelled.id, w.online.id, w.night.id], 'one entry per event of the feed');
  for (const entry of stored) t.match(entry.body, new RegExp(`^BEGIN:VEVENT\r\nUID:event-${entry.eventId}@localhost\r\n[^]*END:VEVENT\r\n$`), 'the entry is the folded VEVENT');
  t.same(stored.map((e) => [e.timeZone, e.firstYear, e.lastYear]), [['Europe/Paris', 2026, 2026], ['Europe/Paris', 2026, 2026], ['Europe/Paris', 2026, 2026], [null, null, null]]);

  const whole = await renderedWhole(db, w.territory.slug, config);
  t.equal(res.body, whole, 'the first feed is what rendering every event gives');
  t.equal(await territoryFeed(db, w.territory.slug, config), whole, 'and so is the feed read from the stored entries');
  t.same(await entries(db), stored, 'reading the entries did not write them again');
});

t.test('a stored entry is what the feed says until a row it was rendered from changes', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: NOW });
  const w = await world(db);
  await territoryFeed(db, w.territory.slug, config);
  const before = await entries(db);
  const fingerprintOf = (rows: typeof before, id: number) => rows.find((e) => e.eventId === id)!.fingerprint;

  // Marked by hand, fingerprint kept: the feed shows the mark, so the entry is what is read.
  await db.update(calendarEntry).set({ body: 'BEGIN:VEVENT\r\nUID:marque\r\nEND:VEVENT\r\n' }).where(eq(calendarEntry.eventId, w.online.id));
  t.match(await territoryFeed(db, w.territory.slug, config), 'UID:marque', 'the stored entry is used');

  // The event edited (through the events service): its entry is rendered again, the others are not.
  const [row] = await db.select().from(event).where(eq(event.id, w.online.id));
  clock.advance(3_600_000);
  await updateEvent(db, w.online.id, {
    fields: { ...row!, title: 'Webinaire, nouvelle formule' },
    venue: { kind: 'none' },
    actorUserId: (await makeUser(db)).id,
    now: clock.now(),
  });
  let text = await territoryFeed(db, w.territory.slug, config);
  t.notMatch(text, 'UID:marque', 'the edited event is not read from its old entry');
  t.match(text, 'SUMMARY:Webinaire\\, nouvelle formule');
  let after = await entries(db);
  t.not(fingerprintOf(after, w.online.id), fingerprintOf(before, w.online.id), 'a new fingerprint for the edited event');
  for (const id of [w.event.id, w.cancelled.id, w.night.id]) t.equal(fingerprintOf(after, id), fingerprintOf(before, id), `event ${id} kept its entry`);
  t.equal(text, await renderedWhole(db, w.territory.slug, config), 'the feed is what rendering every event gives');

  // Rows the events only point to: the organisation, the venue, the territory.
  await db.update(organisation).set({ name: 'GEM Les Alizés', contactEmail: 'gem@example.org' }).where(eq(organisation.id, w.organisation.id));
  await db.update(venue).set({ accessDirections: 'Entrée par la cour, porte bleue.' }).where(eq(venue.id, w.venue.id));
  text = await territoryFeed(db, w.territory.slug, config);
  t.equal(parseFeed(text).events.filter((e) => e.organizer === 'mailto:gem@example.org').length, 4, 'the renamed organisation on every event');
  t.equal(text.replace(/\r\n /g, '').split('Entrée par la cour\\, porte bleue.').length - 1, 3, 'the new directions on the three events at the venue');
  after = await entries(db);
  t.ok(after.every((e) => e.fingerprint !== fingerprintOf(before, e.eventId)), 'every entry rendered again');

  await db.update(territory).set({ timeZone: 'Indian/Reunion' }).where(eq(territory.id, w.territory.id));
  const moved = parseFeed(await territoryFeed(db, w.territory.slug, config));
  t.same(moved.timezones, ['Indian/Reunion'], 'times now written in the territory’s new zone');
  t.equal(moved.events[0]!.start.toISOString(), '2026-10-05T08:00:00.000Z', 'the same instant');
  t.equal(moved.events[0]!.tzid, 'Indian/Reunion');
});

t.test('entries rendered for another public address are not used: links follow the configuration', async (t) => {
  const { db, config } = await buildTestApp(t, { now: NOW });
  const w = await world(db);
  await territoryFeed(db, w.territory.slug, config);
  const elsewhere = testConfig({ PUBLIC_URL: 'https://sism.example.org' });
  const text = await territoryFeed(db, w.territory.slug, elsewhere);
  t.match(text, `URL;VALUE=URI:https://sism.example.org/evenements/${w.event.id}`);
  t.notMatch(text, 'localhost', 'no link or UID from the old address');
  t.equal((await entries(db)).length, 4, 'entries replaced, not added');
  t.equal(text, await renderedWhole(db, w.territory.slug, elsewhere));
});

t.test('two feeds generated at once with nothing stored: both right, one entry per event', async (t) => {
  const { db, config } = await buildTestApp(t, { now: NOW });
  const w = await world(db);
  const other = await makeTerritory(db, { slug: 'autre', name: 'Autre CLSM' });
  const otherOrg = await makeOrganisation(db, other.id);
  await makeEvent(db, { editionId: w.edition.id, territoryId: other.id, organisationId: otherOrg.id }, { title: 'Ailleurs' });
  const [a, b] = await Promise.all([territoryFeed(db, w.territory.slug, config), territoryFeed(db, w.territory.slug, config)]);
  t.equal(a, b);
  t.equal(a, await renderedWhole(db, w.territory.slug, config));
  const stored = await entries(db);
  t.equal(stored.length, 4, 'one entry per event of the feed, none for the other territory');
  t.equal((await db.select().from(event).where(ne(event.territoryId, w.territory.id))).length, 1);
});
