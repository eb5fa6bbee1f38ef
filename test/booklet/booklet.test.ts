// @databases: pglite, postgres
// The printed programme: the PDF read back as a reader does (every event in day and local-time
// order, full addresses, phones, pictogram words, how to register, the index by commune, the
// notes), A4 and A5, tagged; per territory and with the programme's filters; ETag, 304 and the
// cache; and the same details on the HTML print view (?tout=1).
import t from 'tap';
import { eq } from 'drizzle-orm';
import { event } from '../../server/db/schema.ts';
import { buildTestApp } from '../helpers/app.ts';
import { makeEdition, makeEvent, makeOrganisation, makeTerritory, makeVenue } from '../helpers/factory.ts';
import { readPdf } from '../helpers/pdf-text.ts';

t.test('the printed programme', async (t) => {
  const { app, db, clock } = await buildTestApp(t);
  const isere = await makeTerritory(db, { slug: 'grenoble-alpes', name: 'CLSM Grenoble-Alpes', timeZone: 'Europe/Paris' });
  const reunion = await makeTerritory(db, { slug: 'saint-denis', name: 'CLSM Saint-Denis', timeZone: 'Indian/Reunion' });
  const ed = await makeEdition(db);
  const gem = await makeOrganisation(db, isere.id, { name: 'GEM Entre-Deux', contactPhone: '04 76 44 12 87' });
  const ville = await makeOrganisation(db, reunion.id, { name: 'Ville de Saint-Denis', contactPhone: '02 62 40 04 04' });
  const collectif = await makeOrganisation(db, isere.id, { name: 'Collectif Sans Fil', contactPhone: null });
  const jardinVenue = await makeVenue(db, isere.id, gem.id, { name: 'Jardin des Lilas', address: '12 rue des Lilas', postcode: '38000', commune: 'Grenoble' });
  const cinema = await makeVenue(db, isere.id, null, { name: 'Cinéma Le Club', address: '9 rue du Phalanstère', postcode: '38130', commune: 'Échirolles' });
  const caseVenue = await makeVenue(db, reunion.id, ville.id, { name: 'Case Sainte-Anne', address: '3 rue Sainte-Anne', postcode: '97400', commune: 'Saint-Denis' });
  const isereRefs = { editionId: ed.id, territoryId: isere.id, organisationId: gem.id };
  const at = (iso: string, hours = 2) => ({ startsAt: new Date(iso), endsAt: new Date(new Date(iso).getTime() + hours * 3_600_000) });

  // Inserted out of order. Tuesday 6 October: 09:00 in Grenoble (07:00 UTC) comes before 10:00
  // at La Réunion (06:00 UTC): the programme reads each event's own local time.
  const cine = await makeEvent(db, { ...isereRefs, venueId: cinema.id }, { title: 'Ciné-débat du mercredi', accessibilityOffered: ['lsf', 'captioning'], ...at('2026-10-07T18:00:00Z') });
  const jardin = await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, { title: 'Jardin partagé', accessibilityOffered: ['wheelchair', 'quiet_space'], ...at('2026-10-06T12:00:00Z') });
  const conference = await makeEvent(db, { editionId: ed.id, territoryId: reunion.id, organisationId: ville.id, venueId: caseVenue.id }, { title: 'Conférence sur le lien', accessibilityOffered: ['induction_loop'], ...at('2026-10-06T06:00:00Z') });
  const balade = await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, { title: 'Balade contée', accessibilityOffered: [], capacity: null, ...at('2026-10-06T07:00:00Z') });
  const atelier = await makeEvent(db, { editionId: ed.id, territoryId: isere.id, organisationId: collectif.id }, { title: 'Atelier en ligne', onlineUrl: 'https://visio.example/atelier', accessibilityOffered: ['captioning'], ...at('2026-10-08T16:00:00Z') });
  const tournoi = await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, { title: 'Tournoi solidaire', state: 'cancelled', cancellationReason: 'Terrain inondé.', ...at('2026-10-09T12:00:00Z') });
  await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, { title: 'Brouillon secret', state: 'draft', publishedAt: null });
  const inOrder = [balade, conference, jardin, cine, atelier, tournoi];

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const linesOf = async (url: string) => {
    const res = await get(url);
    t.equal(res.statusCode, 200, `${url}: 200`);
    return { res, pdf: await readPdf(res.rawPayload) };
  };

  t.test('the whole programme in A4: cover, events in order with their details, index, notes, tags', async (t) => {
    const { res, pdf } = await linesOf('/programme.pdf');
    t.equal(res.headers['content-type'], 'application/pdf');
    t.equal(res.headers['content-disposition'], 'inline; filename="programme-sism-2026.pdf"');
    t.equal(res.headers['cache-control'], 'public, no-cache');
    t.match(res.headers.etag, /^"[\w-]+"$/);
    t.ok(pdf.sizes.every(([w, h]) => Math.round(w) === 595 && Math.round(h) === 842), 'A4 pages');

    t.equal(pdf.title, 'Programme des SISM 2026');
    t.equal(pdf.language, 'fr-FR');
    t.ok(pdf.marked, 'marked content (MarkInfo)');
    t.ok(res.rawPayload.includes('/StructTreeRoot'), 'a structure tree');
    t.equal(pdf.roles.filter((r) => r === 'H1').length, 1);
    for (const role of ['H2', 'H3', 'P', 'Sect']) t.ok(pdf.roles.includes(role), `tagged ${role}`);

    const lines = pdf.pages.flat();
    const text = lines.join(' ');
    t.equal(lines[0], 'Programme des SISM 2026');
    t.ok(lines.includes('Thème : « Pour notre santé mentale, réparons le lien social »'), 'the theme on the cover');
    t.ok(lines.includes('Du lundi 5 octobre 2026 au dimanche 18 octobre 2026'), 'the dates');
    t.ok(lines.includes('Territoires : CLSM Grenoble-Alpes, CLSM Saint-Denis'), 'the territories');
    t.ok(lines.includes('6 événements.'));
    t.notOk(text.includes('Brouillon secret'), 'no draft');

    const indexAt = lines.indexOf('Index par commune');
    t.ok(indexAt > 0, 'an index by commune');
    const titles = inOrder.map((e) => lines.findIndex((l, i) => i < indexAt && l.startsWith(e.title)));
    t.notOk(titles.includes(-1), 'every title before the index');
    t.same(titles, [...titles].sort((a, b) => a - b), 'in day and local-time order');
    const days = ['Mardi 6 octobre 2026', 'Mercredi 7 octobre 2026', 'Jeudi 8 octobre 2026', 'Vendredi 9 octobre 2026'].map((d) => lines.indexOf(d));
    t.notOk(days.includes(-1), 'a heading per day');
    t.ok(days[0]! < titles[0]! && titles[2]! < days[1]! && days[1]! < titles[3]! && days[3]! < titles[5]!, 'each event under its day');
    t.ok(lines.includes('Tournoi solidaire (annulé)'), 'a cancelled event says so');

    // The Jardin's block, from its title to the next event's time line.
    const block = lines.slice(titles[2]!, titles[3]! - 1).join(' ');
    t.match(block, 'Lieu : Jardin des Lilas, 12 rue des Lilas, 38000 Grenoble', 'full address');
    t.match(block, 'Organisation : GEM Entre-Deux, tél. 04 76 44 12 87', 'organiser and phone');
    t.match(block, /Accès fauteuil \| Espace calme/, 'the access words beside their pictograms');
    t.ok(lines.includes(`S’inscrire, se renseigner : tél. 04 76 44 12 87 ou localhost:3000/evenements/${jardin.id}`), 'how to register: phone and short link, on one line');
    t.match(lines.slice(titles[1]!, titles[2]!).join(' '), 'Lieu : Case Sainte-Anne, 3 rue Sainte-Anne, 97400 Saint-Denis');
    t.match(lines[titles[0]! - 1], /^09 h 00 – 11 h 00 · /, 'the time in the venue’s zone');
    t.match(lines[titles[1]! - 1], /^10 h 00 – 12 h 00 \(heure de La Réunion\) · /, 'and at La Réunion, its own');
    const online = lines.slice(titles[4]!, titles[5]! - 1).join(' ');
    t.match(online, 'En ligne');
    t.match(online, 'Organisation : Collectif Sans Fil Vélotypie / sous-titrage', 'the organiser');
    t.notOk(online.includes('tél.'), 'no phone: none printed');
    t.match(online, `S’inscrire, se renseigner : localhost:3000/evenements/${atelier.id}`);

    const notesAt = lines.indexOf('Accessibilité', indexAt);
    const index = lines.slice(indexAt, notesAt);
    const communes = ['Échirolles', 'Grenoble', 'Saint-Denis', 'En ligne'].map((c) => index.indexOf(c));
    t.notOk(communes.includes(-1), 'every commune in the index, online events apart');
    t.same(communes, [...communes].sort((a, b) => a - b), 'communes in alphabetical order, online last');
    const grenoble = index.slice(communes[1]!, communes[2]!).join(' ');
    for (const e of [balade, jardin, tournoi]) t.match(grenoble, e.title, `${e.title} under Grenoble`);
    t.match(grenoble, /Mardi 6 octobre 2026, 09 h 00 – 11 h 00 : Balade contée, page \d/, 'with its day, time and page');
    t.ok(notesAt > indexAt, 'the accessibility note after the index');
    t.ok(lines.indexOf('Données personnelles', notesAt) > notesAt, 'then the privacy note');
    t.match(lines.slice(notesAt).join(' '), 'effacés 30 jours après l’événement');
  });

  t.test('one territory as an A5 booklet; the programme’s filters; bad requests', async (t) => {
    const { res, pdf } = await linesOf('/territoires/grenoble-alpes/programme.pdf?format=a5');
    t.equal(res.headers['content-disposition'], 'inline; filename="programme-sism-2026-grenoble-alpes-livret-a5.pdf"');
    t.ok(pdf.sizes.every(([w, h]) => Math.round(w) === 420 && Math.round(h) === 595), 'A5 pages');
    t.equal(pdf.title, 'Programme des SISM 2026 : CLSM Grenoble-Alpes');
    const text = pdf.pages.flat().join(' ');
    for (const e of [balade, jardin, cine, atelier, tournoi]) t.match(text, e.title);
    t.notOk(text.includes(conference.title), 'not another territory’s event');
    t.notOk(text.includes('Saint-Denis'), 'nor its commune in the index');

    const filtered = (await linesOf('/programme.pdf?commune=echirolles&access=lsf')).pdf.pages.flat();
    t.ok(filtered.includes('Sélection : Commune : Échirolles ; Accessibilité : Interprétation LSF'), 'the filters on the cover');
    t.ok(filtered.includes(cine.title));
    for (const e of [balade, jardin, conference, atelier, tournoi]) t.notOk(filtered.join(' ').includes(e.title), `${e.title} filtered out`);
    const reunionOnly = (await linesOf('/territoires/saint-denis/programme.pdf?access=wheelchair')).pdf.pages.flat();
    t.ok(reunionOnly.includes('Aucun événement.'), 'territory and filter together');

    // A past edition, to archive: « annee ».
    const older = await makeEdition(db, { year: 2025, theme: 'Santé mentale et discriminations', firstDay: '2025-10-06', lastDay: '2025-10-19' });
    await makeEvent(db, { ...isereRefs, editionId: older.id, venueId: jardinVenue.id }, { title: 'Pique-nique de 2025', ...at('2025-10-07T10:00:00Z') });
    const archive = (await linesOf('/programme.pdf?annee=2025')).pdf.pages.flat();
    t.equal(archive[0], 'Programme des SISM 2025');
    t.ok(archive.includes('Thème : « Santé mentale et discriminations »'));
    t.ok(archive.includes('Pique-nique de 2025'));
    t.notOk(archive.join(' ').includes(jardin.title), 'not the current edition’s events');
    t.notOk((await linesOf('/programme.pdf')).pdf.pages.flat().includes('Pique-nique de 2025'), 'the current edition by default');
    t.equal((await get('/programme.pdf?annee=1999')).statusCode, 404);
    t.equal((await get('/programme.pdf?tout=1&page=2')).statusCode, 200, 'the page’s paging, copied with its address, is dropped');

    const bad = await get('/programme.pdf?format=a3');
    t.equal(bad.statusCode, 400);
    t.match(bad.body, 'Le format « a3 » n&#39;existe pas');
    const badFilter = await get('/programme.pdf?category=inconnue');
    t.equal(badFilter.statusCode, 400);
    t.match(badFilter.body, 'Le type d&#39;événement « inconnue » n&#39;existe pas.');
    t.equal((await get('/territoires/nulle-part/programme.pdf')).statusCode, 404);
  });

  t.test('cached per programme version, ETag and 304', async (t) => {
    const first = await get('/programme.pdf?format=a5');
    const etag = first.headers.etag as string;
    const notModified = await get('/programme.pdf?format=a5', { 'if-none-match': etag });
    t.equal(notModified.statusCode, 304);
    t.equal(notModified.body, '');

    // A file made again would say so: its date (cover, metadata) follows the clock.
    clock.advance(86_400_000);
    const again = await get('/programme.pdf?format=a5');
    t.equal(again.headers.etag, etag, 'the same ETag a day later: nothing changed');
    t.ok(again.rawPayload.equals(first.rawPayload), 'the very file kept, not made again');

    await db.update(event).set({ title: 'Jardin partagé renommé', updatedAt: clock.now() }).where(eq(event.id, jardin.id));
    const changed = await get('/programme.pdf?format=a5', { 'if-none-match': etag });
    t.equal(changed.statusCode, 200, 'an edited event makes a new file');
    t.not(changed.headers.etag, etag);
    const lines = (await readPdf(changed.rawPayload)).pages.flat();
    t.ok(lines.includes('Jardin partagé renommé'));
    t.ok(lines.includes('Document produit le mercredi 16 septembre 2026.'));
  });

  t.test('the HTML print view has the same details, and links to the PDF', async (t) => {
    const res = await get('/programme?tout=1');
    t.equal(res.statusCode, 200);
    const text = res.body.replace(/<[^>]+>/g, '');
    t.match(text, 'Adresse : Jardin des Lilas, 12 rue des Lilas, 38000 Grenoble.');
    t.match(text, 'Adresse : Case Sainte-Anne, 3 rue Sainte-Anne, 97400 Saint-Denis.');
    t.match(text, 'Organisation : GEM Entre-Deux, tél. 04 76 44 12 87.');
    t.match(text, `S’inscrire, se renseigner : par téléphone au 04 76 44 12 87, ou sur http://localhost:3000/evenements/${cine.id}.`);
    t.match(text, `Organisation : Collectif Sans Fil. S’inscrire, se renseigner : sur http://localhost:3000/evenements/${atelier.id}.`, 'no phone: the link alone');
    const cancelled = text.slice(text.indexOf(tournoi.title));
    t.match(cancelled, /^Tournoi solidaire\s+Annulé\s/);
    t.notOk(cancelled.includes('S’inscrire'), 'nothing to register for a cancelled event (the last of the list)');
    t.match(res.body, '<a href="/programme.pdf?format=a4">programme en PDF, format A4</a>');
    t.match(res.body, '<a href="/territoires/saint-denis/programme.pdf?format=a5">livret A5<span class="visually-hidden">, programme de CLSM Saint-Denis en PDF</span></a>', 'each territory’s');
    // The link follows the filters, in the results that htmx swaps too.
    const filtered = await get('/programme?commune=Grenoble', { 'hx-request': 'true' });
    t.match(filtered.body, `Pour l'imprimer ou le distribuer, avec ces filtres : <a href="/programme.pdf?commune=Grenoble&amp;format=a4">`);
    t.match(filtered.body, '<a href="/territoires/grenoble-alpes/programme.pdf?commune=Grenoble&amp;format=a5">');
  });
  t.test('in English (/en/programme.pdf): every word of the booklet, its language tag, its links', async (t) => {
    const { res, pdf } = await linesOf('/en/programme.pdf');
    t.equal(res.headers['content-type'], 'application/pdf');
    t.equal(pdf.language, 'en-GB', 'the document says it is in English');
    t.equal(pdf.title, 'SISM 2026 programme');
    const lines = pdf.pages.flat();
    const text = lines.join(' ');
    t.equal(lines[0], 'SISM 2026 programme');
    t.ok(lines.includes('Mental Health Information Weeks (SISM) 2026'), 'the cover');
    t.ok(lines.includes('Areas: CLSM Grenoble-Alpes, CLSM Saint-Denis'), 'the areas');
    t.match(text, /Theme: ‘[^’]+’/);
    t.match(text, `Programme online and registration: http://localhost:3000/en/programme.`);
    t.match(text, /Document produced on \w+,? 16 September 2026\./);
    t.match(text, 'Venue: Jardin des Lilas, 12 rue des Lilas, 38000 Grenoble');
    t.match(text, 'Organisation: GEM Entre-Deux, tel. 04 76 44 12 87');
    t.ok(lines.includes(`To register or find out more: tel. 04 76 44 12 87 or localhost:3000/en/evenements/${jardin.id}`), 'how to register, with the English page');
    t.match(text, `To register or find out more: localhost:3000/en/evenements/${atelier.id}`);
    t.ok(lines.includes('Tournoi solidaire (cancelled)'));
    t.ok(lines.includes('This event is cancelled.'));
    const indexAt = lines.indexOf('Index by town');
    t.ok(indexAt > 0, 'the index by town');
    t.ok(lines.indexOf('Online', indexAt) > indexAt, 'online events last in the index');
    t.match(lines.slice(indexAt).join(' '), /Tournoi solidaire \(cancelled\), page \d/);
    const notesAt = lines.indexOf('Accessibility', indexAt);
    t.ok(notesAt > indexAt, 'the accessibility note');
    t.ok(lines.indexOf('Personal data', notesAt) > notesAt, 'the privacy note');
    t.match(lines.slice(notesAt).join(' '), 'deleted 30 days after the event');
    t.match(lines.slice(notesAt).join(' '), 'http://localhost:3000/en/accessibilite');
    t.match(text, /page 1 of \d+/, 'the footer');
    for (const french of ['Lieu :', 'Organisation :', 'S’inscrire', 'Index par commune', 'Données personnelles', 'Accessibilité', '(annulé)', 'Thème', 'Territoires', 'Document produit', 'page 1 sur', 'En ligne', 'tél.']) {
      t.notOk(text.includes(french), `no « ${french} »`);
    }
    const french = await linesOf('/programme.pdf');
    t.equal(french.pdf.language, 'fr-FR', 'the French file is kept apart');
    t.ok(french.pdf.pages.flat().includes('Index par commune'));

    const bad = await get('/en/programme.pdf?format=a3');
    t.equal(bad.statusCode, 400);
    t.match(bad.body, 'There is no ‘a3’ format');
  });
});
