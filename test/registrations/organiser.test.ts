// @databases: pglite
// The organiser's side: lists and needs, answers, CSV, check-in, phone registrations; who may see
// what (object-level checks, no IDOR) and the audit trail of every look at health data.
import t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { accessNeed, auditLog, registration } from '../../server/db/schema.ts';
import { register } from '../../server/registrations/register.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeCoordinator, makeMember, makeTerritory, makeUser, makeWorld } from '../helpers/factory.ts';
import { mails, needsOf, person, registrationsOf } from './helpers.ts';

const now = new Date('2026-09-10T08:00:00Z');

async function setup(t: Parameters<typeof buildTestApp>[0], options: { now?: string } = {}) {
  const app = await buildTestApp(t, { now: options.now ?? '2026-09-10T08:00:00Z' });
  const { db } = app;
  const w = await makeWorld(db, { capacity: 3 });
  const other = await makeWorld(db); // another organisation's event, same edition
  const member = await makeUser(db, { email: 'orga@example.org' });
  await makeMember(db, member.id, w.organisation.id);
  const coordinator = await makeUser(db, { email: 'clsm@example.org' });
  await makeCoordinator(db, coordinator.id, w.territory.id);
  const outsider = await makeUser(db, { email: 'autre-asso@example.org' });
  await makeMember(db, outsider.id, other.organisation.id);
  const farCoordinator = await makeUser(db, { email: 'autre-clsm@example.org' });
  await makeCoordinator(db, farCoordinator.id, (await makeTerritory(db)).id);

  const reg = (values: Parameters<typeof person>[0]) => register(db, now, w.event.id, person(values));
  const awa = await reg({ name: 'Awa', needs: [{ category: 'lsf', detail: null }, { category: 'caa', detail: 'pictogrammes' }], needsConsent: true });
  const bruno = await reg({ name: 'Bruno', seats: 2, email: null, phone: '0600000001', needs: [{ category: 'lsf', detail: 'premier rang' }, { category: 'wheelchair', detail: null }], needsConsent: true });
  const chloe = await reg({ name: 'Chloé', needs: [{ category: 'caa', detail: null }], needsConsent: true }); // waitlisted
  const otherReg = await register(db, now, other.event.id, person({ name: 'Ailleurs', needs: [{ category: 'falc', detail: null }], needsConsent: true }));
  if (!awa.ok || !bruno.ok || !chloe.ok || !otherReg.ok) throw new Error('setup');
  return { ...app, w, other, member, coordinator, awa, bruno, chloe, otherReg };
}

async function audits(db: Awaited<ReturnType<typeof setup>>['db']) {
  return db.select().from(auditLog).orderBy(asc(auditLog.id));
}

t.test('the list: registrations, seats, aggregate of needs; audited; visible to the coordinator', async (t) => {
  const { agent, db, w, member, coordinator } = await setup(t);
  const signedOut = await agent().get(`/espace/evenements/${w.event.id}/inscriptions`);
  t.equal(signedOut.statusCode, 303);
  t.match(signedOut.headers.location, /^\/connexion\?retour=/);

  const a = agent();
  await a.signInAs('orga@example.org');
  const res = await a.get(`/espace/evenements/${w.event.id}/inscriptions`);
  t.equal(res.statusCode, 200);
  const text = visibleText(res.body);
  t.match(text, `Inscriptions : ${w.event.title}`);
  t.match(text, 'Places confirmées 3 sur 3, pour 2 inscriptions');
  t.match(text, "Liste d'attente 1 inscription (1 place)");
  t.match(text, "Besoins d'accessibilité Interprétation LSF : 2, Supports CAA, pictogrammes : 2, Accès fauteuil : 1");
  t.match(text, 'Awa — 1 place, confirmée');
  t.match(text, "Chloé — 1 place, liste d'attente (position 1)");
  t.match(text, /Personnes à prévenir par téléphone \(1\) .* Bruno \+33 6 00 00 00 01 Inscription confirmée : lui confirmer sa place/, 'no address nor texts: on the call list');
  t.match(text, '« premier rang »');
  t.equal(res.headers['cache-control'], 'no-store');
  t.match(res.body, /<body [^>]*hx-history="false"/);

  const coord = agent();
  await coord.signInAs('clsm@example.org');
  t.equal((await coord.get(`/espace/evenements/${w.event.id}/inscriptions`)).statusCode, 200, "the territory's coordinator sees the same");

  const rows = await audits(db);
  t.same(
    rows.map((r) => [r.actorUserId, r.action, r.eventId, r.registrationId]),
    [
      [member.id, 'needs.view', w.event.id, null],
      [coordinator.id, 'needs.view', w.event.id, null],
    ],
    'who, what, which event — never the needs',
  );
  t.same(Object.keys(rows[0]!).sort(), ['action', 'actorUserId', 'createdAt', 'eventId', 'id', 'registrationId']);
  t.same(rows[0]!.createdAt, now);
});

t.test('access: other organisations and other territories get 403, unknown events 404', async (t) => {
  const { agent, db, w } = await setup(t);
  const outsider = agent();
  await outsider.signInAs('autre-asso@example.org');
  const far = agent();
  await far.signInAs('autre-clsm@example.org');
  const urls = [
    `/espace/evenements/${w.event.id}/inscriptions`,
    `/espace/evenements/${w.event.id}/inscriptions.csv`,
    `/espace/evenements/${w.event.id}/emargement`,
    `/espace/evenements/${w.event.id}/inscriptions/nouvelle`,
  ];
  for (const url of urls) {
    for (const who of [outsider, far]) {
      const res = await who.get(url);
      t.equal(res.statusCode, 403, url);
      t.match(visibleText(res.body), 'Vous ne gérez pas cet événement');
      t.notMatch(res.body, 'Awa');
    }
  }
  const [need] = await db.select().from(accessNeed).orderBy(asc(accessNeed.id));
  t.equal((await outsider.post(`/espace/evenements/${w.event.id}/besoins/${need!.id}`, { statut: 'planned' })).statusCode, 403);
  t.equal((await outsider.post(`/espace/evenements/${w.event.id}/inscriptions/nouvelle`, { nom: 'X', email: 'x@example.org', places: '1' })).statusCode, 403);
  const [first] = await registrationsOf(db, w.event.id);
  t.equal((await outsider.post(`/espace/evenements/${w.event.id}/emargement/${first!.id}`)).statusCode, 403);
  t.equal((await outsider.get('/espace/evenements/999999/inscriptions')).statusCode, 404);
  t.equal((await db.select().from(auditLog)).length, 0, 'nothing shown, nothing audited');
  t.equal((await registrationsOf(db, w.event.id)).length, 3, 'nothing registered');
});

t.test("IDOR: another event's need or registration ids on this event's routes are 404", async (t) => {
  const { agent, db, w, otherReg } = await setup(t);
  const a = agent();
  await a.signInAs('orga@example.org');
  const [foreignNeed] = await needsOf(db, otherReg.ok ? otherReg.registrationId : 0);
  const answer = await a.post(`/espace/evenements/${w.event.id}/besoins/${foreignNeed!.id}`, { statut: 'not_possible', reponse: 'non' });
  t.equal(answer.statusCode, 404);
  t.match((await needsOf(db, foreignNeed!.registrationId))[0], { status: 'requested', response: null }, 'untouched');
  const toggle = await a.post(`/espace/evenements/${w.event.id}/emargement/${foreignNeed!.registrationId}`);
  t.equal(toggle.statusCode, 404);
  t.equal((await db.select().from(registration).where(eq(registration.id, foreignNeed!.registrationId)))[0]!.checkedInAt, null);
  t.equal((await mails(db, 'access_need_answered')).length, 0);
  t.equal((await a.post(`/espace/evenements/${w.event.id}/besoins/abc`, { statut: 'planned' })).statusCode, 404);
});

t.test('answering a need: planned or not possible (message required); the person is told', async (t) => {
  const { agent, db, w, member, awa, bruno } = await setup(t);
  const a = agent();
  await a.signInAs('orga@example.org');
  const [, caa] = await needsOf(db, awa.ok ? awa.registrationId : 0);

  const missing = await a.post(`/espace/evenements/${w.event.id}/besoins/${caa!.id}`, { statut: 'not_possible', reponse: '' });
  t.equal(missing.statusCode, 422);
  t.match(missing.body, `<li><a href="#reponse-${caa!.id}">Expliquez en quelques mots`);
  t.match(missing.body, new RegExp(`id="statut-${caa!.id}-impossible" name="statut" value="not_possible" checked`), 'the choice is kept');
  const noStatus = await a.post(`/espace/evenements/${w.event.id}/besoins/${caa!.id}`, { statut: 'peut-etre' });
  t.match(noStatus.body, `<li><a href="#statut-${caa!.id}">`);
  t.equal((await mails(db, 'access_need_answered')).length, 0);

  const ok = await a.post(`/espace/evenements/${w.event.id}/besoins/${caa!.id}`, { statut: 'planned', reponse: 'Classeur de pictogrammes prêt' });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, `/espace/evenements/${w.event.id}/inscriptions?repondu=${caa!.id}#besoin-${caa!.id}`);
  t.match((await needsOf(db, caa!.registrationId))[1], { status: 'planned', response: 'Classeur de pictogrammes prêt', answeredByUserId: member.id, answeredAt: new Date('2026-09-10T08:00:00Z') });
  const queued = await mails(db, 'access_need_answered');
  t.same(queued.map((m) => [m.recipient, m.payload.needId]), [[(await registrationsOf(db, w.event.id))[0]!.email, caa!.id]]);
  t.match(visibleText((await a.get(ok.headers.location as string)).body), 'Réponse enregistrée.');

  // Bruno gave no email: the answer is stored, no mail (the page says to phone him).
  const [lsf] = await needsOf(db, bruno.ok ? bruno.registrationId : 0);
  t.equal((await a.post(`/espace/evenements/${w.event.id}/besoins/${lsf!.id}`, { statut: 'not_possible', reponse: 'Interprète indisponible ce jour-là' })).statusCode, 303);
  t.equal((await mails(db, 'access_need_answered')).length, 1);
  t.same(
    (await audits(db)).filter((r) => r.action === 'needs.answer').map((r) => [r.actorUserId, r.eventId, r.registrationId]),
    [
      [member.id, w.event.id, caa!.registrationId],
      [member.id, w.event.id, lsf!.registrationId],
    ],
    'each answer audited: who, which event and registration (never the need itself)',
  );
});

t.test('needs still requested close to the deadline (or after) are flagged in words', async (t) => {
  // Deadline: 22 September 14:00 UTC.
  const early = await setup(t, { now: '2026-09-10T08:00:00Z' });
  const a = early.agent();
  await a.signInAs('orga@example.org');
  t.notMatch(visibleText((await a.get(`/espace/evenements/${early.w.event.id}/inscriptions`)).body), 'À traiter en priorité');

  early.clock.set('2026-09-16T08:00:00Z'); // 6 days before
  await a.signInAs('orga@example.org'); // sessions expire after 2 hours of this clock
  const soon = visibleText((await a.get(`/espace/evenements/${early.w.event.id}/inscriptions`)).body);
  t.match(soon, "2 besoins encore sans réponse à moins de 7 jours de la date limite des demandes, ou après");
  t.match(soon, 'À traiter en priorité : la date limite des demandes approche (mardi 22 septembre 2026 à 14 h 00).');
  t.equal(soon.split('À traiter en priorité :').length - 1, 2, 'the two unanswered CAA requests; offered needs are planned already');

  early.clock.set('2026-09-23T08:00:00Z');
  await a.signInAs('orga@example.org');
  t.match(visibleText((await a.get(`/espace/evenements/${early.w.event.id}/inscriptions`)).body), 'À traiter en priorité : la date limite des demandes est passée.');
});

t.test('CSV export: BOM, semicolons, accents, quoting, formula guard; audited', async (t) => {
  const { agent, db, w, member } = await setup(t);
  await register(db, now, w.event.id, person({ name: '=HYPERLINK("http://x";"clic")', phone: '+33 6 00 00 00 02', email: 'e@example.org' }));
  await register(db, now, w.event.id, person({ name: 'Zoé; "la grande"', email: 'moi@example.org', onBehalf: true, contactName: '-Marc', contactEmail: 'marc@example.org' }));
  const a = agent();
  await a.signInAs('orga@example.org');
  const res = await a.get(`/espace/evenements/${w.event.id}/inscriptions.csv`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(res.headers['content-disposition'], `attachment; filename="inscriptions-evenement-${w.event.id}.csv"`);
  t.equal(res.headers['cache-control'], 'no-store');
  const raw = res.rawPayload;
  t.same([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const body = raw.toString('utf8').slice(1);
  const lines = body.split('\r\n');
  t.equal(lines[0], "Statut;Position en liste d'attente;Nom;E-mail;Téléphone;Places;Inscrit·e par un tiers;Contact : nom;Contact : e-mail;Contact : téléphone;Besoins d'accessibilité;Présence;Inscrit·e le");
  t.match(lines[1], /^Confirmée;;Awa;[^;]+;;1;non;;;;Interprétation LSF \(prévu\) \| Supports CAA, pictogrammes \(demandé\) : pictogrammes;;jeudi 10 septembre 2026 à 10 h 00$/);
  t.match(lines[2], /^Confirmée;;Bruno;;0600000001;2;non;;;;Interprétation LSF \(prévu\) : premier rang \| Accès fauteuil \(prévu\);;/);
  t.match(body, `Liste d'attente;1;Chloé;`);
  t.match(body, `Liste d'attente;2;"'=HYPERLINK(""http://x"";""clic"")";e@example.org;'+33 6 00 00 00 02;`, 'formula and leading + neutralised, quotes doubled');
  t.match(body, `Liste d'attente;3;"Zoé; ""la grande""";moi@example.org;;1;oui;'-Marc;marc@example.org;;`, 'separator inside a cell quoted, leading - neutralised');
  t.equal(lines.at(-1), '', 'ends with CRLF');
  t.same((await audits(db)).map((r) => [r.actorUserId, r.action, r.eventId]), [[member.id, 'needs.export', w.event.id]]);
});

t.test('check-in: a printable list, toggled per person with or without htmx; audited', async (t) => {
  const { agent, db, w, member, awa, chloe } = await setup(t);
  const a = agent();
  await a.signInAs('orga@example.org');
  const list = await a.get(`/espace/evenements/${w.event.id}/emargement`);
  t.equal(list.statusCode, 200);
  const text = visibleText(list.body);
  t.match(text, `Émargement : ${w.event.title}`);
  t.match(text, '2 inscriptions confirmées, 3 places. Arrivées notées : 0.');
  t.match(text, 'Awa 1 Interprétation LSF, Supports CAA, pictogrammes');
  t.notMatch(text, 'Chloé', 'only confirmed people');
  t.match(list.body, '<button type="button" class="button-secondary" data-print hidden>Imprimer la liste</button>', 'shown by the script only: without it the button would do nothing');
  const awaId = awa.ok ? awa.registrationId : 0;
  t.match(list.body, new RegExp(`<form method="post" action="/espace/evenements/${w.event.id}/emargement/${awaId}" hx-post="/espace/evenements/${w.event.id}/emargement/${awaId}" hx-target="#presence-${awaId}" hx-swap="outerHTML">`));

  const plain = await a.post(`/espace/evenements/${w.event.id}/emargement/${awaId}`);
  t.equal(plain.statusCode, 303);
  t.equal(plain.headers.location, `/espace/evenements/${w.event.id}/emargement#r-${awaId}`);
  t.same((await db.select().from(registration).where(eq(registration.id, awaId)))[0]!.checkedInAt, new Date('2026-09-10T08:00:00Z'));
  t.match(visibleText((await a.get(`/espace/evenements/${w.event.id}/emargement`)).body), 'Présent·e (arrivée notée à 10 h 00)');

  const hx = await a.post(`/espace/evenements/${w.event.id}/emargement/${awaId}`, {}, { headers: { 'hx-request': 'true' } });
  t.equal(hx.statusCode, 200);
  t.notMatch(hx.body, '<html');
  t.match(hx.body, new RegExp(`^\\s*<div id="presence-${awaId}" class="presence">\\s*<p>Pas encore arrivé·e</p>`));
  t.match(hx.body, /hx-swap-oob="innerHTML">Awa : présence retirée\. Arrivées notées : 0\.<\/div>/);
  t.equal((await db.select().from(registration).where(eq(registration.id, awaId)))[0]!.checkedInAt, null, 'toggled back');

  const waitlisted = await a.post(`/espace/evenements/${w.event.id}/emargement/${chloe.ok ? chloe.registrationId : 0}`);
  t.equal(waitlisted.statusCode, 404, 'only confirmed people are checked in');
  t.same((await audits(db)).map((r) => [r.actorUserId, r.action]), [
    [member.id, 'needs.print'],
    [member.id, 'needs.print'],
  ]);
});

t.test('check-in at the door: alphabetical, searched by a part of the name, the arrivals counter follows each toggle', async (t) => {
  const { agent, db, w, other } = await setup(t);
  const a = agent();
  await a.signInAs('orga@example.org');
  const url = `/espace/evenements/${w.event.id}/emargement`;
  const names = async (res: { body: string }) => [...res.body.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]);

  // Registered in this order; the list is alphabetical (accents and case ignored, French order).
  for (const name of ['Zoé Martin', 'éloïse Durand', 'Émile Bernard']) {
    const r = await register(db, now, w.event.id, person({ name }));
    if (!r.ok) throw new Error('setup');
  }
  // Everyone confirmed (the event has 3 places): the list is of confirmed people only.
  await db.update(registration).set({ state: 'confirmed', waitlistPosition: null }).where(eq(registration.eventId, w.event.id));
  const page = await a.get(url);
  t.same(await names(page), ['Awa', 'Bruno', 'Chloé', 'éloïse Durand', 'Émile Bernard', 'Zoé Martin']);
  t.match(page.body, '<form class="checkin-search no-print" method="get" action="' + url + '" role="search"');
  t.match(page.body, '<label for="emargement-q">Rechercher un nom</label>');

  // A plain GET search: a part of the name, without accents or capitals.
  const found = await a.get(`${url}?q=ELOISE`);
  t.equal(found.statusCode, 200);
  t.same(await names(found), ['éloïse Durand']);
  t.match(visibleText(found.body), '1 personne sur 6 pour « ELOISE ». Voir toute la liste');
  t.match(found.body, 'value="ELOISE"', 'the search stays in the box');
  t.same(await names(await a.get(`${url}?q=mar`)), ['Zoé Martin']);
  const none = await a.get(`${url}?q=Xavier`);
  t.same(await names(none), []);
  t.match(visibleText(none.body), 'Personne ne correspond à « Xavier ».');
  t.notMatch(visibleText(none.body), 'Ailleurs', 'never another event’s people');
  t.same(await names(await a.get(`${url}?q=Ailleurs`)), [], 'the other event’s registrant is not found either');
  t.same(await names(await a.get(`${url}?q=${'a'.repeat(500)}`)), [], 'a search too long is cut, not an error');
  t.equal((await a.get(`${url}?q=x&q=y`)).statusCode, 200, 'a repeated parameter is ignored, not an error');

  // htmx: the results alone, and the live region says what was found.
  const hx = await a.get(`${url}?q=em`, { 'hx-request': 'true' });
  t.notMatch(hx.body, '<html');
  t.same(await names(hx), ['Émile Bernard']);
  t.match(hx.body, '<div id="status" hx-swap-oob="innerHTML">1 personne sur 6 pour « em ».</div>');
  t.equal(hx.headers['cache-control'], 'no-store', 'names and needs: never kept by a cache');

  // Without JS: the toggle keeps the search and the counter is right on the page it comes back to.
  const [emile] = (await registrationsOf(db, w.event.id)).filter((r) => r.name === 'Émile Bernard');
  const plain = await a.post(`${url}/${emile!.id}`, { q: 'em' });
  t.equal(plain.statusCode, 303);
  t.equal(plain.headers.location, `${url}?q=em#r-${emile!.id}`);
  const after = await a.get(plain.headers.location as string);
  t.match(visibleText(after.body), 'Arrivées notées : 1.');
  t.match(after.body, '<input type="hidden" name="q" value="em">');

  // htmx: the counter comes out of band with the toggled presence.
  const [zoe] = (await registrationsOf(db, w.event.id)).filter((r) => r.name === 'Zoé Martin');
  const toggled = await a.post(`${url}/${zoe!.id}`, {}, { headers: { 'hx-request': 'true' } });
  t.match(toggled.body, '<span id="arrivees" hx-swap-oob="true" data-out-of-band>Arrivées notées : 2.</span>');
  t.match(toggled.body, 'Zoé Martin : présence notée. Arrivées notées : 2.');
  t.equal((await registrationsOf(db, w.event.id)).filter((r) => r.checkedInAt !== null).length, 2);
  t.match(visibleText((await a.get(url)).body), 'Arrivées notées : 2.');

  t.equal((await a.post(`/espace/evenements/${other.event.id}/emargement/${zoe!.id}`)).statusCode, 403, 'another organisation’s event');
  const [elsewhere] = await registrationsOf(db, other.event.id);
  t.equal((await a.post(`${url}/${elsewhere!.id}`)).statusCode, 404, 'another event’s registration');
  t.equal(elsewhere!.checkedInAt, null);
});

t.test('registering someone by phone: same rules, created by the organiser, outside the window too', async (t) => {
  const { agent, db, w, member } = await setup(t, { now: '2026-08-20T08:00:00Z' }); // online registration opens 1 September
  const a = agent();
  await a.signInAs('orga@example.org');
  const form = await a.get(`/espace/evenements/${w.event.id}/inscriptions/nouvelle`);
  t.equal(form.statusCode, 200);
  const text = visibleText(form.body);
  t.match(text, "Les inscriptions en ligne sont pas encore ouvertes ; en tant qu'organisateur, vous pouvez quand même inscrire une personne.");
  t.match(text, "La personne accepte que ses besoins d'accessibilité soient enregistrés");
  t.notMatch(form.body, 'hx-post', 'a plain form');

  const invalid = await a.post(`/espace/evenements/${w.event.id}/inscriptions/nouvelle`, { nom: '', telephone: '0476000000', places: '1' });
  t.equal(invalid.statusCode, 422);
  t.match(invalid.body, '<li><a href="#nom">');
  // Needs without the person's consent: the organiser is asked (not dropped silently); never cached.
  const noConsent = await a.post(`/espace/evenements/${w.event.id}/inscriptions/nouvelle`, { nom: 'Jeanne Martin', telephone: '0476000000', places: '1', besoins: ['quiet_space'] });
  t.equal(noConsent.statusCode, 422);
  t.match(noConsent.body, '<li><a href="#consentement">');
  t.match(noConsent.body, 'Inscrire sans déclarer de besoins');
  t.equal(noConsent.headers['cache-control'], 'no-store');

  const before = (await registrationsOf(db, w.event.id)).length;
  const res = await a.post(`/espace/evenements/${w.event.id}/inscriptions/nouvelle`, { nom: 'Jeanne Martin', telephone: '04 76 00 00 00', places: '1', besoins: ['quiet_space'], consentement: '1' });
  t.equal(res.statusCode, 303);
  const rows = await registrationsOf(db, w.event.id);
  t.equal(rows.length, before + 1);
  const jeanne = rows.at(-1)!;
  t.match(jeanne, { name: 'Jeanne Martin', email: null, phone: '+33476000000', createdByUserId: member.id, state: 'waitlisted', waitlistPosition: 2 });
  t.same((await needsOf(db, jeanne.id)).map((n) => n.category), ['quiet_space']);
  t.equal(res.headers.location, `/espace/evenements/${w.event.id}/inscriptions?nouvelle=${jeanne.id}`);
  t.match(visibleText((await a.get(res.headers.location as string)).body), "Inscription de Jeanne Martin enregistrée : sur liste d'attente, position 2.");

  const duplicate = await a.post(`/espace/evenements/${w.event.id}/inscriptions/nouvelle`, { nom: 'Awa bis', email: (rows[0]!.email ?? '').toUpperCase(), places: '1' });
  t.equal(duplicate.statusCode, 409);
  t.match(visibleText(duplicate.body), 'Cette adresse e-mail est déjà inscrite à cet événement : retrouvez la personne dans la liste des inscriptions.');
});
