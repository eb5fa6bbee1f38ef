// @databases: pglite, postgres
import t from 'tap';
import { eq } from 'drizzle-orm';
import { outbox, session as sessionTable, signInToken } from '../../server/db/schema.ts';
import { purgeSpentCredentials, requestSignIn } from '../../server/accounts/sign-in.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { lastMail, requestLink, signInByLink } from './helpers.ts';

const NOW = '2026-09-15T08:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

t.test('idle timeout: two hours without a request signs out; activity keeps the session', async (t) => {
  const { db, agent, app, clock } = await buildTestApp(t, { now: NOW });
  const a = agent();
  await signInByLink(a, db, 'orga@example.org');
  const sid = app.unsignCookie(a.cookies.get('session')!).value!;

  clock.advance(HOUR + 59 * MINUTE);
  t.equal((await a.get('/espace')).statusCode, 200, 'still signed in after 1 h 59');
  const [row] = await db.select().from(sessionTable).where(eq(sessionTable.sid, sid));
  t.equal(row!.expiresAt.toISOString(), new Date(clock.now().getTime() + 2 * HOUR).toISOString(), 'each request pushes the idle limit');

  clock.advance(HOUR + 59 * MINUTE);
  t.equal((await a.get('/espace')).statusCode, 200, 'still signed in: the last request was 1 h 59 ago');

  clock.advance(2 * HOUR + MINUTE);
  const res = await a.get('/espace');
  t.equal(res.statusCode, 303, 'signed out after 2 h 01 without a request');
  t.equal(res.headers.location, '/connexion?retour=%2Fespace');
});

t.test('absolute timeout: signed out twelve hours after sign-in, however active', async (t) => {
  const { db, agent, clock } = await buildTestApp(t, { now: NOW });
  const a = agent();
  await signInByLink(a, db, 'orga@example.org');
  for (let i = 1; i <= 6; i++) {
    clock.advance(HOUR + 50 * MINUTE);
    t.equal((await a.get('/espace')).statusCode, 200, `active, ${i * 110} minutes after sign-in`);
  }
  clock.advance(HOUR + 50 * MINUTE); // 12 h 50 after sign-in
  const res = await a.get('/espace');
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/connexion?retour=%2Fespace');
  t.equal((await db.select().from(sessionTable)).length, 0, 'the worn-out session row is deleted');
});

t.test('signing in again right when the old session wears out works', async (t) => {
  const { db, agent, clock, config } = await buildTestApp(t, { now: NOW });
  const a = agent();
  await signInByLink(a, db, 'orga@example.org');
  for (let i = 0; i < 6; i++) {
    clock.advance(HOUR + 50 * MINUTE);
    t.equal((await a.get('/espace')).statusCode, 200);
  }
  // A new link asked from another device; used in this browser after the 12 hours are over.
  clock.advance(HOUR + 5 * MINUTE); // 12 h 05 after sign-in, 1 h 05 after the last request
  await requestSignIn(db, { email: 'orga@example.org', now: clock.now(), publicUrl: config.publicUrl });
  const { token } = await lastMail(db, 'sign_in_link', 'orga@example.org');
  clock.advance(MINUTE);
  const res = await a.post('/connexion/lien', { jeton: token });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/espace/a-traiter');
  const home = await a.get('/espace');
  t.equal(home.statusCode, 200, 'a fresh session was started');
  const sessions = await db.select().from(sessionTable);
  t.equal(sessions.length, 1);
  t.equal(sessions[0]!.data.signedInAt, clock.now().toISOString());
});

t.test('per address: at most 5 links in 15 minutes (429, in French), whoever asks', async (t) => {
  const { db, agent, clock } = await buildTestApp(t, { now: NOW });
  for (let i = 0; i < 5; i++) {
    // Different browsers: the limit is on the address, not on a cookie.
    const res = await agent().post('/connexion', { email: i % 2 ? 'Orga@example.org' : 'orga@example.org' });
    t.equal(res.statusCode, 303, `link ${i + 1} sent`);
  }
  const refused = await agent().post('/connexion', { email: 'orga@example.org' });
  t.equal(refused.statusCode, 429);
  t.equal(refused.headers['retry-after'], String(15 * 60));
  t.match(refused.body, /<title>Erreur : Connexion/);
  t.match(visibleText(refused.body), /Plusieurs liens ont déjà été demandés pour cette adresse\. Utilisez le plus récent, ou réessayez dans 15 minutes\./);
  t.match(refused.body, /value="orga@example.org"/);
  t.equal((await db.select().from(outbox)).length, 5, 'no sixth mail');
  t.equal((await db.select().from(signInToken)).length, 5);

  const other = await agent().post('/connexion', { email: 'autre@example.org' });
  t.equal(other.statusCode, 303, 'other addresses are not affected');

  clock.advance(15 * MINUTE + 1000);
  const later = await agent().post('/connexion', { email: 'orga@example.org' });
  t.equal(later.statusCode, 303, 'allowed again once the window has passed');
});

t.test('per IP: at most 10 sign-in requests a minute (429, in French)', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  await a.ensureCsrf();
  for (let i = 0; i < 10; i++) {
    const res = await a.post('/connexion', { email: `personne${i}@example.org` });
    t.equal(res.statusCode, 303);
  }
  const refused = await a.post('/connexion', { email: 'encore@example.org' });
  t.equal(refused.statusCode, 429);
  t.match(visibleText(refused.body), /Trop de demandes en peu de temps\. Merci de réessayer dans \d+ secondes\./);
  t.match(refused.body, /<html lang="fr" dir="ltr">/);
  t.equal((await db.select().from(outbox)).length, 10);
  const fromElsewhere = await a.request({
    method: 'POST',
    url: '/connexion',
    remoteAddress: '192.0.2.7',
    payload: new URLSearchParams({ email: 'encore@example.org', _csrf: a.csrfToken! }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(fromElsewhere.statusCode, 303, 'another address IP is not affected');
});

t.test('behind one proxy (TRUST_PROXY=1): a made-up X-Forwarded-For does not get past the per-IP limit', async (t) => {
  const { agent } = await buildTestApp(t, { now: NOW, env: { TRUST_PROXY: '1' } });
  const a = agent();
  // The client writes any address it likes; the proxy appends the one it saw (203.0.113.5).
  const viaProxy = (i: number) => ({ headers: { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.5` } });
  const answers: number[] = [];
  for (let i = 0; i < 11; i++) answers.push((await a.post('/connexion', { email: `personne${i}@example.org` }, viaProxy(i))).statusCode);
  t.same(answers, [...Array(10).fill(303), 429], 'the eleventh request from 203.0.113.5 is refused');
  const other = await a.post('/connexion', { email: 'autre@example.org' }, { headers: { 'x-forwarded-for': '203.0.113.6' } });
  t.equal(other.statusCode, 303, 'the address the proxy saw is what counts: another one is not affected');
});

t.test('the link page and its POST are rate limited too', async (t) => {
  const { agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  let last = 0;
  for (let i = 0; i < 21; i++) last = (await a.post('/connexion/lien', { jeton: 'x'.repeat(43) })).statusCode;
  t.equal(last, 429);
});

t.test('a requested link, asked while signed in as someone else, signs in the new person', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  await a.signInAs('premiere@example.org');
  const { token } = await requestLink(agent(), db, 'seconde@example.org');
  await a.post('/connexion/lien', { jeton: token });
  const home = await a.get('/espace');
  t.match(visibleText(home.body), /seconde@example.org/);
  t.notMatch(visibleText(home.body), /premiere@example.org/);
});

t.test('signing in and out renews the CSRF secret: a token from before is refused after', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  const { url, token } = await requestLink(a, db, 'jeton@example.org');
  await a.get(url.pathname + url.search);
  const before = { token: a.csrfToken!, cookie: a.cookies.get('csrf')! };
  t.ok(before.token && before.cookie, 'the link page gave a token and its secret');

  const signIn = await a.post('/connexion/lien', { jeton: token });
  t.equal(signIn.statusCode, 303);
  t.match(String(signIn.headers['set-cookie']), /csrf=;/, 'the old secret is cleared');
  const home = await a.get('/espace');
  t.match(visibleText(home.body), 'jeton@example.org');
  t.not(a.cookies.get('csrf'), before.cookie, 'a new secret');
  t.not(a.csrfToken, before.token, 'and a new token');

  // A page left open from before signing in (or a token read by someone else) no longer works.
  const stale = await a.request({
    method: 'POST',
    url: '/espace/profil',
    payload: new URLSearchParams({ name: 'Nom', _csrf: before.token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(stale.statusCode, 403);
  t.match(visibleText(stale.body), /Formulaire expiré/);

  const signedInToken = a.csrfToken!;
  const signOut = await a.post('/deconnexion');
  t.equal(signOut.statusCode, 303);
  t.match(String(signOut.headers['set-cookie']), /csrf=;/, 'signing out clears it too');
  t.equal(a.cookies.get('csrf'), undefined);
  await a.get('/');
  t.not(a.csrfToken, signedInToken);
});

t.test('the purge deletes expired sessions and links used or expired for a day; the rest still works', async (t) => {
  const { db, agent, app, clock } = await buildTestApp(t, { now: NOW });
  const stale = agent();
  await signInByLink(stale, db, 'ancienne@example.org'); // its link is used now
  clock.advance(3 * HOUR);
  const active = agent();
  await signInByLink(active, db, 'active@example.org');
  await requestLink(agent(), db, 'jamais@example.org'); // never used, expires in 10 minutes
  const sidOf = (a: typeof active) => app.unsignCookie(a.cookies.get('session')!).value!;

  const first = await purgeSpentCredentials(db, clock.now());
  t.same(first, { sessions: 1, signInTokens: 0 }, 'the idle session is gone; every link is kept for a day');
  t.same((await db.select({ sid: sessionTable.sid }).from(sessionTable)).map((r) => r.sid), [sidOf(active)]);
  const still = await active.get('/espace');
  t.equal(still.statusCode, 200, 'a live session is untouched');
  t.match(visibleText(still.body), "avec l'adresse active@example.org", 'still signed in as that person');
  t.equal((await db.select().from(signInToken)).length, 3);

  clock.advance(21 * HOUR + MINUTE); // a day and a minute after the first link was used, 21 h after the others
  t.same(await purgeSpentCredentials(db, clock.now()), { sessions: 1, signInTokens: 1 }, 'only the link used more than a day ago');
  t.same((await db.select({ email: signInToken.email }).from(signInToken)).map((r) => r.email).sort(), ['active@example.org', 'jamais@example.org']);

  clock.advance(3 * HOUR + 10 * MINUTE);
  t.same(await purgeSpentCredentials(db, clock.now()), { sessions: 0, signInTokens: 2 }, 'a day later, the used and the expired links go too');
  t.same(await db.select().from(signInToken), []);
  t.same(await db.select().from(sessionTable), []);
});
