// @databases: pglite
import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { appUser, outbox, session as sessionTable, signInToken } from '../../server/db/schema.ts';
import { hashToken } from '../../server/lib/tokens.ts';
import { DEMO_ACCOUNTS, seedDemo } from '../../server/demo/seed.ts';
import { makeUser } from '../helpers/factory.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { lastMail, requestLink, signInByLink } from './helpers.ts';

const NOW = '2026-09-15T08:00:00.000Z';

t.test('sign-in by emailed link, from the request to the signed-in home', async (t) => {
  const { db, agent, clock } = await buildTestApp(t, { now: NOW });
  await makeUser(db, { email: 'orga@example.org', name: 'Odile Organise' });
  const a = agent();

  const form = await a.get('/connexion');
  t.equal(form.statusCode, 200);
  t.match(visibleText(form.body), /Pas de mot de passe/);
  t.match(form.body, /<input id="email" name="email" type="email"/);

  const asked = await a.post('/connexion', { email: '  Orga@Example.org ' });
  t.equal(asked.statusCode, 303);
  t.equal(asked.headers.location, '/connexion/envoye');
  const sent = await a.get('/connexion/envoye');
  t.match(visibleText(sent.body), /Si l'adresse saisie est correcte, un lien de connexion vient d'y être envoyé/);
  t.match(visibleText(sent.body), /boîte aux lettres locale/, 'without SMTP, the page says where mails land');

  // The mail is in the outbox with the link; only the hash of the token is stored.
  const mails = await db.select().from(outbox);
  t.equal(mails.length, 1);
  const { row, url, token } = await lastMail(db, 'sign_in_link', 'orga@example.org');
  t.equal(row.status, 'pending');
  t.equal(row.sendAfter.toISOString(), NOW);
  t.equal(url.origin + url.pathname, 'http://localhost:3000/connexion/lien');
  t.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  t.equal(row.payload.expiresAt, '2026-09-15T08:10:00.000Z', 'valid 10 minutes');
  const tokens = await db.select().from(signInToken);
  t.equal(tokens.length, 1);
  t.equal(tokens[0]!.tokenHash, hashToken(token), 'token_hash is the SHA-256 of the token');
  t.equal(tokens[0]!.email, 'orga@example.org');
  t.notOk(JSON.stringify(tokens).includes(token), 'the raw token is not in sign_in_token');
  const dump = await db.execute(sql`select * from sign_in_token, app_user`);
  t.notOk(JSON.stringify(dump).includes(token), 'nor anywhere next to it');

  // Opening the link (as a mail scanner would) only shows a button and consumes nothing.
  for (let i = 0; i < 2; i++) {
    const page = await a.get(url.pathname + url.search);
    t.equal(page.statusCode, 200);
    t.match(visibleText(page.body), /Vous allez vous connecter avec l'adresse orga@example.org/);
    t.match(page.body, /<button type="submit">Me connecter<\/button>/);
    t.equal(page.headers['cache-control'], 'no-store');
  }
  const [untouched] = await db.select().from(signInToken);
  t.equal(untouched!.usedAt, null, 'GET did not use the link');
  t.equal((await db.select().from(sessionTable)).length, 0, 'GET opened no session');

  clock.advance(60_000);
  const signedIn = await a.post('/connexion/lien', { jeton: token });
  t.equal(signedIn.statusCode, 303);
  t.equal(signedIn.headers.location, '/espace/a-traiter');
  const cookie = (signedIn.cookies as Array<{ name: string; httpOnly?: boolean; sameSite?: string }>).find((c) => c.name === 'session');
  t.ok(cookie, 'Set-Cookie: session');
  t.equal(cookie!.httpOnly, true);
  t.equal(cookie!.sameSite, 'Lax');

  const [used] = await db.select().from(signInToken);
  t.equal(used!.usedAt?.toISOString(), '2026-09-15T08:01:00.000Z');
  const [user] = await db.select().from(appUser);
  t.equal(user!.lastSignInAt?.toISOString(), '2026-09-15T08:01:00.000Z');
  const sessions = await db.select().from(sessionTable);
  t.equal(sessions.length, 1);
  t.equal(sessions[0]!.userId, user!.id);
  t.equal(sessions[0]!.data.signedInAt, '2026-09-15T08:01:00.000Z');

  const home = await a.get('/espace');
  t.equal(home.statusCode, 200);
  const text = visibleText(home.body);
  t.match(text, /Mon espace/);
  t.match(text, /Vous êtes connecté·e\./, 'one-time confirmation');
  t.match(text, /en tant que Odile Organise avec l'adresse orga@example.org/);
  t.match(text, /Vous n'êtes membre d'aucune organisation/);
  t.match(text, /Se déconnecter/);
  const again = await a.get('/espace');
  t.notMatch(visibleText(again.body), /Vous êtes connecté·e\./, 'the confirmation is shown once');
});

t.test('a first-time address gets a link; the account is created only when the link is used', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  const { token } = await requestLink(a, db, 'nouvelle@example.org');
  t.equal((await db.select().from(appUser)).length, 0, 'asking creates no account');
  const res = await a.post('/connexion/lien', { jeton: token });
  t.equal(res.statusCode, 303);
  const users = await db.select().from(appUser);
  t.same(
    users.map((u) => [u.email, u.isAdmin]),
    [['nouvelle@example.org', false]],
  );
  const home = await a.get('/espace');
  t.match(visibleText(home.body), /Créer une organisation/);
});

t.test('the answer is the same for a known and an unknown address', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  await makeUser(db, { email: 'connue@example.org' });
  const known = await agent().post('/connexion', { email: 'connue@example.org' });
  const unknown = await agent().post('/connexion', { email: 'inconnue@example.org' });
  t.equal(known.statusCode, unknown.statusCode);
  t.equal(known.headers.location, unknown.headers.location);
  t.equal(known.body, unknown.body);
});

t.test('a bad address is refused with the form, an error summary and the value kept', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  const empty = await a.post('/connexion', { email: '' });
  t.equal(empty.statusCode, 422);
  t.match(empty.body, /<title>Erreur : Connexion – Rassembler<\/title>/);
  t.match(visibleText(empty.body), /Saisissez votre adresse e-mail\./);
  const wrong = await a.post('/connexion', { email: 'pas-une-adresse' });
  t.equal(wrong.statusCode, 422);
  t.match(visibleText(wrong.body), /Votre adresse e-mail n'est pas valide : vérifiez-la \(elle doit ressembler à nom@exemple.fr\)/);
  t.match(wrong.body, /<a href="#email">/, 'the summary links to the field');
  t.match(wrong.body, /value="pas-une-adresse"/);
  t.match(wrong.body, /aria-invalid="true"/);
  t.equal((await db.select().from(outbox)).length, 0);
});

t.test('an expired link is refused (410) and does not sign in', async (t) => {
  const { db, agent, clock } = await buildTestApp(t, { now: NOW });
  const a = agent();
  const { url, token } = await requestLink(a, db, 'orga@example.org');
  clock.advance(11 * 60_000);
  const page = await a.get(url.pathname + url.search);
  t.equal(page.statusCode, 410);
  t.match(visibleText(page.body), /Ce lien de connexion a expiré/);
  t.match(page.body, /href="\/connexion">Demander un nouveau lien/);
  const res = await a.post('/connexion/lien', { jeton: token });
  t.equal(res.statusCode, 410);
  t.match(visibleText(res.body), /Un lien de connexion est valable 10 minutes/);
  t.equal((await db.select().from(sessionTable)).length, 0);
  t.equal((await db.select().from(appUser)).length, 0);
  const home = await a.get('/espace');
  t.equal(home.statusCode, 303);
});

t.test('a link works once: reuse is refused (410)', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  const { token } = await requestLink(a, db, 'orga@example.org');
  const first = await a.post('/connexion/lien', { jeton: token });
  t.equal(first.statusCode, 303);
  const other = agent();
  const second = await other.post('/connexion/lien', { jeton: token });
  t.equal(second.statusCode, 410);
  t.match(visibleText(second.body), /Ce lien de connexion a déjà servi/);
  t.notOk(second.cookies.some((c: { name: string }) => c.name === 'session'));
  const page = await other.get(`/connexion/lien?jeton=${token}`);
  t.equal(page.statusCode, 410, 'the page says so too');
  t.equal((await db.select().from(sessionTable)).length, 1, 'only the first use opened a session');
});

t.test('an altered or made-up token is refused (400)', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  const { token } = await requestLink(a, db, 'orga@example.org');
  const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  for (const jeton of [altered, token.slice(0, 20), 'x'.repeat(43), '', `${token}'--`]) {
    const res = await a.post('/connexion/lien', { jeton });
    t.equal(res.statusCode, 400, `refused: ${JSON.stringify(jeton).slice(0, 20)}`);
    t.match(visibleText(res.body), /Ce lien de connexion n'est pas valide/);
  }
  const page = await a.get(`/connexion/lien?jeton=${altered}`);
  t.equal(page.statusCode, 400);
  const missing = await a.get('/connexion/lien');
  t.equal(missing.statusCode, 400);
  const [row] = await db.select().from(signInToken);
  t.equal(row!.usedAt, null, 'the real link is still usable');
  t.equal((await db.select().from(sessionTable)).length, 0);
});

t.test('signing in issues a new session id (a planted id is worth nothing)', async (t) => {
  const { db, agent, app, clock } = await buildTestApp(t, { now: NOW });
  const a = agent();
  // A session id fixed in the browser before sign-in (e.g. by someone else).
  const planted = 'planted-session-id-0123456789abcdef';
  await db.insert(sessionTable).values({ sid: planted, data: {}, expiresAt: new Date(clock.now().getTime() + 3_600_000) });
  a.cookies.set('session', app.signCookie(planted));

  await signInByLink(a, db, 'orga@example.org');
  const sid = app.unsignCookie(a.cookies.get('session')!).value;
  t.ok(sid);
  t.not(sid, planted, 'new id');
  const rows = await db.select().from(sessionTable);
  t.same(
    rows.map((r) => r.sid),
    [sid],
    'the planted session is gone, the new one holds the user',
  );
  t.ok(rows[0]!.userId);

  // Someone holding the planted id is not signed in.
  const intruder = agent();
  intruder.cookies.set('session', app.signCookie(planted));
  const res = await intruder.get('/espace');
  t.equal(res.statusCode, 303);
});

t.test('after sign-in: back to where the person was going, never to another site', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });

  const guarded = await agent().get('/espace/organisations/nouvelle');
  t.equal(guarded.statusCode, 303);
  t.equal(guarded.headers.location, '/connexion?retour=%2Fespace%2Forganisations%2Fnouvelle');

  const a = agent();
  const form = await a.get('/connexion?retour=%2Fespace%2Forganisations%2Fnouvelle');
  t.match(form.body, /name="retour" value="\/espace\/organisations\/nouvelle"/);
  const { url, token } = await requestLink(a, db, 'orga@example.org', '/espace/organisations/nouvelle');
  t.equal(url.searchParams.get('retour'), '/espace/organisations/nouvelle', 'the link carries the way back');
  const res = await a.post('/connexion/lien', { jeton: token, retour: url.searchParams.get('retour')! });
  t.equal(res.headers.location, '/espace/organisations/nouvelle');

  let n = 0;
  for (const retour of ['//evil.example/x', '/.//evil.example', '/%2e//evil.example', 'https://evil.example/', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', 'espace', '/connexion']) {
    const b = agent();
    const page = await b.get(`/connexion?retour=${encodeURIComponent(retour)}`);
    t.notMatch(page.body, /name="retour"/, `not kept in the form: ${retour}`);
    const link = await requestLink(b, db, `visiteur${++n}@example.org`);
    const signed = await b.post('/connexion/lien', { jeton: link.token, retour });
    t.equal(signed.statusCode, 303);
    t.equal(signed.headers.location, '/espace/a-traiter', `stays on the site: ${retour}`);
    // Already signed in, /connexion sends straight back: the same check applies.
    const again = await b.get(`/connexion?retour=${encodeURIComponent(retour)}`);
    t.equal(again.headers.location, '/espace/a-traiter', `signed in, stays on the site: ${retour}`);
  }
});

t.test('POST /deconnexion ends the session: row deleted, the old cookie no longer works', async (t) => {
  const { db, agent, app } = await buildTestApp(t, { now: NOW });
  const a = agent();
  await signInByLink(a, db, 'orga@example.org');
  const oldCookie = a.cookies.get('session')!;
  const sid = app.unsignCookie(oldCookie).value!;
  t.equal((await db.select().from(sessionTable).where(eq(sessionTable.sid, sid))).length, 1);

  const out = await a.post('/deconnexion');
  t.equal(out.statusCode, 303);
  t.equal(out.headers.location, '/');
  t.equal((await db.select().from(sessionTable).where(eq(sessionTable.sid, sid))).length, 0, 'session row deleted');
  t.notOk(a.cookies.has('session'), 'cookie cleared');
  const home = await a.get('/');
  t.notMatch(home.body, /Se déconnecter/);

  const replay = agent();
  replay.cookies.set('session', oldCookie);
  const res = await replay.get('/espace');
  t.equal(res.statusCode, 303, 'the old cookie is worth nothing');
  t.equal(res.headers.location, '/connexion?retour=%2Fespace');
});

t.test('a signed-in person opening /connexion goes to what needs them (à traiter)', async (t) => {
  const { agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  await a.signInAs('orga@example.org');
  const res = await a.get('/connexion');
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/espace/a-traiter');
});

t.test('every demo account signs in by link and finds its role in its space', async (t) => {
  const { db, agent, clock } = await buildTestApp(t, { now: NOW });
  await seedDemo(db, { now: clock.now(), theme: 'Thème de démonstration' });
  t.ok(DEMO_ACCOUNTS.length >= 3);
  const expected: Record<string, RegExp> = {
    'Administrateur·rice': /Territoires, éditions et coordinations/,
    'Coordinateur·rice': /Vous coordonnez/,
    'Organisateur·rice': /Mes organisations .*— /,
  };
  const seen = new Set<string>();
  for (const account of DEMO_ACCOUNTS) {
    if (seen.has(account.role)) continue; // one of each role is enough (and keeps under the IP limit)
    seen.add(account.role);
    const a = agent();
    await signInByLink(a, db, account.email);
    const home = await a.get('/espace');
    t.equal(home.statusCode, 200, account.email);
    t.match(visibleText(home.body), expected[account.role]!, `${account.role}: ${account.email}`);
  }
  t.equal(seen.size, 3);
});
