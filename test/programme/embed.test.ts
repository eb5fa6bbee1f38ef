// @databases: pglite, postgres
// The programme beyond the site: the territory filter (page and calendar feed), the embedded
// programme (the only pages other sites may frame) and « Intégrer le programme ».
import t from 'tap';
import { eq } from 'drizzle-orm';
import { event, territory } from '../../server/db/schema.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeCoordinator, makeUser } from '../helpers/factory.ts';
import { signInByLink } from '../accounts/helpers.ts';
import { parseFeed } from '../calendar/parse.ts';
import { PUBLIC_2026, makeProgramme } from './world.ts';

const { app, db, agent } = await buildTestApp(t);
const w = await makeProgramme(db);

const get = (url: string) => app.inject({ url });
/** The titles listed, in page order, with the attributes of their links. */
const links = (html: string) => [...html.matchAll(/<h3 class="event-title"><a href="(\/evenements\/\d+)"([^>]*)>([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!, attributes: m[2]!, title: m[3]!.replace(/&#39;/g, "'") }));
const titles = (html: string) => links(html).map((l) => l.title);
const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const REUNION = ['Conférence : réparer le lien social', 'Veillée sous les étoiles'];

t.test('the territory filter: on the page, with its chip and its field, and in the calendar feed', async (t) => {
  const res = await get(`/programme?territoire=${w.reunion.slug}&page=1`);
  t.equal(res.statusCode, 200);
  t.same(titles(res.body), REUNION);
  const text = visibleText(res.body);
  t.match(text, '2 événements correspondent à vos filtres');
  t.match(res.body, /<title>Programme 2026, CLSM Saint-Denis de La Réunion – Rassembler<\/title>/);
  t.match(res.body, /<li class="tag">Territoire : CLSM Saint-Denis de La Réunion <a href="\/programme" class="no-print">Retirer/);
  // The field: both territories of the edition, the chosen one selected.
  const field = res.body.slice(res.body.indexOf('<select id="filtre-territoire"'), res.body.indexOf('</select>', res.body.indexOf('filtre-territoire')));
  t.match(res.body, '<label for="filtre-territoire">Territoire</label>');
  t.match(field, `<option value="${w.isere.slug}">CLSM Grenoble-Alpes</option>`);
  t.match(field, `<option value="${w.reunion.slug}" selected>CLSM Saint-Denis de La Réunion</option>`);
  // With another filter, in the canonical order; the feed gets the same filters.
  const both = await get(`/programme?access=lsf&territoire=${w.isere.slug}`);
  t.same(titles(both.body), ['Ciné-débat : « Le Cyclone intérieur »']);
  t.match(both.body, `/programme/agenda.ics?territoire=${w.isere.slug}&amp;access=lsf`);

  const unknown = await get('/programme?territoire=atlantide');
  t.match(visibleText(unknown.body), "Aucun événement du programme n'a lieu sur le territoire « atlantide » : ce filtre est ignoré.");
  t.match(visibleText(unknown.body), `${PUBLIC_2026} événements au programme`);

  const feed = await get(`/programme/agenda.ics?territoire=${w.reunion.slug}`);
  t.equal(feed.statusCode, 200);
  t.same(parseFeed(feed.body).events.map((e) => e.summary).sort(), [...REUNION].sort());
  const feedBoth = await get(`/programme/agenda.ics?territoire=${w.isere.slug}&access=lsf`);
  t.same(parseFeed(feedBoth.body).events.map((e) => e.summary), ['Ciné-débat : « Le Cyclone intérieur »']);
  const refused = await get('/programme/agenda.ics?territoire=atlantide');
  t.equal(refused.statusCode, 400, 'a feed refuses a filter it cannot apply');
  t.match(refused.body, 'atlantide');
});

t.test('the embedded programme: light, the same filters and pages, events open on the site', async (t) => {
  const res = await get(`/integrer/programme?territoire=${w.reunion.slug}`);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'text/html');
  t.notMatch(res.body, 'site-header', 'no site header');
  t.notMatch(res.body, 'Navigation principale', 'no menu');
  t.notMatch(res.body, '<form', 'no form');
  t.match(res.body, '<h1 class="embedded-title">Programme 2026, CLSM Saint-Denis de La Réunion</h1>');
  t.match(visibleText(res.body), '2 événements Sélection : Territoire : CLSM Saint-Denis de La Réunion.');
  t.same(titles(res.body), REUNION);
  for (const l of links(res.body)) t.equal(l.attributes, ' target="_top"', `${l.title} opens in the whole window`);
  t.match(res.body, `<a href="http://localhost:3000/programme?territoire=${w.reunion.slug}" target="_top">Programme complet sur localhost:3000</a>`);
  t.match(res.body, '<script src="/static/js/embed.js" defer></script>');

  // Pages stay in the frame.
  const first = await get('/integrer/programme?access=wheelchair');
  t.match(visibleText(first.body), `${PUBLIC_2026 - 4} événements, page 1 sur 2`);
  t.match(first.body, '<a href="/integrer/programme?access=wheelchair&amp;page=2" rel="next">Page suivante</a>');
  const second = await get('/integrer/programme?access=wheelchair&page=2');
  t.match(second.body, '<a href="/integrer/programme?access=wheelchair" rel="prev">Page précédente</a>');
  t.notSame(titles(second.body), titles(first.body));

  // Unknown values: said, never an error.
  const odd = await get('/integrer/programme?territoire=atlantide&category=jonglage');
  t.equal(odd.statusCode, 200);
  t.match(visibleText(odd.body), "Le type d'événement « jonglage » n'existe pas");
  const none = await get(`/integrer/programme?territoire=${w.reunion.slug}&category=sport`);
  t.match(visibleText(none.body), 'Aucun événement ne correspond à cette sélection.');
  t.match(visibleText(none.body), 'Sélection : Territoire : CLSM Saint-Denis de La Réunion ; Type : Sport.');

  // Shared and revalidated like the programme, for anonymous visitors and signed-in people alike.
  t.equal(res.headers['cache-control'], 'private, no-cache');
  const again = await app.inject({ url: `/integrer/programme?territoire=${w.reunion.slug}`, headers: { 'if-none-match': String(res.headers.etag) } });
  t.equal(again.statusCode, 304);
  // An htmx request gets the whole document too (the embed has no fragment).
  const htmx = await app.inject({ url: `/integrer/programme?territoire=${w.reunion.slug}`, headers: { 'hx-request': 'true' } });
  t.match(htmx.body, /^<!doctype html>/);
});

t.test('only the embedded programme may be framed', async (t) => {
  const embed = await get('/integrer/programme');
  t.match(embed.headers['content-security-policy'], /(^|;)frame-ancestors \*(;|$)/);
  t.notOk(embed.headers['x-frame-options'], 'no X-Frame-Options, which cannot name several sites');
  t.match(embed.headers['content-security-policy'], "script-src 'self'", 'the rest of the policy stays');
  for (const url of ['/programme', `/evenements/${w.jardin.id}`, '/integrer', '/', '/connexion', '/integrer/programme/autre']) {
    const res = await get(url);
    t.match(res.headers['content-security-policy'], "frame-ancestors 'none'", `${url}: CSP refuses framing`);
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN', `${url}: X-Frame-Options too`);
  }
  const resizer = await get('/integrer/hauteur.js');
  t.equal(resizer.statusCode, 200);
  t.match(resizer.headers['content-type'], 'text/javascript');
  t.equal(resizer.headers['cross-origin-resource-policy'], 'cross-origin', 'loaded by the host page, from another origin');
  t.match(resizer.body, 'rassembler:height');
  t.equal((await get('/programme')).headers['cross-origin-resource-policy'], 'same-origin');
});

t.test('« Intégrer le programme »: the chosen filters make the snippet, escaped, with its preview', async (t) => {
  const blank = await get('/integrer');
  t.equal(blank.statusCode, 200);
  t.match(blank.body, '<h1>Intégrer le programme sur un autre site</h1>');
  t.match(blank.body, '<form class="filters" method="get" action="/integrer"');
  t.match(blank.body, '<label for="filtre-territoire">Territoire</label>');
  t.match(blank.body, '<label for="filtre-commune">Commune</label>');
  t.match(blank.body, '<label for="filtre-type">Type d&#39;événement</label>');
  t.match(blank.body, '<input type="checkbox" id="filtre-acces-lsf" name="access" value="lsf">');

  // A territory whose name needs escaping, as a coordinator might type it.
  await db.update(territory).set({ name: 'CLSM <b>"Sud"</b> & co' }).where(eq(territory.id, w.reunion.id));
  const res = await get(`/integrer?territoire=${w.reunion.slug}&commune=saint-denis&access=lsf&q=`);
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, '<b>"Sud"</b>', 'nothing typed by a person comes out as markup');
  const textarea = /<textarea id="code-integration"[^>]*>([^<]*)<\/textarea>/.exec(res.body);
  t.ok(textarea, 'the snippet is in a read-only field');
  const snippet = unescape(textarea![1]!);
  const url = `http://localhost:3000/integrer/programme?territoire=${w.reunion.slug}&commune=Saint-Denis&access=lsf`;
  t.equal(
    snippet,
    `<iframe src="${url.replace(/&/g, '&amp;')}" title="Programme des Semaines d&#39;information sur la santé mentale 2026, CLSM &lt;b&gt;&quot;Sud&quot;&lt;/b&gt; &amp; co" style="width: 100%; height: 800px; border: 0;" loading="lazy"></iframe>\n` +
      '<script src="http://localhost:3000/integrer/hauteur.js" async></script>',
  );
  // The form shows what was chosen; the preview is the very frame of the snippet.
  t.match(res.body, `<option value="${w.reunion.slug}" selected>`);
  t.match(res.body, '<option value="Saint-Denis" selected>Saint-Denis</option>');
  t.match(res.body, '<input type="checkbox" id="filtre-acces-lsf" name="access" value="lsf" checked>');
  t.match(res.body, `<iframe class="embed-preview" src="${url.replace(/&/g, '&amp;')}" title="Programme des Semaines d&#39;information sur la santé mentale 2026, CLSM &lt;b&gt;&quot;Sud&quot;&lt;/b&gt; &amp; co"`);
  t.match(res.body, /<button type="button" class="button button-secondary" data-copy="code-integration" data-copied="[^"]+" data-copy-failed="[^"]+" hidden>Copier le code<\/button>/);
  // What the snippet shows: the embedded programme with those filters.
  t.same(titles((await get(url)).body), ['Conférence : réparer le lien social']);

  const odd = await get('/integrer?territoire=atlantide');
  t.equal(odd.statusCode, 200);
  t.match(visibleText(odd.body), "Aucun événement du programme n'a lieu sur le territoire « atlantide » : ce filtre est ignoré.");
  t.match(odd.body, 'http://localhost:3000/integrer/programme&quot;', 'the snippet leaves the unknown value out');
  await db.update(territory).set({ name: 'CLSM Saint-Denis de La Réunion' }).where(eq(territory.id, w.reunion.id));
});

t.test('« Intégrer le programme » is linked from the programme and from the coordination', async (t) => {
  t.match((await get('/programme')).body, '<a href="/integrer">');
  const user = await makeUser(db, { email: 'coord@example.org' });
  await makeCoordinator(db, user.id, w.reunion.id);
  const coordinator = agent();
  await signInByLink(coordinator, db, 'coord@example.org');
  const page = await coordinator.get(`/coordination/${w.reunion.id}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, `<a href="/integrer?territoire=${w.reunion.slug}">`);
});

t.test('with events in one territory only, the programme offers no territory field', async (t) => {
  await db.update(event).set({ territoryId: w.isere.id }).where(eq(event.territoryId, w.reunion.id));
  const res = await get('/programme');
  t.notMatch(res.body, 'filtre-territoire');
  t.notMatch((await get('/integrer')).body, 'filtre-territoire');
  t.same(titles((await get(`/programme?territoire=${w.isere.slug}`)).body).length, 30, 'the filter itself still works');
});
