// @databases: pglite, postgres
import t from 'tap';
import zlib from 'node:zlib';
import { eq } from 'drizzle-orm';
import { event } from '../../server/db/schema.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeRegistration } from '../helpers/factory.ts';
import { signInByLink } from '../accounts/helpers.ts';
import { FILLERS, PUBLIC_2026, makeProgramme } from './world.ts';

const { app, db, agent } = await buildTestApp(t);
const w = await makeProgramme(db);

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });
/** The titles listed, in page order. */
const titles = (html: string) => [...html.matchAll(/<h3 class="event-title"><a href="\/evenements\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
/** The results region only (so the filter form's own words do not count). */
const results = (html: string) => visibleText(html.slice(html.indexOf('<h2 id="resultats-titre"'))).replace(/ ([,.])/g, '$1');

t.test('the unfiltered programme lists the published and cancelled events of the edition, by local day', async (t) => {
  const res = await get('/programme');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'private, no-cache');
  t.match(res.headers.vary, /HX-Request/);
  const text = results(res.body);
  t.match(text, `${PUBLIC_2026} événements au programme, page 1 sur 2`);
  const listed = titles(res.body);
  t.notOk(listed.includes('Brouillon secret'), 'drafts are not public');
  t.notOk(listed.includes('Proposition en relecture'), 'submitted events are not public');
  t.notOk(listed.includes('Pique-nique de l’an dernier'), 'other editions are not shown');
  t.same(listed.slice(0, 6), [
    'Balade contée au parc', // 09:00 Paris, Tuesday 6
    'Conférence : réparer le lien social', // 10:00 La Réunion, Tuesday 6
    'Jardin partagé des Lilas', // 14:00 Paris, Tuesday 6
    'Veillée sous les étoiles', // 00:30 La Réunion, Wednesday 7
    'Ciné-débat : « Le Cyclone intérieur »', // 20:00 Paris, Wednesday 7
    'Tournoi de football solidaire', // Thursday 8, cancelled
  ]);
  const headings = [...res.body.matchAll(/<h2 class="day-heading"[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1]);
  t.same(headings, ['Mardi 6 octobre 2026', 'Mercredi 7 octobre 2026', 'Jeudi 8 octobre 2026', 'Lundi 12 octobre 2026']);

  // One event in full: time range, category, place, accessibility (icon + text), places left.
  const jardin = res.body.slice(res.body.indexOf('Jardin partagé des Lilas'), res.body.indexOf('Veillée sous les étoiles'));
  t.match(visibleText(jardin), /14 h 00 – 16 h 00 · Jardin partagé · Jardin des Lilas, Grenoble/);
  t.match(jardin, /<svg class="icon" aria-hidden="true" focusable="false"><use href="\/static\/img\/access\.svg#wheelchair"><\/use><\/svg>Accès fauteuil/);
  t.match(visibleText(jardin), 'Espace calme');
  t.match(visibleText(jardin), '18 places restantes', 'confirmed seats count, cancelled ones do not');

  t.match(text, /Conférence : réparer le lien social 10 h 00 – 12 h 00 \(heure de La Réunion\) · Conférence · Case Sainte-Anne, Saint-Denis/);
  t.match(text, /Ciné-débat : « Le Cyclone intérieur » 20 h 00 – 22 h 30 .* Complet, liste d'attente/);
  t.match(text, /Balade contée au parc .* Entrée libre/);
  t.match(text, /Tournoi de football solidaire Annulé/);
});

t.test('every filter', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['day=2026-10-06', ['Balade contée au parc', 'Conférence : réparer le lien social', 'Jardin partagé des Lilas']],
    // 00:30 at La Réunion on the 7th is the 6th in UTC and in Paris: the day is the territory's.
    ['day=2026-10-07', ['Veillée sous les étoiles', 'Ciné-débat : « Le Cyclone intérieur »']],
    ['commune=%C3%89chirolles', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['commune=echirolles', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['category=cine_debat', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['audience=familles', ['Jardin partagé des Lilas']],
    ['access=lsf', ['Conférence : réparer le lien social', 'Ciné-débat : « Le Cyclone intérieur »']],
    ['access=lsf&access=captioning', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['access=lsf,captioning', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['access=quiet_space', ['Jardin partagé des Lilas']],
    ['q=graines+jardins', ['Jardin partagé des Lilas']],
    ['q=%22lien+social%22', ['Conférence : réparer le lien social']],
    ['q=cyclone+-film', []],
    // Accents do not matter, either way: people often type without them.
    ['q=conference+reparer', ['Conférence : réparer le lien social']],
    ['q=PSYCHIATRE+Int%C3%A9rieur', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['q=interieur', ['Ciné-débat : « Le Cyclone intérieur »']],
    // The venue, the commune and the organiser are searched too (issue 15; found nothing before).
    ['q=cinema', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['q=CIN%C3%89MA+club', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['q=echirolles', ['Ciné-débat : « Le Cyclone intérieur »']],
    ['q=veillee+ville+de+saint-denis', ['Veillée sous les étoiles']],
  ];
  for (const [query, expected] of cases) {
    const res = await get(`/programme?${query}`);
    t.equal(res.statusCode, 200, query);
    t.same(titles(res.body), expected, query);
    t.notMatch(res.body, 'notice-warning', `${query}: no notice`);
  }

  const places = await get('/programme?places=1');
  const listed = titles(places.body);
  t.ok(listed.includes('Balade contée au parc'), 'free entry counts as places left');
  t.ok(listed.includes('Jardin partagé des Lilas'));
  t.notOk(listed.includes('Ciné-débat : « Le Cyclone intérieur »'), 'full events are left out');
  t.notOk(listed.includes('Tournoi de football solidaire'), 'cancelled events are left out');
  t.match(results(places.body), `${PUBLIC_2026 - 2} événements correspondent à vos filtres`);
});

t.test('combinations of filters, and the active filters with their removal links', async (t) => {
  const both = await get('/programme?day=2026-10-06&access=lsf');
  t.same(titles(both.body), ['Conférence : réparer le lien social']);
  t.match(results(both.body), "1 événement correspond à vos filtres");
  t.match(both.body, 'href="/programme?access=lsf"', 'removing the day keeps the access filter');
  t.match(both.body, 'href="/programme?day=2026-10-06"', 'removing the access keeps the day');

  const three = await get('/programme?commune=Grenoble&category=balade&places=1&q=histoires');
  t.same(titles(three.body), ['Balade contée au parc']);
  t.match(results(three.body), 'Filtres appliqués : Commune : Grenoble');
  t.match(results(three.body), 'Recherche : « histoires »');
});

t.test('the filter form keeps what was chosen and works as a plain GET form', async (t) => {
  const res = await get('/programme?day=2026-10-07&access=lsf&places=1&q=film');
  t.match(res.body, /<form class="filters no-print" method="get" action="\/programme"/);
  t.match(res.body, /hx-get="\/programme" hx-target="#resultats" hx-push-url="true"/);
  t.match(res.body, /<option value="2026-10-07" selected>Mercredi 7 octobre<\/option>/);
  t.match(res.body, /<input type="checkbox" id="filtre-acces-lsf" name="access" value="lsf" checked>/);
  t.match(res.body, /<input type="checkbox" id="filtre-places" name="places" value="1" checked>/);
  t.match(res.body, /<input type="search" id="filtre-q" name="q" value="film"/);
  t.match(res.body, /<fieldset class="filters-access">\s*<legend>Accessibilité proposée<\/legend>/);
  t.match(res.body, /<label for="filtre-commune">Commune<\/label>/);
  t.match(res.body, /<button type="submit">Afficher les événements<\/button>/);
  t.match(res.body, /<option value="Saint-Denis">Saint-Denis<\/option>/, 'communes come from the events');
  t.match(res.body, /<button type="button" class="button button-secondary" data-print hidden>Imprimer le programme<\/button>/);
});

t.test('bad values never fail: they are ignored with a notice in French', async (t) => {
  const res = await get(
    '/programme?day=2026-13-45&commune=Atlantis&category=cirque&audience=martiens&access=lsf&access=telepathie&places=peut-etre&page=abc&unknown=1',
  );
  t.equal(res.statusCode, 200);
  const text = visibleText(res.body);
  t.match(text, "Une partie de l'adresse n'a pas pu être utilisée");
  t.match(text, 'Le jour « 2026-13-45 » n\'est pas une date valide');
  t.match(text, 'Aucun événement du programme n\'a lieu dans la commune « Atlantis »');
  t.match(text, 'Le type d\'événement « cirque » n\'existe pas');
  t.match(text, 'Le public « martiens » n\'existe pas');
  t.match(text, 'L\'aménagement « telepathie » n\'existe pas');
  t.match(text, 'La valeur « peut-etre » du filtre « places disponibles » n\'est pas comprise');
  t.match(text, 'Le numéro de page « abc » n\'est pas valide');
  t.same(titles(res.body), ['Conférence : réparer le lien social', 'Ciné-débat : « Le Cyclone intérieur »'], 'the valid filter still applies');

  const outside = await get('/programme?day=2027-01-04');
  t.equal(outside.statusCode, 200);
  t.match(visibleText(outside.body), 'Le lundi 4 janvier 2027 ne fait pas partie des Semaines (du lundi 5 octobre 2026 au dimanche 18 octobre 2026)');
  t.match(results(outside.body), `${PUBLIC_2026} événements au programme`);

  const twice = await get('/programme?category=balade&category=sport');
  t.match(visibleText(twice.body), 'Un seul filtre « type d\'événement » à la fois : seul le premier, « balade », est appliqué.');
  t.same(titles(twice.body), ['Balade contée au parc']);

  const long = await get(`/programme?q=${'jardin '.repeat(60)}`);
  t.equal(long.statusCode, 200);
  t.match(visibleText(long.body), 'La recherche est trop longue');

  const hostile = await get('/programme?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&commune=%3Cb%3E');
  t.equal(hostile.statusCode, 200);
  t.notMatch(hostile.body, '<script>alert(1)</script>');
  t.notMatch(hostile.body, '<b>');

  const syntax = await get('/programme?q=%22%26%7C!(:*');
  t.equal(syntax.statusCode, 200, 'any text is a valid web search');
});

t.test('pagination: real links that keep the filters, page 2, out of range', async (t) => {
  const first = await get('/programme?category=groupe_de_parole');
  t.match(results(first.body), `${FILLERS} événements correspondent à vos filtres, page 1 sur 2`);
  t.equal(titles(first.body).length, 30);
  t.match(first.body, /<nav class="pagination" aria-label="Pages du programme">/);
  t.match(first.body, '<a href="/programme?category=groupe_de_parole&amp;page=2" rel="next">Page suivante</a>');
  t.match(visibleText(first.body), 'Page 1 sur 2');

  const second = await get('/programme?category=groupe_de_parole&page=2');
  t.same(titles(second.body), ['Groupe de parole n° 31', 'Groupe de parole n° 32', 'Groupe de parole n° 33']);
  t.match(visibleText(second.body), 'Page 2 sur 2');
  t.match(second.body, '<a href="/programme?category=groupe_de_parole" rel="prev">Page précédente</a>');
  t.match(second.body, /<title>Programme 2026, page 2 – Rassembler<\/title>/);

  const beyond = await get('/programme?category=groupe_de_parole&page=9');
  t.equal(beyond.statusCode, 200);
  t.match(visibleText(beyond.body), "La page 9 n'existe pas : il y a 2 pages. Voici la dernière.");
  t.same(titles(beyond.body), titles(second.body));

  const zero = await get('/programme?page=0');
  t.match(visibleText(zero.body), 'Le numéro de page « 0 » n\'est pas valide');
  t.equal(titles(zero.body).length, 30);
});

t.test('the whole programme on one page, to print: offered when there are pages, keeps the filters, way back', async (t) => {
  const paged = await get('/programme?category=groupe_de_parole');
  t.match(paged.body, '<a href="/programme?category=groupe_de_parole&amp;tout=1">Afficher tous ces événements sur une seule page pour les imprimer</a>');

  const all = await get('/programme?category=groupe_de_parole&tout=1');
  t.equal(all.statusCode, 200);
  const listed = titles(all.body);
  t.equal(listed.length, FILLERS, 'every matching event, not a page of 30');
  t.equal(listed.at(-1), `Groupe de parole n° ${FILLERS}`);
  t.notMatch(all.body, 'class="pagination"', 'no pagination');
  t.match(results(all.body), `${FILLERS} événements correspondent à vos filtres`);
  t.notMatch(results(all.body), 'page 1 sur');
  t.match(all.body, /<title>Programme 2026, tout sur une page – Rassembler<\/title>/);
  t.match(all.body, '<a href="/programme?category=groupe_de_parole">Revenir à l&#39;affichage par pages</a>');

  const mixed = await get('/programme?category=groupe_de_parole&tout=1&page=2');
  t.equal(titles(mixed.body).length, FILLERS);
  t.match(visibleText(mixed.body), 'Tout le programme est affiché sur une page : le numéro de page est ignoré.');

  const odd = await get('/programme?category=groupe_de_parole&tout=peut-etre');
  t.equal(odd.statusCode, 200);
  t.equal(titles(odd.body).length, 30);
  t.match(visibleText(odd.body), 'La valeur « peut-etre » de « tout sur une page » n\'est pas comprise');

  const short = await get('/programme?commune=%C3%89chirolles');
  t.notMatch(short.body, 'tout=1', 'one page already: nothing to offer');
});

t.test('empty state says which filters to relax', async (t) => {
  const res = await get('/programme?commune=%C3%89chirolles&category=balade');
  t.equal(res.statusCode, 200);
  t.same(titles(res.body), []);
  const text = results(res.body);
  t.match(text, 'Aucun événement ne correspond à tous ces filtres. Essayez d\'en retirer un');
  t.match(res.body, '<a href="/programme?category=balade">Retirer « Commune : Échirolles »</a>');
  t.match(res.body, '<a href="/programme?commune=%C3%89chirolles">Retirer « Type : Balade »</a>');
  t.match(res.body, '<a href="/programme">Voir tout le programme</a>');
  // One can subscribe to a filter that matches nothing today: events published later come in.
  t.match(text, "S'abonner à ce programme Ajoutez ce programme, avec ces filtres, à votre agenda");
  t.match(text, "Aucun événement n'y figure pour l'instant : ceux qui seront publiés s'y ajouteront.");
  t.match(res.body, 'href="webcal://localhost:3000/programme/agenda.ics?commune=%C3%89chirolles&amp;category=balade"');
  const feed = await get('/programme/agenda.ics?commune=%C3%89chirolles&category=balade');
  t.equal(feed.statusCode, 200, 'and that feed answers');
  t.notMatch(feed.body, 'BEGIN:VEVENT', 'empty for now');
});

t.test('htmx: the results fragment alone, its count announced out of band', async (t) => {
  const full = await get('/programme?access=lsf');
  const fragment = await get('/programme?access=lsf&day=&commune=&q=', { 'hx-request': 'true' });
  t.equal(fragment.statusCode, 200);
  t.notMatch(fragment.body, '<html', 'no layout');
  t.notMatch(fragment.body, '<form', 'no filter form');
  t.match(fragment.headers.vary, /HX-Request/);
  t.equal(fragment.headers['hx-push-url'], '/programme?access=lsf', 'the canonical URL is pushed');
  t.match(fragment.body, /^\s*<h2 id="resultats-titre" class="results-count">/);
  t.same(titles(fragment.body), titles(full.body), 'the same results partial as the full page');
  t.match(
    fragment.body,
    /<div id="status" hx-swap-oob="innerHTML">2 événements correspondent à vos filtres\.<\/div>$/,
  );
  t.match(full.body, /<section id="resultats" class="results" aria-labelledby="resultats-titre">\s*<h2 id="resultats-titre"/);
  t.match(full.body, /<div id="status" class="visually-hidden" role="status" aria-live="polite"><\/div>/, 'nothing to announce on a full load');

  // The fragment is the same for everyone: it gets a validator, and a revalidation costs nothing.
  t.equal(fragment.headers['cache-control'], 'no-cache');
  const etag = fragment.headers.etag as string;
  t.match(etag, /^"[\w-]+"$/);
  const again = await get('/programme?access=lsf', { 'hx-request': 'true', 'if-none-match': etag });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '');

  // A history restore asks for the whole page.
  const restore = await get('/programme?access=lsf', { 'hx-request': 'true', 'hx-history-restore-request': 'true' });
  t.match(restore.body, '<html lang="fr" dir="ltr">');
});

t.test('an anonymous reader gets bytes shared by every reader: compressed once, revalidated by ETag', async (t) => {
  const plain = await get('/programme?commune=Grenoble');
  t.match(plain.headers.etag, /^"[\w-]+"$/, 'the full page has a validator: nothing in it is per visitor');
  const first = await get('/programme?commune=Grenoble', { 'accept-encoding': 'gzip, deflate, br' });
  t.equal(first.headers['content-encoding'], 'br', 'brotli when accepted');
  t.equal(zlib.brotliDecompressSync(first.rawPayload).toString(), plain.body, 'the same page, byte for byte');
  for (const round of [1, 2]) {
    const res = await get('/programme?commune=Grenoble', { 'accept-encoding': 'gzip, deflate' });
    t.equal(res.headers['content-encoding'], 'gzip', `round ${round}`);
    t.match(res.headers.vary, /HX-Request/);
    t.match(res.headers.vary, /Accept-Encoding/);
    t.equal(res.headers.etag, plain.headers.etag);
    t.equal(zlib.gunzipSync(res.rawPayload).toString(), plain.body);
    t.equal(Number(res.headers['content-length']), res.rawPayload.length);
  }
  const again = await get('/programme?commune=Grenoble', { 'if-none-match': plain.headers.etag as string });
  t.equal(again.statusCode, 304, 'an unchanged page costs a 304');
  t.equal(again.body, '');

  const fragment = await get('/programme?commune=Grenoble', { 'accept-encoding': 'gzip', 'hx-request': 'true' });
  t.match(zlib.gunzipSync(fragment.rawPayload).toString(), /hx-swap-oob="innerHTML">\d+ événements correspondent à vos filtres(, page \d+ sur \d+)?\.<\/div>$/);
  t.not(fragment.headers.etag, plain.headers.etag, 'the fragment is another response');

  // Signed in, the same URL carries the person's menu and token: laid out for them, never shared.
  const member = agent();
  await signInByLink(member, db, 'lectrice@example.org');
  const mine = await member.get('/programme?commune=Grenoble', { 'if-none-match': plain.headers.etag as string });
  t.equal(mine.statusCode, 200, "the anonymous page's validator does not answer for a signed-in reader");
  t.equal(mine.headers.etag, undefined);
  t.match(mine.body, 'Se déconnecter');
  t.equal(mine.headers['cache-control'], 'private, no-cache');
  const anonymousAgain = await get('/programme?commune=Grenoble');
  t.notMatch(anonymousAgain.body, 'Se déconnecter', "a signed-in reader's page is not what anonymous readers get next");
  t.equal(anonymousAgain.headers.etag, plain.headers.etag);
});

t.test('reading the programme sets no cookie; a signed-in reader still gets the sign-out form and its token', async (t) => {
  for (const url of ['/programme', '/programme?access=lsf', `/evenements/${w.conference.id}`]) {
    const res = await get(url);
    t.equal(res.statusCode, 200, url);
    t.equal(res.headers['set-cookie'], undefined, `${url}: no cookie for an anonymous reader`);
    t.notMatch(res.body, 'csrf-token', `${url}: no token to carry`);
  }
  const form = await get(`/evenements/${w.jardin.id}/inscription`);
  t.match(String(form.headers['set-cookie']), /^csrf=/, 'the registration form does get its token and cookie');
  t.match(form.body, /name="_csrf" value="[^"]+"/);

  const member = agent();
  await signInByLink(member, db, 'lecteur@example.org');
  const signedIn = await member.get('/programme');
  t.match(signedIn.body, /<form method="post" action="\/deconnexion"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/, 'the sign-out form carries its token');
  t.match(signedIn.body, /hx-headers='\{"x-csrf-token": "[^"]+"\}'/);
});

t.test('the subscribe block carries the filters to the calendar feed', async (t) => {
  const res = await get('/programme?commune=Grenoble&access=wheelchair&page=2');
  t.match(visibleText(res.body), "S'abonner à ce programme");
  t.match(res.body, 'href="webcal://localhost:3000/programme/agenda.ics?commune=Grenoble&amp;access=wheelchair"');
  t.match(res.body, /<label for="adresse-agenda">[^<]+<\/label>\s*<input type="text" id="adresse-agenda" readonly value="http:\/\/localhost:3000\/programme\/agenda\.ics\?commune=Grenoble&amp;access=wheelchair">/);
});

t.test("the subscribe block links each territory's own feed", async (t) => {
  const res = await get('/programme');
  t.match(
    results(res.body),
    "L'agenda d'un territoire Tous les événements d'un territoire, sans filtre : CLSM Grenoble-Alpes : s'abonner à l'agenda de CLSM Grenoble-Alpes, ou adresse de l'agenda de CLSM Grenoble-Alpes à copier CLSM Saint-Denis de La Réunion : s'abonner",
  );
  for (const territory of [w.isere, w.reunion]) {
    const path = `/territoires/${territory.slug}/agenda.ics`;
    t.match(res.body, `<a href="webcal://localhost:3000${path}">s'abonner<span class="visually-hidden"> à l'agenda de ${territory.name}</span></a>`);
    t.match(res.body, `<a href="http://localhost:3000${path}">adresse de l'agenda`);
    const feed = await get(path);
    t.equal(feed.statusCode, 200, `${territory.name}: the link leads to its feed`);
    t.match(feed.body, `X-WR-CALNAME:${territory.name} — SISM`);
  }
});

t.test('the cache follows every change to the database, whoever makes it', async (t) => {
  const before = await get('/programme?day=2026-10-06');
  t.match(results(before.body), /Jardin partagé des Lilas .* 18 places restantes/);

  await db.update(event).set({ title: 'Jardin partagé des Glycines' }).where(eq(event.id, w.jardin.id));
  const renamed = await get('/programme?day=2026-10-06');
  t.ok(titles(renamed.body).includes('Jardin partagé des Glycines'), 'a new title is seen at once');

  await makeRegistration(db, w.jardin.id, { seats: 3 });
  const fewer = await get('/programme?day=2026-10-06');
  t.match(results(fewer.body), /Jardin partagé des Glycines .* 15 places restantes/, 'a registration changes the places left at once');

  const fragmentBefore = await get('/programme?day=2026-10-06', { 'hx-request': 'true' });
  const pageBefore = await get('/programme?day=2026-10-06');
  await db.update(event).set({ state: 'cancelled', cancellationReason: 'Pluie' }).where(eq(event.id, w.jardin.id));
  const fragmentAfter = await get('/programme?day=2026-10-06', { 'hx-request': 'true', 'if-none-match': fragmentBefore.headers.etag as string });
  t.equal(fragmentAfter.statusCode, 200, 'a stale validator gets the new fragment');
  t.match(results(fragmentAfter.body), 'Jardin partagé des Glycines Annulé');
  const pageAfter = await get('/programme?day=2026-10-06', { 'if-none-match': pageBefore.headers.etag as string });
  t.equal(pageAfter.statusCode, 200, 'a stale validator gets the new page');
  t.not(pageAfter.headers.etag, pageBefore.headers.etag);
  t.match(results(pageAfter.body), 'Jardin partagé des Glycines Annulé');
  await db.update(event).set({ state: 'published', cancellationReason: null, title: 'Jardin partagé des Lilas' }).where(eq(event.id, w.jardin.id));
});
