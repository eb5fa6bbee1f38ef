// @databases: pglite
// The proposal form over HTTP: what it shows, what it saves, every validation error, and the
// times that the DST changes make nonexistent or ambiguous.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { event, registration } from '../../server/db/schema.ts';
import { visibleText } from '../helpers/app.ts';
import { makeEdition, makeEvent, makeMember, makeOrganisation, makeRegistration, makeVenue } from '../helpers/factory.ts';
import { eventById, eventRows, eventsWorld, historyRows, isMarkedInvalid, outboxRows, pageTitle, summaryLinks, unchangedForm, validForm } from './helpers.ts';

t.test('the empty form shows every field of a proposal, grouped and labelled', async (t) => {
  const { member, organisation, venue } = await eventsWorld(t);
  const res = await member.get(`/espace/organisations/${organisation.id}/evenements/nouveau`);
  t.equal(res.statusCode, 200);
  t.equal(pageTitle(res.body), 'Proposer un événement – Rassembler');
  const text = visibleText(res.body);
  for (const legend of ['L’événement', 'Date et horaires', 'Lieu', 'Nouveau lieu', 'Places et inscriptions', 'Accessibilité', 'Ce que vous proposez', 'Accessibilité du lieu'])
    t.match(res.body, `<legend>${legend}</legend>`, `fieldset « ${legend} »`);
  for (const label of [
    'Titre',
    'Résumé',
    'Description',
    'Résumé facile à lire et à comprendre (FALC)',
    'Type d’événement',
    'Public',
    'Date',
    'Heure de début',
    'Heure de fin',
    'Lieu',
    'Lien pour suivre en ligne',
    'Nombre de places',
    'Entrée libre, sans inscription ni limite de places',
    'Ouverture des inscriptions',
    'Dernier jour pour s’inscrire',
    'Dernier jour pour demander un aménagement',
    'Avertissement sur le contenu',
    'Interprétation LSF',
    'Vélotypie / sous-titrage',
    'Entrée de plain-pied',
  ])
    t.match(text, label);
  t.match(text, 'Heures de CLSM Test');
  t.match(text, '14 jours avant l’événement quand vous proposez l’interprétation LSF ou la vélotypie', 'the default deadline is explained');
  t.match(res.body, `<option value="${venue.id}">${venue.name} (Grenoble)</option>`);
  t.match(res.body, '<option value="new">Nouveau lieu (à décrire ci-dessous)</option>');
  t.match(res.body, '<input type="hidden" name="_csrf"');
  t.match(res.body, 'name="action" value="submit">Proposer à la coordination</button>');
  t.notMatch(res.body, 'name="startOffset"', 'no DST choice unless needed');
});

t.test('saving a draft stores the proposal in the territory’s time and shows it to the organiser', async (t) => {
  const { member, organisation, venue, db, memberId } = await eventsWorld(t);
  const before = (await eventRows(db)).length;
  const res = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, validForm(venue.id));
  t.equal(res.statusCode, 303);
  const rows = await eventRows(db);
  t.equal(rows.length, before + 1);
  const saved = rows.at(-1)!;
  t.equal(res.headers.location, `/espace/evenements/${saved.id}`);
  t.match(saved, {
    state: 'draft',
    title: 'Ciné-débat « Vice-versa »',
    organisationId: organisation.id,
    venueId: venue.id,
    category: 'cine_debat',
    capacity: 40,
    accessibilityOffered: ['lsf', 'quiet_space'],
    easyReadSummary: 'On regarde un film. Puis on parle ensemble.',
    contentNote: 'Le film évoque une hospitalisation.',
  });
  t.same(saved.startsAt, new Date('2026-10-08T16:00:00Z'), '18:00 in Paris, summer time');
  t.same(saved.endsAt, new Date('2026-10-08T18:00:00Z'));
  t.same(saved.registrationOpensAt, new Date('2026-09-19T22:00:00Z'), 'opens at the start of the day');
  t.same(saved.registrationClosesAt, saved.endsAt, 'closing on the day of the event means until it ends');
  t.same(saved.accessRequestDeadline, new Date('2026-09-24T21:59:00Z'), 'default: 14 days before, LSF being offered');
  t.match(await historyRows(db, saved.id), [{ fromState: null, toState: 'draft', actorUserId: memberId }]);

  const page = await member.get(res.headers.location as string);
  const text = visibleText(page.body);
  t.match(text, 'Brouillon enregistré.');
  t.match(text, 'État : Brouillon');
  t.match(text, 'jeudi 8 octobre 2026, 18 h 00 – 20 h 00');
  t.match(text, 'Interprétation LSF');
  t.match(text, 'Brouillon créé');
  t.match(page.body, `action="/espace/evenements/${saved.id}/soumettre"`);
  t.match(page.body, `href="/espace/evenements/${saved.id}/apercu"`);
});

t.test('« Proposer à la coordination » saves and submits at once', async (t) => {
  const { member, organisation, venue, db } = await eventsWorld(t);
  const res = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, validForm(venue.id, { action: 'submit' }));
  t.equal(res.statusCode, 303);
  const saved = (await eventRows(db)).at(-1)!;
  t.equal(saved.state, 'submitted');
  t.same((await historyRows(db, saved.id)).map((h) => h.toState), ['draft', 'submitted']);
  const page = await member.get(`/espace/evenements/${saved.id}`);
  t.match(visibleText(page.body), 'Votre proposition est envoyée à la coordination, qui va la relire.');
  t.match(visibleText(page.body), 'État : Proposé, en attente de relecture');
});

// [what is wrong, fields sent, field id, message]
const INVALID: Array<[string, Record<string, string | string[]>, string, string]> = [
  ['no title', { title: '' }, 'title', "Indiquez le titre de l'événement."],
  ['a title too long', { title: 'x'.repeat(151) }, 'title', 'Le titre ne doit pas dépasser 150 caractères (actuellement 151).'],
  ['no summary', { summary: '' }, 'summary', "Écrivez un résumé de l'événement en une ou deux phrases."],
  ['a summary too long', { summary: 'x'.repeat(401) }, 'summary', 'Le résumé ne doit pas dépasser 400 caractères (actuellement 401).'],
  ['a description too long', { description: 'x'.repeat(10_001) }, 'description', 'La description ne doit pas dépasser 10000 caractères (actuellement 10001).'],
  ['an easy-read summary too long', { easyReadSummary: 'x'.repeat(1_001) }, 'easyReadSummary', 'Le résumé facile à lire ne doit pas dépasser 1000 caractères (actuellement 1001).'],
  ['no category', { category: '' }, 'category', "Choisissez le type d'événement dans la liste."],
  ['an unknown audience', { audience: 'martiens' }, 'audience', 'Choisissez le public dans la liste.'],
  ['no date', { date: '' }, 'date', "Indiquez la date de l'événement."],
  ['a date that does not exist', { date: '31/02/2026' }, 'date', "La date de l'événement n'est pas valide : écrivez-la au format jj/mm/aaaa, par exemple 06/10/2026."],
  ['no start time', { startTime: '' }, 'startTime', "Indiquez l'heure de début, par exemple 14:00."],
  ['a start time past midnight', { startTime: '25:00' }, 'startTime', "L'heure de début n'est pas valide : écrivez-la au format hh:mm, par exemple 14:00."],
  ['no end time', { endTime: '' }, 'endTime', "Indiquez l'heure de fin, par exemple 16:00."],
  ['an end time in another format', { endTime: '20 heures' }, 'endTime', "L'heure de fin n'est pas valide : écrivez-la au format hh:mm, par exemple 16:00."],
  ['an end before the start', { endTime: '17:00' }, 'endTime', "La fin de l'événement doit être après son début."],
  ['an end date before the date', { endDate: '2026-10-07' }, 'endDate', "La date de fin ne peut pas être avant la date de l'événement."],
  ['an end date that does not exist', { endDate: '30/02/2026' }, 'endDate', "La date de fin n'est pas une date valide : écrivez-la au format jj/mm/aaaa, par exemple 22/09/2026."],
  ['no place chosen', { venueId: '' }, 'venueId', 'Choisissez le lieu : un lieu de la liste, « Nouveau lieu », ou « En ligne uniquement ».'],
  ['a venue that is not the organisation’s', { venueId: '999999' }, 'venueId', 'Ce lieu ne fait pas partie des lieux de votre structure. Choisissez-en un dans la liste.'],
  ['a new venue without a name', { venueId: 'new', venueAddress: '1 rue Haxo', venuePostcode: '38000', venueCommune: 'Grenoble' }, 'venueName', 'Indiquez le nom du lieu, par exemple « Médiathèque Jean-Jaurès ».'],
  ['a new venue without an address', { venueId: 'new', venueName: 'Salle Haxo', venuePostcode: '38000', venueCommune: 'Grenoble' }, 'venueAddress', "Indiquez l'adresse du lieu (numéro et rue)."],
  ['a new venue without a postcode', { venueId: 'new', venueName: 'Salle Haxo', venueAddress: '1 rue Haxo', venueCommune: 'Grenoble' }, 'venuePostcode', 'Indiquez le code postal du lieu.'],
  ['a new venue with a wrong postcode', { venueId: 'new', venueName: 'Salle Haxo', venueAddress: '1 rue Haxo', venuePostcode: '380', venueCommune: 'Grenoble' }, 'venuePostcode', 'Le code postal doit avoir 5 chiffres, par exemple 38000.'],
  ['a new venue without a commune', { venueId: 'new', venueName: 'Salle Haxo', venueAddress: '1 rue Haxo', venuePostcode: '38000' }, 'venueCommune', 'Choisissez la commune du lieu dans la liste.'],
  ['a new venue name too long', { venueId: 'new', venueName: 'x'.repeat(151), venueAddress: '1 rue Haxo', venuePostcode: '38000', venueCommune: 'Grenoble' }, 'venueName', 'Le nom du lieu ne doit pas dépasser 150 caractères (actuellement 151).'],
  ['a new venue address too long', { venueId: 'new', venueName: 'Salle Haxo', venueAddress: 'x'.repeat(201), venuePostcode: '38000', venueCommune: 'Grenoble' }, 'venueAddress', "L'adresse ne doit pas dépasser 200 caractères (actuellement 201)."],
  ['a new venue in a commune outside the territory', { venueId: 'new', venueName: 'Salle Haxo', venueAddress: '1 rue Haxo', venuePostcode: '75001', venueCommune: '75001 Paris' }, 'venueCommune', '« 75001 Paris » ne fait pas partie des communes du territoire. Choisissez la commune du lieu dans la liste ; si elle n’y est pas, écrivez à la coordination du territoire.'],
  ['new venue directions too long', { venueId: 'new', venueName: 'Salle Haxo', venueAddress: '1 rue Haxo', venuePostcode: '38000', venueCommune: 'Grenoble', venueDirections: 'x'.repeat(2_001) }, 'venueDirections', "Le texte « Comment s'y rendre » ne doit pas dépasser 2000 caractères (actuellement 2001)."],
  ['online only without a link', { venueId: 'none' }, 'onlineUrl', "Indiquez un lieu, ou un lien pour suivre l'événement en ligne."],
  ['a link that is not a web address', { onlineUrl: 'zoom réunion 123' }, 'onlineUrl', "Le lien en ligne n'est pas une adresse web valide : il doit commencer par https://, par exemple https://visio.exemple.fr/salle."],
  ['neither places nor free entry', { capacity: '' }, 'capacity', 'Indiquez le nombre de places, ou cochez « Entrée libre ».'],
  ['zero places', { capacity: '0' }, 'capacity', 'Le nombre de places doit être un nombre entier supérieur à zéro, par exemple 20.'],
  ['a fraction of a place', { capacity: '12.5' }, 'capacity', 'Le nombre de places doit être un nombre entier supérieur à zéro, par exemple 20.'],
  ['places in words', { capacity: 'vingt' }, 'capacity', 'Le nombre de places doit être un nombre entier supérieur à zéro, par exemple 20.'],
  ['more places than the maximum', { capacity: '100001' }, 'capacity', 'Le nombre de places ne peut pas dépasser 100 000 : pour un événement plus grand, cochez « Entrée libre ».'],
  ['places and free entry', { capacity: '20', freeEntry: '1' }, 'capacity', 'Choisissez : un nombre de places, ou « Entrée libre », mais pas les deux.'],
  ['an opening date that does not exist', { registrationOpens: '2026-13-01' }, 'registrationOpens', "La date d'ouverture des inscriptions n'est pas une date valide : écrivez-la au format jj/mm/aaaa, par exemple 22/09/2026."],
  ['registrations opening after the event', { registrationOpens: '2026-10-09', registrationCloses: '' }, 'registrationOpens', "L'ouverture des inscriptions doit être avant l'événement."],
  ['a closing date that does not exist', { registrationCloses: 'fin septembre' }, 'registrationCloses', "La date de fin des inscriptions n'est pas une date valide : écrivez-la au format jj/mm/aaaa, par exemple 22/09/2026."],
  ['registrations closing before they open', { registrationCloses: '2026-09-19' }, 'registrationCloses', 'La fin des inscriptions doit être après leur ouverture.'],
  ['registrations closing after the event', { registrationCloses: '2026-10-09' }, 'registrationCloses', "Les inscriptions doivent se terminer au plus tard le jour de l'événement."],
  ['a deadline that is not a date', { accessDeadline: 'bientôt' }, 'accessDeadline', "La date limite des demandes n'est pas une date valide : écrivez-la au format jj/mm/aaaa, par exemple 22/09/2026."],
  ['a deadline on the day of the event', { accessDeadline: '2026-10-08' }, 'accessDeadline', "La date limite des demandes d'aménagement doit être avant le jour de l'événement."],
  ['a content note too long', { contentNote: 'x'.repeat(1_001) }, 'contentNote', "L'avertissement sur le contenu ne doit pas dépasser 1000 caractères (actuellement 1001)."],
];

t.test('every validation error: summary link, inline message, aria-invalid, values kept, « Erreur : », 422', async (t) => {
  const { member, organisation, venue, db } = await eventsWorld(t);
  const before = (await eventRows(db)).length;
  for (const [what, overrides, field, message] of INVALID) {
    const form = validForm(venue.id, { title: 'Atelier « Écrire ensemble »', ...overrides });
    const res = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, form);
    t.equal(res.statusCode, 422, `${what}: 422`);
    t.equal(pageTitle(res.body), 'Erreur : Proposer un événement – Rassembler', `${what}: title`);
    t.same(summaryLinks(res.body), [[`#${field}`, message]], `${what}: the summary links to the field`);
    t.match(res.body, 'data-autofocus', `${what}: the summary takes focus`);
    t.ok(isMarkedInvalid(res.body, field), `${what}: the field is marked invalid`);
    t.match(visibleText(res.body), `Erreur : ${message}`, `${what}: the message is shown by the field`);
    if (field !== 'title' && field !== 'description') {
      t.match(res.body, 'value="Atelier « Écrire ensemble »"', `${what}: values are kept`);
      t.match(res.body, '>Le film, puis une discussion animée par deux pair-aidant·es.</textarea>', `${what}: texts are kept`);
    }
    t.match(res.body, /id="access" name="access" value="lsf" checked/, `${what}: ticked boxes stay ticked`);
  }
  t.equal((await eventRows(db)).length, before, 'nothing was saved');
});

t.test('several errors are listed in the order of the form', async (t) => {
  const { member, organisation } = await eventsWorld(t);
  const res = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, { title: '', summary: '', category: '', audience: 'tout_public', venueId: '', date: '', startTime: '', endTime: '' });
  t.equal(res.statusCode, 422);
  t.same(
    summaryLinks(res.body).map(([href]) => href),
    ['#title', '#summary', '#category', '#date', '#startTime', '#endTime', '#venueId', '#capacity'],
  );
  t.match(visibleText(res.body), 'Le formulaire contient 8 erreurs');
});

t.test('another organisation’s venue cannot be slipped into the form', async (t) => {
  const { member, organisation, territory, db } = await eventsWorld(t);
  const other = await makeOrganisation(db, territory.id);
  const foreign = await makeVenue(db, territory.id, other.id);
  const res = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, validForm(foreign.id));
  t.equal(res.statusCode, 422);
  t.same(summaryLinks(res.body), [['#venueId', 'Ce lieu ne fait pas partie des lieux de votre structure. Choisissez-en un dans la liste.']]);
});

t.test('a new venue described in the form is created for the organisation; an online event needs no venue', async (t) => {
  const { member, organisation, db } = await eventsWorld(t);
  const res = await member.post(
    `/espace/organisations/${organisation.id}/evenements/nouveau`,
    validForm('new', { venueName: 'Jardin des Poètes', venueAddress: '3 rue Lesdiguières', venuePostcode: '38 000', venueCommune: 'Grenoble', venueFacts: ['stepFreeEntrance', 'quietRoom'], venueDirections: 'Portail vert.' }),
  );
  t.equal(res.statusCode, 303);
  const saved = (await eventRows(db)).at(-1)!;
  const page = await member.get(`/espace/evenements/${saved.id}`);
  t.match(visibleText(page.body), 'Jardin des Poètes, 3 rue Lesdiguières, 38000 Grenoble');
  t.match(visibleText(page.body), 'Entrée de plain-pied');
  t.match(visibleText(page.body), 'Comment s’y rendre : Portail vert.');
  const venues = await member.get(`/espace/organisations/${organisation.id}/lieux`);
  t.match(visibleText(venues.body), 'Jardin des Poètes');

  const online = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, validForm('none', { onlineUrl: 'https://visio.example.org/sism', capacity: '', freeEntry: '1' }));
  t.equal(online.statusCode, 303);
  t.match((await eventRows(db)).at(-1)!, { venueId: null, onlineUrl: 'https://visio.example.org/sism', capacity: null });
});

t.test('dates outside the edition are saved with a notice: the coordination must agree', async (t) => {
  const { member, organisation, venue, db } = await eventsWorld(t);
  const res = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, validForm(venue.id, { date: '2026-10-22', registrationCloses: '' }));
  t.equal(res.statusCode, 303);
  const page = await member.get(res.headers.location as string);
  const text = visibleText(page.body);
  t.match(text, "Brouillon enregistré. Ses dates sont en dehors de l'édition : la coordination devra les accepter.");
  t.match(text, 'Les dates sont en dehors de l’édition 2026 (du lundi 5 octobre 2026 au dimanche 18 octobre 2026) : la coordination devra les accepter pour publier l’événement.');
  t.equal((await eventRows(db)).at(-1)!.state, 'draft');

  const again = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, validForm(venue.id, { date: '2026-10-22', registrationCloses: '', title: '' }));
  t.equal(again.statusCode, 422);
  t.match(visibleText(again.body), 'Ces dates sont en dehors de l’édition 2026', 'the form warns before saving');
});

t.test('with next year’s edition open too, a proposal goes to the edition of its date; a date of no open edition is refused', async (t) => {
  const { member, organisation, venue, db, edition: current } = await eventsWorld(t);
  const next = await makeEdition(db, { year: 2027, firstDay: '2027-10-04', lastDay: '2027-10-17' });
  const url = `/espace/organisations/${organisation.id}/evenements/nouveau`;
  t.match(
    visibleText((await member.get(url)).body),
    'Semaines d’information sur la santé mentale 2026 : du lundi 5 octobre 2026 au dimanche 18 octobre 2026 ; 2027 : du lundi 4 octobre 2027 au dimanche 17 octobre 2027. L’événement va dans l’édition de sa date.',
  );

  t.equal((await member.post(url, validForm(venue.id))).statusCode, 303);
  t.equal((await eventRows(db)).at(-1)!.editionId, current.id, '8 October 2026: this year’s edition, not the newest one');
  const nextYear = validForm(venue.id, { date: '2027-10-07', registrationOpens: '2027-09-01', registrationCloses: '' });
  t.equal((await member.post(url, nextYear)).statusCode, 303);
  t.equal((await eventRows(db)).at(-1)!.editionId, next.id, '7 October 2027: next year’s');
  t.equal((await member.post(url, validForm(venue.id, { date: '2026-09-26', registrationOpens: '', registrationCloses: '' }))).statusCode, 303);
  t.equal((await eventRows(db)).at(-1)!.editionId, current.id, 'a little before the weeks: its year’s edition, dates to be accepted');

  const before = (await eventRows(db)).length;
  const refused = await member.post(url, validForm(venue.id, { date: '2028-10-05', registrationOpens: '', registrationCloses: '' }));
  t.equal(refused.statusCode, 422);
  const message =
    "Cette date n'appartient à aucune édition ouverte aux propositions : choisissez une date des SISM 2026 (du lundi 5 octobre 2026 au dimanche 18 octobre 2026) ou 2027 (du lundi 4 octobre 2027 au dimanche 17 octobre 2027).";
  t.same(summaryLinks(refused.body), [['#date', message]]);
  t.ok(isMarkedInvalid(refused.body, 'date'));
  t.equal((await eventRows(db)).length, before, 'nothing stored');
});

t.test('a draft moved to next year’s dates follows them to next year’s edition; a published event stays in its own', async (t) => {
  const { member, db, event: draft, edition: current } = await eventsWorld(t);
  const next = await makeEdition(db, { year: 2027, firstDay: '2027-10-04', lastDay: '2027-10-17' });
  const moved = await member.post(`/espace/evenements/${draft.id}/modifier`, unchangedForm(draft, { date: '2027-10-05', registrationOpens: '2027-09-01', accessDeadline: '', action: 'save' }));
  t.equal(moved.statusCode, 303);
  t.equal((await eventById(db, draft.id)).editionId, next.id);
  const nowhere = await member.post(`/espace/evenements/${draft.id}/modifier`, unchangedForm(draft, { date: '2029-10-05', registrationOpens: '', accessDeadline: '', action: 'save' }));
  t.equal(nowhere.statusCode, 422);
  t.match(visibleText(nowhere.body), "Cette date n'appartient à aucune édition ouverte aux propositions");
  t.equal((await eventById(db, draft.id)).editionId, next.id);

  await db.update(event).set({ state: 'published', editionId: current.id, outsideEditionApproved: true }).where(eq(event.id, draft.id));
  const kept = await member.post(`/espace/evenements/${draft.id}/modifier`, unchangedForm(draft, { date: '2026-10-20', accessDeadline: '', action: 'save' }));
  t.equal(kept.statusCode, 303);
  t.equal((await eventById(db, draft.id)).editionId, current.id, 'a published event never changes edition');
});

t.test('duplicating last year’s event: the form filled in, its dates to choose; the copy is a new draft of this year, without registrations', async (t) => {
  const { member, coordinator, organisation, territory, venue, db, agent, edition: current } = await eventsWorld(t);
  const registrationsOf = (eventId: number) => db.select().from(registration).where(eq(registration.eventId, eventId));
  const last = await makeEdition(db, { year: 2025, firstDay: '2025-10-06', lastDay: '2025-10-19', proposalsOpen: false });
  const source = await makeEvent(
    db,
    { editionId: last.id, territoryId: territory.id, organisationId: organisation.id, venueId: venue.id },
    { title: 'Balade sensorielle au parc', startsAt: new Date('2025-10-08T08:30:00Z'), endsAt: new Date('2025-10-08T10:00:00Z'), capacity: 15, accessibilityOffered: ['wheelchair', 'quiet_space'] },
  );
  await makeRegistration(db, source.id, { name: 'Inès Inscrite' });
  const copyUrl = `/espace/organisations/${organisation.id}/evenements/nouveau?copie=${source.id}`;

  const page = await member.get(`/espace/evenements/${source.id}`);
  t.match(page.body, `<a class="button button-secondary" href="${copyUrl}">Dupliquer<span class="visually-hidden"> « Balade sensorielle au parc »</span></a>`);
  const form = await member.get(copyUrl);
  t.equal(form.statusCode, 200);
  t.equal(pageTitle(form.body), 'Dupliquer « Balade sensorielle au parc » – Rassembler');
  t.match(visibleText(form.body), 'Une copie de « Balade sensorielle au parc » (édition 2025), à relire. Choisissez ses dates : rien n’est enregistré avant « Enregistrer le brouillon », rien n’est publié sans la relecture de la coordination, et les inscriptions ne sont pas copiées.');
  t.match(form.body, 'value="Balade sensorielle au parc"');
  t.match(form.body, /<input[^>]*id="date"[^>]*value=""/, 'the date is left to choose');
  t.match(form.body, /<input[^>]*id="startTime"[^>]*value="10:30"/, 'the same hours');
  t.match(form.body, `<option value="${venue.id}" selected>`);
  t.match(form.body, `action="/espace/organisations/${organisation.id}/evenements/nouveau"`);
  t.equal((await eventRows(db)).length, 2, 'opening the copy saves nothing');

  const saved = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, {
    ...validForm(venue.id, { title: 'Balade sensorielle au parc', capacity: '15', access: ['wheelchair', 'quiet_space'], startTime: '10:30', endTime: '12:00', date: '2026-10-07', registrationOpens: '', registrationCloses: '' }),
  });
  t.equal(saved.statusCode, 303);
  const copy = (await eventRows(db)).at(-1)!;
  t.match(copy, { title: 'Balade sensorielle au parc', state: 'draft', publishedAt: null, editionId: current.id, organisationId: organisation.id, venueId: venue.id, capacity: 15 });
  t.same(await registrationsOf(copy.id), [], 'registrations are not copied');
  t.equal((await registrationsOf(source.id)).length, 1);
  t.match(await eventById(db, source.id), { editionId: last.id, title: 'Balade sensorielle au parc', state: 'published' }, 'the original is untouched');

  // Only the organisation's own events, only by its members.
  t.notMatch((await coordinator.get(`/espace/evenements/${source.id}`)).body, 'copie=', 'the coordination proposes nothing for the organisation');
  t.equal((await coordinator.get(copyUrl)).statusCode, 403);
  const otherOrganisation = await makeOrganisation(db, territory.id);
  const stranger = agent();
  const strangerId = await stranger.signInAs('autre@asso.example');
  await makeMember(db, strangerId, otherOrganisation.id);
  t.equal((await stranger.get(copyUrl)).statusCode, 403, 'another organisation’s page');
  t.equal((await stranger.get(`/espace/organisations/${otherOrganisation.id}/evenements/nouveau?copie=${source.id}`)).statusCode, 404, 'another organisation’s event');
  t.equal((await member.get(`/espace/organisations/${organisation.id}/evenements/nouveau?copie=abc`)).statusCode, 404);
});

t.test('a time skipped by the spring DST change is refused with an explanation', async (t) => {
  const { member, organisation, venue, db } = await eventsWorld(t);
  const before = (await eventRows(db)).length;
  const res = await member.post(
    `/espace/organisations/${organisation.id}/evenements/nouveau`,
    validForm(venue.id, { date: '2026-03-29', startTime: '02:30', endTime: '04:00', registrationOpens: '', registrationCloses: '' }),
  );
  t.equal(res.statusCode, 422);
  t.same(summaryLinks(res.body), [
    ['#startTime', "Le dimanche 29 mars 2026 à 2 h 30 n'existe pas : au passage à l'heure d'été, les horloges sautent une heure. Choisissez une autre heure de début."],
  ]);
  t.ok(isMarkedInvalid(res.body, 'startTime'));
  t.match(res.body, 'value="02:30"', 'the time typed is kept');
  t.equal((await eventRows(db)).length, before);
});

t.test('a time repeated by the autumn DST change asks which one, and accepts the choice', async (t) => {
  const { member, organisation, venue, db } = await eventsWorld(t);
  const form = validForm(venue.id, { date: '2026-10-25', startTime: '02:30', endTime: '04:00', registrationOpens: '', registrationCloses: '' });
  const res = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, form);
  t.equal(res.statusCode, 422);
  t.same(summaryLinks(res.body), [
    ['#startOffset', "Le dimanche 25 octobre 2026 à 2 h 30 existe deux fois : au passage à l'heure d'hiver, les horloges reviennent une heure en arrière. Choisissez l'heure de début voulue."],
  ]);
  t.match(visibleText(res.body), 'Quelle heure de début, au changement d’heure ?');
  t.match(res.body, /<input type="radio" id="startOffset" name="startOffset" value="120" aria-invalid="true">\s*<label for="startOffset">2 h 30 heure d&#39;été \(UTC\+2\)<\/label>/);
  t.match(res.body, /<input type="radio" id="startOffset-2" name="startOffset" value="60" aria-invalid="true">\s*<label for="startOffset-2">2 h 30 heure d&#39;hiver \(UTC\+1\)<\/label>/);
  t.notMatch(res.body, 'name="endOffset"', '04:00 happens once: no question about the end');

  const winter = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, { ...form, startOffset: '60' });
  t.equal(winter.statusCode, 303);
  const saved = (await eventRows(db)).at(-1)!;
  t.same(saved.startsAt, new Date('2026-10-25T01:30:00Z'), 'the second 2:30, winter time');
  t.same(saved.endsAt, new Date('2026-10-25T03:00:00Z'));

  const summer = await member.post(`/espace/organisations/${organisation.id}/evenements/nouveau`, { ...form, startOffset: '120' });
  t.equal(summer.statusCode, 303);
  t.same((await eventRows(db)).at(-1)!.startsAt, new Date('2026-10-25T00:30:00Z'), 'the first 2:30, summer time');

  // Editing keeps the reading that was chosen.
  const edit = await member.get(`/espace/evenements/${saved.id}/modifier`);
  t.match(edit.body, /name="startOffset" value="60" checked/);
  const resaved = await member.post(`/espace/evenements/${saved.id}/modifier`, { ...form, startOffset: '60', title: 'Nuit blanche' });
  t.equal(resaved.statusCode, 303);
  t.match(await eventById(db, saved.id), { title: 'Nuit blanche', startsAt: new Date('2026-10-25T01:30:00Z') });
});

t.test('editing: the form comes back filled in, and saves', async (t) => {
  const { member, event: ev, venue, db } = await eventsWorld(t, {
    state: 'changes_requested',
    publishedAt: null,
    accessRequestDeadline: new Date('2026-09-20T21:59:00Z'),
    registrationOpensAt: null,
    capacity: null,
  });
  const res = await member.get(`/espace/evenements/${ev.id}/modifier`);
  t.equal(res.statusCode, 200);
  t.equal(pageTitle(res.body), `Modifier « ${ev.title} » – Rassembler`);
  t.match(res.body, `value="${ev.title}"`);
  t.match(res.body, 'value="2026-10-06"');
  t.match(res.body, 'value="14:00"');
  t.match(res.body, 'value="16:00"');
  t.match(res.body, `<option value="${venue.id}" selected>`);
  t.match(res.body, 'id="freeEntry" name="freeEntry" value="1" checked');
  t.match(res.body, 'id="accessDeadline" name="accessDeadline" type="date" value="2026-09-20"', 'a deadline chosen by the organiser');
  t.match(res.body, /id="access" name="access" value="lsf" checked/);
  t.match(res.body, /id="access-wheelchair" name="access" value="wheelchair" checked/);
  t.match(res.body, 'Enregistrer sans envoyer');

  const saved = await member.post(`/espace/evenements/${ev.id}/modifier`, validForm(venue.id, { action: 'submit', title: 'Nouveau titre' }));
  t.equal(saved.statusCode, 303);
  t.match(await eventById(db, ev.id), { title: 'Nouveau titre', state: 'submitted', sequence: 0 });
  t.same(await outboxRows(db), []);

  const invalid = await member.post(`/espace/evenements/${ev.id}/modifier`, validForm(venue.id, { capacity: '-3' }));
  t.equal(invalid.statusCode, 422);
  t.equal(pageTitle(invalid.body), 'Erreur : Modifier « Nouveau titre » – Rassembler');
});

t.test('a default access-request deadline follows the event when it moves; a chosen one stays', async (t) => {
  // Tuesday 6 October with LSF: the default is the end of Tuesday 22 September, Paris time.
  const { member, event: ev, venue, db } = await eventsWorld(t, { state: 'draft', publishedAt: null, accessRequestDeadline: new Date('2026-09-22T21:59:00Z'), registrationOpensAt: null });
  const edit = await member.get(`/espace/evenements/${ev.id}/modifier`);
  t.match(edit.body, 'id="accessDeadline" name="accessDeadline" type="date" value=""', 'the default is shown as left empty, as the hint explains');
  t.match(visibleText(edit.body), 'Si vous laissez vide : 14 jours avant l’événement');

  const form = { date: '2026-10-13', startTime: '14:00', endTime: '16:00', registrationOpens: '', registrationCloses: '', accessDeadline: '', access: ['lsf', 'wheelchair'], action: 'draft' };
  t.equal((await member.post(`/espace/evenements/${ev.id}/modifier`, validForm(venue.id, form))).statusCode, 303);
  t.same((await eventById(db, ev.id)).accessRequestDeadline, new Date('2026-09-29T21:59:00Z'), 'a week later, the deadline too');

  t.equal((await member.post(`/espace/evenements/${ev.id}/modifier`, validForm(venue.id, { ...form, accessDeadline: '2026-09-25' }))).statusCode, 303);
  t.match((await member.get(`/espace/evenements/${ev.id}/modifier`)).body, 'id="accessDeadline" name="accessDeadline" type="date" value="2026-09-25"');
  t.equal((await member.post(`/espace/evenements/${ev.id}/modifier`, validForm(venue.id, { ...form, date: '2026-10-15', accessDeadline: '2026-09-25' }))).statusCode, 303);
  t.same((await eventById(db, ev.id)).accessRequestDeadline, new Date('2026-09-25T21:59:00Z'), 'a chosen deadline does not move');
});

t.test('editing a published event: a change of time is announced to registrants, a typo only goes to the history', async (t) => {
  const { member, event: ev, venue, db } = await eventsWorld(t, { state: 'published' });
  const { makeRegistration } = await import('../helpers/factory.ts');
  await makeRegistration(db, ev.id, { email: 'alice@example.org' });
  const form = unchangedForm(ev);
  const edit = await member.get(`/espace/evenements/${ev.id}/modifier`);
  t.match(visibleText(edit.body), 'Cet événement est publié. Si vous changez la date, les horaires, le lieu ou le lien en ligne, ou si vous retirez un aménagement d’accessibilité, les personnes inscrites recevront un message');
  t.match(edit.body, 'Enregistrer les modifications');
  t.notMatch(edit.body, 'value="submit"');

  const typo = await member.post(`/espace/evenements/${ev.id}/modifier`, { ...form, summary: 'Un moment convivial pour se retrouver.', action: 'save' });
  t.equal(typo.statusCode, 303);
  t.match(await eventById(db, ev.id), { sequence: 0, summary: 'Un moment convivial pour se retrouver.', state: 'published' });
  t.same(await outboxRows(db), []);
  const afterTypo = visibleText((await member.get(`/espace/evenements/${ev.id}`)).body);
  t.match(afterTypo, 'Modifié après publication', 'the typo is in the history');
  t.match(afterTypo, 'Champs modifiés : Résumé');
  t.match(afterTypo, 'Résumé : Un moment convivial pour se retrouver. (avant : Un moment convivial pour se rencontrer.)');

  const moved = await member.post(`/espace/evenements/${ev.id}/modifier`, { ...form, startTime: '15:00', endTime: '17:00', action: 'save' });
  t.equal(moved.statusCode, 303);
  t.match(await eventById(db, ev.id), { sequence: 1, startsAt: new Date('2026-10-06T13:00:00Z') });
  t.match(await outboxRows(db), [{ kind: 'event_changed', recipient: 'alice@example.org', payload: { sequence: 1 } }]);
  const page = await member.get(`/espace/evenements/${ev.id}`);
  const text = visibleText(page.body);
  t.match(text, 'Modifications enregistrées. Les personnes inscrites vont être prévenues du changement.');
  t.match(text, 'Modification annoncée aux personnes inscrites');
  t.match(text, 'Début : mardi 6 octobre 2026 à 15 h 00 (avant : mardi 6 octobre 2026 à 14 h 00)');
  t.match(page.body, `href="/espace/evenements/${ev.id}/inscriptions"`);
});

t.test('refused and cancelled events cannot be edited', async (t) => {
  const { member, event: ev, venue, db } = await eventsWorld(t, { state: 'refused', publishedAt: null });
  const res = await member.get(`/espace/evenements/${ev.id}/modifier`);
  t.equal(res.statusCode, 409);
  t.match(visibleText(res.body), 'Cet événement est « Refusé » : il ne peut plus être modifié.');
  const post = await member.post(`/espace/evenements/${ev.id}/modifier`, validForm(venue.id, { title: 'Ressuscité' }));
  t.equal(post.statusCode, 409);
  t.equal((await eventById(db, ev.id)).title, ev.title);
  const page = await member.get(`/espace/evenements/${ev.id}`);
  t.notMatch(page.body, `href="/espace/evenements/${ev.id}/modifier"`, 'no edit button');
});
