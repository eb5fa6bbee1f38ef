// @databases: pglite
// Mails to the people who run the programme: sign-in links, invitations, moderation decisions.
// Sent by the real worker to a real SMTP server; their links are followed in the real app.
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeMember, makeUser, makeWorld } from '../helpers/factory.ts';
import { queueInvitation } from '../../server/accounts/sign-in.ts';
import { publish, requestChanges, submit } from '../../server/events/moderation.ts';
import { linksOf, mailWith, outboxRows, startInbox, workerFor } from './helpers.ts';

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t, { now: '2026-09-15T08:00:00Z' });
  const inbox = await startInbox(t);
  return { ...app, inbox, worker: workerFor(t, app, inbox) };
}

t.test('sign-in link: sent to the address, the link opens the sign-in page and signs in', async (t) => {
  const { db, inbox, worker, agent } = await setup(t);
  const browser = agent();
  const asked = await browser.post('/connexion', { email: 'Orga@Example.org' });
  t.equal(asked.statusCode, 303);
  t.same(await worker.run(), { claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });

  const mail = mailWith(inbox, 'orga@example.org', 'Votre lien de connexion à Rassembler');
  t.match(mail.parsed.text, /Pour vous connecter à Rassembler, ouvrez ce lien avant le mardi 15 septembre 2026 à 10 h \d\d \(heure de Paris\)\. Il ne sert qu'une fois\./);
  t.match(mail.parsed.text, /Si ce n'est pas vous, ignorez-le/);
  const [link] = linksOf(mail).filter((l) => l.includes('/connexion/lien'));
  t.ok(link, 'the sign-in link');
  t.match(visibleText(String(mail.parsed.html)), /Me connecter/);

  const url = new URL(link!);
  const page = await browser.get(url.pathname + url.search);
  t.equal(page.statusCode, 200, 'opening the link only shows a page (mail scanners open links)');
  t.match(visibleText(page.body), /Vous allez vous connecter avec l'adresse orga@example\.org/);
  const signedIn = await browser.post('/connexion/lien', { jeton: url.searchParams.get('jeton')! });
  t.equal(signedIn.statusCode, 303);
  const home = await browser.get('/espace');
  t.equal(home.statusCode, 200, 'signed in');
});

t.test('a sign-in link that expired before it could be sent is not sent (marked with a note)', async (t) => {
  const { db, clock, inbox, worker, agent } = await setup(t);
  await agent().post('/connexion', { email: 'tard@example.org' });
  clock.advance(11 * 60_000); // SMTP was down longer than the link lives
  t.same(await worker.run(), { claimed: 1, sent: 0, skipped: 1, retried: 0, failed: 0 });
  t.equal(inbox.mails.length, 0);
  const [row] = await outboxRows(db, 'sign_in_link');
  t.equal(row!.status, 'sent');
  t.equal(row!.lastError, 'non envoyé : lien expiré avant envoi');
});

t.test('invitation to an organisation: names who invites and where, the link opens the sign-in page', async (t) => {
  const { db, config, clock, inbox, worker, app } = await setup(t);
  const world = await makeWorld(db);
  const inviter = await makeUser(db, { name: 'Nadia Coordination' });
  await queueInvitation(db, { email: 'nouvelle@example.org', now: clock.now(), publicUrl: config.publicUrl, invitedByUserId: inviter.id, organisationId: world.organisation.id });
  await worker.run();
  const mail = mailWith(inbox, 'nouvelle@example.org', `Invitation à rejoindre ${world.organisation.name} sur Rassembler`);
  t.match(mail.parsed.text, new RegExp(`Nadia Coordination vous invite à rejoindre ${world.organisation.name} sur Rassembler`));
  t.match(mail.parsed.text, /Ce lien est valable jusqu'au/);
  const [link] = linksOf(mail).filter((l) => l.includes('/connexion/lien'));
  const url = new URL(link!);
  const page = await app.inject({ url: url.pathname + url.search });
  t.equal(page.statusCode, 200);
  t.match(visibleText(page.body), /nouvelle@example\.org/);
});

t.test('moderation decisions go to the organisation (contact and members) with the coordinator message', async (t) => {
  const { db, clock, inbox, worker, agent } = await setup(t);
  const world = await makeWorld(db, { state: 'submitted', title: 'Portes ouvertes du GEM', publishedAt: null });
  const member = await makeUser(db, { email: 'membre@example.org' });
  await makeMember(db, member.id, world.organisation.id);
  const coordinator = await makeUser(db);

  await requestChanges(db, world.event.id, { actorUserId: coordinator.id, now: clock.now(), message: "Précisez l'accès en fauteuil, s'il vous plaît." });
  await worker.run();
  for (const to of [world.organisation.contactEmail!, 'membre@example.org']) {
    const mail = mailWith(inbox, to, 'Modifications demandées : Portes ouvertes du GEM');
    t.match(mail.parsed.text, /vous demande des modifications avant de la publier/);
    t.match(mail.parsed.text, /« Précisez l'accès en fauteuil, s'il vous plaît\. »/);
    t.ok(linksOf(mail).includes(`http://localhost:3000/espace/evenements/${world.event.id}`), 'a link to the event in the organiser space');
    t.notOk(linksOf(mail).includes(`http://localhost:3000/evenements/${world.event.id}`), 'no link to a public page that does not exist yet');
    t.match(mail.parsed.text, `L'événement dans votre espace (pas encore publié) : http://localhost:3000/espace/evenements/${world.event.id}`);
    t.match(String(mail.parsed.html), `<a href="http://localhost:3000/espace/evenements/${world.event.id}" style="color:#1f4d3d;">Portes ouvertes du GEM</a>`);
  }
  const organiser = agent();
  await organiser.signInAs('membre@example.org');
  for (const link of linksOf(mailWith(inbox, 'membre@example.org', 'Modifications demandées : Portes ouvertes du GEM')).filter((l) => l.startsWith('http://localhost:3000/'))) {
    t.equal((await organiser.get(new URL(link).pathname)).statusCode, 200, `the member can open ${link}`);
  }

  // Submitted again by the organisation (state moves back), then published.
  await submit(db, world.event.id, { actorUserId: member.id, now: clock.now() });
  await publish(db, world.event.id, { actorUserId: coordinator.id, now: clock.now() });
  await worker.run();
  const published = mailWith(inbox, 'membre@example.org', 'Votre événement est publié : Portes ouvertes du GEM');
  t.match(published.parsed.text, /la coordination a publié votre événement/);
  t.match(visibleText(String(published.parsed.html)), /Voir l'événement dans mon espace/);
  t.match(published.parsed.text, `Page de l'événement : http://localhost:3000/evenements/${world.event.id}`, 'once published: its public page');
  t.equal((await agent().get(`/evenements/${world.event.id}`)).statusCode, 200);
});
