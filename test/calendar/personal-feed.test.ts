// @databases: pglite
// A person's private feed, whose link is only ever mailed to the registration's address: every
// registration made with that address (theirs, or made for someone by them as helper), one entry
// each with the UID of its invites, cancelled ones leaving it; the URL holds neither address nor
// id, and anything but a feed token we issued is a 404.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeEvent, makeRegistration, makeWorld } from '../helpers/factory.ts';
import { manageTokenSentTo } from '../helpers/manage-link.ts';
import { event, registration } from '../../server/db/schema.ts';
import { randomToken } from '../../server/lib/tokens.ts';
import { personalFeedPath, personalFeedUrls } from '../../server/calendar/links.ts';
import { mintToken } from '../../server/registrations/links.ts';
import { cancelRegistration } from '../../server/registrations/manage.ts';
import { mails } from '../registrations/helpers.ts';
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
  const waiting = await makeRegistration(db, full.id, { email: 'camille.martin@EXAMPLE.org', state: 'waitlisted', waitlistPosition: 1 });
  const friend = await makeRegistration(db, forFriend.id, { email: 'ami@example.org', onBehalf: true, contactEmail: 'camille.martin@example.org' });
  const cancelled = await makeRegistration(db, notGoing.id, { email: 'camille.martin@example.org', state: 'cancelled', cancelledAt: new Date('2026-09-18T10:00:00Z') });
  await makeRegistration(db, someoneElses.id, { email: 'dominique@example.org' });
  // What the confirmation mails minted (server/mail/render.ts), before the cancellation.
  const token = await mintToken(db, mine.registration.id, 'feed', clock.now());
  const cancelledToken = await mintToken(db, cancelled.registration.id, 'feed', clock.now());

  const urls = personalFeedUrls(config, token);
  t.notMatch(urls.https, /camille|example|%40|@/i, 'the URL holds no address');
  t.notMatch(urls.https, new RegExp(`/${mine.registration.id}\\b`), 'nor the registration id');
  t.match(urls.webcal, /^webcal:\/\/localhost:3000\/agenda\/personnel\/[\w-]{43}\.ics$/);

  const path = personalFeedPath(token);
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
  t.same(
    feed.events.map((e) => [e.uid, e.sequence]),
    [mine, waiting, friend].map((r) => [`registration-${r.registration.id}@localhost`, 0]),
    "each entry has its registration's invite UID (so a CANCEL invite removes it) and the event's sequence",
  );

  const fromCancelled = parseFeed((await app.inject({ url: personalFeedPath(cancelledToken) })).body);
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
  const { app, db, clock } = await buildTestApp(t, { now: NOW });
  const w = await makeWorld(db);
  const reg = await makeRegistration(db, w.event.id, { email: 'camille@example.org' });
  const token = await mintToken(db, reg.registration.id, 'feed', clock.now());
  const flipped = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);
  const gone = await makeRegistration(db, w.event.id, { email: 'partie@example.org' });
  const goneToken = await mintToken(db, gone.registration.id, 'feed', clock.now());
  await db.delete(registration).where(eq(registration.id, gone.registration.id));
  const purged = await makeRegistration(db, w.event.id, { email: null, name: null, identityPurgedAt: new Date('2026-09-01T00:00:00Z'), state: 'cancelled' });
  const purgedToken = await mintToken(db, purged.registration.id, 'feed', clock.now());
  for (const [what, url] of [
    ['altered', `/agenda/personnel/${flipped}.ics`],
    ['random', `/agenda/personnel/${randomToken()}.ics`],
    ['the manage token instead', `/agenda/personnel/${reg.token}.ics`],
    ['without .ics', `/agenda/personnel/${token}`],
    ['too short', '/agenda/personnel/abc.ics'],
    ['registration gone', personalFeedPath(goneToken)],
    ['identity purged', personalFeedPath(purgedToken)],
  ] as const) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 404, what);
    t.match(res.body, /Cet agenda personnel n'existe pas ou n'existe plus\.|Page introuvable/, `${what}: a French page`);
  }
  t.equal((await app.inject({ url: `/agenda/personnel/${token}.ics` })).statusCode, 200, 'the right token works');
});

t.test("registering with someone else's address reveals nothing of their registrations", async (t) => {
  const app = await buildTestApp(t, { now: NOW });
  const { agent, db } = app;
  const w = await makeWorld(db, { title: 'Atelier ouvert à tous' });
  const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id };
  const private1 = await makeEvent(db, refs, { title: 'Groupe de parole addictions' });
  await makeRegistration(db, private1.id, { email: 'victime@example.org', name: 'Victime' });

  // Someone registers with the victim's address: the answer shows no link at all (decision 0014).
  const intruder = agent();
  const form = { nom: 'Intrus', email: 'victime@example.org', places: '1' };
  const res = await intruder.post(`/evenements/${w.event.id}/inscription`, form);
  t.equal(res.statusCode, 303);
  const answer = await intruder.get(res.headers.location as string);
  t.equal(answer.statusCode, 200);
  t.notMatch(answer.body, '/agenda/personnel/', 'answer page: no feed link');
  t.notMatch(answer.body, 'Groupe de parole', 'answer page: nothing of the other registration');
  t.notMatch(answer.body, /\/inscription\/[A-Za-z0-9_-]{43}/, 'answer page: no manage link either, it goes to the address');
  // Whoever holds the manage link the address received (forwarded, say) sees this registration only.
  const token = await manageTokenSentTo(app, 'victime@example.org');
  const result = await intruder.get(`/inscription/${token}/confirmation`);
  const manage = await intruder.get(`/inscription/${token}`);
  for (const [what, page] of [['result page', result], ['manage page', manage]] as const) {
    t.equal(page.statusCode, 200);
    t.notMatch(page.body, '/agenda/personnel/', `${what}: no feed link`);
    t.notMatch(page.body, 'Groupe de parole', `${what}: nothing of the other registration`);
    t.match(visibleText(page.body), "son lien est dans l'e-mail de confirmation", `${what}: says where the feed link is`);
  }
  // Asking for the feed link sends it to the address, never to the page.
  const asked = await intruder.post(`/inscription/${token}/agenda-personnel`);
  t.equal(asked.statusCode, 303);
  t.equal(asked.headers.location, `/inscription/${token}?fait=lien-agenda`);
  const after = await intruder.get(asked.headers.location as string);
  t.match(visibleText(after.body), "C'est fait : le lien de votre agenda personnel part par e-mail.");
  t.notMatch(after.body, '/agenda/personnel/');
  const queued = (await mails(db)).filter((m) => m.payload.resent === true);
  t.same(queued.map((m) => [m.kind, m.recipient]), [['registration_confirmed', 'victime@example.org']], 'one mail, to the address');
  t.notMatch(JSON.stringify(queued[0]!.payload), /[A-Za-z0-9_-]{43}/, 'no token in the outbox');
  t.equal((await intruder.post(`/inscription/${token}/agenda-personnel`)).statusCode, 303);
  t.equal((await mails(db)).filter((m) => m.payload.resent === true).length, 1, 'at most one an hour');
});

t.test('registered by phone only: no feed link at all', async (t) => {
  const { agent, db } = await buildTestApp(t, { now: NOW });
  const w = await makeWorld(db);
  const c = agent();
  const res = await c.post(`/evenements/${w.event.id}/inscription`, { nom: 'Sans courriel', telephone: '06 12 34 56 78', places: '1' });
  t.equal(res.statusCode, 303);
  const token = (res.headers.location as string).split('/')[2]!;
  const manage = await c.get(`/inscription/${token}`);
  t.notMatch(visibleText(manage.body), 'agenda personnel');
  const asked = await c.post(`/inscription/${token}/agenda-personnel`);
  t.equal(asked.statusCode, 409);
  t.match(visibleText(asked.body), "Aucune adresse e-mail n'a été donnée pour cette inscription : l'agenda personnel ne peut pas vous être envoyé.");
  t.same(await mails(db), [], 'nothing queued');
});

t.test("the manage page's « Ajouter à mon agenda »: this registration's entry, same UID and sequence as its invites", async (t) => {
  const { agent, db } = await buildTestApp(t, { now: NOW });
  const w = await makeWorld(db, { title: 'Atelier écriture', sequence: 2 });
  const confirmed = await makeRegistration(db, w.event.id, { email: 'a@example.org' });
  const waiting = await makeRegistration(db, w.event.id, { email: 'b@example.org', state: 'waitlisted', waitlistPosition: 1 });
  const c = agent();
  const res = await c.get(`/inscription/${confirmed.token}/agenda.ics`);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'text/calendar');
  t.match(res.headers['content-disposition'], /^attachment; filename="sism-\d+-atelier-ecriture\.ics"$/);
  t.equal(res.headers['cache-control'], 'no-store');
  const [entry] = parseFeed(res.body).events;
  t.match(entry, { uid: `registration-${confirmed.registration.id}@localhost`, sequence: 2, status: 'CONFIRMED', summary: 'Atelier écriture' });
  const [tentative] = parseFeed((await c.get(`/inscription/${waiting.token}/agenda.ics`)).body).events;
  t.match(tentative, { uid: `registration-${waiting.registration.id}@localhost`, status: 'TENTATIVE', summary: "Liste d'attente – Atelier écriture" });
  t.equal((await c.get(`/inscription/${randomToken()}/agenda.ics`)).statusCode, 404);
  const cancelled = await makeRegistration(db, w.event.id, { email: 'c@example.org', state: 'cancelled' });
  const gone = await c.get(`/inscription/${cancelled.token}/agenda.ics`);
  t.equal(gone.statusCode, 404, 'a cancelled registration has nothing to add');
  t.match(visibleText(gone.body), "Cette inscription est annulée : il n'y a plus rien à ajouter à votre agenda.");
});

t.test('a personal feed is written in its registration’s language, whatever the address asks', async (t) => {
  const { app, db, clock } = await buildTestApp(t, { now: NOW });
  const w = await makeWorld(db, { title: 'Atelier écriture' });
  const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id };
  await db.update(event).set({ translations: { en: { title: 'Writing workshop', summary: 'Writing together.' } } }).where(eq(event.id, w.event.id));
  const full = await makeEvent(db, refs, { title: 'Concert complet', startsAt: new Date('2026-10-08T17:00:00Z'), endsAt: new Date('2026-10-08T19:00:00Z') });
  const mine = await makeRegistration(db, w.event.id, { email: 'alex@example.org', language: 'en' });
  await makeRegistration(db, full.id, { email: 'alex@example.org', state: 'waitlisted', waitlistPosition: 1, language: 'en' });
  const token = await mintToken(db, mine.registration.id, 'feed', clock.now());

  // Without a prefix, as calendar services poll it.
  const res = await app.inject({ url: personalFeedPath(token) });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-language'], 'en');
  const feed = parseFeed(res.body);
  t.equal(feed.name, 'My registrations — SISM');
  t.same(feed.events.map((e) => e.summary), ['Writing workshop', 'Waiting list – Concert complet'], 'the organiser’s English title; the waiting list in English');
  t.match(feed.events[0]!.description, /^Writing together\./);
  t.match(feed.events[0]!.description, `Information and registration: http://localhost:3000/en/evenements/${w.event.id}`);
  t.equal(feed.events[0]!.url, `http://localhost:3000/en/evenements/${w.event.id}`);
  const text = feed.events.map((e) => `${e.summary}\n${e.description}`).join('\n');
  for (const french of ["Liste d'attente", 'Accessibilité', 'Organisé par', 'Informations et inscription', 'Mes inscriptions']) t.notOk(text.includes(french) || feed.name!.includes(french), `no « ${french} »`);

  // The /en/ prefix changes nothing; a French registration's feed stays French even under /en/.
  const prefixed = parseFeed((await app.inject({ url: `/en${personalFeedPath(token)}` })).body);
  t.equal(prefixed.name, 'My registrations — SISM');
  const other = await makeRegistration(db, w.event.id, { email: 'claude@example.org', language: 'fr' });
  const otherToken = await mintToken(db, other.registration.id, 'feed', clock.now());
  const frenchFeed = await app.inject({ url: `/en${personalFeedPath(otherToken)}` });
  t.equal(frenchFeed.headers['content-language'], 'fr');
  const parsed = parseFeed(frenchFeed.body);
  t.equal(parsed.name, 'Mes inscriptions — SISM');
  t.same(parsed.events.map((e) => e.summary), ['Atelier écriture']);
  t.match(parsed.events[0]!.description, `Informations et inscription : http://localhost:3000/evenements/${w.event.id}`);
});
