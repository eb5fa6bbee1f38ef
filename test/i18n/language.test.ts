// @databases: pglite
// The language of a request: URL prefix, the switch, Accept-Language as a first guess, links and
// redirects that keep the language, caches kept per language.
import t from 'tap';
import { buildTestApp } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { acceptedLanguage } from '../../server/plugins/language.ts';
import { inLanguage, tHtml } from '../../server/i18n/index.ts';

const HTML = { accept: 'text/html,application/xhtml+xml' };

t.test('Accept-Language: the best language the site has, by weight then by order', async (t) => {
  t.equal(acceptedLanguage('en-GB,en;q=0.9,fr;q=0.8')?.code, 'en');
  t.equal(acceptedLanguage('fr-FR,fr;q=0.9,en;q=0.8')?.code, 'fr');
  t.equal(acceptedLanguage('de-DE,en;q=0.5,fr;q=0.7')?.code, 'fr');
  t.equal(acceptedLanguage('de,es'), undefined);
  t.equal(acceptedLanguage('en;q=0,fr;q=0.1')?.code, 'fr');
  t.equal(acceptedLanguage(undefined), undefined);
});

t.test('tHtml escapes markup in values, not the slashes of an address', async (t) => {
  const html = inLanguage('en', () => tHtml('common:time.withZone', { text: 'https://a.example/b?c=1&d=<2>', zone: 'x' }));
  t.equal(html, 'https://a.example/b?c=1&amp;d=&lt;2&gt; (x)');
});

t.test('/en/… is the same page in English: lang, Content-Language, links and forms kept in English', async (t) => {
  const { app, db } = await buildTestApp(t);
  await makeWorld(db);
  const res = await app.inject({ url: '/en/programme', headers: HTML });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-language'], 'en');
  t.match(res.body, '<html lang="en" dir="ltr">');
  t.match(res.body, '>Skip to content</a>');
  t.notMatch(res.body, 'Aller au contenu');
  t.match(res.body, 'href="/en/comment-s-inscrire"', 'site links carry the prefix');
  t.match(res.body, 'href="/static/css/site.css"', 'static files do not');
  t.match(res.body, '<link rel="alternate" hreflang="fr" href="http://localhost:3000/programme">');
  t.match(res.body, '<link rel="alternate" hreflang="en" href="http://localhost:3000/en/programme">');
  t.match(res.body, 'href="/langue/fr?retour=%2Fprogramme"', 'the switch back to French');
  t.match(res.body, /<span aria-current="true" lang="en" dir="ltr">English<\/span>/);
  t.match(res.body, 'type="application/json" href="http://localhost:3000/en/programme.json"', 'the open data of the English page is the English file');
  const home = await app.inject({ url: '/en', headers: HTML });
  t.equal(home.statusCode, 200, '/en alone is the English home page');
  t.match(home.body, '<html lang="en"');
});

t.test('without a prefix: French, unless the browser or an earlier choice asks for English', async (t) => {
  const { app, db } = await buildTestApp(t);
  await makeWorld(db);
  const french = await app.inject({ url: '/programme?jour=', headers: { ...HTML, 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' } });
  t.equal(french.statusCode, 200);
  t.match(french.body, '<html lang="fr"');
  t.match(String(french.headers.vary), /Accept-Language/);
  t.match(String(french.headers.vary), /Cookie/);

  const guessed = await app.inject({ url: '/programme?jour=', headers: { ...HTML, 'accept-language': 'en-US,en;q=0.9' } });
  t.equal(guessed.statusCode, 302);
  t.equal(guessed.headers.location, '/en/programme?jour=');

  const feed = await app.inject({ url: '/programme.ics', headers: { 'accept-language': 'en-US' } });
  t.not(feed.statusCode, 302, 'a feed is never redirected: it has no page to choose from');

  const chosen = await app.inject({ url: '/langue/fr?retour=/en/programme', headers: HTML });
  t.equal(chosen.statusCode, 303);
  t.equal(chosen.headers.location, '/programme');
  const cookie = chosen.cookies.find((c) => c.name === 'langue');
  t.equal(cookie?.value, 'fr');
  t.equal(cookie?.sameSite, 'Lax');
  const kept = await app.inject({ url: '/programme', headers: { ...HTML, 'accept-language': 'en-US' }, cookies: { langue: 'fr' } });
  t.equal(kept.statusCode, 200, 'the choice of French outranks the browser');
  t.match(kept.body, '<html lang="fr"');
  const remembered = await app.inject({ url: '/comment-s-inscrire', headers: HTML, cookies: { langue: 'en' } });
  t.equal(remembered.statusCode, 302);
  t.equal(remembered.headers.location, '/en/comment-s-inscrire');
});

t.test('the switch only goes back to this site', async (t) => {
  const { app } = await buildTestApp(t);
  for (const back of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
    const res = await app.inject({ url: `/langue/en?retour=${encodeURIComponent(back)}` });
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/en/', back);
  }
  const unknown = await app.inject({ url: '/langue/xx?retour=/programme' });
  t.equal(unknown.statusCode, 303);
  t.equal(unknown.headers.location, '/programme');
  t.equal(unknown.cookies.length, 0, 'an unknown language is not remembered');
});

t.test('a redirect after a form in English stays in English', async (t) => {
  const { app } = await buildTestApp(t);
  // The sign-in page sends the signed-out visitor of a team page there, with a 303.
  const res = await app.inject({ url: '/en/espace' });
  t.equal(res.statusCode, 303);
  t.match(res.headers.location, /^\/en\/connexion/);
});

t.test('cached public pages are kept per language', async (t) => {
  const { app, db } = await buildTestApp(t);
  await makeWorld(db);
  const fr1 = await app.inject({ url: '/programme' });
  const en1 = await app.inject({ url: '/en/programme' });
  const fr2 = await app.inject({ url: '/programme' });
  t.match(fr1.body, '<html lang="fr"');
  t.match(en1.body, '<html lang="en"');
  t.match(en1.body, 'Skip to content');
  t.equal(fr2.body, fr1.body, 'French still served from its own entry');
});
