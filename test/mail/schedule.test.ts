// @databases: pglite, postgres
// Reminders, organiser digests and coordinator alerts, with a clock the test moves: civil times
// in the territory's zone (across the October DST change, and overseas), once only, and never
// for what no longer makes sense.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeCoordinator, makeEdition, makeEvent, makeMember, makeOrganisation, makeRegistration, makeTerritory, makeUser, makeVenue, makeWorld } from '../helpers/factory.ts';
import { accessNeed, registration } from '../../server/db/schema.ts';
import { localHourBefore, scheduleDueMails } from '../../server/registrations/mails-schedule.ts';
import { linksOf, mailWith, outboxRows, startInbox, workerFor } from './helpers.ts';

const registeredEarly = { createdAt: new Date('2026-09-10T10:00:00Z') };

t.test('reminder times are 10:00 local on the local day, across the DST change and overseas', async (t) => {
  // Event on Sunday 25 October 2026, 14:00 Paris (13:00Z, after the change back to UTC+1).
  const dstDay = new Date('2026-10-25T13:00:00Z');
  t.same(localHourBefore(dstDay, 1, 10, 'Europe/Paris'), new Date('2026-10-24T08:00:00Z'), 'the day before, still summer time (UTC+2)');
  t.same(localHourBefore(dstDay, 7, 10, 'Europe/Paris'), new Date('2026-10-18T08:00:00Z'));
  // An event on 1 November, after the change: the 7-day reminder is in summer time, the 1-day in winter time.
  const after = new Date('2026-11-01T13:00:00Z');
  t.same(localHourBefore(after, 7, 10, 'Europe/Paris'), new Date('2026-10-25T09:00:00Z'), '25 October 10:00 is already UTC+1');
  t.same(localHourBefore(after, 1, 10, 'Europe/Paris'), new Date('2026-10-31T09:00:00Z'));
  // Réunion, UTC+4 all year: an event on 8 October 09:00 local.
  t.same(localHourBefore(new Date('2026-10-08T05:00:00Z'), 7, 10, 'Indian/Reunion'), new Date('2026-10-01T06:00:00Z'));
  // An event just after midnight local: its local day, not the UTC one.
  t.same(localHourBefore(new Date('2026-10-05T22:30:00Z'), 1, 10, 'Europe/Paris'), new Date('2026-10-05T08:00:00Z'), '00:30 on the 6th in Paris → reminder on the 5th');
});

t.test('a reminder 7 days before at 10:00, not a minute earlier, once; then the one the day before', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: '2026-09-29T07:59:00Z' });
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  const world = await makeWorld(db, { title: 'Sortie au musée' }); // 6 October 2026, 14:00 Paris
  const { registration: reg } = await makeRegistration(db, world.event.id, { name: 'Inès', email: 'ines@example.org', ...registeredEarly });

  t.same(await scheduleDueMails(db, config, clock.now()), { reminders: 0, digests: 0, alerts: 0, total: 0 }, '09:59 in Paris: not yet');
  clock.set('2026-09-29T08:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 1, '10:00 in Paris');
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 0, 'idempotent');
  clock.advance(5 * 60_000);
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 0, 'and still once later');
  const [row] = await outboxRows(db, 'reminder');
  t.equal(row!.dedupeKey, `reminder:7:${reg.id}`);
  t.same(row!.payload, { registrationId: reg.id, daysBefore: 7 });

  await worker.run();
  const mail = mailWith(inbox, 'ines@example.org', 'Rappel : Sortie au musée, dans 7 jours');
  t.match(mail.parsed.text, /Bonjour Inès,/);
  t.match(mail.parsed.text, /Petit rappel : l'événement auquel vous êtes inscrit·e a lieu dans 7 jours\./);
  t.match(mail.parsed.text, /Quand : mardi 6 octobre 2026, 14 h 00 – 16 h 00/);
  t.ok(linksOf(mail).some((l) => l.includes('/inscription/')), 'with the manage link');

  clock.set('2026-10-05T08:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 1);
  await worker.run();
  mailWith(inbox, 'ines@example.org', 'Rappel : Sortie au musée, demain');
  clock.set('2026-10-06T13:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 0, 'nothing once the event has started');
});

t.test('no reminder for a cancelled registration, a cancelled event, or a registration made after the reminder time', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: '2026-09-29T08:00:00Z' });
  const world = await makeWorld(db);
  const cancelledEvent = await makeEvent(db, { editionId: world.edition.id, territoryId: world.territory.id, organisationId: world.organisation.id, venueId: world.venue.id }, { state: 'cancelled', cancellationReason: 'Annulé' });
  await makeRegistration(db, world.event.id, { email: 'annulee@example.org', state: 'cancelled', cancelledAt: new Date('2026-09-20T10:00:00Z'), ...registeredEarly });
  await makeRegistration(db, cancelledEvent.id, { email: 'evenement-annule@example.org', ...registeredEarly });
  await makeRegistration(db, world.event.id, { email: 'tardive@example.org', createdAt: new Date('2026-09-29T08:30:00Z') });
  await makeRegistration(db, world.event.id, { email: 'attente@example.org', state: 'waitlisted', waitlistPosition: 1, ...registeredEarly });

  clock.set('2026-09-29T09:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 0, 'none of them gets the 7-day reminder');
  clock.set('2026-10-05T08:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 1, 'the late registration gets the one the day before');
  t.same((await outboxRows(db, 'reminder')).map((r) => r.recipient), ['tardive@example.org']);
});

t.test('a worker down for days sends only the closest reminder; a reminder queued then made pointless is not sent', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: '2026-10-05T09:00:00Z' });
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  const world = await makeWorld(db);
  const { registration: kept } = await makeRegistration(db, world.event.id, { email: 'garde@example.org', ...registeredEarly });
  const { registration: dropped } = await makeRegistration(db, world.event.id, { email: 'partie@example.org', ...registeredEarly });
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 2);
  t.same((await outboxRows(db, 'reminder')).map((r) => r.dedupeKey), [`reminder:1:${kept.id}`, `reminder:1:${dropped.id}`], 'only « tomorrow », not « in 7 days » too');

  await db.update(registration).set({ state: 'cancelled', cancelledAt: clock.now() }).where(eq(registration.id, dropped.id));
  t.same(await worker.run(), { claimed: 2, sent: 1, skipped: 1, retried: 0, failed: 0 });
  t.equal(inbox.to('partie@example.org').length, 0);
  const skipped = (await outboxRows(db, 'reminder')).find((r) => r.recipient === 'partie@example.org')!;
  t.equal(skipped.lastError, 'non envoyé : inscription plus confirmée');
});

t.test('reminders are tailored: the accessible entrance for a wheelchair, the LSF interpreter when planned', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: '2026-10-05T08:00:00Z' });
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  const world = await makeWorld(db, { title: 'Concert signé' });
  const { registration: reg } = await makeRegistration(db, world.event.id, { email: 'fauteuil@example.org', name: 'Malik', ...registeredEarly }, [{ category: 'wheelchair' }, { category: 'lsf' }]);
  await db.update(accessNeed).set({ status: 'planned', response: 'Deux interprètes.' }).where(eq(accessNeed.registrationId, reg.id));
  const { registration: plain } = await makeRegistration(db, world.event.id, { email: 'simple@example.org', ...registeredEarly });
  await scheduleDueMails(db, config, clock.now());
  await worker.run();

  const tailored = mailWith(inbox, 'fauteuil@example.org', 'Rappel : Concert signé, demain');
  const text = tailored.parsed.text ?? '';
  t.match(text, /Un·e interprète LSF sera présent·e\./);
  t.match(text, /Pour venir en fauteuil :\n- Entrée de plain-pied\.\n- Entrée accessible : Entrée de plain-pied côté parc, rampe à gauche de l'accueil\./);
  t.match(text, /Votre demande d'accès en fauteuil : prévu par l'organisation\./);
  t.match(visibleText(String(tailored.parsed.html)), /Un·e interprète LSF sera présent·e\./);

  const other = mailWith(inbox, 'simple@example.org', 'Rappel : Concert signé, demain');
  t.notMatch(other.parsed.text, /interprète|fauteuil/, `nothing about arrangements nobody asked for (registration ${plain.id})`);
});

t.test('organiser digest: daily at 10:00 during the week before the deadline, while needs wait for an answer', async (t) => {
  const { db, config, clock, app } = await buildTestApp(t, { now: '2026-09-15T08:00:00Z' });
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  // Access-request deadline: 22 September 2026, 14:00 Paris (factory default).
  const world = await makeWorld(db, { title: 'Atelier cuisine' });
  const member = await makeUser(db, { email: 'orga@example.org' });
  await makeMember(db, member.id, world.organisation.id);
  const { registration: reg } = await makeRegistration(db, world.event.id, { name: 'Personne Secrète', ...registeredEarly }, [{ category: 'caa', detail: 'classeur' }, { category: 'lsf' }]);

  t.equal((await scheduleDueMails(db, config, clock.now())).digests, 0, '15 September is more than 7 days before the deadline');
  clock.set('2026-09-16T07:59:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).digests, 0, 'not before 10:00 local');
  clock.set('2026-09-16T08:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).digests, 2, 'to the organisation contact and its member');
  t.equal((await scheduleDueMails(db, config, clock.now())).digests, 0, 'once a day');
  t.same((await outboxRows(db, 'organiser_needs_digest')).map((r) => r.dedupeKey).sort(), [
    `digest:${world.event.id}:2026-09-16:${world.organisation.contactEmail!.toLowerCase()}`,
    `digest:${world.event.id}:2026-09-16:orga@example.org`,
  ]);
  await worker.run();
  const digest = mailWith(inbox, 'orga@example.org', "Besoins d'accessibilité à préparer : Atelier cuisine");
  const text = digest.parsed.text ?? '';
  t.match(text, /2 demandes d'aménagement attendent votre réponse pour l'événement ci-dessous\. La date limite des demandes est le mardi 22 septembre 2026 à 14 h 00\./);
  t.match(text, /- Interprète en langue des signes \(LSF\) : 1 sans réponse, 0 prévu, 0 impossible/);
  t.match(text, /- Supports de communication alternative \(CAA, pictogrammes\) : 1 sans réponse/);
  t.notMatch(text, /Personne Secrète|classeur/, 'no names, no details: health data stays behind sign-in');
  const answer = linksOf(digest).find((l) => l.endsWith(`/espace/evenements/${world.event.id}/inscriptions`));
  t.ok(answer, 'links to the page where needs are answered');
  const page = await app.inject({ url: new URL(answer!).pathname });
  t.equal(page.statusCode, 303, 'which asks to sign in first');
  t.match(String(page.headers.location), /^\/connexion\?retour=/);

  clock.set('2026-09-17T08:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).digests, 2, 'the next day again');
  await db.update(accessNeed).set({ status: 'planned' }).where(eq(accessNeed.registrationId, reg.id));
  clock.set('2026-09-18T08:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).digests, 0, 'not once every need is answered');
});

t.test('coordinator alert: needs still unanswered at the deadline, once, to the territory coordinators', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: '2026-09-22T11:59:00Z' });
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  const world = await makeWorld(db, { title: 'Conférence santé mentale' });
  const coordinator = await makeUser(db, { email: 'coord@example.org' });
  await makeCoordinator(db, coordinator.id, world.territory.id);
  await makeRegistration(db, world.event.id, registeredEarly, [{ category: 'captioning' }]);
  // Another territory's coordinator hears nothing.
  const elsewhere = await makeTerritory(db);
  const other = await makeUser(db, { email: 'ailleurs@example.org' });
  await makeCoordinator(db, other.id, elsewhere.id);

  t.equal((await scheduleDueMails(db, config, clock.now())).alerts, 0, 'before the deadline');
  clock.set('2026-09-22T12:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).alerts, 1);
  clock.advance(86_400_000);
  t.equal((await scheduleDueMails(db, config, clock.now())).alerts, 0, 'once');
  await worker.run();
  const alert = mailWith(inbox, 'coord@example.org', "Besoins d'accessibilité sans réponse : Conférence santé mentale");
  t.match(alert.parsed.text, /La date limite des demandes d'aménagement \(mardi 22 septembre 2026 à 14 h 00\) est passée et 1 demande est toujours sans réponse/);
  t.match(alert.parsed.text, /Vélotypie ou sous-titrage en direct : 1 sans réponse/);
  t.ok(linksOf(alert).includes(`http://localhost:3000/espace/evenements/${world.event.id}/inscriptions`), 'links to the needs page');
  t.equal(inbox.to('ailleurs@example.org').length, 0);
});

t.test('an overseas territory: reminders at 10:00 Réunion time', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: '2026-10-01T05:59:00Z' });
  const reunion = await makeTerritory(db, { timeZone: 'Indian/Reunion' });
  const ed = await makeEdition(db);
  const org = await makeOrganisation(db, reunion.id);
  const venue = await makeVenue(db, reunion.id, org.id);
  const ev = await makeEvent(db, { editionId: ed.id, territoryId: reunion.id, organisationId: org.id, venueId: venue.id }, { startsAt: new Date('2026-10-08T05:00:00Z'), endsAt: new Date('2026-10-08T07:00:00Z') });
  await makeRegistration(db, ev.id, registeredEarly);
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 0, '09:59 in Saint-Denis');
  clock.set('2026-10-01T06:00:00Z');
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 1, '10:00 in Saint-Denis');
});
