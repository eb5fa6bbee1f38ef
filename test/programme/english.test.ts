// @databases: pglite
// The programme, the event page, the map, the embedded programme and the home pages in English:
// the interface's words come from the English catalogues, the page says lang="en", and what the
// organisers wrote stays in French (marked lang="fr") unless they gave an English title and summary.
import t, { type Test } from 'tap';
import { eq } from 'drizzle-orm';
import { event } from '../../server/db/schema.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { frenchLeft, typedTexts } from '../helpers/french-words.ts';
import { makeProgramme } from './world.ts';

const { app, db } = await buildTestApp(t);
const w = await makeProgramme(db);

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

/** What the organisers, coordinators and people wrote (names, addresses, theme), read from the database. */
const typed = await typedTexts(db);

/**
 * The interface's own words on a page: its body without the elements marked lang="fr" (event
 * texts, the switch's « Français »); what organisers wrote (titles, places, names) goes in noFrench.
 */
function interfaceText(html: string): string {
  let body = html.includes('<body') ? html.slice(html.indexOf('<body')) : html;
  body = body.replace(/<script[\s\S]*?<\/script>/g, ' ');
  for (let before = ''; before !== body; ) {
    before = body;
    body = body.replace(/<(\w+)\b[^>]*\blang="fr"[^>]*>(?:(?!<\1\b)[\s\S])*?<\/\1>/g, ' ');
  }
  return visibleText(body).replace(/&#x2F;/g, '/');
}

/** No French interface word on the page, nor French quotation marks (« »), once typed texts are out. */
function noFrench(t: Test, html: string, where: string) {
  t.same(frenchLeft(interfaceText(html), { typed, patterns: [/«|»/g] }), [], `${where}: no French interface word`);
}

t.test('the programme in English: filters, counts, notices, pages', async (t) => {
  const res = await get('/en/programme');
  t.equal(res.statusCode, 200);
  t.match(res.body, '<html lang="en" dir="ltr">');
  t.match(res.headers['content-language'], 'en');
  t.match(res.body, '<title>Programme 2026 – Rassembler</title>');
  const text = visibleText(res.body);
  for (const words of ['Filter the programme', 'Search', 'All days', 'All towns', 'Type of event', 'Access offered', 'Near me', 'Within 10 km', 'Show events', 'Clear all filters', 'See these events on a map', 'Next page', 'Subscribe to this programme', 'Open data', 'Download the programme']) {
    t.match(text, words);
  }
  t.match(text, /\d+ events in the programme ?, page 1 of 2/);
  t.match(res.body, 'href="/en/programme?page=2"', 'links keep the language');
  t.match(res.body, '<link rel="alternate" type="text/calendar" href="http://localhost:3000/en/programme/agenda.ics" title="This programme as a calendar (iCalendar)">', 'the feed in English too');
  t.match(text, 'Programme online and registration: http://localhost:3000/en/programme.');
  t.match(text, 'or go to http://localhost:3000/en/evenements/', 'the printed address of an event is the English page');
  noFrench(t, res.body, '/en/programme');

  const second = await get('/en/programme?page=2');
  t.match(second.body, '<title>Programme 2026, page 2 – Rassembler</title>');
  t.match(visibleText(second.body), 'Page 2 of 2');
  t.match(visibleText(second.body), 'Previous page');
  noFrench(t, second.body, '/en/programme?page=2');

  const filtered = await get('/en/programme?commune=Grenoble&category=jardin_partage&access=wheelchair&couleur=rouge&category=sport&audience=martiens');
  const f = visibleText(filtered.body);
  t.match(f, '1 event matches your filters');
  t.match(f, 'Filters applied: Town: Grenoble');
  t.match(f, 'Type: Shared garden');
  t.match(f, 'Access: Wheelchair access');
  t.match(f, 'Remove the filter “Town: Grenoble”');
  t.match(f, 'Part of the web address could not be used:');
  t.match(f, 'Only one “type of event” filter at a time: only the first one, “jardin_partage”, is applied.');
  t.match(f, 'There is no audience called “martiens”: this filter has been ignored.');
  t.match(f, 'See this event on a map');
  t.match(f, 'To print it or hand it out, with these filters:');
  noFrench(t, filtered.body, '/en/programme with filters');

  const none = await get('/en/programme?category=exposition&day=2026-10-30&pres=Lyon');
  const n = visibleText(none.body);
  t.match(n, 'No events match your filters');
  t.match(n, 'No events match all these filters. Try removing one:');
  t.match(n, 'Remove “Type: Exhibition”');
  t.match(n, 'See the whole programme');
  t.match(n, 'Friday, 30 October 2026 is not part of the Weeks (from Monday, 5 October 2026 to Sunday, 18 October 2026): the day filter has been ignored.');
  t.match(n, 'No venue in the programme is in “Lyon” (town or postcode): the “near me” filter has been ignored.');
  noFrench(t, none.body, '/en/programme with nothing found');

  const beyond = await get('/en/programme?page=7');
  t.match(visibleText(beyond.body), 'There is no page 7: there are 2 pages. Here is the last one.');

  const fragment = await get('/en/programme?category=jardin_partage', { 'hx-request': 'true' });
  t.equal(fragment.headers['hx-push-url'], '/en/programme?category=jardin_partage');
  t.match(fragment.body, '<div id="status" hx-swap-oob="innerHTML">1 event matches your filters.</div>');
  noFrench(t, fragment.body, 'the htmx fragment');

  // French stays French.
  const french = visibleText((await get('/programme?audience=martiens')).body);
  t.match(french, "Le public « martiens » n'existe pas : ce filtre est ignoré.");
  t.match(french, 'événements au programme');
});

t.test('the event page in English', async (t) => {
  const res = await get(`/en/evenements/${w.jardin.id}`);
  t.equal(res.statusCode, 200);
  t.match(res.body, '<html lang="en" dir="ltr">');
  const text = visibleText(res.body);
  for (const words of ['Back to the programme', 'When', 'Where', 'Type Shared garden', 'Audience Families', 'Organised by', 'Places', 'places left', '(20 places in all)', 'Registration', 'Registering is free and you don\'t need an account.', 'Register for “Jardin partagé des Lilas”', 'Already registered?', 'Accessibility', 'The event offers:', 'The venue: Jardin des Lilas', 'Getting there:', 'Easy read', 'About this event', 'Organiser', 'Part of the Mental Health Information Weeks 2026', 'Add to my calendar']) {
    t.match(text, words);
  }
  t.match(text, 'Tuesday, 6 October 2026, 14:00 – 16:00');
  t.match(res.body, '<h1><span lang="fr">Jardin partagé des Lilas</span></h1>', 'the French title is marked as French');
  t.match(res.body, '<p class="lead" lang="fr">Planter, arroser et goûter ensemble au jardin.</p>');
  t.match(res.body, 'href="/en/evenements/' + w.jardin.id + '/inscription"');
  t.match(res.body, '"inLanguage":"fr"');
  t.match(res.body, `"url":"http://localhost:3000/en/evenements/${w.jardin.id}"`);
  noFrench(t, res.body, 'the event page');

  const full = await get(`/en/evenements/${w.cine.id}`);
  t.match(visibleText(full.body), 'Full. You can join the waiting list');
  t.match(visibleText(full.body), 'Join the waiting list');
  t.match(full.body, '<p lang="fr">Le film évoque le suicide.</p>', 'the content note is the organiser\'s French');
  noFrench(t, full.body, 'a full event');

  const cancelled = await get(`/en/evenements/${w.cancelled.id}`);
  const c = visibleText(cancelled.body);
  t.match(c, 'This event has been cancelled');
  t.match(c, 'Reason:');
  t.match(cancelled.body, /<title>[^<]* \(cancelled\) – Rassembler<\/title>/);
  noFrench(t, cancelled.body, 'a cancelled event');

  const missing = await get('/en/evenements/999999');
  t.equal(missing.statusCode, 404);
  t.match(visibleText(missing.body), 'This event does not exist or is not public.');
});

t.test('the map, the embedded programme and the integration page in English', async (t) => {
  const map = await get('/en/programme/carte?category=cine_debat&page=3');
  t.equal(map.statusCode, 200);
  t.match(map.body, '<html lang="en" dir="ltr">');
  const m = visibleText(map.body);
  t.match(m, 'Programme map 2026');
  t.match(m, 'Back to the list with these filters');
  t.match(m, '1 event for these filters');
  t.match(m, 'The map could not be loaded');
  t.match(m, 'not on the map');
  t.notMatch(m, 'page number', 'paging notices mean nothing on the map');
  t.match(map.body, 'aria-label="Map of events"');
  noFrench(t, map.body, 'the map');

  const all = await get('/en/programme/carte');
  noFrench(t, all.body, 'the whole map');
  t.match(all.body, /"when":"Tuesday, 6 October 2026, 14:00 – 16:00"/, 'the markers speak English');
  t.match(all.body, `"title":"Jardin partagé des Lilas","lang":"fr","href":"/en/evenements/${w.jardin.id}"`, 'a marker leads to the English page, its French title marked');
  t.match(all.body, '"words":{"zoomIn":"Zoom in","zoomOut":"Zoom out","closePopup":"Close"}', 'the map script gets its words in English');

  const embed = await get('/en/integrer/programme?commune=Grenoble&page=2');
  t.equal(embed.statusCode, 200);
  t.match(embed.body, '<html lang="en" dir="ltr">');
  t.match(embed.body, '<title>Programme 2026, page 2 – Rassembler</title>');
  t.match(embed.body, '<link rel="canonical" href="http://localhost:3000/en/programme?commune=Grenoble">');
  const e = visibleText(embed.body);
  t.match(e, 'Selection: Town: Grenoble.');
  t.match(e, 'Page 2 of 2');
  t.match(e, 'Full programme on localhost:3000');
  t.match(embed.body, 'target="_top" lang="fr"');
  noFrench(t, embed.body, 'the embedded programme');

  const frenchEmbed = await get('/integrer/programme');
  t.match(frenchEmbed.body, '<html lang="fr" dir="ltr">');

  const integrate = await get('/en/integrer?commune=Grenoble&category=nope');
  const i = visibleText(integrate.body);
  t.match(i, 'Put the programme on another website');
  t.match(i, '1. Choose the events');
  t.match(i, 'Update the code');
  t.match(i, 'There is no type of event called “nope”: this filter has been ignored.');
  t.match(integrate.body, 'src="http://localhost:3000/en/integrer/programme?commune=Grenoble"', 'the snippet embeds the English programme');
  t.match(integrate.body, 'title="Mental Health Information Weeks programme 2026"');
  noFrench(t, integrate.body, 'the integration page');
});

t.test('the home page and the information pages in English', async (t) => {
  const home = await get('/en/');
  t.equal(home.statusCode, 200);
  t.match(home.body, '<html lang="en" dir="ltr">');
  t.match(home.body, '<title>Mental Health Information Weeks 2026 – Rassembler</title>');
  const h = visibleText(home.body);
  t.match(h, 'All over France, from Monday, 5 October 2026 to Sunday, 18 October 2026.');
  t.match(h, /See the programme: \d+ events/);
  t.match(h, 'What are the Weeks?');
  t.match(h, 'Find an event');
  t.match(h, 'Tuesday, 6 October');
  t.match(h, 'How to register');
  t.match(home.body, 'This year\'s theme: <strong>“<span lang="fr">');
  t.match(home.body, 'href="/en/programme?day=2026-10-06"');
  noFrench(t, home.body, 'the home page');

  const pages: [string, string, string[]][] = [
    ['/en/comment-s-inscrire', 'How to register', ['Find an event', 'Fill in the form', 'Ask for support, if you need it', 'waiting list', 'Without the internet']],
    ['/en/accessibilite', 'Accessibility statement', ['partially compliant', 'Known limitations', 'Enforcement procedure', 'This accessibility statement applies to the website http://localhost:3000']],
    ['/en/donnees-personnelles', 'Personal data', ['Who is responsible', 'health data', 'deleted 30 days after the event', 'Cookies']],
  ];
  for (const [url, title, words] of pages) {
    const res = await get(url);
    t.equal(res.statusCode, 200, url);
    t.match(res.body, '<html lang="en" dir="ltr">');
    t.match(res.body, `<title>${title} – Rassembler</title>`);
    const text = visibleText(res.body);
    for (const word of words) t.match(text, word, `${url}: ${word}`);
    // The complaint bodies' sites are in French: their names and addresses stay as they are.
    noFrench(t, res.body.replace(/Défenseur des droits|Libre réponse|Paris CEDEX 07|place de Fontenoy|formulaire\.defenseurdesdroits\.fr|cnil\.fr\/fr\/plaintes/g, ' '), url);
  }
});

t.test('an event with the organiser\'s English title and summary', async (t) => {
  await db
    .update(event)
    .set({ translations: { en: { title: 'Shared garden at the Lilacs', summary: 'Planting, watering and tasting together in the garden.' } } })
    .where(eq(event.id, w.jardin.id));

  const list = await get('/en/programme');
  t.match(list.body, `<a href="/en/evenements/${w.jardin.id}">Shared garden at the Lilacs</a>`, 'the English title, not marked');
  t.match(list.body, `<a href="/en/evenements/${w.cine.id}" lang="fr">Ciné-débat : « Le Cyclone intérieur »</a>`, 'no translation: the French title, marked');
  t.notMatch(list.body, 'Jardin partagé des Lilas</a>');

  const french = await get('/programme');
  t.match(french.body, `<a href="/evenements/${w.jardin.id}">Jardin partagé des Lilas</a>`, 'French pages keep the French title');
  t.notMatch(french.body, 'Shared garden at the Lilacs');

  const page = await get(`/en/evenements/${w.jardin.id}`);
  t.match(page.body, '<h1>Shared garden at the Lilacs</h1>');
  t.match(page.body, '<title>Shared garden at the Lilacs – Rassembler</title>');
  t.match(page.body, '<p class="lead">Planting, watering and tasting together in the garden.</p>');
  t.match(page.body, '<p lang="fr">Outils prêtés sur place.</p>', 'the description has no translation: French, marked');
  t.match(page.body, '"name":"Shared garden at the Lilacs"');
  t.match(page.body, '"inLanguage":"en"');

  const frenchPage = await get(`/evenements/${w.jardin.id}`);
  t.match(frenchPage.body, '<h1>Jardin partagé des Lilas</h1>');
  t.match(frenchPage.body, '<p class="lead">Planter, arroser et goûter ensemble au jardin.</p>');
  t.notMatch(frenchPage.body, 'lang="en"><');

  const map = await get('/en/programme/carte');
  t.match(map.body, `<a href="/en/evenements/${w.jardin.id}">Shared garden at the Lilacs</a>`);
  t.match(map.body, `"title":"Shared garden at the Lilacs","href":"/en/evenements/${w.jardin.id}"`);

  const embed = await get('/en/integrer/programme');
  t.match(embed.body, `<a href="/en/evenements/${w.jardin.id}" target="_top">Shared garden at the Lilacs</a>`);
  t.match(embed.body, `target="_top" lang="fr">Ciné-débat`);
});
