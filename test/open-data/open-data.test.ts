// @databases: pglite, postgres
// The open data: the programme's events as OpenAgenda-compatible JSON (validated against the
// schema the app serves), CSV and RSS, with exactly the programme's events for the same filters,
// per organisation and territory, with validators, CORS and the licence; and the programme page
// that advertises them.
import t from 'tap';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import { Parser } from 'htmlparser2';
import { event } from '../../server/db/schema.ts';
import { ACCESS_FEATURE_INFO, AUDIENCE_LABELS, CATEGORY_LABELS, openAgendaAccessibility } from '../../server/domain/vocabulary.ts';
import { inLanguage } from '../../server/i18n/index.ts';
import { findCurrentEdition } from '../../server/programme/current-edition.ts';
import { NO_FILTERS, parseProgrammeFilters } from '../../server/programme/filters.ts';
import { loadOpenDataEvents } from '../../server/open-data/query.ts';
import { loadProgrammeFacets, searchProgramme } from '../../server/programme/search.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeEvent } from '../helpers/factory.ts';
import { PUBLIC_2026, makeProgramme } from '../programme/world.ts';

const { app, db } = await buildTestApp(t);
const w = await makeProgramme(db);

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

interface Doc {
  total: number;
  licence: { name: string; url: string };
  events: Array<Record<string, any>>;
}

/** The programme's ids for a query string: its parser, its search, every event (as « tout sur une page » without its cap). */
async function programmeIds(query: string): Promise<number[]> {
  const current = (await findCurrentEdition(db, new Date('2026-09-15T08:00:00Z')))!;
  const facets = await loadProgrammeFacets(db, current.id);
  const { filters, notices } = parseProgrammeFilters(Object.fromEntries(new URLSearchParams(query)), { firstDay: current.firstDay, lastDay: current.lastDay, communes: facets.communes, territories: facets.territories });
  if (notices.length > 0) throw new Error(notices.join(' '));
  const { rows, total } = await searchProgramme(db, current.id, { ...filters, all: true }, { window: { limit: 10_000, offset: 0 } });
  if (total !== rows.length) throw new Error('the programme has more');
  return rows.map((r) => r.id);
}

const schemaResponse = await get('/donnees-ouvertes/schema.json');
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(schemaResponse.body));

async function json(url: string): Promise<Doc> {
  const res = await get(url);
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  const doc = JSON.parse(res.body) as Doc;
  if (!validate(doc)) throw new Error(`${url}: ${ajv.errorsText(validate.errors)}`);
  return doc;
}

t.test('the JSON is valid against its served schema and lists the programme’s events, in its order, filter by filter', async (t) => {
  t.equal(schemaResponse.statusCode, 200);
  t.match(schemaResponse.headers['content-type'], /^application\/schema\+json/);
  const cases = ['', 'access=lsf', 'access=wheelchair&access=quiet_space', 'commune=echirolles', 'category=groupe_de_parole', 'audience=adultes', 'day=2026-10-07', 'places=1', 'q=jardin', 'category=exposition'];
  for (const query of cases) {
    const doc = await json(`/programme.json${query ? `?${query}` : ''}`);
    const expected = await programmeIds(query);
    t.same(doc.events.map((e) => e.uid), expected, `?${query}: the programme's ${expected.length} events, same order`);
    t.equal(doc.total, expected.length, `?${query}: same count`);
  }
  const all = await json('/programme.json');
  t.equal(all.total, PUBLIC_2026, 'every public event of the edition, not one page');
  t.notOk(all.events.some((e) => e.title.fr === 'Brouillon secret'), 'no draft');
  t.equal(all.licence.url, 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/');

  const copied = await json('/programme.json?access=lsf&page=2');
  t.same(copied.events.map((e) => e.uid), await programmeIds('access=lsf'), 'a copied page-2 address has every event');
});

t.test('each event in OpenAgenda’s structure: times with offset, place, status, accessibility, registration', async (t) => {
  const doc = await json('/programme.json');
  const byId = new Map(doc.events.map((e) => [e.uid, e]));
  const jardin = byId.get(w.jardin.id)!;
  t.same(jardin.title, { fr: 'Jardin partagé des Lilas' });
  t.equal(jardin.slug, `jardin-partage-des-lilas-${w.jardin.id}`);
  t.same(jardin.timings, [{ begin: '2026-10-06T14:00:00+02:00', end: '2026-10-06T16:00:00+02:00' }]);
  t.equal(jardin.timezone, 'Europe/Paris');
  t.same(jardin.location, {
    name: 'Jardin des Lilas',
    address: '12 rue des Lilas',
    city: 'Grenoble',
    postalCode: '38000',
    latitude: 45.18,
    longitude: 5.72,
    timezone: 'Europe/Paris',
    access: { fr: 'Entrée par le portail vert, allée stabilisée.' },
  });
  t.same(jardin.accessibility, { hi: false, vi: false, mi: true, pi: true, ii: false }, 'wheelchair → motor, quiet space → psychic');
  t.equal(jardin.status, 1, 'scheduled');
  t.equal(jardin.attendanceMode, 1);
  t.same(jardin.registration, [
    { type: 'link', value: `http://localhost:3000/evenements/${w.jardin.id}/inscription` },
    { type: 'phone', value: '04 76 44 12 87' },
  ]);
  t.same(jardin.age, null, 'families have no age range');
  t.same(jardin.additionalFields.accessibilityFeatures, ['wheelchair', 'quiet_space']);
  t.same(jardin.additionalFields.accessibilityLabels, ['Accès fauteuil', 'Espace calme']);
  t.equal(jardin.additionalFields.easyReadSummary, 'On jardine ensemble. C’est gratuit. Vous pouvez venir avec une personne.');
  t.equal(jardin.additionalFields.placesLeft, 18, 'confirmed seats count, cancelled ones do not');
  t.match(jardin.longDescription.fr, 'Outils prêtés sur place.');

  const cine = byId.get(w.cine.id)!;
  t.equal(cine.status, 5, 'full');
  t.same(cine.accessibility, { hi: true, vi: false, mi: true, pi: false, ii: false }, 'LSF and captioning → hearing; the step-free cinema → motor');
  t.equal(cine.additionalFields.contentNote, 'Le film évoque le suicide.');
  t.equal(cine.additionalFields.placesLeft, 0);
  t.same(cine.age, { min: 18, max: null });

  const cancelled = byId.get(w.cancelled.id)!;
  t.equal(cancelled.status, 6, 'cancelled');
  t.equal(cancelled.additionalFields.cancellationReason, 'Le terrain est inondé.');
  t.same(cancelled.registration, [], 'nothing to register to');

  const conference = byId.get(w.conference.id)!;
  t.same(conference.timings, [{ begin: '2026-10-06T10:00:00+04:00', end: '2026-10-06T12:00:00+04:00' }], "La Réunion's own offset");
  t.same(conference.registration.map((r: { type: string }) => r.type), ['link'], 'no phone when the organiser gave none');
  t.equal(byId.get(w.balade.id)!.additionalFields.placesLeft, null, 'free entry');
});

t.test('the accessibility mapping: one table, families and venue facts', async (t) => {
  t.same(openAgendaAccessibility(['falc', 'caa'], []), { hi: false, vi: false, mi: false, pi: false, ii: true });
  t.same(openAgendaAccessibility(['audio_description'], []), { hi: false, vi: true, mi: false, pi: false, ii: false });
  t.same(openAgendaAccessibility(['other'], ['accessibleToilets', 'reservedParking']), { hi: false, vi: false, mi: false, pi: false, ii: false }, 'helping facts alone set no flag');
  t.same(openAgendaAccessibility([], ['inductionLoop', 'stepFreeEntrance', 'quietRoom']), { hi: true, vi: false, mi: true, pi: true, ii: false });
  const page = await get('/donnees-ouvertes');
  t.equal(page.statusCode, 200);
  const text = visibleText(page.body);
  t.match(text, /hi Handicap auditif Interprétation LSF, Vélotypie \/ sous-titrage, Boucle magnétique Boucle magnétique installée/, 'the page shows the table');
  t.match(text, 'Licence Ouverte');
  t.match(page.body, 'href="http://localhost:3000/donnees-ouvertes/schema.json"');
});

t.test('per organisation and per territory: only theirs, with the filters', async (t) => {
  const ville = await json(`/organisations/${w.ville.id}/programme.json`);
  t.same(ville.events.map((e) => e.uid), [w.conference.id, w.veillee.id]);
  const isere = await json(`/territoires/${w.isere.slug}/programme.json`);
  t.equal(isere.total, PUBLIC_2026 - 2);
  t.notOk(isere.events.some((e) => e.additionalFields.territory.slug === w.reunion.slug), "another territory's events are absent");
  const filtered = await json(`/territoires/${w.isere.slug}/programme.json?access=lsf`);
  t.same(filtered.events.map((e) => e.uid), [w.cine.id]);
  const reunionCsv = await get(`/territoires/${w.reunion.slug}/programme.csv`);
  t.notMatch(reunionCsv.body, 'Jardin des Lilas');

  t.equal((await get('/organisations/999999/programme.json')).statusCode, 404);
  t.equal((await get('/organisations/abc/programme.rss')).statusCode, 404);
  t.equal((await get('/territoires/nulle-part/programme.json')).statusCode, 404);
  const bad = await get('/programme.json?access=teleportation');
  t.equal(bad.statusCode, 400);
  t.match(bad.body, "L'aménagement « teleportation » n'existe pas.");
  t.equal((await get('/programme.csv?couleur=bleu')).statusCode, 400, 'an unknown parameter is refused');
});

/** A CSV as a spreadsheet reads it: `;`, quoted fields with doubled quotes, CRLF. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

t.test('the CSV opens in a spreadsheet: BOM, semicolons, quoting, no formula', async (t) => {
  const trap = await makeEvent(db, { editionId: w.edition.id, territoryId: w.isere.id, organisationId: w.gem.id, venueId: w.cinema.id }, {
    title: '=HYPERLINK("http://evil.example";"Clic")',
    startsAt: new Date('2026-10-13T08:00:00Z'),
    endsAt: new Date('2026-10-13T09:00:00Z'),
  });
  t.teardown(() => db.delete(event).where(eq(event.id, trap.id)));
  const res = await get('/programme.csv');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(res.headers['content-disposition'], /attachment; filename="programme-sism\.csv"/);
  const body = res.rawPayload.toString('utf8');
  t.ok(body.startsWith('\uFEFF'), 'BOM');
  const rows = readCsv(body.slice(1));
  t.equal(rows[0]![0], 'Identifiant');
  t.ok(rows.every((r) => r.length === rows[0]!.length), 'every row has every column');
  t.same(rows.slice(1).map((r) => Number(r[0])), await programmeIds(''), 'the programme’s events, in its order');
  const col = (name: string) => rows[0]!.indexOf(name);
  const cine = rows.find((r) => Number(r[0]) === w.cine.id)!;
  t.equal(cine[col('Titre')], 'Ciné-débat : « Le Cyclone intérieur »');
  t.equal(cine[col('Début (heure locale)')], '2026-10-07 20:00');
  t.equal(cine[col('Commune')], 'Échirolles');
  t.equal(cine[col('Accessibilité proposée')], 'Interprétation LSF, Vélotypie / sous-titrage');
  t.equal(cine[col('État')], 'complet');
  t.equal(cine[col('Places restantes')], '0');
  const jardin = rows.find((r) => Number(r[0]) === w.jardin.id)!;
  t.equal(jardin[col('Téléphone')], '04 76 44 12 87');
  t.equal(jardin[col('Adresse web')], `http://localhost:3000/evenements/${w.jardin.id}`);
  t.equal(rows.find((r) => Number(r[0]) === w.balade.id)![col('Places restantes')], 'entrée libre');
  t.equal(rows.find((r) => Number(r[0]) === w.cancelled.id)![col('État')], 'annulé');
  const guarded = rows.find((r) => Number(r[0]) === trap.id)!;
  t.equal(guarded[col('Titre')], `'=HYPERLINK("http://evil.example";"Clic")`, 'a formula is shown as text');
});

/** RSS parsed by a real XML tokenizer: every element closed where it was opened (no implied close), then the channel and its items. */
function parseRss(text: string) {
  const stack: Array<{ name: string; selfClosing: boolean }> = [];
  const problems: string[] = [];
  const items: Array<Record<string, string>> = [];
  const channel: Record<string, string> = {};
  let text_ = '';
  const parser = new Parser(
    {
      onopentag(name) {
        stack.push({ name, selfClosing: text.slice(parser.startIndex, parser.endIndex + 1).endsWith('/>') });
        text_ = '';
        if (name === 'item') items.push({});
      },
      ontext(data) {
        text_ += data;
      },
      onclosetag(name, implied) {
        // Self-closing elements (<atom:link …/>) close « implied » too; any other was left open.
        if (implied && !stack[stack.length - 1]?.selfClosing) problems.push(`<${name}> not closed`);
        stack.pop();
        const parent = stack[stack.length - 1]?.name;
        if (parent === 'item') items[items.length - 1]![name] = text_;
        else if (parent === 'channel') channel[name] = text_;
      },
      onerror(error) {
        problems.push(error.message);
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(text);
  return { problems, channel, items };
}

t.test('the RSS feed parses, carries the licence and lists the programme’s events', async (t) => {
  const res = await get('/programme.rss?access=lsf');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/rss\+xml; charset=utf-8/);
  t.match(res.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<rss version="2\.0"/);
  const rss = parseRss(res.body);
  t.same(rss.problems, [], 'well formed');
  t.equal(rss.channel.title, 'Programme SISM 2026');
  t.equal(rss.channel.link, 'http://localhost:3000/programme?access=lsf');
  t.match(rss.channel.copyright, 'Licence Ouverte');
  t.same(rss.items.map((i) => Number(/\/evenements\/(\d+)$/.exec(i.guid!)![1])), await programmeIds('access=lsf'));
  t.match(rss.items.find((i) => i.title === 'Ciné-débat : « Le Cyclone intérieur »')?.description, /mercredi 7 octobre 2026, 20 h 00 – 22 h 30\nCinéma Le Club, 9 rue du Phalanstère, 38130 Échirolles/);
  const all = parseRss((await get('/programme.rss')).body);
  t.ok(all.items.some((i) => i.title === 'ANNULÉ – Tournoi de football solidaire'), 'a cancelled event says so');
});

t.test('HTTP: ETag and 304, CORS on these routes only, caching, licence link, compression', async (t) => {
  for (const format of ['json', 'csv', 'rss']) {
    const res = await get(`/programme.${format}?commune=Grenoble`);
    t.equal(res.statusCode, 200, format);
    t.equal(res.headers['access-control-allow-origin'], '*', `${format}: readable from any site`);
    t.equal(res.headers['cache-control'], 'public, max-age=60');
    t.match(res.headers.link, '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"');
    t.ok(res.headers.etag, 'an ETag');
    const again = await get(`/programme.${format}?commune=Grenoble`, { 'if-none-match': String(res.headers.etag) });
    t.equal(again.statusCode, 304, `${format}: unchanged, a 304`);
    t.equal(again.body, '');
    t.equal(again.headers['access-control-allow-origin'], '*');
  }
  const search = await get('/programme.json?q=jardin');
  t.equal((await get('/programme.json?q=jardin', { 'if-none-match': String(search.headers.etag) })).statusCode, 304, 'a search, made again rather than kept, has the same ETag');
  const jsonRes = await get('/programme.json');
  t.match(jsonRes.headers.link, '<http://localhost:3000/donnees-ouvertes/schema.json>; rel="describedby"');
  const compressed = await get('/programme.json', { 'accept-encoding': 'gzip' });
  t.equal(compressed.headers['content-encoding'], 'gzip');

  const page = await get('/programme');
  t.equal(page.headers['access-control-allow-origin'], undefined, 'the programme page stays same-origin');

  // A change shows at once: new ETag, new content.
  const before = await get('/programme.json?category=balade');
  await db.update(event).set({ title: 'Balade contée au grand parc', updatedAt: new Date() }).where(eq(event.id, w.balade.id));
  t.teardown(() => db.update(event).set({ title: 'Balade contée au parc' }).where(eq(event.id, w.balade.id)));
  const after = await get('/programme.json?category=balade', { 'if-none-match': String(before.headers.etag) });
  t.equal(after.statusCode, 200, 'the old ETag no longer matches');
  t.match(after.body, 'Balade contée au grand parc');
});

t.test('the programme page advertises the files with its filters', async (t) => {
  const res = await get('/programme?access=lsf&commune=Grenoble&page=1');
  t.equal(res.statusCode, 200);
  for (const [type, path] of <Array<[string, string]>>[
    ['application/json', '/programme.json'],
    ['text/csv', '/programme.csv'],
    ['application/rss+xml', '/programme.rss'],
    ['text/calendar', '/programme/agenda.ics'],
  ]) {
    t.match(res.body, new RegExp(`<link rel="alternate" type="${type.replace(/[+/]/g, '\\$&')}" href="http://localhost:3000${path.replace(/\./g, '\\.')}\\?commune=Grenoble&amp;access=lsf"`), `${type} in the head`);
  }
  const head = res.body.slice(0, res.body.indexOf('</head>'));
  t.match(head, 'rel="alternate"', 'in <head>, where alternates belong');
  const block = visibleText(res.body.slice(res.body.indexOf('<h2>Données ouvertes</h2>')));
  t.match(block, /Données ouvertes Ce programme, avec ces filtres, à reprendre .* JSON \(compatible OpenAgenda\) CSV \(tableur\) RSS Comment réutiliser ces données/);
  t.match(res.body, 'href="/donnees-ouvertes"', 'the page for re-users is linked');
});

t.test('past the cap, a file is cut but still says how many events match', async (t) => {
  const current = (await findCurrentEdition(db, new Date('2026-09-15T08:00:00Z')))!;
  const { rows, total } = await loadOpenDataEvents(db, current.id, NO_FILTERS, undefined, 3);
  t.same(rows.map((r) => r.id), (await programmeIds('')).slice(0, 3), 'the first ones, in the programme’s order');
  t.equal(total, PUBLIC_2026, 'the count is not the cap');
});

t.test('in English (/en/): CSV headers and values, RSS texts, JSON with the organiser’s English beside the French, the page', async (t) => {
  const english = { en: { title: 'Shared garden at Les Lilas', summary: 'Planting, watering and tasting together in the garden.' } };
  await db.update(event).set({ translations: english, updatedAt: new Date() }).where(eq(event.id, w.jardin.id));
  t.teardown(() => db.update(event).set({ translations: {} }).where(eq(event.id, w.jardin.id)));
  const en = <T>(work: () => T) => inLanguage('en', work);

  // CSV: English headers, words and addresses; the organiser's English title.
  const csv = await get('/en/programme.csv');
  t.equal(csv.statusCode, 200);
  const rows = readCsv(csv.rawPayload.toString('utf8').slice(1));
  t.same(rows[0]!.slice(0, 4), ['ID', 'Title', 'Start (local time)', 'End (local time)']);
  for (const french of ['Identifiant', 'Titre', 'Commune', 'État', 'Places restantes', 'Adresse web']) t.notOk(rows[0]!.includes(french), `no « ${french} » header`);
  const col = (name: string) => rows[0]!.indexOf(name);
  const jardin = rows.find((r) => Number(r[0]) === w.jardin.id)!;
  t.equal(jardin[col('Title')], 'Shared garden at Les Lilas', 'the organiser’s English title');
  t.equal(jardin[col('Accessibility offered')], en(() => `${ACCESS_FEATURE_INFO.wheelchair.label}, ${ACCESS_FEATURE_INFO.quiet_space.label}`));
  t.not(jardin[col('Accessibility offered')], 'Accès fauteuil, Espace calme');
  t.equal(jardin[col('Web address')], `http://localhost:3000/en/evenements/${w.jardin.id}`);
  t.equal(rows.find((r) => Number(r[0]) === w.cine.id)![col('Status')], 'full');
  t.equal(rows.find((r) => Number(r[0]) === w.cancelled.id)![col('Status')], 'cancelled');
  t.equal(rows.find((r) => Number(r[0]) === w.balade.id)![col('Places left')], 'free entry');

  // RSS: the channel and the items in English.
  const rssRes = await get('/en/programme.rss?access=lsf');
  t.equal(rssRes.statusCode, 200);
  const rss = parseRss(rssRes.body);
  t.same(rss.problems, []);
  t.equal(rss.channel.title, 'SISM 2026 programme');
  t.match(rss.channel.description, /^SISM 2026 programme: \d+ events?\.$/);
  t.equal(rss.channel.language, 'en');
  t.equal(rss.channel.link, 'http://localhost:3000/en/programme?access=lsf');
  t.match(rss.channel.copyright, /^Licence Ouverte .*\): https:/);
  t.match(rssRes.body, '<atom:link href="http://localhost:3000/en/programme.rss?access=lsf" rel="self"');
  const cine = rss.items.find((i) => i.title === 'Ciné-débat : « Le Cyclone intérieur »')!;
  t.match(cine.description, /^Wednesday,? 7 October 2026/);
  t.match(cine.description, /Organised by GEM L'Entre-Deux \(04 76 44 12 87\)\nAccessibility: /);
  t.equal(cine.link, `http://localhost:3000/en/evenements/${w.cine.id}`);
  const all = parseRss((await get('/en/programme.rss')).body);
  t.ok(all.items.some((i) => i.title === 'CANCELLED – Tournoi de football solidaire'), 'a cancelled event says so, in English');
  t.ok(all.items.some((i) => i.title === 'Shared garden at Les Lilas'), 'the organiser’s English title');
  const rssText = all.items.map((i) => i.description).join('\n');
  for (const french of ['Organisé par', 'Accessibilité :', 'Annulé', 'En ligne']) t.notOk(rssText.includes(french), `no « ${french} »`);

  // JSON: still valid; texts keyed by language, the English beside the French.
  const doc = await json('/en/programme.json');
  const jardinEvent = doc.events.find((e) => e.uid === w.jardin.id)!;
  t.same(jardinEvent.title, { fr: 'Jardin partagé des Lilas', en: 'Shared garden at Les Lilas' });
  t.same(jardinEvent.description, { fr: 'Planter, arroser et goûter ensemble au jardin.', en: 'Planting, watering and tasting together in the garden.' });
  t.equal(jardinEvent.longDescription.en, 'Planting, watering and tasting together in the garden.');
  t.same(jardinEvent.keywords.fr, [CATEGORY_LABELS[w.jardin.category], AUDIENCE_LABELS[w.jardin.audience]], 'keywords in French…');
  t.same(jardinEvent.keywords.en, en(() => [CATEGORY_LABELS[w.jardin.category], AUDIENCE_LABELS[w.jardin.audience]]), '…and in English');
  t.same(jardinEvent.additionalFields.accessibilityLabels, en(() => [ACCESS_FEATURE_INFO.wheelchair.label, ACCESS_FEATURE_INFO.quiet_space.label]));
  t.equal(jardinEvent.additionalFields.url, `http://localhost:3000/en/evenements/${w.jardin.id}`);
  t.equal(jardinEvent.registration[0].value, `http://localhost:3000/en/evenements/${w.jardin.id}/inscription`);
  t.same(doc.events.find((e) => e.uid === w.cine.id)!.title, { fr: 'Ciné-débat : « Le Cyclone intérieur »' }, 'no English: French only');
  t.equal((doc as unknown as { source: string }).source, 'http://localhost:3000/en/programme');
  t.match((await get('/en/programme.json')).headers.link, '<http://localhost:3000/en/donnees-ouvertes/schema.json>; rel="describedby"');
  const schema = JSON.parse((await get('/en/donnees-ouvertes/schema.json')).body) as { title: string; $id: string; properties: { total: { description: string } } };
  t.equal(schema.title, 'SISM programme, open data (events in OpenAgenda v2 format)', 'the schema in English');
  t.equal(schema.$id, 'http://localhost:3000/en/donnees-ouvertes/schema.json');
  t.equal(schema.properties.total.description, 'Events matching the filters (even beyond the limit).');
  t.same((await json('/programme.json')).events.find((e) => e.uid === w.jardin.id)!.title, { fr: 'Jardin partagé des Lilas', en: 'Shared garden at Les Lilas' }, 'the French file carries it too');

  // Errors and the page for re-users.
  const bad = await get('/en/programme.json?access=teleportation');
  t.equal(bad.statusCode, 400);
  t.match(bad.body, /^This open data address has a filter we cannot use: [\s\S]*\nThe filters you can use are described at http:\/\/localhost:3000\/en\/donnees-ouvertes\.\n$/);
  const page = await get('/en/donnees-ouvertes');
  t.equal(page.statusCode, 200);
  const text = visibleText(page.body);
  t.match(text, 'Open data');
  t.match(text, 'The JSON fields');
  t.match(text, 'http://localhost:3000/en/programme.csv');
  t.match(page.body, 'href="http://localhost:3000/en/donnees-ouvertes/schema.json"', 'the English schema');
  for (const french of ['Données ouvertes', 'Ce qui est publié', 'Les filtres', 'vous pouvez les reprendre', 'aucun', 'Identifiant']) t.notOk(text.includes(french), `no « ${french} » on the page`);
});
