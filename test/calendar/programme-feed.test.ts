// @databases: pglite
// The programme feed takes the programme page's filters and lists exactly what the page lists
// (same parser, same condition), minus events past the window; a filter it cannot apply is a
// clear 400 rather than a feed that silently shows something else.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '../helpers/app.ts';
import { makeEvent, makeOrganisation, makeRegistration, makeVenue, makeWorld } from '../helpers/factory.ts';
import { calendarEntry, event } from '../../server/db/schema.ts';
import { ACCESS_FEATURE_INFO, CATEGORY_LABELS } from '../../server/domain/vocabulary.ts';
import { inLanguage } from '../../server/i18n/index.ts';
import { programmeFeedUrls } from '../../server/calendar/links.ts';
import { parseProgrammeFilters } from '../../server/programme/filters.ts';
import { findCurrentEdition } from '../../server/programme/current-edition.ts';
import { loadProgrammeFacets, searchProgramme } from '../../server/programme/search.ts';
import type { Database } from '../../server/db/client.ts';
import { parseFeed } from './parse.ts';

const NOW = '2026-09-15T08:00:00Z';

async function programmeWorld(db: Database) {
  const w = await makeWorld(db, { title: 'Jardin partagé', category: 'jardin_partage', accessibilityOffered: ['wheelchair'] });
  const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id };
  const echirolles = await makeVenue(db, w.territory.id, w.organisation.id, { commune: 'Échirolles' });
  const otherOrg = await makeOrganisation(db, w.territory.id);
  const events = [
    w.event,
    await makeEvent(db, { ...refs, venueId: w.venue.id }, { title: 'Ciné-débat santé mentale', category: 'cine_debat', accessibilityOffered: ['lsf', 'captioning'], startsAt: new Date('2026-10-07T17:00:00Z'), endsAt: new Date('2026-10-07T19:30:00Z') }),
    await makeEvent(db, { ...refs, venueId: echirolles.id }, { title: 'Balade au parc', category: 'balade', audience: 'familles', accessibilityOffered: ['companion'], startsAt: new Date('2026-10-10T08:00:00Z'), endsAt: new Date('2026-10-10T10:00:00Z') }),
    await makeEvent(db, { ...refs, organisationId: otherOrg.id, venueId: echirolles.id }, { title: 'Conférence annulée', category: 'conference', state: 'cancelled', accessibilityOffered: ['lsf'], startsAt: new Date('2026-10-07T12:00:00Z'), endsAt: new Date('2026-10-07T14:00:00Z') }),
    await makeEvent(db, { ...refs, venueId: w.venue.id }, { title: 'Brouillon', state: 'draft', accessibilityOffered: ['lsf'] }),
  ];
  return { ...w, events };
}

/** What the programme page lists for a query string: its parser and its query, every page. */
async function programmeIds(db: Database, query: Record<string, string | string[]>): Promise<number[]> {
  const current = (await findCurrentEdition(db, new Date(NOW)))!;
  const facets = await loadProgrammeFacets(db, current.id);
  const { filters } = parseProgrammeFilters(query, { firstDay: current.firstDay, lastDay: current.lastDay, communes: facets.communes, territories: facets.territories });
  const { rows } = await searchProgramme(db, current.id, filters, { window: { limit: 10_000, offset: 0 } });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

const uidIds = (text: string) => parseFeed(text).events.map((e) => Number(/^event-(\d+)@/.exec(e.uid)![1])).sort((a, b) => a - b);

t.test('the feed lists what the programme lists, filter by filter', async (t) => {
  const { app, db, config } = await buildTestApp(t, { now: NOW });
  const w = await programmeWorld(db);
  const cancelled = w.events[3]!.id;
  const cases: Array<Record<string, string | string[]>> = [
    {},
    { access: 'lsf' },
    { access: ['lsf', 'captioning'] },
    { commune: 'echirolles' },
    { category: 'balade' },
    { audience: 'familles' },
    { day: '2026-10-07' },
    { day: '2026-10-07', access: 'lsf' },
    { q: 'santé mentale' },
    { places: '1' },
    { category: 'sport' },
  ];
  for (const query of cases) {
    const queryString = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
    const url = new URL(programmeFeedUrls(config, queryString).https);
    const res = await app.inject({ url: url.pathname + url.search });
    t.equal(res.statusCode, 200, `?${queryString}`);
    // The page hides cancelled events under « places left »; a feed keeps them, so calendars drop them.
    const expected = [...(await programmeIds(db, query)), ...(query.places ? [cancelled] : [])].sort((a, b) => a - b);
    t.same(uidIds(res.body), expected, `?${queryString}: ${expected.length} events, as on the programme${query.places ? ' (and the cancelled one)' : ''}`);
  }
  const all = parseFeed((await app.inject({ url: '/programme/agenda.ics' })).body);
  t.equal(all.name, 'Programme SISM 2026');
  t.ok(all.events.some((e) => e.summary === 'ANNULÉ – Conférence annulée' && e.status === 'CANCELLED'), 'cancelled events stay');
  t.notOk(all.events.some((e) => e.summary === 'Brouillon'));

  const page2 = await app.inject({ url: '/programme/agenda.ics?access=lsf&page=2' });
  t.equal(page2.statusCode, 200, 'a page number is not an error');
  t.same(uidIds(page2.body), await programmeIds(db, { access: 'lsf' }), 'and a feed has every event');
  const sameFilters = await app.inject({ url: '/programme/agenda.ics?access=captioning&access=lsf' });
  const reordered = await app.inject({ url: '/programme/agenda.ics?access=lsf,captioning' });
  t.equal(sameFilters.headers.etag, reordered.headers.etag, 'filters are normalised: one cache entry, one ETag');
});

t.test('places left: a cancelled event stays as CANCELLED, and an event filling up moves Last-Modified', async (t) => {
  const { app, db, clock } = await buildTestApp(t, { now: NOW });
  const w = await programmeWorld(db);
  const small = await makeEvent(db, { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id }, { title: 'Atelier à deux places', capacity: 2 });
  // Everything written before NOW (rows otherwise carry the database's own clock).
  await db.update(event).set({ updatedAt: new Date('2026-09-01T10:00:00Z') });
  const url = '/programme/agenda.ics?places=1';

  const first = await app.inject({ url });
  const feed = parseFeed(first.body);
  t.same(
    feed.events.map((e) => [e.summary, e.status]).filter(([summary]) => /Atelier à deux|Conférence/.test(summary!)),
    [['Atelier à deux places', 'CONFIRMED'], ['ANNULÉ – Conférence annulée', 'CANCELLED']],
    'the cancelled event is kept, as cancelled',
  );
  t.equal(first.headers['last-modified'], new Date('2026-09-01T10:00:00Z').toUTCString());

  clock.advance(60_000);
  await makeRegistration(db, small.id, { seats: 2, createdAt: clock.now(), updatedAt: clock.now() });
  const since = await app.inject({ url, headers: { 'if-modified-since': first.headers['last-modified'] as string } });
  t.equal(since.statusCode, 200, 'not a stale 304: the event is full now');
  t.equal(since.headers['last-modified'], clock.now().toUTCString(), 'Last-Modified is the registration time');
  t.notOk(parseFeed(since.body).events.some((e) => e.summary === 'Atelier à deux places'), 'the full event left the feed');
  t.equal((await app.inject({ url, headers: { 'if-modified-since': since.headers['last-modified'] as string } })).statusCode, 304, 'then 304 again');

  // Without the filter, registrations do not count: nothing changed for that feed.
  const all = await app.inject({ url: '/programme/agenda.ics' });
  t.equal(all.headers['last-modified'], new Date('2026-09-01T10:00:00Z').toUTCString());
  t.equal((await app.inject({ url: '/programme/agenda.ics', headers: { 'if-modified-since': all.headers['last-modified'] as string } })).statusCode, 304, 'so a client polling it gets a 304');
});

t.test('unknown or malformed filters: a clear 400 in French, never a 500', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  await programmeWorld(db);
  const cases: Array<[string, RegExp]> = [
    ['?couleur=rouge', /filtre « couleur » n'existe pas/],
    ['?access=telepathie', /L'aménagement « telepathie » n'existe pas\./],
    ['?day=2026-13-45', /n'est pas une date valide/],
    ['?day=2026-12-25', /ne fait pas partie des Semaines/],
    ['?category=sport&category=balade', /Un seul filtre « type d'événement » à la fois/],
    ['?commune=Lyon', /commune « Lyon »/],
    ['?audience=%00%FF', /Le public/],
  ];
  for (const [query, message] of cases) {
    const res = await app.inject({ url: `/programme/agenda.ics${query}` });
    t.equal(res.statusCode, 400, query);
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    t.match(res.body, /^Ce lien d'agenda contient un filtre incorrect : /, `${query}: says what is wrong`);
    t.match(res.body, message, query);
    t.notMatch(res.body, /ignoré/, `${query}: does not claim to go on without the filter`);
  }
});

t.test('in English (/en/programme/agenda.ics and an event’s file): names, summaries, descriptions, links; the French feed kept apart', async (t) => {
  const { app, db, config } = await buildTestApp(t, { now: NOW });
  const w = await programmeWorld(db);
  await db.update(event).set({ translations: { en: { title: 'Shared garden', summary: 'Gardening together.' } } }).where(eq(event.id, w.event.id));
  // The French feed first: its stored entries must not be served in English afterwards.
  const frenchFirst = parseFeed((await app.inject({ url: '/programme/agenda.ics' })).body);
  t.ok(frenchFirst.events.some((e) => e.summary === 'Jardin partagé'), 'French: the organiser’s French');

  const res = await app.inject({ url: '/en/programme/agenda.ics' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-language'], 'en');
  const feed = parseFeed(res.body);
  t.equal(feed.name, 'SISM 2026 programme');
  t.match(res.body, /PRODID:-\/\/Rassembler\/\/Agenda SISM\/\/EN/);
  const garden = feed.events.find((e) => e.uid === `event-${w.event.id}@localhost`)!;
  t.equal(garden.summary, 'Shared garden', 'the organiser’s English title');
  t.match(garden.description, /^Gardening together\./, 'and summary');
  t.match(garden.description, inLanguage('en', () => `Accessibility offered: ${ACCESS_FEATURE_INFO.wheelchair.label}.`));
  t.match(garden.description, `Organised by ${w.organisation.name}.`);
  t.match(garden.description, `Information and registration: http://localhost:3000/en/evenements/${w.event.id}`);
  t.equal(garden.url, `http://localhost:3000/en/evenements/${w.event.id}`);
  t.same(garden.categories[0], inLanguage('en', () => CATEGORY_LABELS.jardin_partage));
  const cancelled = feed.events.find((e) => e.uid === `event-${w.events[3]!.id}@localhost`)!;
  t.equal(cancelled.summary, 'CANCELLED – Conférence annulée');
  t.match(cancelled.description, /^This event is cancelled\./);
  const text = feed.events.map((e) => `${e.summary}\n${e.description}\n${e.location}`).join('\n');
  for (const french of ['ANNULÉ', 'Accessibilité', 'Organisé par', 'Informations et inscription', 'Cet événement', 'En ligne :', 'Le lieu :']) t.notOk(text.includes(french), `no « ${french} »`);

  const french = await app.inject({ url: '/programme/agenda.ics' });
  t.not(french.headers.etag, res.headers.etag, 'one ETag per language');
  const frenchFeed = parseFeed(french.body);
  t.equal(frenchFeed.name, 'Programme SISM 2026');
  t.ok(frenchFeed.events.some((e) => e.summary === 'Jardin partagé' && e.description.includes('Organisé par')), 'the French feed stays French');

  const file = await app.inject({ url: `/en/evenements/${w.event.id}/agenda.ics` });
  t.equal(file.statusCode, 200);
  const single = parseFeed(file.body).events[0]!;
  t.equal(single.summary, 'Shared garden');
  t.match(single.description, 'Information and registration: http://localhost:3000/en/evenements/');

  t.equal(inLanguage('en', () => programmeFeedUrls(config, 'access=lsf').webcal), 'webcal://localhost:3000/en/programme/agenda.ics?access=lsf', 'an English page offers the English feed');

  const bad = await app.inject({ url: '/en/programme/agenda.ics?access=teleportation' });
  t.equal(bad.statusCode, 400);
  t.match(bad.body, /^This calendar link has a filter we cannot use: [\s\S]*\nYou will find the right link at http:\/\/localhost:3000\/en\/programme, in the ‘Subscribe’ block\.\n$/);
});

t.test('stored entries are kept per language: French and English feeds do not overwrite each other', async (t) => {
  const { app, db } = await buildTestApp(t, { now: NOW });
  const w = await programmeWorld(db);
  const french = await app.inject({ url: '/programme/agenda.ics' });
  const english = await app.inject({ url: '/en/programme/agenda.ics' });
  t.equal(french.statusCode, 200);
  t.equal(english.statusCode, 200);
  const rows = await db.select({ eventId: calendarEntry.eventId, language: calendarEntry.language, body: calendarEntry.body }).from(calendarEntry).where(eq(calendarEntry.eventId, w.event.id));
  t.same(rows.map((r) => r.language).sort(), ['en', 'fr'], 'one entry per language');
  t.match(rows.find((r) => r.language === 'en')!.body, /\/en\/evenements\//);
  t.notMatch(rows.find((r) => r.language === 'fr')!.body, /\/en\//);
  const again = await app.inject({ url: '/programme/agenda.ics' });
  t.equal(again.body, french.body, 'the French feed is still served from its own entries');
});
