// @databases: pglite
// The organiser's other pages: the preview (the public template), the list of events, and the
// venues (list, add, edit, with every validation error).
import t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { venue } from '../../server/db/schema.ts';
import { visibleText } from '../helpers/app.ts';
import { makeEvent, makeRegistration } from '../helpers/factory.ts';
import { eventById, eventsWorld, isMarkedInvalid, outboxRows, pageTitle, summaryLinks } from './helpers.ts';

t.test('the preview shows a draft exactly as the public page will', async (t) => {
  const { member, event: ev, app } = await eventsWorld(t, { state: 'draft', publishedAt: null, title: 'Atelier « Peindre ensemble »', contentNote: 'Peinture à l’huile : odeurs fortes.' });
  const res = await member.get(`/espace/evenements/${ev.id}/apercu`);
  t.equal(res.statusCode, 200);
  t.equal(pageTitle(res.body), 'Aperçu : Atelier « Peindre ensemble » – Rassembler');
  const text = visibleText(res.body);
  t.match(text, 'Aperçu de la page publique de « Atelier « Peindre ensemble » » (état : Brouillon) : voici ce que le public verra une fois l’événement publié.');
  t.match(res.body, '<h1>Atelier « Peindre ensemble »');
  t.match(text, 'Mardi 6 octobre 2026, 14 h 00 – 16 h 00');
  t.match(text, 'Peinture à l’huile : odeurs fortes.');
  t.match(text, 'Interprétation LSF');
  const publicPage = await app.inject({ url: `/evenements/${ev.id}` });
  t.equal(publicPage.statusCode, 404, 'the draft itself is not public');
});

t.test('the preview of a published event is the public page', async (t) => {
  const { member, event: ev, app } = await eventsWorld(t, { state: 'published' });
  const preview = await member.get(`/espace/evenements/${ev.id}/apercu`);
  const publicPage = await app.inject({ url: `/evenements/${ev.id}` });
  t.equal(publicPage.statusCode, 200);
  const article = (html: string) => /<article class="event-page">[\s\S]*?<\/article>/.exec(html)?.[0];
  t.ok(article(publicPage.body));
  t.equal(article(preview.body), article(publicPage.body), 'the same article, word for word');
});

t.test('the organisation’s list of events, soonest first, with their state', async (t) => {
  const w = await eventsWorld(t, { state: 'published', title: 'Ciné-débat' });
  const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id };
  await makeEvent(w.db, refs, { state: 'changes_requested', title: 'Balade', startsAt: new Date('2026-10-05T08:00:00Z'), endsAt: new Date('2026-10-05T10:00:00Z') });
  const res = await w.member.get(`/espace/organisations/${w.organisation.id}/evenements`);
  t.equal(res.statusCode, 200);
  t.equal(pageTitle(res.body), `Événements de ${w.organisation.name} – Rassembler`);
  t.match(visibleText(res.body), /Balade lundi 5 octobre 2026, 10 h 00 – 12 h 00 Salle \d+, Grenoble Modifications demandées : à reprendre Ciné-débat mardi 6 octobre 2026/);
  t.match(res.body, `href="/espace/organisations/${w.organisation.id}/evenements/nouveau"`);
});

t.test('venues: list, add with every validation error, edit', async (t) => {
  const { member, organisation, db, venue: existing } = await eventsWorld(t);
  const list = await member.get(`/espace/organisations/${organisation.id}/lieux`);
  t.equal(list.statusCode, 200);
  t.match(visibleText(list.body), `${existing.name} ${existing.address}, 38000 Grenoble Entrée de plain-pied Modifier`);

  const form = await member.get(`/espace/organisations/${organisation.id}/lieux/nouveau`);
  t.equal(pageTitle(form.body), 'Ajouter un lieu – Rassembler');
  const url = `/espace/organisations/${organisation.id}/lieux/nouveau`;
  const valid = { venueName: 'Médiathèque Kateb-Yacine', venueAddress: '202 Grand’Place', venuePostcode: '38100', venueCommune: 'Grenoble', venueFacts: ['stepFreeEntrance', 'inductionLoop'], venueDirections: 'Entrée côté parvis.' };
  const cases: Array<[Record<string, string | string[]>, string, string]> = [
    [{ venueName: '' }, 'venueName', 'Indiquez le nom du lieu, par exemple « Médiathèque Jean-Jaurès ».'],
    [{ venueName: 'x'.repeat(151) }, 'venueName', 'Le nom du lieu ne doit pas dépasser 150 caractères (actuellement 151).'],
    [{ venueAddress: '' }, 'venueAddress', "Indiquez l'adresse du lieu (numéro et rue)."],
    [{ venuePostcode: '' }, 'venuePostcode', 'Indiquez le code postal du lieu.'],
    [{ venuePostcode: '3800A' }, 'venuePostcode', 'Le code postal doit avoir 5 chiffres, par exemple 38000.'],
    [{ venueCommune: '' }, 'venueCommune', 'Choisissez la commune du lieu dans la liste.'],
    [{ venueCommune: '75001 Paris' }, 'venueCommune', '« 75001 Paris » ne fait pas partie des communes du territoire. Choisissez la commune du lieu dans la liste ; si elle n’y est pas, écrivez à la coordination du territoire.'],
    [{ venueDirections: 'x'.repeat(2001) }, 'venueDirections', "Le texte « Comment s'y rendre » ne doit pas dépasser 2000 caractères (actuellement 2001)."],
  ];
  for (const [overrides, field, message] of cases) {
    const res = await member.post(url, { ...valid, ...overrides });
    t.equal(res.statusCode, 422, field);
    t.equal(pageTitle(res.body), 'Erreur : Ajouter un lieu – Rassembler');
    t.same(summaryLinks(res.body), [[`#${field}`, message]]);
    t.ok(isMarkedInvalid(res.body, field), `${field} marked invalid`);
    if (field !== 'venueName') t.match(res.body, 'value="Médiathèque Kateb-Yacine"', 'values kept');
    t.match(res.body, /id="venueFacts-inductionLoop" name="venueFacts" value="inductionLoop" checked/, 'facts kept');
  }
  const added = await member.post(url, valid);
  t.equal(added.statusCode, 303);
  t.equal(added.headers.location, `/espace/organisations/${organisation.id}/lieux`);
  const [row] = await db.select().from(venue).where(eq(venue.name, 'Médiathèque Kateb-Yacine'));
  t.match(row, { organisationId: organisation.id, postcode: '38100', stepFreeEntrance: true, inductionLoop: true, quietRoom: false, accessDirections: 'Entrée côté parvis.' });
  const after = await member.get(added.headers.location as string);
  t.match(visibleText(after.body), 'Le lieu « Médiathèque Kateb-Yacine » est ajouté.');

  const edit = await member.get(`/espace/organisations/${organisation.id}/lieux/${row!.id}/modifier`);
  t.equal(pageTitle(edit.body), 'Modifier le lieu « Médiathèque Kateb-Yacine » – Rassembler');
  t.match(edit.body, 'value="202 Grand’Place"');
  t.match(edit.body, /id="venueFacts" name="venueFacts" value="stepFreeEntrance" checked/);
  const saved = await member.post(`/espace/organisations/${organisation.id}/lieux/${row!.id}/modifier`, { ...valid, venueFacts: ['quietRoom'] });
  t.equal(saved.statusCode, 303);
  const [updated] = await db.select().from(venue).where(eq(venue.id, row!.id));
  t.match(updated, { stepFreeEntrance: false, inductionLoop: false, quietRoom: true });
  const invalid = await member.post(`/espace/organisations/${organisation.id}/lieux/${row!.id}/modifier`, { ...valid, venueCommune: '' });
  t.equal(invalid.statusCode, 422);
  t.equal((await db.select().from(venue).orderBy(asc(venue.id))).length, 2);
});

t.test('moving a venue tells the people registered for its published events', async (t) => {
  const { member, organisation, db, venue: v, event: ev } = await eventsWorld(t, { state: 'published' });
  await makeRegistration(db, ev.id, { email: 'alice@example.org' });
  const res = await member.post(`/espace/organisations/${organisation.id}/lieux/${v.id}/modifier`, {
    venueName: v.name,
    venueAddress: '5 place Saint-Bruno',
    venuePostcode: '38000',
    venueCommune: 'Grenoble',
    venueFacts: ['stepFreeEntrance'],
  });
  t.equal(res.statusCode, 303);
  const page = await member.get(res.headers.location as string);
  t.match(visibleText(page.body), `Le lieu « ${v.name} » est modifié. Les personnes inscrites aux événements publiés qui s'y tiennent (1) vont être prévenues du changement.`);
  t.equal((await eventById(db, ev.id)).sequence, 1);
  t.match(await outboxRows(db), [{ kind: 'event_changed', recipient: 'alice@example.org' }]);
});
