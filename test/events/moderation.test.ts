// @databases: pglite
// The coordinator's side over HTTP: the queue, the review page and its decisions, the overview;
// and the organiser's side of a decision (the message, resubmission, cancellation).
import t from 'tap';
import { eq } from 'drizzle-orm';
import { event } from '../../server/db/schema.ts';
import { requestChanges, submit } from '../../server/events/moderation.ts';
import { visibleText } from '../helpers/app.ts';
import { makeEdition, makeEvent, makeOrganisation, makeRegistration, makeTerritory, makeVenue } from '../helpers/factory.ts';
import { eventById, eventsWorld, historyRows, isMarkedInvalid, outboxRows, pageTitle, summaryLinks, unchangedForm, validForm } from './helpers.ts';

t.test('the queue lists the territory’s proposals, the longest-waiting first, with what changed since the last review', async (t) => {
  const w = await eventsWorld(t);
  const { db, clock, coordinator, coordinatorId, memberId } = w;
  const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id };
  const first = await makeEvent(db, refs, { state: 'draft', title: 'Atelier d’écriture' });
  const second = await makeEvent(db, refs, { state: 'draft', title: 'Balade au parc' });
  const answered = await makeEvent(db, refs, { state: 'draft', title: 'Groupe de parole' });
  await makeEvent(db, refs, { state: 'draft', title: 'Brouillon discret' });
  const elsewhere = await makeTerritory(db);
  const otherOrg = await makeOrganisation(db, elsewhere.id);
  await makeEvent(db, { editionId: w.edition.id, territoryId: elsewhere.id, organisationId: otherOrg.id }, { state: 'submitted', title: 'Ailleurs' });

  await submit(db, answered.id, { actorUserId: memberId, now: new Date('2026-09-01T08:00:00Z') });
  await requestChanges(db, answered.id, { actorUserId: coordinatorId, message: 'Ajoutez le lieu exact.', now: new Date('2026-09-02T08:00:00Z') });
  await submit(db, first.id, { actorUserId: memberId, now: new Date('2026-09-03T08:00:00Z') });
  await submit(db, second.id, { actorUserId: memberId, now: new Date('2026-09-04T08:00:00Z') });
  await db.update(event).set({ title: 'Groupe de parole entre pairs', capacity: 12 }).where(eq(event.id, answered.id));
  await submit(db, answered.id, { actorUserId: memberId, now: new Date('2026-09-05T08:00:00Z') });
  clock.set('2026-09-06T08:00:00Z');

  const res = await coordinator.get(`/coordination/${w.territory.id}/propositions`);
  t.equal(res.statusCode, 200);
  t.equal(pageTitle(res.body), `Propositions à relire : ${w.territory.name} – Rassembler`);
  const text = visibleText(res.body);
  t.match(text, '3 propositions attendent votre relecture, la plus ancienne en premier.');
  const order = [...res.body.matchAll(/<h2><a href="\/coordination\/evenements\/(\d+)">/g)].map((m) => Number(m[1]));
  t.same(order, [first.id, second.id, answered.id], 'oldest submission first; other territories and drafts are not there');
  t.match(text, 'Proposé le jeudi 3 septembre 2026 à 10 h 00. Première proposition.');
  t.match(text, 'Proposé le samedi 5 septembre 2026 à 10 h 00. Modifié depuis votre dernière relecture : Titre, Nombre de places.');

  const review = await coordinator.get(`/coordination/evenements/${answered.id}`);
  t.equal(review.statusCode, 200);
  const reviewText = visibleText(review.body);
  t.match(reviewText, 'Ce qui a changé depuis votre dernière relecture');
  t.match(reviewText, 'Champs modifiés depuis la demande de modifications Champ Avant Maintenant Titre Groupe de parole Groupe de parole entre pairs Nombre de places 20 places 12 places');
  t.match(reviewText, 'Modifications demandées — mercredi 2 septembre 2026 à 10 h 00, par Dominique Coordination Ajoutez le lieu exact.');
  const firstReview = await coordinator.get(`/coordination/evenements/${first.id}`);
  t.match(visibleText(firstReview.body), 'Première proposition : la coordination ne l’a pas encore relue.');
});

t.test('publishing from the review page: state, history, mail to the organisation, back to the queue', async (t) => {
  const { db, coordinator, coordinatorId, member, event: ev, organisation } = await eventsWorld(t, { state: 'submitted', publishedAt: null });
  const page = await coordinator.get(`/coordination/evenements/${ev.id}`);
  t.equal(pageTitle(page.body), `Relecture : ${ev.title} – Rassembler`);
  t.match(page.body, `action="/coordination/evenements/${ev.id}/publier"`);
  t.match(page.body, `action="/coordination/evenements/${ev.id}/demander-des-modifications"`);
  t.match(page.body, `action="/coordination/evenements/${ev.id}/refuser"`);
  t.notMatch(page.body, 'outsideEditionApproved', 'no agreement asked for dates inside the edition');

  const res = await coordinator.post(`/coordination/evenements/${ev.id}/publier`, { publishMessage: 'Merci, très belle proposition.' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/coordination/${ev.territoryId}/propositions`);
  t.match(await eventById(db, ev.id), { state: 'published', publishedAt: new Date('2026-09-15T08:00:00Z') });
  t.match(await historyRows(db, ev.id), [{ fromState: 'submitted', toState: 'published', actorUserId: coordinatorId, message: 'Merci, très belle proposition.' }]);
  t.same(
    (await outboxRows(db)).map((m) => [m.kind, m.recipient, m.payload]),
    [
      ['moderation_decision', organisation.contactEmail, { eventId: ev.id, decision: 'published', message: 'Merci, très belle proposition.' }],
      ['moderation_decision', 'membre@asso.example', { eventId: ev.id, decision: 'published', message: 'Merci, très belle proposition.' }],
    ],
  );
  const queue = await coordinator.get(res.headers.location as string);
  t.match(visibleText(queue.body), `« ${ev.title} » est publié. L'organisation est prévenue.`);
  t.match(queue.body, `role="status" aria-live="polite">« ${ev.title} » est publié.`);

  const organiserPage = await member.get(`/espace/evenements/${ev.id}`);
  t.match(visibleText(organiserPage.body), 'État : Publié');
  t.match(organiserPage.body, `href="/evenements/${ev.id}"`);
});

t.test('publishing dates outside the edition needs « J’accepte des dates hors édition »', async (t) => {
  const { db, coordinator, event: ev } = await eventsWorld(t, {
    state: 'submitted',
    publishedAt: null,
    startsAt: new Date('2026-10-20T12:00:00Z'),
    endsAt: new Date('2026-10-20T14:00:00Z'),
  });
  const page = await coordinator.get(`/coordination/evenements/${ev.id}`);
  t.match(visibleText(page.body), 'Les dates sont en dehors de l’édition 2026 (du lundi 5 octobre 2026 au dimanche 18 octobre 2026).');
  t.match(page.body, '<label for="outsideEditionApproved">J’accepte des dates hors édition</label>');

  const refused = await coordinator.post(`/coordination/evenements/${ev.id}/publier`, { publishMessage: 'Bravo' });
  t.equal(refused.statusCode, 422);
  t.equal(pageTitle(refused.body), `Erreur : Relecture : ${ev.title} – Rassembler`);
  t.same(summaryLinks(refused.body), [['#outsideEditionApproved', "Les dates sont en dehors de l'édition 2026 : cochez « J'accepte des dates hors édition » pour publier quand même."]]);
  t.ok(isMarkedInvalid(refused.body, 'outsideEditionApproved'));
  t.match(refused.body, '>Bravo</textarea>', 'the message typed is kept');
  t.equal((await eventById(db, ev.id)).state, 'submitted');

  const ok = await coordinator.post(`/coordination/evenements/${ev.id}/publier`, { outsideEditionApproved: '1' });
  t.equal(ok.statusCode, 303);
  t.match(await eventById(db, ev.id), { state: 'published', outsideEditionApproved: true });
});

t.test('asking for changes: message required; the organiser sees it, edits and resubmits', async (t) => {
  const { db, coordinator, member, event: ev, venue } = await eventsWorld(t, { state: 'submitted', publishedAt: null });
  const empty = await coordinator.post(`/coordination/evenements/${ev.id}/demander-des-modifications`, { changesMessage: '  ' });
  t.equal(empty.statusCode, 422);
  t.same(summaryLinks(empty.body), [['#changesMessage', "Écrivez à l'organisateur·rice ce qu'il faut modifier."]]);
  t.ok(isMarkedInvalid(empty.body, 'changesMessage'));
  t.equal((await eventById(db, ev.id)).state, 'submitted');
  t.same(await outboxRows(db), []);

  const asked = await coordinator.post(`/coordination/evenements/${ev.id}/demander-des-modifications`, { changesMessage: 'Pouvez-vous préciser l’accès depuis le tram ?' });
  t.equal(asked.statusCode, 303);
  t.equal((await eventById(db, ev.id)).state, 'changes_requested');
  t.match(await outboxRows(db), [{ kind: 'moderation_decision', payload: { decision: 'changes_requested', message: 'Pouvez-vous préciser l’accès depuis le tram ?' } }, { kind: 'moderation_decision' }]);

  const page = await member.get(`/espace/evenements/${ev.id}`);
  const text = visibleText(page.body);
  t.match(text, 'État : Modifications demandées');
  t.match(text, 'La coordination vous demande des modifications Pouvez-vous préciser l’accès depuis le tram ? Dominique Coordination, mardi 15 septembre 2026 à 10 h 00');
  t.match(page.body, `href="/espace/evenements/${ev.id}/modifier"`);
  t.match(page.body, `action="/espace/evenements/${ev.id}/soumettre"`);

  const again = await member.post(`/espace/evenements/${ev.id}/soumettre`);
  t.equal(again.statusCode, 303);
  t.equal((await eventById(db, ev.id)).state, 'submitted');
  const twice = await member.post(`/espace/evenements/${ev.id}/soumettre`);
  t.equal(twice.statusCode, 409, 'proposing twice is refused');
  t.match(visibleText(twice.body), "Impossible de proposer à la coordination un événement à l'état « Proposé, en attente de relecture ».");
  void venue;
});

t.test('refusing: message required; a refused event offers no action', async (t) => {
  const { db, coordinator, member, event: ev } = await eventsWorld(t, { state: 'submitted', publishedAt: null });
  const empty = await coordinator.post(`/coordination/evenements/${ev.id}/refuser`, { refuseMessage: '' });
  t.equal(empty.statusCode, 422);
  t.same(summaryLinks(empty.body), [['#refuseMessage', "Écrivez à l'organisateur·rice pourquoi la proposition est refusée."]]);
  t.ok(isMarkedInvalid(empty.body, 'refuseMessage'));
  const refused = await coordinator.post(`/coordination/evenements/${ev.id}/refuser`, { refuseMessage: 'Ce n’est pas en lien avec la santé mentale.' });
  t.equal(refused.statusCode, 303);
  t.equal((await eventById(db, ev.id)).state, 'refused');
  const page = await member.get(`/espace/evenements/${ev.id}`);
  t.match(visibleText(page.body), 'La coordination n’a pas retenu cette proposition Ce n’est pas en lien avec la santé mentale.');
  t.notMatch(page.body, '/soumettre"');
  t.notMatch(page.body, '/modifier"');
  const review = await coordinator.get(`/coordination/evenements/${ev.id}`);
  t.notMatch(review.body, '/publier"', 'no decision left to take');
  const publishAnyway = await coordinator.post(`/coordination/evenements/${ev.id}/publier`, {});
  t.equal(publishAnyway.statusCode, 409);
  t.match(visibleText(publishAnyway.body), "Impossible de publier un événement à l'état « Refusé ».");
});

t.test('a draft cannot be published', async (t) => {
  const { db, coordinator, event: ev } = await eventsWorld(t);
  const res = await coordinator.post(`/coordination/evenements/${ev.id}/publier`, {});
  t.equal(res.statusCode, 409);
  t.match(visibleText(res.body), "Impossible de publier un événement à l'état « Brouillon ».");
  t.equal((await eventById(db, ev.id)).state, 'draft');
});

t.test('cancelling a published event: reason required and shown; registrants are told', async (t) => {
  const { db, coordinator, member, event: ev } = await eventsWorld(t, { state: 'published' });
  await makeRegistration(db, ev.id, { email: 'alice@example.org' });
  const page = await coordinator.get(`/coordination/evenements/${ev.id}`);
  t.match(page.body, `action="/coordination/evenements/${ev.id}/annuler"`);
  const empty = await coordinator.post(`/coordination/evenements/${ev.id}/annuler`, { cancelReason: '' });
  t.equal(empty.statusCode, 422);
  t.same(summaryLinks(empty.body), [['#cancelReason', "Indiquez la raison de l'annulation : elle sera affichée sur la page de l'événement."]]);
  t.ok(isMarkedInvalid(empty.body, 'cancelReason'));
  t.equal((await eventById(db, ev.id)).state, 'published');

  const res = await coordinator.post(`/coordination/evenements/${ev.id}/annuler`, { cancelReason: 'Alerte météo : salle fermée.' });
  t.equal(res.statusCode, 303);
  t.match(await eventById(db, ev.id), { state: 'cancelled', sequence: 1, cancellationReason: 'Alerte météo : salle fermée.' });
  const mails = await outboxRows(db);
  t.match(mails.filter((m) => m.kind === 'event_cancelled'), [{ recipient: 'alice@example.org', payload: { sequence: 1, reason: 'Alerte météo : salle fermée.' } }]);
  t.equal(mails.filter((m) => m.kind === 'moderation_decision').length, 2);
  const organiser = await member.get(`/espace/evenements/${ev.id}`);
  t.match(visibleText(organiser.body), 'Événement annulé Raison affichée au public : Alerte météo : salle fermée.');
});

t.test('the organiser may cancel their published event too, with a reason', async (t) => {
  const { db, member, memberId, event: ev } = await eventsWorld(t, { state: 'published' });
  const page = await member.get(`/espace/evenements/${ev.id}`);
  t.match(visibleText(page.body), 'Annuler l’événement');
  const empty = await member.post(`/espace/evenements/${ev.id}/annuler`, { reason: '' });
  t.equal(empty.statusCode, 422);
  t.equal(pageTitle(empty.body), `Erreur : ${ev.title} – Rassembler`);
  t.same(summaryLinks(empty.body), [['#reason', "Indiquez la raison de l'annulation : elle sera affichée sur la page de l'événement."]]);
  t.ok(isMarkedInvalid(empty.body, 'reason'));
  const res = await member.post(`/espace/evenements/${ev.id}/annuler`, { reason: 'Intervenante malade.' });
  t.equal(res.statusCode, 303);
  t.match(await historyRows(db, ev.id), [{ toState: 'cancelled', actorUserId: memberId, message: 'Intervenante malade.' }]);
});

t.test('the overview: events per day and per commune, proposals waiting, events without accessibility', async (t) => {
  const w = await eventsWorld(t, { state: 'published', title: 'Ciné-débat' });
  const { db, coordinator } = w;
  const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id };
  const echirolles = await makeVenue(db, w.territory.id, w.organisation.id, { commune: 'Échirolles' });
  await makeEvent(db, { ...refs, venueId: echirolles.id }, { title: 'Course solidaire', accessibilityOffered: [], startsAt: new Date('2026-10-06T07:00:00Z'), endsAt: new Date('2026-10-06T09:00:00Z') });
  await makeEvent(db, { ...refs, venueId: null }, { state: 'submitted', title: 'Atelier en ligne', accessibilityOffered: [], onlineUrl: 'https://visio.example.org', startsAt: new Date('2026-10-10T16:00:00Z'), endsAt: new Date('2026-10-10T18:00:00Z') });
  await makeEvent(db, { ...refs, venueId: w.venue.id }, { state: 'changes_requested' });
  await makeEvent(db, { ...refs, venueId: w.venue.id }, { state: 'draft' });
  await makeEvent(db, { ...refs, venueId: w.venue.id }, { state: 'published', title: 'Avant-première', startsAt: new Date('2026-10-02T16:00:00Z'), endsAt: new Date('2026-10-02T18:00:00Z'), outsideEditionApproved: true });

  const res = await coordinator.get(`/coordination/${w.territory.id}`);
  t.equal(res.statusCode, 200);
  t.equal(pageTitle(res.body), `Coordination : ${w.territory.name} – Rassembler`);
  const text = visibleText(res.body);
  t.match(text, 'Édition 2026 — « Pour notre santé mentale, réparons le lien social », du lundi 5 octobre 2026 au dimanche 18 octobre 2026.');
  t.match(text, '1 proposition à relire');
  t.match(text, '1 proposition en attente de modifications par les organisations');
  t.match(text, '3 événements publiés');
  t.match(res.body, '<caption>Événements publiés et à relire, par jour de début</caption>');
  t.match(text, 'vendredi 2 octobre 2026 (hors édition) 1 0');
  t.match(text, 'lundi 5 octobre 2026 0 0');
  t.match(text, 'mardi 6 octobre 2026 2 0');
  t.match(text, 'samedi 10 octobre 2026 0 1');
  t.match(text, 'dimanche 18 octobre 2026 0 0');
  t.match(res.body, '<caption>Événements publiés et à relire, par commune</caption>');
  t.match(text, 'Commune Publiés À relire Échirolles 1 0 Grenoble 2 0 En ligne 0 1');
  t.match(text, 'Événements sans aucun aménagement d’accessibilité');
  t.match(res.body, /<a href="\/coordination\/evenements\/\d+">Course solidaire<\/a> <span class="meta">— Publié, /);
  t.match(text, 'Atelier en ligne — Proposé, en attente de relecture, ', 'proposals without accessibility are listed too, with their state');
  t.notMatch(text, 'Ciné-débat —', 'events offering accessibility are not listed');
  t.match(res.body, `href="/coordination/${w.territory.id}/propositions"`);
});

t.test('with next year’s edition created and empty, the overview opens on this year’s; the year asked for is kept', async (t) => {
  const w = await eventsWorld(t, { state: 'published', title: 'Ciné-débat' });
  await makeEdition(w.db, { year: 2027, theme: 'Thème 2027', firstDay: '2027-10-04', lastDay: '2027-10-17' });
  const current = visibleText((await w.coordinator.get(`/coordination/${w.territory.id}`)).body);
  t.match(current, 'Édition 2026 — « Pour notre santé mentale, réparons le lien social »');
  t.match(current, '1 événement publié');
  const next = await w.coordinator.get(`/coordination/${w.territory.id}?annee=2027`);
  t.match(visibleText(next.body), 'Édition 2027 — « Thème 2027 »');
  t.match(next.body, `<a href="/coordination/${w.territory.id}?annee=2027" aria-current="page">Édition 2027</a>`);
  w.clock.set('2026-11-03T09:00:00Z');
  await w.coordinator.signInAs('coordination@clsm.example');
  t.match(visibleText((await w.coordinator.get(`/coordination/${w.territory.id}`)).body), 'Édition 2027 — « Thème 2027 »', 'once the weeks are over: the next one');
});

t.test('an edit after publication shows in the overview, the review page and the history; the coordination reaches the registrations', async (t) => {
  const w = await eventsWorld(t, { state: 'published', title: 'Ciné-débat', accessibilityOffered: ['lsf', 'wheelchair'] });
  const { db, coordinator, member, clock } = w;
  await makeRegistration(db, w.event.id, { name: 'Alice Martin', email: 'alice@example.org' }, [{ category: 'lsf' }]);

  let overview = visibleText((await coordinator.get(`/coordination/${w.territory.id}`)).body);
  t.match(overview, 'Aucun événement publié n’a été modifié depuis sa publication.');
  t.match((await coordinator.get(`/coordination/${w.territory.id}`)).body, `<a href="/espace/evenements/${w.event.id}/inscriptions">Ciné-débat</a>`);

  clock.advance(3_600_000);
  const saved = await member.post(`/espace/evenements/${w.event.id}/modifier`, unchangedForm(w.event, { title: 'Ciné-débat (nouvelle version)', access: ['wheelchair'], action: 'save' }));
  t.equal(saved.statusCode, 303);
  t.equal((await eventById(db, w.event.id)).sequence, 1, 'withdrawing LSF is announced');
  t.match(await outboxRows(db), [{ kind: 'event_changed', recipient: 'alice@example.org', payload: { changes: { accessibilityOffered: [['lsf', 'wheelchair'], ['wheelchair']] } } }]);

  overview = visibleText((await coordinator.get(`/coordination/${w.territory.id}`)).body);
  t.match(overview, /Événements modifiés depuis leur publication Ciné-débat \(nouvelle version\) — .*, modifié le mardi 15 septembre 2026 à 11 h 00 : [^.]*Titre[^.]*Accessibilité proposée/);

  const review = await coordinator.get(`/coordination/evenements/${w.event.id}`);
  const text = visibleText(review.body);
  t.match(text, /Modifié par l’organisation depuis la publication \(dernière modification le mardi 15 septembre 2026 à 11 h 00\) : [^.]*Titre[^.]*Accessibilité proposée/);
  t.match(text, 'Modification annoncée aux personnes inscrites');
  t.match(text, /Accessibilité proposée : Accès fauteuil \(avant : [^)]*LSF[^)]*\)/);
  t.match(review.body, `href="/espace/evenements/${w.event.id}/inscriptions"`);

  const registrations = await coordinator.get(`/espace/evenements/${w.event.id}/inscriptions`);
  t.equal(registrations.statusCode, 200, 'the coordination may follow the link');
  t.match(visibleText(registrations.body), 'Alice Martin');
});

t.test('a proposal edited during the review: the decision is refused with a 409 and the current version', async (t) => {
  const w = await eventsWorld(t, { state: 'submitted', publishedAt: null, title: 'Balade', updatedAt: new Date('2026-09-14T08:00:00Z') });
  const { db, coordinator, member, clock } = w;
  const page = await coordinator.get(`/coordination/evenements/${w.event.id}`);
  const versions = [...page.body.matchAll(/<input type="hidden" name="version" value="([^"]+)">/g)].map((m) => m[1]);
  t.same(versions, ['2026-09-14T08:00:00.000Z', '2026-09-14T08:00:00.000Z', '2026-09-14T08:00:00.000Z'], 'each decision form carries the version read');

  clock.advance(60_000);
  const edited = await member.post(`/espace/evenements/${w.event.id}/modifier`, validForm(w.venue.id, { title: 'Balade au bord de l’Isère', action: 'save' }));
  t.equal(edited.statusCode, 303);

  const res = await coordinator.post(`/coordination/evenements/${w.event.id}/publier`, { version: versions[0], publishMessage: 'Merci !' });
  t.equal(res.statusCode, 409);
  const text = visibleText(res.body);
  t.same(summaryLinks(res.body), [['#la-proposition', "L'organisation a modifié cet événement pendant votre relecture : relisez la version actuelle ci-dessous avant de décider."]]);
  t.match(text, 'Relecture : Balade au bord de l’Isère', 'the page shows the proposal as it is now');
  t.match(res.body, />Merci !<\/textarea>/, 'what the coordinator wrote is kept');
  t.match(res.body, '<input type="hidden" name="version" value="2026-09-15T08:01:00.000Z">');
  t.match(await eventById(db, w.event.id), { state: 'submitted', title: 'Balade au bord de l’Isère' });
  t.same(await outboxRows(db), []);

  const refused = await coordinator.post(`/coordination/evenements/${w.event.id}/refuser`, { version: versions[2], refuseMessage: 'Hors sujet.' });
  t.equal(refused.statusCode, 409);
  t.equal((await eventById(db, w.event.id)).state, 'submitted');

  const again = await coordinator.post(`/coordination/evenements/${w.event.id}/publier`, { version: '2026-09-15T08:01:00.000Z', publishMessage: 'Merci !' });
  t.equal(again.statusCode, 303);
  t.equal((await eventById(db, w.event.id)).state, 'published');
});
