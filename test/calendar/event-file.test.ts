// @databases: pglite
// One event's .ics, read with ical.js as a calendar client would: times through the file's own
// VTIMEZONE (the October DST change, an overseas zone), text escaping and line folding,
// cancellation, a UID that never changes and a SEQUENCE that follows the event's changes.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '../helpers/app.ts';
import { makeEvent, makeOrganisation, makeTerritory, makeUser, makeVenue, makeWorld } from '../helpers/factory.ts';
import { event, organisation } from '../../server/db/schema.ts';
import { updateEvent } from '../../server/events/editing.ts';
import { cancel } from '../../server/events/moderation.ts';
import type { EventFields } from '../../server/events/rules.ts';
import { parseFeed, rawLines } from './parse.ts';

const NOW = '2026-09-15T08:00:00Z';

/** The form fields of an event as stored, to edit one thing through the events service. */
function fieldsOf(row: typeof event.$inferSelect): EventFields {
  return {
    title: row.title,
    summary: row.summary,
    description: row.description,
    easyReadSummary: row.easyReadSummary,
    category: row.category,
    audience: row.audience,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    onlineUrl: row.onlineUrl,
    capacity: row.capacity,
    registrationOpensAt: row.registrationOpensAt,
    registrationClosesAt: row.registrationClosesAt,
    accessRequestDeadline: row.accessRequestDeadline,
    accessibilityOffered: row.accessibilityOffered,
    contentNote: row.contentNote,
  };
}

t.test('the .ics download says what the event page says', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const world = await makeWorld(db, { title: 'Ciné-débat : « Vol au-dessus »', category: 'cine_debat', audience: 'adultes' });
  await db.update(organisation).set({ name: 'GEM Les Alizés' }).where(eq(organisation.id, world.organisation.id));
  const { venue } = world;
  const res = await app.inject({ url: `/evenements/${world.event.id}/agenda.ics` });

  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
  t.equal(res.headers['content-disposition'], `attachment; filename="sism-${world.event.id}-cine-debat-vol-au-dessus.ics"`);
  t.match(res.headers.etag, /^"[\w-]+"$/);
  t.ok(res.headers['last-modified'], 'Last-Modified is sent');

  const feed = parseFeed(res.body);
  t.same(feed.timezones, ['Europe/Paris'], 'the VTIMEZONE of the event zone is in the file');
  t.equal(feed.events.length, 1);
  const ev = feed.events[0]!;
  t.equal(ev.uid, `event-${world.event.id}@localhost`);
  t.equal(ev.summary, 'Ciné-débat : « Vol au-dessus »');
  t.equal(ev.tzid, 'Europe/Paris', 'DTSTART carries the territory zone, not a floating time');
  t.equal(ev.start.toISOString(), '2026-10-06T12:00:00.000Z');
  t.equal(ev.end.toISOString(), '2026-10-06T14:00:00.000Z');
  t.equal(ev.status, 'CONFIRMED');
  t.equal(ev.sequence, 0);
  t.same(ev.categories, ['Ciné-débat', 'Adultes']);
  t.equal(ev.location, `${venue.name}\n${venue.address}, 38000 Grenoble`);
  t.equal(ev.url, `http://localhost:3000/evenements/${world.event.id}`);
  t.match(ev.organizer, /^mailto:asso\d+@example\.org$/);
  t.same(ev.accessibility, ['lsf', 'wheelchair'], 'accessibility offered as X- properties');
  t.match(ev.description, 'Accessibilité proposée : Interprétation LSF, Accès fauteuil.');
  t.match(ev.description, "Accès : Entrée de plain-pied côté parc, rampe à gauche de l'accueil.");
  t.match(ev.description, 'Organisé par GEM Les Alizés.');
  t.match(ev.description, `Informations et inscription : http://localhost:3000/evenements/${world.event.id}`);
  t.ok(ev.lastModified, 'LAST-MODIFIED is written');
  t.match(res.body, /\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/, 'DTSTAMP in UTC');

  const withGeo = await makeVenue(db, world.territory.id, world.organisation.id, { latitude: 45.1885, longitude: 5.7245 });
  const located = await makeEvent(db, { editionId: world.edition.id, territoryId: world.territory.id, organisationId: world.organisation.id, venueId: withGeo.id });
  const geoFeed = parseFeed((await app.inject({ url: `/evenements/${located.id}/agenda.ics` })).body);
  t.same(geoFeed.events[0]!.geo, [45.1885, 5.7245], 'GEO when the venue has coordinates');
  t.equal(feed.events[0]!.geo, null, 'no GEO otherwise');
});

t.test('only published and cancelled events have a file; anything else is a 404', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const world = await makeWorld(db, { state: 'draft' });
  const refs = { editionId: world.edition.id, territoryId: world.territory.id, organisationId: world.organisation.id };
  const refused = await makeEvent(db, refs, { state: 'refused' });
  for (const url of [`/evenements/${world.event.id}/agenda.ics`, `/evenements/${refused.id}/agenda.ics`, '/evenements/999999/agenda.ics', '/evenements/abc/agenda.ics', '/evenements/99999999999999999999/agenda.ics']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 404, url);
    t.match(res.body, /Page introuvable/, `${url}: a French page`);
  }
});

t.test('times: the day the clocks go back in Paris, and Réunion', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const world = await makeWorld(db, { startsAt: new Date('2026-10-25T13:00:00Z'), endsAt: new Date('2026-10-25T15:00:00Z') });
  const refs = { editionId: world.edition.id, territoryId: world.territory.id, organisationId: world.organisation.id };
  // 02:30 happens twice that night: first at 00:30 UTC (summer time), then at 01:30 UTC.
  const firstTwoThirty = await makeEvent(db, refs, { startsAt: new Date('2026-10-25T00:30:00Z'), endsAt: new Date('2026-10-25T03:00:00Z') });
  const secondTwoThirty = await makeEvent(db, refs, { startsAt: new Date('2026-10-25T01:30:00Z'), endsAt: new Date('2026-10-25T03:00:00Z') });
  const reunion = await makeTerritory(db, { timeZone: 'Indian/Reunion', communes: ['Saint-Denis'] });
  const reunionOrg = await makeOrganisation(db, reunion.id);
  const reunionEvent = await makeEvent(db, { editionId: world.edition.id, territoryId: reunion.id, organisationId: reunionOrg.id }, {
    startsAt: new Date('2026-10-10T06:00:00Z'),
    endsAt: new Date('2026-10-10T08:30:00Z'),
  });

  const paris = await app.inject({ url: `/evenements/${world.event.id}/agenda.ics` });
  t.match(paris.body, 'DTSTART;TZID=Europe/Paris:20261025T140000', '14:00 local, winter time again');
  t.equal(parseFeed(paris.body).events[0]!.start.toISOString(), '2026-10-25T13:00:00.000Z');
  t.match(paris.body, /BEGIN:STANDARD\r\nTZOFFSETFROM:\+0200\r\nTZOFFSETTO:\+0100\r\nTZNAME:CET\r\nDTSTART:20261025T030000\r\n/, 'the real October transition');

  for (const [row, iso] of [[firstTwoThirty, '2026-10-25T00:30:00.000Z'], [secondTwoThirty, '2026-10-25T01:30:00.000Z']] as const) {
    const body = (await app.inject({ url: `/evenements/${row.id}/agenda.ics` })).body;
    t.equal(parseFeed(body).events[0]!.start.toISOString(), iso, `an event at ${iso} (02:30 local, repeated) keeps its instant`);
  }

  const res = await app.inject({ url: `/evenements/${reunionEvent.id}/agenda.ics` });
  const feed = parseFeed(res.body);
  t.same(feed.timezones, ['Indian/Reunion']);
  t.match(res.body, 'DTSTART;TZID=Indian/Reunion:20261010T100000');
  t.match(res.body, /TZOFFSETFROM:\+0400\r\nTZOFFSETTO:\+0400/);
  t.equal(feed.events[0]!.start.toISOString(), '2026-10-10T06:00:00.000Z');
  t.equal(feed.events[0]!.end.toISOString(), '2026-10-10T08:30:00.000Z');
});

t.test('text with commas, semicolons, newlines and accents round-trips; lines fold at 75 octets', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const title = 'Atelier « Écrire, dire ; chanter » \\ à l’Hôtel-Dieu';
  const summary = 'Première ligne, avec virgule ; et point-virgule.\nDeuxième ligne : « guillemets » et émoji 🌿.';
  const description = `${'Ça parle de santé mentale, de lien social ; des mots accentués : éèêëàâîïôöùûüç ŒœÆæ — '.repeat(6)}🙂🌿 fin.`;
  const world = await makeWorld(db, { title, summary, description, contentNote: null });
  const res = await app.inject({ url: `/evenements/${world.event.id}/agenda.ics` });

  const ev = parseFeed(res.body).events[0]!;
  t.equal(ev.summary, title);
  t.match(ev.description, `${summary}\n\n${description}\n\n`, 'summary and description come back exactly, newlines included');

  const raw = res.rawPayload;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let folded = 0;
  let start = 0;
  for (let i = 0; i <= raw.length - 2; i++) {
    if (raw[i] !== 0x0d || raw[i + 1] !== 0x0a) continue;
    const line = raw.subarray(start, i);
    t.ok(line.length <= 75, `line of ${line.length} octets`);
    decoder.decode(line); // throws if a fold cut a UTF-8 character in two
    if (line[0] === 0x20) folded++;
    start = i + 2;
  }
  t.equal(start, raw.length, 'every line ends with CRLF, the last one too');
  t.ok(folded > 5, `long lines are folded (${folded} continuation lines)`);
  const unfolded = rawLines(res.body.replace(/\r\n /g, '')).find((line) => line.startsWith('DESCRIPTION:'))!;
  t.match(unfolded, 'Première ligne\\, avec virgule \\; et point-virgule.\\nDeuxième ligne', 'unfolding gives the escaped text back');
});

t.test('edits: the UID never changes, SEQUENCE follows time changes, a cancelled event stays as CANCELLED', async (t) => {
  const { app, db, clock } = await buildTestApp(t, { now: NOW });
  const world = await makeWorld(db);
  const actor = await makeUser(db);
  const url = `/evenements/${world.event.id}/agenda.ics`;
  const before = await app.inject({ url });
  const first = parseFeed(before.body).events[0]!;

  t.equal((await app.inject({ url, headers: { 'if-none-match': before.headers.etag as string } })).statusCode, 304, 'unchanged: 304');

  clock.advance(3_600_000);
  const [row] = await db.select().from(event).where(eq(event.id, world.event.id));
  await updateEvent(db, world.event.id, {
    fields: { ...fieldsOf(row!), startsAt: new Date('2026-10-06T13:00:00Z'), endsAt: new Date('2026-10-06T15:00:00Z') },
    venue: { kind: 'existing', venueId: world.venue.id },
    actorUserId: actor.id,
    now: clock.now(),
  });
  const moved = await app.inject({ url, headers: { 'if-none-match': before.headers.etag as string } });
  t.equal(moved.statusCode, 200, 'changed: 200 despite the old ETag');
  t.not(moved.headers.etag, before.headers.etag, 'with a new ETag');
  const second = parseFeed(moved.body).events[0]!;
  t.equal(second.uid, first.uid, 'same UID');
  t.equal(second.sequence, first.sequence + 1, 'SEQUENCE increased');
  t.equal(second.start.toISOString(), '2026-10-06T13:00:00.000Z');
  t.equal(second.lastModified?.toISOString(), clock.now().toISOString(), 'LAST-MODIFIED is the edit time');

  clock.advance(3_600_000);
  await cancel(db, world.event.id, { actorUserId: actor.id, now: clock.now(), reason: 'Salle inondée, désolé.' });
  const cancelled = await app.inject({ url });
  t.equal(cancelled.statusCode, 200, 'a cancelled event still has its file');
  const third = parseFeed(cancelled.body).events[0]!;
  t.equal(third.uid, first.uid, 'same UID');
  t.equal(third.status, 'CANCELLED');
  t.equal(third.summary, `ANNULÉ – ${world.event.title}`);
  t.equal(third.sequence, second.sequence + 1);
  t.match(third.description, /^Cet événement est annulé\. Motif : Salle inondée, désolé\./);
});
