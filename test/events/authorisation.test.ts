// @databases: pglite
// Who may do what on the events pages: every organiser and coordinator route walked with another
// organisation's and another territory's ids, signed out, and without a CSRF token.
import t from 'tap';
import type { Database } from '../../server/db/client.ts';
import { event, eventHistory, outbox, venue } from '../../server/db/schema.ts';
import { visibleText, type Agent } from '../helpers/app.ts';
import { makeCoordinator, makeEvent, makeMember, makeOrganisation, makeTerritory, makeUser, makeVenue } from '../helpers/factory.ts';
import { eventsWorld, validForm } from './helpers.ts';

type Route = { method: 'GET' | 'POST'; url: string; form?: Record<string, string | string[]> };

const venueForm = { venueName: 'Salle pirate', venueAddress: '1 rue X', venuePostcode: '38000', venueCommune: 'Grenoble' };

/** Every organiser route, for an organisation, its venue and its events in the states each action needs. */
function organiserRoutes(ids: { org: number; venue: number; draft: number; published: number }): Route[] {
  return [
    { method: 'GET', url: `/espace/organisations/${ids.org}/evenements` },
    { method: 'GET', url: `/espace/organisations/${ids.org}/evenements/nouveau` },
    { method: 'POST', url: `/espace/organisations/${ids.org}/evenements/nouveau`, form: validForm(ids.venue) },
    { method: 'GET', url: `/espace/evenements/${ids.draft}` },
    { method: 'GET', url: `/espace/evenements/${ids.draft}/modifier` },
    { method: 'POST', url: `/espace/evenements/${ids.draft}/modifier`, form: validForm(ids.venue, { title: 'Piraté' }) },
    { method: 'GET', url: `/espace/evenements/${ids.draft}/apercu` },
    { method: 'POST', url: `/espace/evenements/${ids.draft}/soumettre`, form: {} },
    { method: 'POST', url: `/espace/evenements/${ids.published}/annuler`, form: { reason: 'Piraté' } },
    { method: 'GET', url: `/espace/organisations/${ids.org}/lieux` },
    { method: 'GET', url: `/espace/organisations/${ids.org}/lieux/nouveau` },
    { method: 'POST', url: `/espace/organisations/${ids.org}/lieux/nouveau`, form: venueForm },
    { method: 'GET', url: `/espace/organisations/${ids.org}/lieux/${ids.venue}/modifier` },
    { method: 'POST', url: `/espace/organisations/${ids.org}/lieux/${ids.venue}/modifier`, form: venueForm },
  ];
}

function coordinatorRoutes(ids: { territory: number; submitted: number; published: number }): Route[] {
  return [
    { method: 'GET', url: `/coordination/${ids.territory}` },
    { method: 'GET', url: `/coordination/${ids.territory}/propositions` },
    { method: 'GET', url: `/coordination/evenements/${ids.submitted}` },
    { method: 'POST', url: `/coordination/evenements/${ids.submitted}/publier`, form: { outsideEditionApproved: '1' } },
    { method: 'POST', url: `/coordination/evenements/${ids.submitted}/demander-des-modifications`, form: { changesMessage: 'Piraté' } },
    { method: 'POST', url: `/coordination/evenements/${ids.submitted}/refuser`, form: { refuseMessage: 'Piraté' } },
    { method: 'POST', url: `/coordination/evenements/${ids.published}/annuler`, form: { cancelReason: 'Piraté' } },
  ];
}

/** Everything an action could have changed. */
async function snapshot(db: Database) {
  const [events, venues, history, mails] = await Promise.all([
    db.select().from(event).orderBy(event.id),
    db.select().from(venue).orderBy(venue.id),
    db.select().from(eventHistory),
    db.select().from(outbox),
  ]);
  return JSON.stringify({ events, venues, history: history.length, mails: mails.length });
}

/** Two territories: ours (the world of eventsWorld) and theirs, with an organisation, a venue and events. */
async function twoTerritories(t: Parameters<typeof eventsWorld>[0]) {
  const w = await eventsWorld(t);
  const { db } = w;
  const ourRefs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id };
  const ours = {
    org: w.organisation.id,
    venue: w.venue.id,
    territory: w.territory.id,
    draft: w.event.id,
    submitted: (await makeEvent(db, ourRefs, { state: 'submitted' })).id,
    published: (await makeEvent(db, ourRefs, { state: 'published' })).id,
  };
  // Another organisation in our own territory…
  const neighbour = await makeOrganisation(db, w.territory.id);
  const neighbourVenue = await makeVenue(db, w.territory.id, neighbour.id);
  const neighbourRefs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: neighbour.id, venueId: neighbourVenue.id };
  const neighbours = {
    org: neighbour.id,
    venue: neighbourVenue.id,
    draft: (await makeEvent(db, neighbourRefs, { state: 'draft' })).id,
    published: (await makeEvent(db, neighbourRefs, { state: 'published' })).id,
  };
  // …and another territory altogether.
  const elsewhere = await makeTerritory(db);
  const farOrg = await makeOrganisation(db, elsewhere.id);
  const farVenue = await makeVenue(db, elsewhere.id, farOrg.id);
  const farRefs = { editionId: w.edition.id, territoryId: elsewhere.id, organisationId: farOrg.id, venueId: farVenue.id };
  const theirs = {
    org: farOrg.id,
    venue: farVenue.id,
    territory: elsewhere.id,
    draft: (await makeEvent(db, farRefs, { state: 'draft' })).id,
    submitted: (await makeEvent(db, farRefs, { state: 'submitted' })).id,
    published: (await makeEvent(db, farRefs, { state: 'published' })).id,
  };
  return { ...w, ours, neighbours, theirs };
}

async function send(agent: Agent, route: Route, options: { csrf?: boolean } = {}) {
  return route.method === 'GET' ? agent.get(route.url) : agent.post(route.url, route.form ?? {}, options);
}

t.test('a member cannot reach another organisation’s events or venues, in or out of their territory', async (t) => {
  const { db, member, ours, neighbours, theirs } = await twoTerritories(t);
  const before = await snapshot(db);
  const foreign = [
    ...organiserRoutes(neighbours),
    ...organiserRoutes({ ...theirs }),
    // Our organisation in the URL, someone else's venue: still not found.
    { method: 'GET', url: `/espace/organisations/${ours.org}/lieux/${neighbours.venue}/modifier` },
    { method: 'POST', url: `/espace/organisations/${ours.org}/lieux/${theirs.venue}/modifier`, form: venueForm },
  ] satisfies Route[];
  for (const route of foreign) {
    const res = await send(member, route);
    t.ok([403, 404].includes(res.statusCode), `${route.method} ${route.url} → ${res.statusCode}`);
    t.match(visibleText(res.body), res.statusCode === 403 ? 'Accès refusé' : 'Page introuvable');
  }
  t.equal(await snapshot(db), before, 'nothing changed');

  // The same routes with our own ids work: the walk above was refused for the right reason.
  for (const route of organiserRoutes(ours).filter((r) => r.method === 'GET')) {
    const res = await member.get(route.url);
    t.equal(res.statusCode, 200, `GET ${route.url} is ours`);
  }
});

t.test('a coordinator acts only in their territory; a member is no coordinator', async (t) => {
  const { db, coordinator, member, ours, theirs, neighbours } = await twoTerritories(t);
  const before = await snapshot(db);
  for (const route of coordinatorRoutes(theirs)) {
    const res = await send(coordinator, route);
    t.ok([403, 404].includes(res.statusCode), `coordinator: ${route.method} ${route.url} → ${res.statusCode}`);
  }
  for (const route of organiserRoutes(theirs)) {
    const res = await send(coordinator, route);
    t.ok([403, 404].includes(res.statusCode), `coordinator on another territory's organiser page: ${route.method} ${route.url} → ${res.statusCode}`);
  }
  for (const route of coordinatorRoutes(ours)) {
    const res = await send(member, route);
    t.equal(res.statusCode, 403, `member: ${route.method} ${route.url}`);
    t.match(visibleText(res.body), route.url.includes('/evenements/') ? "Cet événement relève de la coordination d'un autre territoire." : 'Cette page est réservée à la coordination de ce territoire.');
  }
  t.equal(await snapshot(db), before, 'nothing changed');

  for (const route of coordinatorRoutes(ours).filter((r) => r.method === 'GET')) {
    t.equal((await coordinator.get(route.url)).statusCode, 200, `GET ${route.url} is theirs`);
  }
  // Coordinators may look at (and fix) the events of their territory from the organiser pages.
  t.equal((await coordinator.get(`/espace/evenements/${neighbours.draft}`)).statusCode, 200);
  // But an organisation's own pages (its list, its venues) stay its members'.
  t.equal((await coordinator.get(`/espace/organisations/${neighbours.org}/lieux`)).statusCode, 403);
});

t.test('unknown or malformed ids are « not found », never an error', async (t) => {
  const { member, coordinator } = await eventsWorld(t);
  for (const url of ['/espace/evenements/999999', '/espace/evenements/abc/modifier', '/espace/organisations/0/lieux', '/espace/organisations/99999999999/evenements/nouveau']) {
    t.equal((await member.get(url)).statusCode, 404, url);
  }
  for (const url of ['/coordination/999999', '/coordination/evenements/999999', '/coordination/x/propositions']) {
    t.equal((await coordinator.get(url)).statusCode, 404, url);
  }
  t.equal((await coordinator.post('/coordination/evenements/999999/publier', {})).statusCode, 404);
});

t.test('an administrator may act everywhere, under their own name', async (t) => {
  const { db, agent: newAgent, theirs } = await twoTerritories(t);
  const agent = newAgent();
  const adminId = await agent.signInAs('admin@rassembler.example', { isAdmin: true });
  for (const route of [...coordinatorRoutes(theirs), ...organiserRoutes(theirs)].filter((r) => r.method === 'GET')) {
    t.equal((await agent.get(route.url)).statusCode, 200, `admin: GET ${route.url}`);
  }
  const res = await agent.post(`/coordination/evenements/${theirs.submitted}/publier`, {});
  t.equal(res.statusCode, 303);
  const [row] = (await db.select().from(eventHistory)).filter((h) => h.eventId === theirs.submitted);
  t.equal(row!.actorUserId, adminId);
});

t.test('signed out, every route sends to the sign-in page and changes nothing', async (t) => {
  const { db, agent: newAgent, ours } = await twoTerritories(t);
  const agent = newAgent();
  const before = await snapshot(db);
  for (const route of [...organiserRoutes(ours), ...coordinatorRoutes(ours)]) {
    const res = await send(agent, route);
    t.equal(res.statusCode, 303, `${route.method} ${route.url}`);
    t.equal(res.headers.location, `/connexion?retour=${encodeURIComponent(route.method === 'GET' ? route.url : '/espace')}`);
  }
  t.equal(await snapshot(db), before);
});

t.test('every POST without its CSRF token is refused and changes nothing', async (t) => {
  const { db, member, coordinator, ours } = await twoTerritories(t);
  await member.ensureCsrf();
  await coordinator.ensureCsrf();
  const before = await snapshot(db);
  const posts = [
    ...organiserRoutes(ours).map((route) => ({ route, agent: member })),
    ...coordinatorRoutes(ours).map((route) => ({ route, agent: coordinator })),
  ].filter(({ route }) => route.method === 'POST');
  t.equal(posts.length, 10, 'every POST of the feature');
  for (const { route, agent } of posts) {
    const res = await send(agent, route, { csrf: false });
    t.equal(res.statusCode, 403, `${route.url} without token`);
    t.match(visibleText(res.body), 'Formulaire expiré');
    const forged = await agent.post(route.url, { ...route.form, _csrf: 'forged-token' }, { csrf: false });
    t.equal(forged.statusCode, 403, `${route.url} with a forged token`);
  }
  t.equal(await snapshot(db), before);
});

t.test('a member of two organisations proposes for each, never across', async (t) => {
  const { db, member, memberId, ours, theirs } = await twoTerritories(t);
  await makeMember(db, memberId, theirs.org);
  const other = await makeUser(db);
  await makeCoordinator(db, other.id, theirs.territory);
  const res = await member.post(`/espace/organisations/${ours.org}/evenements/nouveau`, validForm(theirs.venue));
  t.equal(res.statusCode, 422, "a venue of the member's other organisation is not this one's");
  const ok = await member.post(`/espace/organisations/${theirs.org}/evenements/nouveau`, validForm(theirs.venue));
  t.equal(ok.statusCode, 303);
});
