// @databases: pglite
// What the mails tell a registered person beyond the confirmation itself (issue 15): needs left out
// for want of consent, no invite nor reminder while waiting, the real number of days in a reminder,
// the time zone of an event overseas. Sent by the real worker to a real SMTP server.
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { manageTokenSentTo } from '../helpers/manage-link.ts';
import { makeEdition, makeEvent, makeOrganisation, makeRegistration, makeTerritory, makeVenue, makeWorld } from '../helpers/factory.ts';
import { scheduleDueMails } from '../../server/registrations/mails-schedule.ts';
import { register } from '../../server/registrations/register.ts';
import { person } from '../registrations/helpers.ts';
import { inviteOf, linksOf, mailWith, startInbox, workerFor } from './helpers.ts';

async function setup(t: Parameters<typeof buildTestApp>[0], now = '2026-09-15T08:00:00Z') {
  const app = await buildTestApp(t, { now });
  const inbox = await startInbox(t);
  const worker = workerFor(t, app, inbox);
  return { ...app, inbox, worker };
}

t.test('needs ticked without consent: the confirmation mail says they were not recorded, with the link to add them', async (t) => {
  const { agent, db, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { title: 'Ciné-débat' });
  const res = await agent().post(`/evenements/${world.event.id}/inscription`, { nom: 'Yanis', email: 'yanis@example.org', places: '1', besoins: 'lsf' });
  t.equal(res.statusCode, 303);
  await worker.run();
  const mail = mailWith(inbox, 'yanis@example.org', 'Inscription confirmée : Ciné-débat');
  const text = mail.parsed.text ?? '';
  t.match(text, /Attention : vos besoins d'accessibilité n'ont pas été enregistrés, car la case d'accord n'était pas cochée\./);
  t.match(text, /ne prévoit donc aucun aménagement pour vous \(pas d'interprète, par exemple\)/);
  t.notMatch(text, /Les aménagements demandés/, 'no need listed');
  const add = linksOf(mail).find((l) => l.endsWith('#besoins-titre'));
  t.ok(add, 'a link to the needs part of the manage page');
  t.match(visibleText(String(mail.parsed.html)), /Attention : vos besoins d'accessibilité n'ont pas été enregistrés/);
  const page = await agent().get(new URL(add!).pathname);
  t.equal(page.statusCode, 200, 'the link opens the manage page');
  t.match(visibleText(page.body), /Modifier mes besoins d'accessibilité/);

  // With the consent given, nothing of the kind.
  await agent().post(`/evenements/${world.event.id}/inscription`, { nom: 'Zoé', email: 'zoe@example.org', places: '1', besoins: 'lsf', consentement: '1' });
  await worker.run();
  t.notMatch(mailWith(inbox, 'zoe@example.org', 'Inscription confirmée : Ciné-débat').parsed.text, /n'ont pas été enregistrés/);
});

t.test('a waitlisted person is told no invite and no reminder come until they get a seat', async (t) => {
  const app = await setup(t);
  const { agent, db, clock, inbox, worker } = app;
  const world = await makeWorld(db, { capacity: 1, title: 'Balade' });
  await register(db, clock.now(), world.event.id, person({ email: 'premiere@example.org' }));
  const res = await agent().post(`/evenements/${world.event.id}/inscription`, { nom: 'Seconde', email: 'seconde@example.org', places: '1' });
  t.equal(res.statusCode, 303);
  const page = await agent().get(`/inscription/${await manageTokenSentTo(app, 'seconde@example.org')}/confirmation`);
  t.match(visibleText(page.body), "L'invitation à ajouter à votre agenda et le rappel ne viendront que si une place vous est attribuée.");
  t.notMatch(visibleText(page.body), 'Un rappel suivra', 'the page does not promise a reminder');
  await worker.run();
  const mail = mailWith(inbox, 'seconde@example.org', "Liste d'attente : Balade");
  t.match(mail.parsed.text, /Tant que vous êtes sur liste d'attente, vous ne recevez ni invitation d'agenda ni rappel avant l'événement\./);
  t.equal(inviteOf(mail), null);
});

t.test('registered again with the same address: the link again, saying nothing changed (decision 0014)', async (t) => {
  const { agent, db, clock, inbox, worker } = await setup(t);
  const world = await makeWorld(db, { capacity: 1, title: 'Balade' });
  await register(db, clock.now(), world.event.id, person({ email: 'premiere@example.org' }));
  await agent().post(`/evenements/${world.event.id}/inscription`, { nom: 'Seconde', email: 'seconde@example.org', places: '1' });
  await worker.run();
  t.equal(inbox.to('seconde@example.org').length, 1, 'her waiting-list mail');
  const again = await agent().post(`/evenements/${world.event.id}/inscription`, { nom: 'Seconde', email: 'seconde@example.org', places: '2' });
  t.equal(again.statusCode, 303);
  await worker.run();
  const [, resent] = inbox.to('seconde@example.org');
  t.equal(resent!.parsed.subject, "Liste d'attente : Balade");
  const sentence = "Une nouvelle demande d'inscription à cet événement vient d'être faite avec les mêmes coordonnées. Votre inscription n'a pas changé et aucune seconde inscription n'a été créée. Pour ajouter des places ou des besoins, utilisez le lien en bas de ce message.";
  t.match(resent!.parsed.text, sentence);
  t.match(visibleText(String(resent!.parsed.html)), sentence);
  t.match(resent!.parsed.text, /L'événement est complet : votre inscription est sur liste d'attente, en position 1\./, 'still one seat, still first in line');
  t.ok(linksOf(resent!).some((l) => /\/inscription\/[\w-]{43}$/.test(l)), 'with her manage link');
});

t.test('a reminder sent late counts the days from when it is sent', async (t) => {
  // The worker was down: at 10:00 two days before, the closest reminder due is the 7-day one.
  const { db, config, clock, inbox, worker } = await setup(t, '2026-10-04T08:00:00Z');
  const world = await makeWorld(db, { title: 'Sortie au musée' }); // Tuesday 6 October, 14:00 Paris
  await makeRegistration(db, world.event.id, { email: 'ines@example.org', createdAt: new Date('2026-09-10T10:00:00Z') });
  t.equal((await scheduleDueMails(db, config, clock.now())).reminders, 1);
  await worker.run();
  const mail = mailWith(inbox, 'ines@example.org', 'Rappel : Sortie au musée, dans 2 jours');
  t.match(mail.parsed.text, /a lieu dans 2 jours\./);

  // Queued the day before but sent only on the day: « aujourd'hui ».
  await makeRegistration(db, world.event.id, { email: 'jour@example.org', createdAt: new Date('2026-09-10T10:00:00Z') });
  clock.set('2026-10-05T08:00:00Z');
  await scheduleDueMails(db, config, clock.now());
  clock.set('2026-10-06T06:00:00Z');
  await worker.run();
  mailWith(inbox, 'jour@example.org', "Rappel : Sortie au musée, aujourd'hui");
});

t.test('an event in La Réunion: the mails give its times with the zone, as the pages do', async (t) => {
  const { db, clock, inbox, worker } = await setup(t);
  const reunion = await makeTerritory(db, { timeZone: 'Indian/Reunion' });
  const ed = await makeEdition(db);
  const org = await makeOrganisation(db, reunion.id);
  const venue = await makeVenue(db, reunion.id, org.id);
  const ev = await makeEvent(db, { editionId: ed.id, territoryId: reunion.id, organisationId: org.id, venueId: venue.id }, { title: 'Atelier à Saint-Denis', startsAt: new Date('2026-10-08T05:00:00Z'), endsAt: new Date('2026-10-08T07:00:00Z') });
  await register(db, clock.now(), ev.id, person({ email: 'reunion@example.org' }));
  await worker.run();
  const mail = mailWith(inbox, 'reunion@example.org', 'Inscription confirmée : Atelier à Saint-Denis');
  t.match(mail.parsed.text, /Quand : jeudi 8 octobre 2026, 09 h 00 – 11 h 00 \(heure de La Réunion\)/);
  t.match(visibleText(String(mail.parsed.html)), /09 h 00 – 11 h 00 \(heure de La Réunion\)/);
});
