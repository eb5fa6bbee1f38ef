// @databases: pglite
// Changes a person makes on their own page are confirmed by mail (issue 15, item 5), and new or
// refused access needs reach the organisation and the coordination (item 7). Real worker, real
// SMTP server, invites read by ical.js.
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeCoordinator, makeMember, makeUser, makeWorld } from '../helpers/factory.ts';
import { eq } from 'drizzle-orm';
import { accessNeed } from '../../server/db/schema.ts';
import { scheduleDueMails } from '../../server/registrations/mails-schedule.ts';
import { register } from '../../server/registrations/register.ts';
import { person } from '../registrations/helpers.ts';
import { inviteOf, linksOf, mailWith, outboxRows, startInbox, workerFor } from './helpers.ts';

async function setup(t: Parameters<typeof buildTestApp>[0], now = '2026-09-15T08:00:00Z') {
  const app = await buildTestApp(t, { now });
  const inbox = await startInbox(t);
  const worker = workerFor(t, app, inbox);
  return { ...app, inbox, worker };
}

t.test('seats changed: a confirmation with the updated invite (same UID, higher SEQUENCE)', async (t) => {
  const { agent, db, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Atelier théâtre' });
  const r = await register(db, clock.now(), world.event.id, person({ email: 'awa@example.org' }));
  if (!r.ok) throw new Error('setup');
  await worker.run();
  const first = inviteOf(mailWith(inbox, 'awa@example.org', 'Inscription confirmée : Atelier théâtre'))!.feed.events[0]!;

  clock.advance(60_000);
  t.equal((await agent().post(`/inscription/${r.token}/places`, { places: '3' })).statusCode, 303);
  await worker.run();
  const mail = mailWith(inbox, 'awa@example.org', 'Nombre de places modifié : Atelier théâtre');
  t.match(mail.parsed.text, /votre inscription compte maintenant 3 places \(accompagnant·es compris\)\./);
  t.match(mail.parsed.text, /L'invitation jointe met votre agenda à jour\./);
  const invite = inviteOf(mail)!;
  t.equal(invite.mimeMethod, 'REQUEST');
  t.equal(invite.feed.events[0]!.uid, first.uid, 'the same UID');
  t.ok(invite.feed.events[0]!.sequence > first.sequence, 'a higher SEQUENCE');
  const ics = await agent().get(`/inscription/${r.token}/agenda.ics`);
  t.match(ics.body, `SEQUENCE:${invite.feed.events[0]!.sequence}`, "the manage page's .ics carries the same SEQUENCE");
});

t.test('needs changed: a confirmation listing the needs now recorded; saving the same ones sends nothing', async (t) => {
  const { agent, db, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Concert' });
  const r = await register(db, clock.now(), world.event.id, person({ email: 'malik@example.org' }));
  if (!r.ok) throw new Error('setup');
  await worker.run();
  const form = { besoins: ['lsf', 'caa'], 'precision-caa': 'classeur', consentement: '1' };
  t.equal((await agent().post(`/inscription/${r.token}/besoins`, form)).statusCode, 303);
  t.equal((await agent().post(`/inscription/${r.token}/besoins`, form)).statusCode, 303);
  await worker.run();
  const mail = mailWith(inbox, 'malik@example.org', "Besoins d'accessibilité modifiés : Concert");
  t.match(mail.parsed.text, /Les aménagements demandés :\n- Interprète en langue des signes \(LSF\) : prévu par l'organisation\./);
  t.match(mail.parsed.text, /- Supports de communication alternative \(CAA, pictogrammes\) \(classeur\) : transmis à l'organisation, en attente de sa réponse\./);

  t.equal((await agent().post(`/inscription/${r.token}/besoins`, {})).statusCode, 303);
  await worker.run();
  t.equal(inbox.to('malik@example.org').filter((m) => m.parsed.subject === "Besoins d'accessibilité modifiés : Concert").length, 2);
  t.match(inbox.to('malik@example.org').at(-1)!.parsed.text, /Aucun besoin d'accessibilité n'est plus enregistré, et votre accord est retiré\./);
});

t.test('a new e-mail address: a fresh manage link there, a notice without link to the old one, old links stop working', async (t) => {
  const { agent, db, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Randonnée' });
  const r = await register(db, clock.now(), world.event.id, person({ name: 'Lina', email: 'lina@exemple.org', phone: '06 12 34 56 78' }));
  if (!r.ok) throw new Error('setup');
  await worker.run();
  const oldLink = linksOf(mailWith(inbox, 'lina@exemple.org', 'Inscription confirmée : Randonnée')).find((l) => l.includes('/inscription/'))!;

  const res = await agent().post(`/inscription/${r.token}/coordonnees`, { nom: 'Lina Benali', email: 'lina@example.org', telephone: '06 12 34 56 78' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/inscription/${r.token}?fait=nouvelle-adresse`);
  const page = await agent().get(String(res.headers.location));
  t.match(visibleText(page.body), "Un e-mail part à la nouvelle adresse avec un nouveau lien personnel", 'the link in use still works');
  t.equal((await agent().get(new URL(oldLink).pathname)).statusCode, 404, 'the link sent to the old address no longer opens anything');

  await worker.run();
  const fresh = mailWith(inbox, 'lina@example.org', 'Coordonnées modifiées : Randonnée');
  t.match(fresh.parsed.text, /Bonjour Lina Benali,/);
  t.match(fresh.parsed.text, /Cette adresse e-mail est désormais celle de votre inscription/);
  const link = linksOf(fresh).find((l) => l.includes('/inscription/'))!;
  t.equal((await agent().get(new URL(link).pathname)).statusCode, 200, 'the fresh link opens the page');
  t.equal(inviteOf(fresh)!.feed.events[0]!.uid, `registration-${r.registrationId}@localhost`, 'the invite, for the new address calendar');

  const notice = mailWith(inbox, 'lina@exemple.org', 'Adresse e-mail remplacée : Randonnée');
  t.match(notice.parsed.text, /a changé d'adresse/);
  t.notMatch(notice.parsed.text, /lina@example\.org/, 'the new address is not disclosed');
  t.same(linksOf(notice).filter((l) => l.includes('/inscription/') || l.includes('/agenda/')), [], 'no personal link');
});

t.test('a need declared after the deadline reaches the organisation at once, and the digest; the coordinator hears of it, and of a « pas possible »', async (t) => {
  // Deadline: 22 September 14:00 Paris; the event on 6 October.
  const { agent, db, config, clock, inbox, worker } = await setup(t, '2026-09-25T07:00:00Z');
  const world = await makeWorld(db, { title: 'Conférence' });
  const member = await makeUser(db, { email: 'orga@example.org' });
  await makeMember(db, member.id, world.organisation.id);
  const coordinator = await makeUser(db, { email: 'coord@example.org' });
  await makeCoordinator(db, coordinator.id, world.territory.id);

  const r = await register(db, clock.now(), world.event.id, person({ email: 'late@example.org', needs: [{ category: 'captioning', detail: null }], needsConsent: true }));
  if (!r.ok) throw new Error('setup');
  await worker.run();
  const now = mailWith(inbox, 'orga@example.org', "Nouvelle demande d'aménagement : Conférence");
  t.match(now.parsed.text, /vient de demander un aménagement :\n- Vélotypie ou sous-titrage en direct/);
  t.match(now.parsed.text, /La date limite des demandes \(mardi 22 septembre 2026 à 14 h 00\) est passée/);
  t.ok(linksOf(now).includes(`http://localhost:3000/espace/evenements/${world.event.id}/inscriptions`));

  clock.set('2026-09-25T08:00:00Z');
  const queued = await scheduleDueMails(db, config, clock.now());
  t.equal(queued.digests, 2, 'the daily digest goes on after the deadline');
  t.equal(queued.alerts, 1, 'the coordinator: a need unanswered past the deadline');
  t.equal((await scheduleDueMails(db, config, clock.now())).alerts, 0, 'once for that need');
  await worker.run();
  const alert = mailWith(inbox, 'coord@example.org', "Besoins d'accessibilité sans réponse : Conférence");
  t.ok(linksOf(alert).includes(`http://localhost:3000/espace/evenements/${world.event.id}/inscriptions`), 'links to the needs page');

  // Another late need: a new alert. Then a « pas possible »: another.
  const second = await register(db, clock.now(), world.event.id, person({ needs: [{ category: 'caa', detail: null }], needsConsent: true }));
  t.ok(second.ok);
  t.equal((await scheduleDueMails(db, config, clock.now())).alerts, 1, 'again when a new one appears');
  await db.update(accessNeed).set({ status: 'not_possible', response: 'Pas de vélotypiste disponible.' }).where(eq(accessNeed.category, 'captioning'));
  t.equal((await scheduleDueMails(db, config, clock.now())).alerts, 1, 'and for a « pas possible »');
  t.equal((await scheduleDueMails(db, config, clock.now())).alerts, 0);
  await worker.run();
  const refused = inbox.to('coord@example.org').at(-1)!;
  t.match(refused.parsed.text, /L'organisation a répondu « pas possible » à 1 demande d'aménagement/);
  t.equal((await outboxRows(db, 'organiser_new_needs')).length, 4, 'each late need mailed at once to the organisation (contact address and member)');
});
