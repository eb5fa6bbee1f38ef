// @databases: pglite
import t from 'tap';
import { eq } from 'drizzle-orm';
import { event } from '../../server/db/schema.ts';
import { buildTestApp, visibleText as pageText } from '../helpers/app.ts';
import { makeEvent, makeRegistration } from '../helpers/factory.ts';
import { makeProgramme } from './world.ts';

const { app, db, clock } = await buildTestApp(t, { now: '2026-09-15T08:00:00Z' });
const w = await makeProgramme(db);
const isereRefs = { editionId: w.edition.id, territoryId: w.isere.id, organisationId: w.gem.id, venueId: w.jardinVenue.id };

/** Visible text, without the space an inline tag leaves before punctuation. */
const visibleText = (html: string) => pageText(html).replace(/ ([,.])/g, '$1');
const page = (id: number | string) => app.inject({ url: `/evenements/${id}` });
/** The schema.org object of a page, parsed as a search engine would. */
function jsonLd(html: string): Record<string, any> {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no JSON-LD');
  return JSON.parse(match[1]!);
}

t.test('the event page says everything needed to decide and to come', async (t) => {
  const res = await page(w.jardin.id);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'private, no-cache');
  t.match(res.body, /<title>Jardin partagé des Lilas – Rassembler<\/title>/);
  const text = visibleText(res.body);
  t.match(text, 'Quand Mardi 6 octobre 2026, 14 h 00 – 16 h 00 Où Jardin des Lilas 12 rue des Lilas, 38000 Grenoble');
  t.match(text, 'Type Jardin partagé Public Familles Organisé par GEM L\'Entre-Deux');
  t.match(text, 'Places 18 places restantes (20 places en tout)');
  t.match(text, "Il reste 18 places.");
  t.match(res.body, '<a class="button" href="/evenements/' + w.jardin.id + '/inscription">S\'inscrire<span class="visually-hidden"> à « Jardin partagé des Lilas »</span></a>');
  t.match(text, 'L\'événement propose : Accès fauteuil Espace calme');
  t.match(text, 'Pour demander un aménagement (interprète LSF, vélotypie, supports CAA, accès fauteuil…), le faire avant le mardi 22 septembre 2026 à 14 h 00');
  t.match(text, 'Le lieu : Jardin des Lilas Entrée de plain-pied Toilettes accessibles Salle calme');
  t.match(text, 'Pour y accéder : Entrée par le portail vert, allée stabilisée.');
  t.match(res.body, /<h2 id="falc-titre">Facile à lire et à comprendre<\/h2>\s*<p>On jardine ensemble\. C’est gratuit\. Vous pouvez venir avec une personne\.<\/p>/);
  t.match(res.body, /<p>Un après-midi au jardin pour semer les graines de l’hiver\.<\/p>\s*<p>Outils prêtés sur place\.<\/p>/, 'paragraphs kept');
  t.match(text, 'Organisation GEM L\'Entre-Deux (GEM (groupe d\'entraide mutuelle)) E-mail : bonjour@gem.example Téléphone : 04 76 44 12 87');
  t.match(res.body, '<a href="tel:0476441287">');
  t.match(res.body, `<a class="button button-secondary" href="/evenements/${w.jardin.id}/agenda.ics">Ajouter à mon agenda`);
  t.match(res.body, /<a href="\/programme">Retour au programme<\/a>/);
  t.match(text, "Tous ses événements dans votre agenda, mis à jour tout seuls : s'abonner à l'agenda de GEM L'Entre-Deux, ou adresse de cet agenda de GEM L'Entre-Deux à copier.");
  t.match(res.body, `href="webcal://localhost:3000/organisations/${w.gem.id}/agenda.ics">s'abonner à l'agenda de GEM L&#39;Entre-Deux</a>`);
  const feed = await app.inject({ url: `/organisations/${w.gem.id}/agenda.ics` });
  t.equal(feed.statusCode, 200, 'the organisation feed behind the link');
  t.match(feed.body, `UID:event-${w.jardin.id}@localhost`);
});

t.test('content note, full event and its waiting list', async (t) => {
  const text = visibleText((await page(w.cine.id)).body);
  t.match(text, 'À savoir avant de venir Le film évoque le suicide.');
  t.match(text, "Places Complet, liste d'attente");
  t.match(text, "Complet. Vous pouvez vous inscrire sur la liste d'attente");
  t.match(text, "S'inscrire sur la liste d'attente");
});

t.test('free entry: no need to register, yet one may to ask for an arrangement', async (t) => {
  const text = visibleText((await page(w.balade.id)).body);
  t.match(text, 'Places Entrée libre');
  t.match(text, "Entrée libre : pas besoin de s'inscrire pour venir.");
  t.match(text, 'Aucun aménagement n\'est annoncé pour l\'instant.');
});

t.test('times in the territory zone, across the October DST change and overseas', async (t) => {
  // Summer time ends on Sunday 25 October 2026 at 03:00 in Paris (01:00 UTC).
  const before = await makeEvent(db, isereRefs, { title: 'Avant le changement', startsAt: new Date('2026-10-24T14:00:00Z'), endsAt: new Date('2026-10-24T16:00:00Z') });
  const after = await makeEvent(db, isereRefs, { title: 'Après le changement', startsAt: new Date('2026-10-25T14:00:00Z'), endsAt: new Date('2026-10-25T16:00:00Z') });
  const night = await makeEvent(db, isereRefs, { title: 'Nuit du changement', startsAt: new Date('2026-10-24T23:30:00Z'), endsAt: new Date('2026-10-25T02:30:00Z') });

  const b = await page(before.id);
  t.match(visibleText(b.body), 'Samedi 24 octobre 2026, 16 h 00 – 18 h 00');
  t.equal(jsonLd(b.body).startDate, '2026-10-24T16:00:00+02:00');
  const a = await page(after.id);
  t.match(visibleText(a.body), 'Dimanche 25 octobre 2026, 15 h 00 – 17 h 00');
  t.equal(jsonLd(a.body).startDate, '2026-10-25T15:00:00+01:00');
  t.equal(jsonLd(a.body).endDate, '2026-10-25T17:00:00+01:00');
  const n = await page(night.id);
  t.match(visibleText(n.body), 'Dimanche 25 octobre 2026, 01 h 30 – 03 h 30', 'the night of the change: 01:30 summer time to 03:30 winter time');

  const r = await page(w.conference.id);
  t.match(visibleText(r.body), 'Mardi 6 octobre 2026, 10 h 00 – 12 h 00 (heure de La Réunion)');
  t.equal(jsonLd(r.body).startDate, '2026-10-06T10:00:00+04:00');
  const v = await page(w.veillee.id);
  t.match(visibleText(v.body), 'Mercredi 7 octobre 2026, 00 h 30 – 02 h 30 (heure de La Réunion)');
});

t.test('schema.org JSON-LD: a valid Event with location, organiser, status and accessibility', async (t) => {
  const data = jsonLd((await page(w.jardin.id)).body);
  t.equal(data['@context'], 'https://schema.org');
  t.equal(data['@type'], 'Event');
  t.equal(data.name, 'Jardin partagé des Lilas');
  t.equal(data.url, `http://localhost:3000/evenements/${w.jardin.id}`);
  t.equal(data.startDate, '2026-10-06T14:00:00+02:00');
  t.equal(data.endDate, '2026-10-06T16:00:00+02:00');
  t.equal(data.eventStatus, 'https://schema.org/EventScheduled');
  t.equal(data.eventAttendanceMode, 'https://schema.org/OfflineEventAttendanceMode');
  t.same(data.location, {
    '@type': 'Place',
    name: 'Jardin des Lilas',
    address: { '@type': 'PostalAddress', streetAddress: '12 rue des Lilas', postalCode: '38000', addressLocality: 'Grenoble', addressCountry: 'FR' },
    geo: { '@type': 'GeoCoordinates', latitude: 45.18, longitude: 5.72 },
  });
  t.same(data.organizer, { '@type': 'Organization', name: "GEM L'Entre-Deux", url: 'https://gem.example/', email: 'bonjour@gem.example' });
  t.same(data.accessibilityFeature, ['wheelchairAccessible', 'quietSpace']);
  t.equal(data.maximumAttendeeCapacity, 20);
  t.equal(data.remainingAttendeeCapacity, 18);
  t.equal(data.offers.availability, 'https://schema.org/InStock');
  t.equal(data.offers.price, 0);

  const full = jsonLd((await page(w.cine.id)).body);
  t.equal(full.offers.availability, 'https://schema.org/SoldOut');
  t.same(full.accessibilityFeature, ['signLanguage', 'captions']);

  const cancelled = jsonLd((await page(w.cancelled.id)).body);
  t.equal(cancelled.eventStatus, 'https://schema.org/EventCancelled');
  t.notOk(cancelled.offers, 'nothing to book');
});

t.test('nothing in an event can break out of the JSON-LD script', async (t) => {
  const hostile = await makeEvent(db, isereRefs, {
    title: 'Atelier </script><script>alert(1)</script> & co',
    summary: 'Résumé <!-- avec --> des chevrons',
  });
  const res = await page(hostile.id);
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, '<script>alert(1)</script>');
  t.equal((res.body.match(/<\/script>/g) ?? []).length, 3, 'only the layout scripts and the JSON-LD close');
  t.match(res.body, '\\u003c/script\\u003e');
  t.equal(jsonLd(res.body).name, 'Atelier </script><script>alert(1)</script> & co');
  t.match(res.body, '<h1>Atelier &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</h1>');
});

t.test('a cancelled event stays visible, with a clear banner and its reason', async (t) => {
  const res = await page(w.cancelled.id);
  t.equal(res.statusCode, 200);
  t.match(res.body, /<title>Tournoi de football solidaire \(annulé\) – Rassembler<\/title>/);
  const text = visibleText(res.body);
  t.match(text, 'Tournoi de football solidaire Annulé Cet événement est annulé Raison : Le terrain est inondé.');
  t.notMatch(text, "S'inscrire");
  t.notMatch(text, 'Pour demander un aménagement');
});

t.test('registration window: not yet open, open, closed — by the clock, without any write', async (t) => {
  const later = await makeEvent(db, isereRefs, {
    title: 'Fresque collective',
    registrationOpensAt: new Date('2026-09-20T07:00:00Z'),
    registrationClosesAt: new Date('2026-10-01T16:00:00Z'),
    accessRequestDeadline: new Date('2026-09-25T16:00:00Z'),
  });
  clock.set('2026-09-15T08:00:00Z');
  let text = visibleText((await page(later.id)).body);
  t.match(text, 'Les inscriptions ouvriront le dimanche 20 septembre 2026 à 09 h 00.');
  t.notMatch(text, "S'inscrire");

  clock.set('2026-09-20T07:00:00Z');
  text = visibleText((await page(later.id)).body);
  t.match(text, "Il reste 20 places. Inscriptions ouvertes jusqu'au jeudi 1 octobre 2026 à 18 h 00.");
  t.match(text, 'le faire avant le vendredi 25 septembre 2026 à 18 h 00, dans le formulaire d\'inscription');

  clock.set('2026-09-26T10:00:00Z');
  text = visibleText((await page(later.id)).body);
  t.match(text, 'La date pour demander un aménagement (interprète LSF, vélotypie…) est passée depuis le vendredi 25 septembre 2026 à 18 h 00.');

  clock.set('2026-10-02T10:00:00Z');
  text = visibleText((await page(later.id)).body);
  t.match(text, 'Les inscriptions sont closes depuis le jeudi 1 octobre 2026 à 18 h 00.');

  clock.set('2026-10-07T10:00:00Z');
  text = visibleText((await page(later.id)).body);
  t.match(text, 'Cet événement a eu lieu.');

  clock.set('2026-09-15T08:00:00Z');
  text = visibleText((await page(later.id)).body);
  t.match(text, 'Les inscriptions ouvriront le', 'a clock set back is honoured too');
});

t.test('the page follows changes at once: a registration, an edit, a cancellation', async (t) => {
  const e = await makeEvent(db, isereRefs, { title: 'Atelier mosaïque', capacity: 5 });
  t.match(visibleText((await page(e.id)).body), 'Il reste 5 places.');
  await makeRegistration(db, e.id, { seats: 4 });
  t.match(visibleText((await page(e.id)).body), 'Il reste 1 place.');
  await makeRegistration(db, e.id, { seats: 1 });
  t.match(visibleText((await page(e.id)).body), "Complet. Vous pouvez vous inscrire sur la liste d'attente");
  await db.update(event).set({ state: 'cancelled', cancellationReason: 'Intervenante malade.' }).where(eq(event.id, e.id));
  t.match(visibleText((await page(e.id)).body), 'Raison : Intervenante malade.');
  await db.update(event).set({ state: 'draft' }).where(eq(event.id, e.id));
  t.equal((await page(e.id)).statusCode, 404, 'unpublished: gone from public view');
});

t.test('unknown, unpublished and malformed ids: a French 404 page within the layout', async (t) => {
  for (const id of [999999, w.draft.id, w.submitted.id, 'abc', '12abc', '0', '-3', '99999999999', '1.5']) {
    const res = await page(id);
    t.equal(res.statusCode, 404, String(id));
    t.match(res.body, '<html lang="fr" dir="ltr">', `${id}: within the layout`);
    t.match(visibleText(res.body), "Page introuvable Cet événement n'existe pas ou n'est pas public.", String(id));
  }
  const refused = await makeEvent(db, isereRefs, { title: 'Refusé', state: 'refused', publishedAt: null });
  t.equal((await page(refused.id)).statusCode, 404);
  t.equal((await page(w.lastYear.id)).statusCode, 200, 'a published event of a past edition keeps its page');
});
