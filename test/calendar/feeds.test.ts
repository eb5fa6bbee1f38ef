// @databases: pglite
// Subscribed feeds: an organisation's and a territory's events, what they leave out (drafts, old
// events), and how they answer polling clients (ETag, Last-Modified, 304, compression).
import t from 'tap';
import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '../helpers/app.ts';
import { makeEvent, makeOrganisation, makeTerritory, makeVenue, makeWorld } from '../helpers/factory.ts';
import { event, organisation } from '../../server/db/schema.ts';
import { organisationFeedPath, territoryFeedPath } from '../../server/calendar/links.ts';
import { parseFeed } from './parse.ts';

const NOW = '2026-10-20T08:00:00Z';
const DAY = 86_400_000;

async function feedWorld(db: Parameters<typeof makeWorld>[0]) {
  const world = await makeWorld(db, { title: 'Marche du lien' });
  const refs = { editionId: world.edition.id, territoryId: world.territory.id, organisationId: world.organisation.id, venueId: world.venue.id };
  const at = (iso: string) => ({ startsAt: new Date(iso), endsAt: new Date(new Date(iso).getTime() + 2 * 3_600_000) });
  const cancelled = await makeEvent(db, refs, { title: 'Atelier annulé', state: 'cancelled', sequence: 1, cancellationReason: 'Intervenante malade', ...at('2026-10-12T12:00:00Z') });
  const draft = await makeEvent(db, refs, { title: 'Brouillon', state: 'draft', ...at('2026-10-13T12:00:00Z') });
  const submitted = await makeEvent(db, refs, { title: 'En relecture', state: 'submitted', ...at('2026-10-13T12:00:00Z') });
  // Ended 29 days before NOW: still in feeds; 31 days: left out.
  const recent = await makeEvent(db, refs, { title: 'Il y a 29 jours', ...at(new Date(Date.parse(NOW) - 29 * DAY - 2 * 3_600_000).toISOString()) });
  const old = await makeEvent(db, refs, { title: 'Il y a 31 jours', ...at(new Date(Date.parse(NOW) - 31 * DAY - 2 * 3_600_000).toISOString()) });
  // Same territory, another organisation.
  const otherOrg = await makeOrganisation(db, world.territory.id, { name: 'Club de marche' });
  const otherVenue = await makeVenue(db, world.territory.id, otherOrg.id, { commune: 'Échirolles' });
  const neighbour = await makeEvent(db, { ...refs, organisationId: otherOrg.id, venueId: otherVenue.id }, { title: 'Randonnée', ...at('2026-10-14T08:00:00Z') });
  // Another territory altogether.
  const reunion = await makeTerritory(db, { slug: 'saint-denis-reunion', name: 'CLSM de Saint-Denis', timeZone: 'Indian/Reunion' });
  const reunionOrg = await makeOrganisation(db, reunion.id);
  const far = await makeEvent(db, { editionId: world.edition.id, territoryId: reunion.id, organisationId: reunionOrg.id }, { title: 'Kabar', ...at('2026-10-10T06:00:00Z') });
  // As if everything had been written before NOW (rows otherwise carry the database's clock).
  await db.update(event).set({ updatedAt: new Date('2026-09-01T10:00:00Z') });
  return { ...world, cancelled, draft, submitted, recent, old, otherOrg, neighbour, reunion, far };
}

t.test('an organisation feed: its public events, cancelled ones marked, drafts and old ones left out', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const w = await feedWorld(db);
  const res = await app.inject({ url: organisationFeedPath(w.organisation.id) });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
  t.equal(res.headers['content-disposition'], undefined, 'a feed is subscribed to, not downloaded');
  const feed = parseFeed(res.body);
  t.equal(feed.name, `${w.organisation.name} — SISM`);
  t.same(
    feed.events.map((e) => e.summary),
    ['Il y a 29 jours', 'Marche du lien', 'ANNULÉ – Atelier annulé'],
    'in start order; cancelled present; draft, submitted, other organisation and old events absent',
  );
  const cancelled = feed.events.find((e) => e.uid === `event-${w.cancelled.id}@localhost`)!;
  t.equal(cancelled.status, 'CANCELLED');
  t.equal(cancelled.sequence, 1);
  t.match(res.body, /REFRESH-INTERVAL;VALUE=DURATION:PT1H/, 'clients are told how often to poll');

  for (const url of [organisationFeedPath(999999), '/organisations/abc/agenda.ics', '/organisations/0/agenda.ics']) {
    const missing = await app.inject({ url });
    t.equal(missing.statusCode, 404, url);
  }
});

t.test('a territory feed: every organisation of the territory, in its zone', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const w = await feedWorld(db);
  const grenoble = parseFeed((await app.inject({ url: territoryFeedPath(w.territory.slug) })).body);
  t.same(grenoble.events.map((e) => e.summary), ['Il y a 29 jours', 'Marche du lien', 'ANNULÉ – Atelier annulé', 'Randonnée']);
  t.same(grenoble.timezones, ['Europe/Paris']);

  const reunionRes = await app.inject({ url: territoryFeedPath('saint-denis-reunion') });
  const reunion = parseFeed(reunionRes.body);
  t.same(reunion.events.map((e) => e.summary), ['Kabar']);
  t.same(reunion.timezones, ['Indian/Reunion']);
  t.equal(reunion.events[0]!.start.toISOString(), '2026-10-10T06:00:00.000Z');
  t.match(reunionRes.body, 'DTSTART;TZID=Indian/Reunion:20261010T100000');

  t.equal((await app.inject({ url: territoryFeedPath('nulle-part') })).statusCode, 404);
});

t.test('every event has an ORGANIZER: the organisation at its address, or else at the platform address', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const w = await feedWorld(db);
  await db.update(organisation).set({ contactEmail: null }).where(eq(organisation.id, w.otherOrg.id));
  const feed = parseFeed((await app.inject({ url: territoryFeedPath(w.territory.slug) })).body);
  const organizers = new Map(feed.events.map((e) => [e.summary, e.organizer]));
  t.equal(organizers.get('Marche du lien'), `mailto:${w.organisation.contactEmail}`);
  t.equal(organizers.get('Randonnée'), 'mailto:ne-pas-repondre@rassembler.localhost', 'no contact address: the platform address (MAIL_FROM)');
  t.match((await app.inject({ url: territoryFeedPath(w.territory.slug) })).body, /ORGANIZER;CN="?Club de marche"?:mailto:ne-pas-repondre@rassembler\.localhost/, 'named after the organisation');
});

t.test('polling: 304 while nothing changes, 200 with a new ETag after an edit', async (t) => {
  const { app, db, clock } = await buildTestApp(t, { now: NOW });
  const w = await feedWorld(db);
  const url = territoryFeedPath(w.territory.slug);
  const first = await app.inject({ url });
  const etag = first.headers.etag as string;
  const lastModified = first.headers['last-modified'] as string;
  t.match(etag, /^"[\w-]+"$/);
  t.equal(first.headers['cache-control'], 'public, no-cache');

  const again = await app.inject({ url });
  t.equal(again.headers.etag, etag, 'same ETag for the same content');
  t.equal(again.body, first.body, 'byte-identical when nothing changed');

  const notModified = await app.inject({ url, headers: { 'if-none-match': etag } });
  t.equal(notModified.statusCode, 304);
  t.equal(notModified.body, '', 'no body');
  t.equal(notModified.headers.etag, etag);
  t.equal((await app.inject({ url, headers: { 'if-none-match': `"autre", ${etag}` } })).statusCode, 304, 'one of several ETags');
  t.equal((await app.inject({ url, headers: { 'if-modified-since': lastModified } })).statusCode, 304, 'If-Modified-Since');
  t.equal((await app.inject({ url, headers: { 'if-none-match': '"autre"', 'if-modified-since': lastModified } })).statusCode, 200, 'If-None-Match wins');

  // An edit, as another app process would make it: straight in the database.
  clock.advance(60_000);
  await db.update(event).set({ title: 'Marche du lien social', updatedAt: clock.now() }).where(eq(event.id, w.event.id));
  const edited = await app.inject({ url, headers: { 'if-none-match': etag } });
  t.equal(edited.statusCode, 200);
  t.not(edited.headers.etag, etag, 'new ETag');
  t.equal(edited.headers['last-modified'], clock.now().toUTCString(), 'Last-Modified is the edit time');
  t.ok(parseFeed(edited.body).events.some((e) => e.summary === 'Marche du lien social'), 'the edit shows at once');
  t.equal((await app.inject({ url, headers: { 'if-modified-since': lastModified } })).statusCode, 200, 'modified since');

  // An event leaving the territory's feed (moved to another organisation's territory is not
  // possible; a cancellation keeps it): a published event turned back to draft leaves.
  const before = edited.headers.etag as string;
  clock.advance(60_000);
  await db.update(event).set({ state: 'draft', updatedAt: clock.now() }).where(eq(event.id, w.neighbour.id));
  const left = await app.inject({ url, headers: { 'if-none-match': before } });
  t.equal(left.statusCode, 200);
  t.notOk(parseFeed(left.body).events.some((e) => e.summary === 'Randonnée'));

  // An organisation renamed: its events do not move, the feed does.
  const renamedBefore = left.headers.etag as string;
  await db.update(organisation).set({ name: 'Association renommée' }).where(eq(organisation.id, w.organisation.id));
  const renamed = await app.inject({ url, headers: { 'if-none-match': renamedBefore } });
  t.equal(renamed.statusCode, 200, 'organisation rename changes the feed');
  t.match(parseFeed(renamed.body).events[0]!.description, 'Organisé par Association renommée.');
});

t.test('compressed once per version, for clients that accept it', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const w = await feedWorld(db);
  const url = territoryFeedPath(w.territory.slug);
  const plain = await app.inject({ url });
  const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.equal(gz.headers.vary?.toString().includes('Accept-Encoding'), true);
  t.equal(gunzipSync(gz.rawPayload).toString('utf8'), plain.body);
  const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
  t.equal(br.headers['content-encoding'], 'br');
  const none = await app.inject({ url, headers: { 'accept-encoding': 'br;q=0, identity' } });
  t.equal(none.headers['content-encoding'], undefined);
  t.equal(none.body, plain.body);
});

t.test('time passing alone moves an old event out of the feeds, and an edit stamped earlier still counts', async (t) => {
  const { app, db, clock } = await buildTestApp(t, { now: NOW });
  const w = await feedWorld(db);
  const url = organisationFeedPath(w.organisation.id);
  const titles = async () => parseFeed((await app.inject({ url })).body).events.map((e) => e.summary);
  t.ok((await titles()).includes('Il y a 29 jours'));
  // Two days later, nothing written in between: that event ended 31 days ago.
  clock.advance(2 * DAY);
  t.notOk((await titles()).includes('Il y a 29 jours'), 'left out once past the 30-day window');

  // Another process with a slower clock: its edit carries an older updated_at than the latest one.
  const before = await app.inject({ url });
  await db.update(event).set({ title: 'Marche (corrigée)', updatedAt: new Date('2026-08-01T00:00:00Z') }).where(eq(event.id, w.event.id));
  const after = await app.inject({ url, headers: { 'if-none-match': before.headers.etag as string } });
  t.equal(after.statusCode, 200, 'the change is seen all the same');
  t.ok(parseFeed(after.body).events.some((e) => e.summary === 'Marche (corrigée)'));
});
