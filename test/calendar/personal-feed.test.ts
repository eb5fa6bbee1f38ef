// A person's private feed, reached from a registration's manage page: every registration made
// with their address (theirs, or made for someone by them as helper), cancelled ones leaving it;
// the URL holds neither address nor id, and anything but a token we issued is a 404.
import t from 'tap';
import { buildTestApp } from '../helpers/app.ts';
import { makeEvent, makeRegistration, makeWorld } from '../helpers/factory.ts';
import { personalFeedPath, personalFeedToken, personalFeedUrls, registrationIdFromPersonalFeedToken } from '../../server/calendar/links.ts';
import { cancelRegistration } from '../../server/registrations/service.ts';
import { parseFeed } from './parse.ts';

const NOW = '2026-09-20T08:00:00Z';

t.test("a person's feed: their registrations, waiting list marked, cancelled ones gone", async (t) => {
  const { app, db, config, clock } = await buildTestApp(t, { now: NOW });
  const w = await makeWorld(db, { title: 'Atelier écriture' });
  const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id };
  const full = await makeEvent(db, refs, { title: 'Concert complet', startsAt: new Date('2026-10-08T17:00:00Z'), endsAt: new Date('2026-10-08T19:00:00Z') });
  const forFriend = await makeEvent(db, refs, { title: 'Balade', startsAt: new Date('2026-10-09T08:00:00Z'), endsAt: new Date('2026-10-09T10:00:00Z') });
  const notGoing = await makeEvent(db, refs, { title: 'Conférence', startsAt: new Date('2026-10-10T08:00:00Z'), endsAt: new Date('2026-10-10T10:00:00Z') });
  const someoneElses = await makeEvent(db, refs, { title: "Chez quelqu'un d'autre" });

  const mine = await makeRegistration(db, w.event.id, { email: 'Camille.Martin@example.org' });
  await makeRegistration(db, full.id, { email: 'camille.martin@EXAMPLE.org', state: 'waitlisted', waitlistPosition: 1 });
  await makeRegistration(db, forFriend.id, { email: 'ami@example.org', onBehalf: true, contactEmail: 'camille.martin@example.org' });
  const cancelled = await makeRegistration(db, notGoing.id, { email: 'camille.martin@example.org', state: 'cancelled', cancelledAt: new Date('2026-09-18T10:00:00Z') });
  await makeRegistration(db, someoneElses.id, { email: 'dominique@example.org' });

  const urls = personalFeedUrls(config, mine.registration.id);
  t.notMatch(urls.https, /camille|example|%40|@/i, 'the URL holds no address');
  t.notMatch(urls.https, new RegExp(`/${mine.registration.id}\\b`), 'nor the registration id');
  t.match(urls.webcal, /^webcal:\/\/localhost:3000\/agenda\/personnel\/[\w-]{48}\.ics$/);
  t.equal(registrationIdFromPersonalFeedToken(config, personalFeedToken(config, mine.registration.id)), mine.registration.id);

  const path = personalFeedPath(config, mine.registration.id);
  const res = await app.inject({ url: path });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'private, no-cache', 'never stored by shared caches');
  t.equal(res.headers['x-robots-tag'], 'noindex');
  const feed = parseFeed(res.body);
  t.equal(feed.name, 'Mes inscriptions — SISM');
  t.same(
    feed.events.map((e) => [e.summary, e.status]),
    [
      ['Atelier écriture', 'CONFIRMED'],
      ["Liste d'attente – Concert complet", 'TENTATIVE'],
      ['Balade', 'CONFIRMED'],
    ],
    'own, waitlisted and made-as-helper registrations; not the cancelled one, not anyone else’s',
  );
  t.equal(feed.events[0]!.uid, `event-${w.event.id}@localhost`, 'the event UID, as in every other feed');

  const fromCancelled = parseFeed((await app.inject({ url: personalFeedPath(config, cancelled.registration.id) })).body);
  t.equal(fromCancelled.events.length, 3, 'the link of a cancelled registration still shows the person’s other ones');

  // Cancelling through the registrations feature: the event leaves at the next poll.
  clock.advance(60_000);
  const etag = res.headers.etag as string;
  t.equal((await app.inject({ url: path, headers: { 'if-none-match': etag } })).statusCode, 304);
  t.same(await cancelRegistration(db, clock.now(), mine.registration.id), { ok: true, promoted: [] });
  const after = await app.inject({ url: path, headers: { 'if-none-match': etag } });
  t.equal(after.statusCode, 200, 'a cancellation changes the feed');
  t.same(parseFeed(after.body).events.map((e) => e.summary), ["Liste d'attente – Concert complet", 'Balade']);
});

t.test('a personal feed with a wrong token is a 404', async (t) => {
  const { app, db, config } = await buildTestApp(t, { now: NOW });
  const w = await makeWorld(db);
  const reg = await makeRegistration(db, w.event.id, { email: 'camille@example.org' });
  const token = personalFeedToken(config, reg.registration.id);
  const flipped = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);
  const otherSecret = personalFeedToken({ sessionSecret: 'another-secret-another-secret-0123456789' }, reg.registration.id);
  const purged = await makeRegistration(db, w.event.id, { email: null, name: null, identityPurgedAt: new Date('2026-09-01T00:00:00Z'), state: 'cancelled' });
  for (const [what, url] of [
    ['altered', `/agenda/personnel/${flipped}.ics`],
    ['made with another secret', `/agenda/personnel/${otherSecret}.ics`],
    ['random', `/agenda/personnel/${'x'.repeat(48)}.ics`],
    ['the manage token instead', `/agenda/personnel/${reg.token}.ics`],
    ['without .ics', `/agenda/personnel/${token}`],
    ['too short', '/agenda/personnel/abc.ics'],
    ['registration gone', personalFeedPath(config, 987654)],
    ['identity purged', personalFeedPath(config, purged.registration.id)],
  ] as const) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 404, what);
    t.match(res.body, /Cet agenda personnel n'existe pas ou n'existe plus\.|Page introuvable/, `${what}: a French page`);
  }
  t.equal((await app.inject({ url: `/agenda/personnel/${token}.ics` })).statusCode, 200, 'the right token works');
});
