// @databases: pglite
// Walks every account, organisation and administration route as the wrong person: another
// organisation's member, a coordinator, a signed-out visitor, a forged form without CSRF token.
import t from 'tap';
import { appUser, edition, membership, organisation, outbox, session as sessionTable, signInToken, territory } from '../../server/db/schema.ts';
import type { Database } from '../../server/db/client.ts';
import { requestSignIn } from '../../server/accounts/sign-in.ts';
import { makeCoordinator, makeEdition, makeMember, makeOrganisation, makeTerritory, makeUser } from '../helpers/factory.ts';
import { buildTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { lastMail } from './helpers.ts';

const NOW = '2026-09-15T08:00:00.000Z';

async function world(app: TestApp) {
  const { db } = app;
  const t1 = await makeTerritory(db, { name: 'CLSM Un' });
  const t2 = await makeTerritory(db, { name: 'CLSM Deux' });
  const ed = await makeEdition(db);
  const orgA = await makeOrganisation(db, t1.id, { name: 'Organisation A' });
  const orgB = await makeOrganisation(db, t1.id, { name: 'Organisation B' });
  const memberA = await makeUser(db, { email: 'membre-a@example.org' });
  const memberB = await makeUser(db, { email: 'membre-b@example.org' });
  const memberB2 = await makeUser(db, { email: 'membre-b2@example.org' });
  await makeMember(db, memberA.id, orgA.id);
  await makeMember(db, memberB.id, orgB.id);
  await makeMember(db, memberB2.id, orgB.id);
  const coordinator = await makeUser(db, { email: 'coord@example.org' });
  await makeCoordinator(db, coordinator.id, t1.id);
  const admin = await makeUser(db, { email: 'admin@example.org', isAdmin: true });
  return { t1, t2, ed, orgA, orgB, memberA, memberB, memberB2, coordinator, admin };
}

type World = Awaited<ReturnType<typeof world>>;
type Route = { method: 'GET' | 'POST'; url: string; form?: Record<string, string> };

function organisationRoutes(orgId: number, memberId: number): Route[] {
  return [
    { method: 'GET', url: `/espace/organisations/${orgId}` },
    { method: 'GET', url: `/espace/organisations/${orgId}/modifier` },
    { method: 'POST', url: `/espace/organisations/${orgId}/modifier`, form: { name: 'Piratée', kind: 'autre' } },
    { method: 'POST', url: `/espace/organisations/${orgId}/invitations`, form: { email: 'intrus@example.org' } },
    { method: 'POST', url: `/espace/organisations/${orgId}/membres/${memberId}/retirer` },
  ];
}

function adminRoutes(w: World): Route[] {
  const territoryForm = { name: 'Territoire pirate', slug: 'pirate', communes: 'Nulle-part', timeZone: 'Europe/Paris' };
  const editionForm = { year: '2030', theme: 'Pirate', firstDay: '2030-10-01', lastDay: '2030-10-10' };
  return [
    { method: 'GET', url: '/admin' },
    { method: 'GET', url: '/admin/territoires/nouveau' },
    { method: 'POST', url: '/admin/territoires/nouveau', form: territoryForm },
    { method: 'GET', url: `/admin/territoires/${w.t1.id}` },
    { method: 'POST', url: `/admin/territoires/${w.t1.id}`, form: territoryForm },
    { method: 'POST', url: `/admin/territoires/${w.t1.id}/coordinations`, form: { email: 'intrus@example.org' } },
    { method: 'POST', url: `/admin/territoires/${w.t1.id}/coordinations/${w.coordinator.id}/retirer` },
    { method: 'GET', url: '/admin/editions/nouvelle' },
    { method: 'POST', url: '/admin/editions/nouvelle', form: editionForm },
    { method: 'GET', url: `/admin/editions/${w.ed.id}` },
    { method: 'POST', url: `/admin/editions/${w.ed.id}`, form: editionForm },
  ];
}

/** Everything these routes could change, to check that a refused request changed nothing. */
async function snapshot(db: Database) {
  const [territories, editions, organisations, memberships, users, mails, tokens] = await Promise.all([
    db.select().from(territory),
    db.select().from(edition),
    db.select().from(organisation),
    db.select().from(membership),
    db.select().from(appUser),
    db.select().from(outbox),
    db.select().from(signInToken),
  ]);
  return JSON.stringify({ territories, editions, organisations, memberships, users, mails, tokens });
}

function call(agent: ReturnType<TestApp['agent']>, route: Route, options: { csrf?: boolean } = {}) {
  return route.method === 'GET' ? agent.get(route.url) : agent.post(route.url, route.form ?? {}, options);
}

t.test("another organisation's member, or its territory's coordinator: 403 on every organisation route, nothing changed", async (t) => {
  const app = await buildTestApp(t, { now: NOW });
  const w = await world(app);
  const before = await snapshot(app.db);
  for (const who of [w.memberA, w.coordinator]) {
    const a = app.agent();
    await a.signInAs(who.email);
    for (const route of organisationRoutes(w.orgB.id, w.memberB2.id)) {
      const res = await call(a, route);
      t.equal(res.statusCode, 403, `${who.email} ${route.method} ${route.url}`);
      t.match(visibleText(res.body), /Vous n'êtes pas membre de cette organisation/);
    }
  }
  t.equal(await snapshot(app.db), before, 'nothing changed');
});

t.test('an organisation that does not exist: 404 on every route; a malformed id too', async (t) => {
  const app = await buildTestApp(t, { now: NOW });
  const w = await world(app);
  const a = app.agent();
  await a.signInAs(w.memberA.email);
  for (const route of [...organisationRoutes(999_999, w.memberA.id), { method: 'GET' as const, url: '/espace/organisations/abc' }, { method: 'GET' as const, url: '/espace/organisations/-1' }]) {
    const res = await call(a, route);
    t.equal(res.statusCode, 404, `${route.method} ${route.url}`);
    t.match(visibleText(res.body), /n'existe pas/);
  }
});

t.test('members reach their own organisation; administrators reach every organisation', async (t) => {
  const app = await buildTestApp(t, { now: NOW });
  const w = await world(app);
  const member = app.agent();
  await member.signInAs(w.memberB.email);
  const admin = app.agent();
  await admin.signInAs(w.admin.email);
  for (const a of [member, admin]) {
    const res = await a.get(`/espace/organisations/${w.orgB.id}`);
    t.equal(res.statusCode, 200);
    t.match(visibleText(res.body), /Organisation B/);
  }
});

t.test('not an administrator: 403 on every /admin route, nothing changed', async (t) => {
  const app = await buildTestApp(t, { now: NOW });
  const w = await world(app);
  const before = await snapshot(app.db);
  for (const who of [w.memberA, w.coordinator]) {
    const a = app.agent();
    await a.signInAs(who.email);
    for (const route of adminRoutes(w)) {
      const res = await call(a, route);
      t.equal(res.statusCode, 403, `${who.email} ${route.method} ${route.url}`);
      t.match(visibleText(res.body), /Cette page est réservée aux administrateur·rices/);
    }
  }
  t.equal(await snapshot(app.db), before, 'nothing changed');
});

t.test('signed out: every page sends to /connexion and back; every POST changes nothing', async (t) => {
  const app = await buildTestApp(t, { now: NOW });
  const w = await world(app);
  const before = await snapshot(app.db);
  const a = app.agent();
  const routes: Route[] = [
    { method: 'GET', url: '/espace' },
    { method: 'POST', url: '/espace/profil', form: { name: 'Intrus' } },
    { method: 'GET', url: '/espace/organisations/nouvelle' },
    { method: 'POST', url: '/espace/organisations/nouvelle', form: { name: 'Intruse', kind: 'autre', territoryId: String(w.t1.id) } },
    ...organisationRoutes(w.orgA.id, w.memberA.id),
    ...adminRoutes(w),
  ];
  for (const route of routes) {
    const res = await call(a, route);
    t.equal(res.statusCode, 303, `${route.method} ${route.url}`);
    const expected = route.method === 'GET' ? `/connexion?retour=${encodeURIComponent(route.url)}` : '/connexion?retour=%2Fespace';
    t.equal(res.headers.location, expected);
  }
  t.equal(await snapshot(app.db), before, 'nothing changed');
});

t.test('every POST route refuses a form without a valid CSRF token (403, in French), nothing changed', async (t) => {
  const app = await buildTestApp(t, { now: NOW });
  const w = await world(app);
  // A valid sign-in link, to show that even it is not consumed by a forged POST.
  await requestSignIn(app.db, { email: 'membre-a@example.org', now: app.clock.now(), publicUrl: app.config.publicUrl });
  const { token } = await lastMail(app.db, 'sign_in_link', 'membre-a@example.org');
  const a = app.agent();
  await a.signInAs(w.admin.email);
  const before = await snapshot(app.db);
  const sessionsBefore = await app.db.select().from(sessionTable);

  const all: Route[] = [
    { method: 'POST', url: '/connexion', form: { email: 'quelquun@example.org' } },
    { method: 'POST', url: '/connexion/lien', form: { jeton: token } },
    { method: 'POST', url: '/deconnexion' },
    { method: 'POST', url: '/espace/profil', form: { name: 'Forgé' } },
    { method: 'POST', url: '/espace/organisations/nouvelle', form: { name: 'Forgée', kind: 'autre', territoryId: String(w.t1.id) } },
    ...organisationRoutes(w.orgB.id, w.memberB2.id),
    ...adminRoutes(w),
  ];
  const routes = all.filter((r) => r.method === 'POST');
  t.equal(routes.length, 14, 'every POST route of the feature');
  for (const route of routes) {
    const missing = await call(a, route, { csrf: false });
    t.equal(missing.statusCode, 403, `no token: ${route.url}`);
    t.match(visibleText(missing.body), /Formulaire expiré/);
    const forged = await a.post(route.url, { ...route.form, _csrf: 'forged-token' }, { csrf: false });
    t.equal(forged.statusCode, 403, `forged token: ${route.url}`);
  }
  t.equal(await snapshot(app.db), before, 'nothing changed');
  t.same(
    (await app.db.select().from(sessionTable)).map((s) => s.sid),
    sessionsBefore.map((s) => s.sid),
    'no session opened or closed',
  );
  t.equal((await a.get('/espace')).statusCode, 200, 'still signed in');

  // The htmx way: the token in the x-csrf-token header is accepted.
  await a.ensureCsrf();
  const htmx = await a.request({
    method: 'POST',
    url: '/espace/profil',
    payload: 'name=Par%20htmx',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': a.csrfToken!, 'hx-request': 'true' },
  });
  t.equal(htmx.statusCode, 303);
});
