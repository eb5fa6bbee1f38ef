// @databases: pglite
import t from 'tap';
import { buildTestApp, visibleText } from './app.ts';
import { appUser } from '../../server/db/schema.ts';

t.test('the real app answers on a fresh database, in French, with security headers', async (t) => {
  const { app, agent, db } = await buildTestApp(t);
  const res = await app.inject({ url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<html lang="fr" dir="ltr">/);
  const csp = String(res.headers['content-security-policy']);
  t.match(csp, /(^|;)script-src 'self'(;|$)/, 'scripts from this site only: no inline script, no nonce');
  t.match(csp, /(^|;)style-src 'self'(;|$)/);
  t.notMatch(res.body, /<script(?![^>]*\bsrc=)(?![^>]*application\/ld\+json)/, 'no inline script to allow');
  t.equal(res.headers.vary, 'HX-Request');

  const missing = await app.inject({ url: '/nulle-part' });
  t.equal(missing.statusCode, 404);
  t.match(visibleText(missing.body), /Page introuvable/);

  const a = agent();
  const userId = await a.signInAs('someone@example.org');
  const rows = await db.select().from(appUser);
  t.same(rows.map((r) => r.id), [userId]);
  const home = await a.get('/');
  t.match(home.body, /Se déconnecter/, 'signed-in session is recognised');
});

t.test('a POST without CSRF token is refused with a French page', async (t) => {
  const { agent } = await buildTestApp(t);
  const res = await agent().post('/', {}, { csrf: false });
  t.equal(res.statusCode, 403);
  t.match(visibleText(res.body), /Formulaire expiré/);
});
