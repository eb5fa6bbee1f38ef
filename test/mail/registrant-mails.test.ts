// @databases: pglite
// The mails a registered person gets, sent by the real worker to a real SMTP server: who gets
// them, what they say (text and HTML), links that open the right page, and calendar invites as a
// calendar client reads them (ical.js): METHOD, one UID per registration, SEQUENCE going up.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeEdition, makeEvent, makeOrganisation, makeTerritory, makeUser, makeVenue, makeWorld } from '../helpers/factory.ts';
import { event, registrationToken } from '../../server/db/schema.ts';
import { cancelRegistration } from '../../server/registrations/manage.ts';
import { register, resendLinks } from '../../server/registrations/register.ts';
import { parseFeed } from '../calendar/parse.ts';
import { answerNeed } from '../../server/registrations/organiser.ts';
import { announcePublishedChange } from '../../server/events/history.ts';
import { cancel } from '../../server/events/moderation.ts';
import { person, needsOf } from '../registrations/helpers.ts';
import { inviteOf, linksOf, mailWith, outboxRows, startInbox, workerFor } from './helpers.ts';

async function setup(t: Parameters<typeof buildTestApp>[0], now = '2026-09-15T08:00:00Z') {
  const app = await buildTestApp(t, { now });
  const inbox = await startInbox(t);
  const worker = workerFor(t, app, inbox);
  return { ...app, inbox, worker };
}

t.test('confirmation: to the person, in French, text and HTML, a manage link that works, a REQUEST invite', async (t) => {
  const { app, db, config, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Atelier peinture et lien social' });
  const who = person({ name: 'Awa Diallo', email: 'awa@example.org', needs: [{ category: 'wheelchair', detail: null }], needsConsent: true });
  const result = await register(db, clock.now(), world.event.id, who);
  t.ok(result.ok);
  const registrationId = result.ok ? result.registrationId : 0;

  t.same(await worker.run(), { claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
  t.equal(inbox.mails.length, 1);
  const mail = inbox.mails[0]!;
  t.same(mail.envelopeTo, ['awa@example.org']);
  t.equal(mail.parsed.subject, 'Inscription confirmée : Atelier peinture et lien social');
  const [row] = await outboxRows(db, 'registration_confirmed');
  t.equal(mail.parsed.messageId, `<outbox-${row!.id}@localhost>`, 'deterministic Message-ID');
  t.equal(row!.status, 'sent');
  t.equal(row!.messageId, `<outbox-${row!.id}@localhost>`);
  t.same(row!.sentAt, clock.now());

  const text = mail.parsed.text ?? '';
  t.match(text, /Bonjour Awa Diallo,/);
  t.match(text, /Votre inscription est confirmée/);
  t.match(text, /Quand : mardi 6 octobre 2026, 14 h 00 – 16 h 00/, 'time in the territory zone (Paris)');
  t.match(text, /Où : Salle \d+, \d+ rue de la République, 38000 Grenoble/);
  t.match(text, /Le lieu : Entrée de plain-pied\./);
  t.match(text, /Pour entrer : Entrée de plain-pied côté parc, rampe à gauche de l'accueil\./, 'access directions, not HTML-escaped in text');
  t.match(text, /Accès en fauteuil roulant, sans marche : prévu par l'organisation/);
  t.notMatch(text, /&#39;|&amp;/, 'plain text is not HTML-escaped');

  const html = String(mail.parsed.html);
  t.match(html, /<html lang="fr">/);
  t.match(visibleText(html), /Votre inscription est confirmée/);
  t.match(visibleText(html), /Pour entrer : Entrée de plain-pied côté parc/);

  const manage = linksOf(mail).find((l) => l.includes('/inscription/'));
  t.ok(manage, 'the text part carries the manage link');
  t.ok(html.includes(`href="${manage}"`), 'the HTML part links to it too');
  const page = await app.inject({ url: new URL(manage!).pathname });
  t.equal(page.statusCode, 200, 'the manage link opens the manage page');
  t.match(visibleText(page.body), /Atelier peinture et lien social/);
  t.match(visibleText(page.body), /Awa Diallo/);

  const eventLink = linksOf(mail).find((l) => l.endsWith(`/evenements/${world.event.id}`));
  t.ok(eventLink, 'a link to the public event page');

  const invite = inviteOf(mail);
  t.ok(invite, 'a calendar invite');
  t.equal(invite!.mimeMethod, 'REQUEST', 'text/calendar; method=REQUEST');
  t.equal(invite!.feed.method, 'REQUEST');
  t.same(invite!.feed.timezones, ['Europe/Paris'], 'VTIMEZONE included');
  const [vevent] = invite!.feed.events;
  t.equal(vevent!.uid, `registration-${registrationId}@localhost`);
  t.equal(vevent!.sequence, 0);
  t.equal(vevent!.status, 'CONFIRMED');
  t.same(vevent!.start, new Date('2026-10-06T12:00:00Z'));
  t.same(vevent!.end, new Date('2026-10-06T14:00:00Z'));
  t.equal(vevent!.organizer, `mailto:${world.organisation.contactEmail}`);
  t.match(invite!.text, /ATTENDEE;[^\r\n]*RSVP=FALSE[^\r\n]*:mailto:awa@example\.org/i);
  const attachments = mail.parsed.attachments.filter((a) => a.filename === 'invitation.ics');
  t.equal(attachments.length, 1, 'the invite is also attached as a file');
});

t.test('waitlisted, then promoted when a place frees up; the cancelled person gets a CANCEL for the same UID', async (t) => {
  const { db, config, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { capacity: 1, title: 'Balade au parc' });
  const first = await register(db, clock.now(), world.event.id, person({ name: 'Première', email: 'premiere@example.org' }));
  const second = await register(db, clock.now(), world.event.id, person({ name: 'Seconde', email: 'seconde@example.org' }));
  t.ok(first.ok && second.ok);
  await worker.run();

  const waitlisted = inbox.to('seconde@example.org');
  t.equal(waitlisted.length, 1);
  t.equal(waitlisted[0]!.parsed.subject, "Liste d'attente : Balade au parc");
  t.match(waitlisted[0]!.parsed.text, /est sur liste d'attente, en position 1\./);
  t.equal(inviteOf(waitlisted[0]!), null, 'no invite while waiting');
  const firstUid = inviteOf(inbox.to('premiere@example.org')[0]!)!.feed.events[0]!.uid;

  clock.advance(60_000);
  const cancelled = await cancelRegistration(db, clock.now(), first.ok ? first.registrationId : 0);
  t.ok(cancelled.ok);
  t.same(await worker.run(), { claimed: 2, sent: 2, skipped: 0, retried: 0, failed: 0 });

  const cancelMail = mailWith(inbox, 'premiere@example.org', 'Inscription annulée : Balade au parc');
  t.match(cancelMail.parsed.text, /Votre inscription à l'événement ci-dessous est annulée/);
  const cancelInvite = inviteOf(cancelMail)!;
  t.equal(cancelInvite.mimeMethod, 'CANCEL');
  t.equal(cancelInvite.feed.method, 'CANCEL');
  t.equal(cancelInvite.feed.events[0]!.uid, firstUid, 'the same UID as the confirmation');
  t.equal(cancelInvite.feed.events[0]!.status, 'CANCELLED');
  t.ok(cancelInvite.feed.events[0]!.sequence > 0, 'a higher SEQUENCE than the REQUEST (0)');

  const promoted = mailWith(inbox, 'seconde@example.org', "Une place s'est libérée : Balade au parc");
  t.match(promoted.parsed.text, /Bonne nouvelle : une place s'est libérée\. Votre inscription est maintenant confirmée\./);
  const promotedInvite = inviteOf(promoted)!;
  t.equal(promotedInvite.mimeMethod, 'REQUEST');
  t.equal(promotedInvite.feed.events[0]!.uid, `registration-${second.ok ? second.registrationId : 0}@localhost`);
});

t.test('event changed, then cancelled: what changed, the same UID, SEQUENCE going up, then CANCEL with the reason', async (t) => {
  const { db, config, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Ciné-débat « Vol au-dessus »' });
  const coordinator = await makeUser(db);
  const reg = await register(db, clock.now(), world.event.id, person({ name: 'Jo', email: 'jo@example.org' }));
  t.ok(reg.ok);
  await worker.run();
  const uid = inviteOf(inbox.to('jo@example.org')[0]!)!.feed.events[0]!.uid;

  // The organiser moves the event one hour later (what the events feature does on a published edit).
  clock.advance(3_600_000);
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(event).where(eq(event.id, world.event.id));
    const startsAt = new Date('2026-10-06T13:00:00Z');
    const endsAt = new Date('2026-10-06T15:00:00Z');
    await tx.update(event).set({ startsAt, endsAt }).where(eq(event.id, world.event.id));
    await announcePublishedChange(
      tx,
      current!,
      [
        { field: 'startsAt', before: current!.startsAt.toISOString(), after: startsAt.toISOString() },
        { field: 'endsAt', before: current!.endsAt.toISOString(), after: endsAt.toISOString() },
      ],
      coordinator.id,
      clock.now(),
    );
  });
  await worker.run();
  const changed = mailWith(inbox, 'jo@example.org', 'Changement : Ciné-débat « Vol au-dessus »');
  t.match(changed.parsed.text, /- Début : mardi 6 octobre 2026 à 15 h 00 \(avant : mardi 6 octobre 2026 à 14 h 00\)/);
  t.match(changed.parsed.text, /Quand : mardi 6 octobre 2026, 15 h 00 – 17 h 00/, 'the event as it is now');
  t.match(visibleText(String(changed.parsed.html)), /Début : mardi 6 octobre 2026 à 15 h 00 \(avant : mardi 6 octobre 2026 à 14 h 00\)/);
  const updated = inviteOf(changed)!;
  t.equal(updated.mimeMethod, 'REQUEST');
  t.equal(updated.feed.events[0]!.uid, uid, 'UID stable across updates');
  t.equal(updated.feed.events[0]!.sequence, 1, 'SEQUENCE = the event sequence, bumped');
  t.same(updated.feed.events[0]!.start, new Date('2026-10-06T13:00:00Z'));

  clock.advance(3_600_000);
  await cancel(db, world.event.id, { actorUserId: coordinator.id, now: clock.now(), reason: 'La salle est inondée.' });
  await worker.run();
  const cancelled = mailWith(inbox, 'jo@example.org', 'Annulé : Ciné-débat « Vol au-dessus »');
  t.match(cancelled.parsed.text, /Motif : La salle est inondée\./);
  t.match(cancelled.parsed.text, /l'événement ci-dessous est ANNULÉ/);
  const cancelInvite = inviteOf(cancelled)!;
  t.equal(cancelInvite.mimeMethod, 'CANCEL');
  t.equal(cancelInvite.feed.events[0]!.uid, uid);
  t.equal(cancelInvite.feed.events[0]!.status, 'CANCELLED');
  t.ok(cancelInvite.feed.events[0]!.sequence > 1, `SEQUENCE ${cancelInvite.feed.events[0]!.sequence} above the last REQUEST (1)`);

  // The organisation hears of the cancellation too (moderation decision mail).
  const orgMail = inbox.to(world.organisation.contactEmail!).find((m) => m.parsed.subject === 'Événement annulé : Ciné-débat « Vol au-dessus »');
  t.ok(orgMail, 'the organisation is told');
  t.match(orgMail!.parsed.text, /Message de la coordination :\n« La salle est inondée\. »/);
});

t.test('event changed by withdrawing an accessibility feature: named in words, not codes', async (t) => {
  const { db, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Atelier chant', accessibilityOffered: ['lsf', 'wheelchair'] });
  const organiser = await makeUser(db);
  t.ok((await register(db, clock.now(), world.event.id, person({ email: 'lou@example.org' }))).ok);
  await worker.run();
  clock.advance(3_600_000);
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(event).where(eq(event.id, world.event.id));
    await tx.update(event).set({ accessibilityOffered: ['wheelchair'] }).where(eq(event.id, world.event.id));
    await announcePublishedChange(tx, current!, [{ field: 'accessibilityOffered', before: ['lsf', 'wheelchair'], after: ['wheelchair'] }], organiser.id, clock.now());
  });
  await worker.run();
  const changed = mailWith(inbox, 'lou@example.org', 'Changement : Atelier chant');
  t.match(changed.parsed.text, /Accessibilité proposée : Accès fauteuil \(avant : Interprétation LSF, Accès fauteuil\)/);
  t.notMatch(changed.parsed.text, /lsf|wheelchair/, 'no vocabulary codes in what a person reads');
});

t.test('access need answered: planned or not possible, with the organiser message', async (t) => {
  const { db, config, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Groupe de parole', accessibilityOffered: [] });
  const organiser = await makeUser(db);
  const reg = await register(
    db,
    clock.now(),
    world.event.id,
    person({ name: 'Sam', email: 'sam@example.org', needs: [{ category: 'caa', detail: 'pictogrammes' }, { category: 'lsf', detail: null }], needsConsent: true }),
  );
  t.ok(reg.ok);
  await worker.run();
  const confirmation = inbox.to('sam@example.org')[0]!;
  t.match(confirmation.parsed.text, /Supports de communication alternative \(CAA, pictogrammes\) \(pictogrammes\) : transmis à l'organisation, en attente de sa réponse\./);

  const [caa, lsf] = await needsOf(db, reg.ok ? reg.registrationId : 0);
  await answerNeed(db, clock.now(), { eventId: world.event.id, needId: caa!.id, userId: organiser.id, answer: { status: 'not_possible', response: "Nous n'avons pas de classeur CAA, venez avec le vôtre." } });
  await answerNeed(db, clock.now(), { eventId: world.event.id, needId: lsf!.id, userId: organiser.id, answer: { status: 'planned', response: 'Interprète réservée.' } });
  await worker.run();

  const notPossible = mailWith(inbox, 'sam@example.org', "Votre demande d'aménagement : Groupe de parole");
  const planned = mailWith(inbox, 'sam@example.org', "Votre demande d'aménagement est prévue : Groupe de parole");
  t.match(notPossible!.parsed.text, /ne pourra malheureusement pas mettre en place l'aménagement demandé pour votre inscription : Supports de communication alternative/);
  t.match(notPossible!.parsed.text, /« Nous n'avons pas de classeur CAA, venez avec le vôtre\. »/);
  t.match(notPossible!.parsed.text, /vous pouvez annuler votre inscription/);
  t.match(planned!.parsed.text, /Bonne nouvelle : l'organisation a prévu l'aménagement demandé pour votre inscription : Interprète en langue des signes \(LSF\)\./);
  t.match(planned!.parsed.text, /« Interprète réservée\. »/);
  t.ok(linksOf(planned!).some((l) => l.includes('/inscription/')), 'with the manage link');
});

t.test('a registration made on someone else’s behalf: the helper is greeted, the person named', async (t) => {
  const { db, config, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Jardin partagé' });
  const reg = await register(
    db,
    clock.now(),
    world.event.id,
    person({ name: 'Louis Martin', email: null, onBehalf: true, contactName: 'Claire (éducatrice)', contactEmail: 'claire@example.org', seats: 2 }),
  );
  t.ok(reg.ok);
  await worker.run();
  const [mail] = inbox.to('claire@example.org');
  t.ok(mail);
  t.match(mail!.parsed.text, /Bonjour Claire \(éducatrice\),/);
  t.match(mail!.parsed.text, /L'inscription de Louis Martin est confirmée pour 2 places/);
});

t.test('invites carry the right instant on the night the clocks go back (Paris) and overseas (Réunion)', async (t) => {
  const { db, config, clock, inbox, worker } = await setup(t);
  // 25 October 2026: Paris goes from UTC+2 to UTC+1 at 03:00 local. 14:00 local is 13:00 UTC.
  const paris = await makeWorld(db, { title: 'Après-midi DST', startsAt: new Date('2026-10-25T13:00:00Z'), endsAt: new Date('2026-10-25T15:00:00Z') });
  const reunion = await makeTerritory(db, { timeZone: 'Indian/Reunion', name: 'CLSM Saint-Denis' });
  const org = await makeOrganisation(db, reunion.id);
  const venue = await makeVenue(db, reunion.id, org.id, { commune: 'Saint-Denis', postcode: '97400' });
  const ed = paris.edition ?? (await makeEdition(db));
  // 9:00 in Réunion (UTC+4, no DST) is 05:00 UTC.
  const overseas = await makeEvent(db, { editionId: ed.id, territoryId: reunion.id, organisationId: org.id, venueId: venue.id }, {
    title: 'Matinée à Saint-Denis',
    startsAt: new Date('2026-10-08T05:00:00Z'),
    endsAt: new Date('2026-10-08T07:00:00Z'),
  });
  await register(db, clock.now(), paris.event.id, person({ email: 'dst@example.org' }));
  await register(db, clock.now(), overseas.id, person({ email: 'reunion@example.org' }));
  await worker.run();

  const dst = inbox.to('dst@example.org')[0]!;
  t.match(dst.parsed.text, /Quand : dimanche 25 octobre 2026, 14 h 00 – 16 h 00/);
  const dstInvite = inviteOf(dst)!;
  t.match(dstInvite.text, /DTSTART;TZID=Europe\/Paris:20261025T140000/);
  t.same(dstInvite.feed.events[0]!.start, new Date('2026-10-25T13:00:00Z'), 'DTSTART read back in UTC through the VTIMEZONE: 13:00Z');

  const re = inbox.to('reunion@example.org')[0]!;
  t.match(re.parsed.text, /Quand : jeudi 8 octobre 2026, 09 h 00 – 11 h 00/);
  const reInvite = inviteOf(re)!;
  t.same(reInvite.feed.timezones, ['Indian/Reunion']);
  t.match(reInvite.text, /DTSTART;TZID=Indian\/Reunion:20261008T090000/);
  t.same(reInvite.feed.events[0]!.start, new Date('2026-10-08T05:00:00Z'));
});

t.test("the confirmation's links: each mail mints its own tokens, none in the outbox; the feed link shows the invite's UID", async (t) => {
  const { app, db, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Atelier cuisine' });
  const result = await register(db, clock.now(), world.event.id, person({ name: 'Lou', email: 'lou@example.org' }));
  if (!result.ok) throw new Error('setup');
  await resendLinks(db, clock.now(), result.registrationId); // « M'envoyer le lien de mon agenda personnel »
  const queued = await outboxRows(db);
  t.equal(queued.length, 2);
  t.notMatch(JSON.stringify(queued.map((r) => r.payload)), /[A-Za-z0-9_-]{43}/, 'no raw token in any outbox payload');
  await worker.run();
  const resent = (m: (typeof inbox.mails)[number]) => /Comme demandé, voici à nouveau vos liens personnels/.test(m.parsed.text ?? '');
  const first = inbox.to('lou@example.org').find((m) => !resent(m));
  const second = inbox.to('lou@example.org').find(resent);
  t.ok(first && second, 'the confirmation, then the one asked for from the manage page');

  const feedLinks = [first!, second!].map((m) => linksOf(m).find((l) => l.includes('/agenda/personnel/'))!);
  const manageLinks = [first!, second!].map((m) => linksOf(m).find((l) => /\/inscription\/[A-Za-z0-9_-]{43}$/.test(l))!);
  t.ok(feedLinks.every(Boolean) && manageLinks.every(Boolean), 'both mails carry a manage link and a feed link');
  t.not(manageLinks[0], manageLinks[1], 'each mail its own manage token');
  t.not(feedLinks[0], feedLinks[1], 'each mail its own feed token');
  t.match(first!.parsed.text, /webcal:\/\/localhost:3000\/agenda\/personnel\/[A-Za-z0-9_-]{43}\.ics/);
  for (const link of manageLinks) t.equal((await app.inject({ url: new URL(link).pathname })).statusCode, 200, 'every manage link works');
  const hashes = await db.select().from(registrationToken).where(eq(registrationToken.registrationId, result.registrationId));
  t.same(hashes.map((h) => h.kind).sort(), ['feed', 'feed', 'manage', 'manage', 'manage'], 'the result page one, then two per mail');
  t.ok(hashes.every((h) => /^[0-9a-f]{64}$/.test(h.tokenHash)), 'stored as SHA-256 only');

  const feed = await app.inject({ url: new URL(feedLinks[0]!).pathname });
  t.equal(feed.statusCode, 200);
  const inviteUid = inviteOf(first!)!.feed.events[0]!.uid;
  t.same(parseFeed(feed.body).events.map((e) => e.uid), [inviteUid], "the feed's entry has the invite's UID");
});

t.test('waitlisted people: the feed link with their confirmation, and no CANCEL invite for an invite never sent', async (t) => {
  const { db, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { capacity: 1, title: 'Sortie au musée' });
  const first = await register(db, clock.now(), world.event.id, person({ name: 'Première', email: 'premiere@example.org' }));
  const waiting = await register(db, clock.now(), world.event.id, person({ name: 'Attente', email: 'attente@example.org' }));
  if (!first.ok || !waiting.ok) throw new Error('setup');
  await worker.run();
  t.ok(linksOf(inbox.to('attente@example.org')[0]!).some((l) => l.includes('/agenda/personnel/')), 'the waitlisted confirmation carries the feed link too');

  // A waitlisted person who cancels never had an invite: no CANCEL to remove it.
  clock.advance(60_000);
  await cancelRegistration(db, clock.now(), waiting.registrationId);
  await worker.run();
  const cancelMail = mailWith(inbox, 'attente@example.org', 'Inscription annulée : Sortie au musée');
  t.equal(inviteOf(cancelMail), null, 'no METHOD:CANCEL for an invite never sent');
  t.equal(cancelMail.parsed.attachments.length, 0);
  t.notMatch(cancelMail.parsed.text, /La pièce jointe retire/);
  t.notMatch(cancelMail.parsed.text, /agenda\/personnel/, 'no feed link once cancelled');

  // The event is cancelled: the confirmed person gets a CANCEL, the waitlisted one does not.
  const third = await register(db, clock.now(), world.event.id, person({ name: 'Troisième', email: 'troisieme@example.org' }));
  if (!third.ok) throw new Error('setup');
  await worker.run();
  const coordinator = await makeUser(db);
  clock.advance(60_000);
  await cancel(db, world.event.id, { actorUserId: coordinator.id, now: clock.now(), reason: 'Musée fermé.' });
  await worker.run();
  const confirmedCancel = mailWith(inbox, 'premiere@example.org', 'Annulé : Sortie au musée');
  t.equal(inviteOf(confirmedCancel)!.mimeMethod, 'CANCEL');
  t.match(confirmedCancel.parsed.text, /La pièce jointe retire l'événement de votre agenda\./);
  const waitlistedCancel = mailWith(inbox, 'troisieme@example.org', 'Annulé : Sortie au musée');
  t.equal(inviteOf(waitlistedCancel), null, 'the waitlisted person gets no CANCEL');
  t.notMatch(waitlistedCancel.parsed.text, /La pièce jointe retire/);
});
