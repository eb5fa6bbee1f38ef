// @databases: pglite
// The resident's registration form, through HTTP: what the person sees, and what is stored.
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeRegistration, makeWorld } from '../helpers/factory.ts';
import { manageTokenSentTo } from '../helpers/manage-link.ts';
import { accessNeed } from '../../server/db/schema.ts';
import { mails, needsOf, registrationsOf } from './helpers.ts';

const valid = { nom: 'Awa Diallo', email: 'awa@example.org', places: '1' };

/** The HTML with the entities Eta escapes in text turned back into characters (tags kept). */
const html = (body: string) => body.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

t.test('the form: needs offered or requested, the separate unticked consent, seats left', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { capacity: 12 });
  await makeRegistration(db, ev.id, { seats: 4 });
  const res = await agent().get(`/evenements/${ev.id}/inscription`);
  t.equal(res.statusCode, 200);
  const text = visibleText(res.body);
  t.match(text, `S'inscrire : ${ev.title}`);
  t.match(text, '8 places restantes sur 12.');
  t.match(res.body, /<input type="checkbox" id="besoin-lsf" name="besoins" value="lsf" aria-describedby="besoin-lsf-offre">/);
  t.match(html(res.body), /id="besoin-lsf-offre"><span class="tag tag-access">proposé par l'organisateur<\/span>/, 'offered by the event');
  t.match(html(res.body), /id="besoin-caa-offre"><span class="tag">demande à l'organisateur<\/span>/, 'not offered: a request');
  t.match(res.body, /<label for="precision-caa">Précisions \(facultatif\)<span class="visually-hidden"> : Supports de communication alternative \(CAA, pictogrammes\)<\/span><\/label>/, 'detail label tied to its input');
  t.match(res.body, /<input type="checkbox" id="consentement" name="consentement" value="1" aria-describedby="consentement-explication">/, 'consent unticked');
  t.match(text, "Qui les voit : les organisateur·rices de cet événement et la coordination du conseil local de santé mentale (CLSM)");
  t.match(text, 'effacés automatiquement 30 jours après l\'événement');
  t.match(text, 'indiquez les besoins avant le mardi 22 septembre 2026 à 14 h 00');
  t.match(res.body, /<form method="post" action="\/evenements\/\d+\/inscription" novalidate hx-post="\/evenements\/\d+\/inscription" hx-target="#inscription" hx-swap="outerHTML">/);
  t.match(html(res.body), /<legend>Besoins d'accessibilité \(facultatif\)<\/legend>/);
});

t.test('a valid registration: 303 to the answer page, stored confirmed, mail queued; the mailed link opens the result page', async (t) => {
  const app = await buildTestApp(t);
  const { agent, db } = app;
  const { event: ev } = await makeWorld(db);
  const a = agent();
  const res = await a.post(`/evenements/${ev.id}/inscription`, {
    ...valid,
    telephone: '06 12 34 56 78',
    places: '2',
    besoins: ['lsf', 'caa'],
    'precision-caa': 'pictogrammes',
    consentement: '1',
  });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/evenements/${ev.id}/inscription/demande-envoyee?par=e-mail`, 'no token and nothing personal in the address');
  const [row] = await registrationsOf(db, ev.id);
  t.match(row, { name: 'Awa Diallo', email: 'awa@example.org', phone: '+33612345678', seats: 2, state: 'confirmed', onBehalf: false });
  t.ok(row!.needsConsentAt);
  t.same((await needsOf(db, row!.id)).map((n) => [n.category, n.detail, n.status]), [
    ['lsf', null, 'planned'],
    ['caa', 'pictogrammes', 'requested'],
  ]);
  const queued = await mails(db);
  t.same(queued.map((m) => [m.kind, m.recipient, m.payload]), [['registration_confirmed', 'awa@example.org', { registrationId: row!.id }]]);

  const answer = await a.get(res.headers.location as string);
  t.equal(answer.statusCode, 200);
  t.match(html(answer.body), "<title>Demande d'inscription reçue – Rassembler</title>");
  t.match(html(answer.body), /<div class="notice notice-success" tabindex="-1" data-autofocus>\s*<h1>Demande d'inscription reçue<\/h1>/, 'the heading, focused');
  const said = visibleText(answer.body);
  t.match(said, `Votre demande d'inscription à « ${ev.title} » est bien reçue.`);
  t.match(said, "Un e-mail part à l'adresse indiquée : il confirme votre place ou votre rang sur la liste d'attente et contient le lien pour modifier ou annuler votre inscription.");
  t.match(said, "Si cette adresse ou ce téléphone était déjà inscrit à cet événement, aucune seconde inscription n'est créée : c'est le lien de l'inscription existante qui vous est renvoyé.");
  t.match(answer.body, `<a href="/evenements/${ev.id}/inscription/renvoyer-lien">recevez à nouveau votre lien</a>`);
  t.notMatch(answer.body, /awa|Diallo|\/inscription\/[A-Za-z0-9_-]{43}/i, 'neither the person nor a link');
  t.notMatch(said, 'Un SMS part');
  t.notMatch(said, 'date limite', 'the deadline for needs is still ahead');

  // The link the mail carries opens the registration's result page.
  const token = await manageTokenSentTo(app, 'awa@example.org');
  const page = await a.get(`/inscription/${token}/confirmation`);
  t.equal(page.statusCode, 200);
  const text = visibleText(page.body);
  t.match(text, 'Votre inscription est confirmée');
  t.match(text, '2 places réservées');
  t.match(text, "Un e-mail de confirmation part à awa@example.org");
  t.match(text, "Vos besoins d'accessibilité ont été transmis à l'organisateur");
  t.match(page.body, `href="http://localhost:3000/inscription/${token}"`, 'the manage link');
  t.match(page.body, `href="/inscription/${token}/agenda.ics"`, "« Ajouter à mon agenda »: this registration's own file");
  t.match(text, 'Ajouter à mon agenda');
  t.notMatch(page.body, '/agenda/personnel/', 'the personal feed link only goes by mail');
  t.match(text, "son lien est dans l'e-mail de confirmation.");
  t.notMatch(text, "n'ont pas été enregistrés", 'no notice about needs when they were recorded');
  t.equal(page.headers['cache-control'], 'no-store');
  t.equal(page.headers['referrer-policy'], 'no-referrer');
  t.match(page.body, /<body [^>]*hx-history="false"/);
});

t.test('every validation path: 422, error summary linking to the field, values kept, nothing stored', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const a = agent();
  const cases: Array<[string, Record<string, string | string[]>, string, string]> = [
    ['no name', { ...valid, nom: '' }, 'nom', 'Indiquez le nom de la personne qui participe.'],
    ['name too long', { ...valid, nom: 'x'.repeat(121) }, 'nom', 'Le nom doit faire au plus 120 caractères.'],
    ['bad email', { ...valid, email: 'awa.example.org' }, 'email', "L'adresse e-mail n'est pas valide"],
    ['bad phone', { ...valid, telephone: '12' }, 'telephone', "Ce numéro de téléphone n'est pas valide"],
    ['neither email nor phone', { ...valid, email: '' }, 'email', 'Indiquez une adresse e-mail ou, à défaut, un numéro de téléphone'],
    ['zero seats', { ...valid, places: '0' }, 'places', 'Le nombre de places doit être compris entre 1 et 10'],
    ['eleven seats', { ...valid, places: '11' }, 'places', 'Le nombre de places doit être compris entre 1 et 10'],
    ['seats not a number', { ...valid, places: 'deux' }, 'places', 'Indiquez un nombre de places entre 1 et 10, en chiffres.'],
    ['on behalf without helper name', { ...valid, 'pour-un-tiers': '1', 'contact-email': 'aide@example.org' }, 'contact-nom', "Indiquez votre nom, puisque vous inscrivez quelqu'un d'autre."],
    ['on behalf without helper contact', { ...valid, 'pour-un-tiers': '1', 'contact-nom': 'Marc' }, 'contact-email', "Indiquez votre adresse e-mail ou, à défaut, votre téléphone"],
    ['on behalf, bad helper email', { ...valid, 'pour-un-tiers': '1', 'contact-nom': 'Marc', 'contact-email': 'marc@' }, 'contact-email', "Votre adresse e-mail n'est pas valide"],
    ['on behalf, bad helper phone', { ...valid, 'pour-un-tiers': '1', 'contact-nom': 'Marc', 'contact-telephone': 'abc' }, 'contact-telephone', "Votre numéro de téléphone n'est pas valide"],
    ['unknown need', { ...valid, besoins: ['teleportation'], consentement: '1' }, 'besoin-lsf', "Un des besoins choisis n'existe pas dans la liste."],
    ['detail too long', { ...valid, besoins: ['caa'], 'precision-caa': 'p'.repeat(201), consentement: '1' }, 'precision-caa', 'doit faire au plus 200 caractères'],
    ['detail without ticking', { ...valid, 'precision-falc': 'gros caractères' }, 'precision-falc', 'Vous avez écrit une précision pour « Documents faciles à lire et à comprendre (FALC) » sans cocher ce besoin'],
    ['other without detail', { ...valid, besoins: ['other'], consentement: '1' }, 'precision-other', 'Décrivez en quelques mots votre autre besoin.'],
  ];
  for (const [name, form, field, message] of cases) {
    const res = await a.post(`/evenements/${ev.id}/inscription`, form);
    t.equal(res.statusCode, 422, `${name}: 422`);
    t.match(res.body, /<title>Erreur : Inscription : /, `${name}: title prefixed`);
    t.match(html(res.body), new RegExp(`<li><a href="#${field}">[^<]*${message.slice(0, 30).replace(/[()]/g, '\\$&')}`), `${name}: summary links to #${field}`);
    t.match(res.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${field}"|id="${field}"[^>]*aria-describedby="[^"]*-error"[^>]*aria-invalid`), `${name}: field marked invalid`);
    t.match(res.body, 'data-autofocus', `${name}: the summary takes focus`);
    if (typeof form.nom === 'string' && form.nom) t.match(res.body, `value="${form.nom}"`, `${name}: values kept`);
  }
  t.equal((await registrationsOf(db, ev.id)).length, 0, 'nothing stored');
  t.equal((await mails(db)).length, 0, 'no mail');
});

t.test('needs without consent: registered without them, and the answer and result pages say so', async (t) => {
  const app = await buildTestApp(t);
  const { agent, db } = app;
  const { event: ev } = await makeWorld(db);
  const a = agent();
  const form = { ...valid, besoins: ['caa', 'quiet_space'], 'precision-caa': 'pictos' };
  const res = await a.post(`/evenements/${ev.id}/inscription`, form);
  t.equal(res.statusCode, 303, 'the registration goes through');
  t.equal(res.headers.location, `/evenements/${ev.id}/inscription/demande-envoyee?par=e-mail&besoins-non-enregistres=1`);
  const [row] = await registrationsOf(db, ev.id);
  t.match(row, { name: 'Awa Diallo', state: 'confirmed', needsConsentAt: null });
  t.same(await db.select().from(accessNeed), [], 'nothing stored in access_need');

  const answer = await a.get(res.headers.location as string);
  t.equal(answer.statusCode, 200);
  const notice = /<div class="notice notice-warning" role="status">\s*<p><strong>Vos besoins d'accessibilité n'ont pas été enregistrés<\/strong>, car la case d'accord n'était pas cochée/;
  t.match(html(answer.body), notice, 'a status notice');
  t.match(visibleText(answer.body), "Vous pourrez les déclarer, en donnant votre accord, avec le lien reçu par e-mail.");
  t.match(html(answer.body), /role="status" aria-live="polite">Demande d'inscription reçue\. Vos besoins d'accessibilité n'ont pas été enregistrés : accord non donné\.<\/div>/);

  // The result page, with the flag, from the mailed link: the notice and a link to add them.
  const token = await manageTokenSentTo(app, 'awa@example.org');
  const page = await a.get(`/inscription/${token}/confirmation?besoins-non-enregistres=1`);
  t.equal(page.statusCode, 200);
  t.match(html(page.body), notice, 'a status notice');
  t.match(visibleText(page.body), "Vous pouvez les ajouter, en donnant votre accord, depuis votre page d'inscription .");
  t.match(page.body, `href="http://localhost:3000/inscription/${token}#besoins-titre"`, 'with a link to the manage page');
  t.notMatch(visibleText(page.body), "Vos besoins d'accessibilité ont été transmis");
  t.match(html(page.body), /role="status" aria-live="polite">Inscription confirmée\. Vos besoins d'accessibilité n'ont pas été enregistrés : accord non donné\.<\/div>/);

  // With htmx, the same address (the flag included), hence the same notice.
  const hx = await a.post(`/evenements/${ev.id}/inscription`, { ...form, email: 'autre@example.org' }, { headers: { 'hx-request': 'true' } });
  t.equal(hx.headers['hx-redirect'], res.headers.location);
  t.same(await db.select().from(accessNeed), []);
});

t.test('a form shown again with typed needs is never cached', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const a = agent();
  const withNeeds = await a.post(`/evenements/${ev.id}/inscription`, { ...valid, nom: '', besoins: ['caa'], 'precision-caa': 'pictos', consentement: '1' });
  t.equal(withNeeds.statusCode, 422);
  t.match(withNeeds.body, 'value="pictos"');
  t.equal(withNeeds.headers['cache-control'], 'no-store');
  const withoutNeeds = await a.post(`/evenements/${ev.id}/inscription`, { ...valid, nom: '' });
  t.equal(withoutNeeds.statusCode, 422);
  t.equal(withoutNeeds.headers['cache-control'], undefined, 'only when needs were typed');
});

t.test('after the access-request deadline: a clear notice, registration still allowed', async (t) => {
  const { agent, db, config, clock } = await buildTestApp(t, { now: '2026-09-25T08:00:00Z' }); // deadline was 22 September
  const { event: ev } = await makeWorld(db);
  const a = agent();
  const page = await a.get(`/evenements/${ev.id}/inscription`);
  t.match(visibleText(page.body), "La date limite pour demander un aménagement est passée (mardi 22 septembre 2026 à 14 h 00). Vous pouvez toujours indiquer des besoins et vous inscrire, mais l'organisateur ne pourra peut-être pas répondre à ceux qu'il ne propose pas déjà");
  const res = await a.post(`/evenements/${ev.id}/inscription`, { ...valid, besoins: ['caa'], consentement: '1' });
  t.equal(res.statusCode, 303);
  const answer = await a.get(res.headers.location as string);
  t.match(visibleText(answer.body), "La date limite pour demander un aménagement est passée : pour les besoins que l'organisateur ne propose pas déjà, il fera son possible, sans pouvoir le garantir.");
  const result = await a.get(`/inscription/${await manageTokenSentTo({ db, config, clock }, 'awa@example.org')}/confirmation`);
  t.match(visibleText(result.body), "La date limite pour demander un aménagement est passée : l'organisateur fera son possible");
  const [row] = await registrationsOf(db, ev.id);
  t.same((await needsOf(db, row!.id)).map((n) => n.status), ['requested']);
  t.equal(clock.now().toISOString(), '2026-09-25T08:00:00.000Z');
});

t.test('window closed: before it opens and after it closes, no form and nothing stored', async (t) => {
  const { agent, db, clock } = await buildTestApp(t, { now: '2026-08-20T08:00:00Z' }); // opens 1 September
  const { event: ev } = await makeWorld(db, { registrationClosesAt: new Date('2026-10-01T10:00:00Z') });
  const a = agent();
  const before = await a.get(`/evenements/${ev.id}/inscription`);
  t.equal(before.statusCode, 200);
  t.match(visibleText(before.body), "Les inscriptions ne sont pas encore ouvertes pour cet événement. Elles ouvriront le mardi 1 septembre 2026 à 02 h 00.");
  t.notMatch(before.body, 'name="nom"', 'no form');
  const early = await a.post(`/evenements/${ev.id}/inscription`, valid);
  t.equal(early.statusCode, 409);
  t.match(visibleText(early.body), 'pas encore ouvertes');

  clock.set('2026-10-01T10:00:00Z');
  const after = await a.post(`/evenements/${ev.id}/inscription`, valid);
  t.equal(after.statusCode, 409);
  t.match(visibleText(after.body), 'Les inscriptions sont closes pour cet événement.');
  t.equal((await registrationsOf(db, ev.id)).length, 0);
});

t.test('cancelled events refuse registrations; unpublished and unknown ones are 404', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const cancelled = (await makeWorld(db, { state: 'cancelled' })).event;
  const draft = (await makeWorld(db, { state: 'submitted' })).event;
  const a = agent();
  t.match(visibleText((await a.get(`/evenements/${cancelled.id}/inscription`)).body), 'Cet événement est annulé : les inscriptions sont fermées.');
  t.equal((await a.post(`/evenements/${cancelled.id}/inscription`, valid)).statusCode, 409);
  t.equal((await a.get(`/evenements/${draft.id}/inscription`)).statusCode, 404);
  t.equal((await a.post(`/evenements/${draft.id}/inscription`, valid)).statusCode, 404);
  t.equal((await a.get('/evenements/999999/inscription')).statusCode, 404);
  t.equal((await a.get('/evenements/abc/inscription')).statusCode, 404);
  t.equal((await registrationsOf(db, cancelled.id)).length + (await registrationsOf(db, draft.id)).length, 0);
});

// A second registration with the same address: test/registrations/no-enumeration.test.ts.
t.test('« Recevoir à nouveau mon lien » for an event: the same answer whether or not the address is registered', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const a = agent();
  t.equal((await a.post(`/evenements/${ev.id}/inscription`, valid)).statusCode, 303);
  const [first] = await registrationsOf(db, ev.id);

  const resend = await a.post(`/evenements/${ev.id}/inscription/renvoyer-lien`, { email: 'AWA@example.org' });
  t.equal(resend.statusCode, 200);
  const neutral = visibleText(resend.body);
  t.match(neutral, `Si une inscription à « ${ev.title} » existe avec l'adresse AWA@example.org`);
  t.match(neutral, "un e-mail vient d'y être envoyé avec le lien pour la gérer.");
  const unknown = await a.post(`/evenements/${ev.id}/inscription/renvoyer-lien`, { email: 'personne@example.org' });
  t.equal(visibleText(unknown.body).replace('personne@example.org', 'AWA@example.org'), neutral, 'the same answer whether or not the address is registered');
  await a.post(`/evenements/${ev.id}/inscription/renvoyer-lien`, { email: 'awa@example.org' });
  const resent = (await mails(db, 'registration_confirmed')).filter((m) => m.payload.resent);
  t.same(resent.map((m) => [m.recipient, m.payload.registrationId]), [['awa@example.org', first!.id]], 'one mail with the link (at most one an hour), none for the unknown address');

  const bad = await a.post(`/evenements/${ev.id}/inscription/renvoyer-lien`, { email: 'pas-une-adresse' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /<li><a href="#renvoi-contact">/);
});

t.test('a group bigger than the seats left waits whole on the waitlist', async (t) => {
  const app = await buildTestApp(t);
  const { agent, db } = app;
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  await makeRegistration(db, ev.id, { seats: 8 });
  const a = agent();
  const res = await a.post(`/evenements/${ev.id}/inscription`, { ...valid, places: '3' });
  t.equal(res.statusCode, 303);
  const page = await a.get(`/inscription/${await manageTokenSentTo(app, 'awa@example.org')}/confirmation`);
  const text = visibleText(page.body);
  t.match(text, "Vous êtes sur la liste d'attente, en position 1");
  t.match(text, 'pour tout votre groupe à la fois (3 places), et vous recevez alors un e-mail');
  const rows = await registrationsOf(db, ev.id);
  t.match(rows[1], { state: 'waitlisted', seats: 3, waitlistPosition: 1 });
  t.equal(rows.filter((r) => r.state === 'confirmed').reduce((s, r) => s + r.seats, 0), 8, 'not split: no seat of the group confirmed');
  t.same((await mails(db)).map((m) => m.kind), ['registration_waitlisted']);
  t.match(visibleText((await a.get(`/evenements/${ev.id}/inscription`)).body), '2 places restantes sur 10.', 'the 2 free seats are still offered: the waiting group does not fit in them');
});

t.test('free entry: registration optional, always confirmed', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { capacity: null });
  const a = agent();
  t.match(visibleText((await a.get(`/evenements/${ev.id}/inscription`)).body), "Entrée libre : l'inscription est facultative, elle aide l'organisateur à prévoir.");
  const res = await a.post(`/evenements/${ev.id}/inscription`, { ...valid, places: '10' });
  t.equal(res.statusCode, 303);
  t.match((await registrationsOf(db, ev.id))[0], { state: 'confirmed', seats: 10 });
});

t.test('phone only, and on behalf of someone: who gets the mail', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const a = agent();
  const phoneOnly = await a.post(`/evenements/${ev.id}/inscription`, { nom: 'Jeanne', telephone: '04 76 00 00 00', places: '1' });
  t.equal(phoneOnly.statusCode, 303);
  t.match(visibleText((await a.get(phoneOnly.headers.location as string)).body), "Vous n'avez pas donné d'adresse e-mail : gardez l'adresse de gestion ci-dessous");
  t.equal((await mails(db)).length, 0, 'no address, no mail');

  const helper = await a.post(`/evenements/${ev.id}/inscription`, {
    nom: 'Paul',
    places: '2',
    'pour-un-tiers': '1',
    'contact-nom': 'Sophie, éducatrice',
    'contact-email': 'sophie@foyer.example.org',
    'contact-telephone': '0600000000',
  });
  t.equal(helper.statusCode, 303);
  const rows = await registrationsOf(db, ev.id);
  t.match(rows[1], { name: 'Paul', email: null, onBehalf: true, contactName: 'Sophie, éducatrice', contactEmail: 'sophie@foyer.example.org', contactPhone: '+33600000000' });
  t.same((await mails(db)).map((m) => m.recipient), ['sophie@foyer.example.org'], "the helper's address");
});

// Fails on the main before issue 15: htmx swapped the result into the form's page, whose address
// stayed /evenements/:id/inscription (a reload showed an empty form).
t.test('with htmx: errors swap in place; a success goes to the answer or the result address (HX-Redirect)', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { capacity: 1 });
  const a = agent();
  await a.get(`/evenements/${ev.id}/inscription`);
  const hx = { 'hx-request': 'true' };
  const invalid = await a.post(`/evenements/${ev.id}/inscription`, { ...valid, nom: '' }, { headers: hx });
  t.equal(invalid.statusCode, 200, 'htmx 2 swaps 2xx only: the form with its errors comes back as 200');
  t.notMatch(invalid.body, '<html');
  t.match(invalid.body, /^\s*<div id="inscription" class="registration-panel">/);
  t.match(invalid.body, '<li><a href="#nom">Indiquez le nom de la personne qui participe.</a></li>');
  t.match(invalid.body, /<div id="status" hx-swap-oob="innerHTML">Le formulaire contient une erreur\.<\/div>/);

  // A phone without texts: the result page, with the manage link (the person's only copy).
  const phoneOnly = { nom: 'Jeanne', telephone: '04 76 00 00 00', places: '1' };
  const ok = await a.post(`/evenements/${ev.id}/inscription`, phoneOnly, { headers: hx });
  t.equal(ok.statusCode, 204, 'nothing to swap');
  t.match(ok.headers['hx-redirect'], /^\/inscription\/[A-Za-z0-9_-]{43}\/confirmation$/, 'htmx goes to the confirmation address');
  // That address, loaded (and reloaded) as a whole page: title and heading say what happened.
  for (const load of ['first load', 'reload']) {
    const page = await a.get(ok.headers['hx-redirect'] as string);
    t.equal(page.statusCode, 200, load);
    t.match(page.body, '<title>Inscription confirmée – Rassembler</title>', `${load}: the title`);
    t.match(page.body, /<div class="notice notice-success" tabindex="-1" data-autofocus>\s*<h1>Votre inscription est confirmée<\/h1>/, `${load}: the heading, focused`);
    t.match(page.body, /role="status" aria-live="polite">Inscription confirmée\.<\/div>/, `${load}: the status`);
    t.equal(page.headers['cache-control'], 'no-store');
  }

  const second = await a.post(`/evenements/${ev.id}/inscription`, { ...phoneOnly, nom: 'Bruno', telephone: '04 76 00 00 01' }, { headers: hx });
  const waiting = await a.get(second.headers['hx-redirect'] as string);
  t.match(html(waiting.body), "<title>Inscription sur liste d'attente – Rassembler</title>");
  t.match(html(waiting.body), "<h1>Vous êtes sur la liste d'attente, en position 1</h1>");
  t.match(html(waiting.body), "Inscription sur la liste d'attente, position 1.");

  // With an address: the answer page, which a reload shows again.
  const byMail = await a.post(`/evenements/${ev.id}/inscription`, valid, { headers: hx });
  t.equal(byMail.statusCode, 204);
  t.equal(byMail.headers['hx-redirect'], `/evenements/${ev.id}/inscription/demande-envoyee?par=e-mail`);
  for (const load of ['first load', 'reload']) {
    const page = await a.get(byMail.headers['hx-redirect'] as string);
    t.equal(page.statusCode, 200, load);
    t.match(html(page.body), "<title>Demande d'inscription reçue – Rassembler</title>", `${load}: the title`);
    t.match(html(page.body), /role="status" aria-live="polite">Demande d'inscription reçue\.<\/div>/, `${load}: the status`);
  }
  t.equal((await registrationsOf(db, ev.id)).length, 3);
});

t.test('without JavaScript: POST → 303 → the confirmation page, the same on reload', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const a = agent();
  const res = await a.post(`/evenements/${ev.id}/inscription`, { nom: 'Awa Diallo', telephone: '06 12 34 56 78', places: '1' });
  t.equal(res.statusCode, 303);
  const first = await a.get(res.headers.location as string);
  const again = await a.get(res.headers.location as string);
  for (const page of [first, again]) {
    t.equal(page.statusCode, 200);
    t.match(page.body, '<title>Inscription confirmée – Rassembler</title>');
    t.match(page.body, '<h1>Votre inscription est confirmée</h1>');
    t.match(visibleText(page.body), "gardez l'adresse de gestion ci-dessous");
  }
  t.equal((await registrationsOf(db, ev.id)).length, 1, 'a reload registers nobody again');
});

t.test('a POST without the CSRF token is refused and stores nothing', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const res = await agent().post(`/evenements/${ev.id}/inscription`, valid, { csrf: false });
  t.equal(res.statusCode, 403);
  t.equal((await registrationsOf(db, ev.id)).length, 0);
});
