// Keyboard-only journeys in real Chromium (Tab, Shift+Tab, Enter, Space and typing; no mouse):
// a resident filters the programme, opens an event, registers with an LSF need and a companion
// and reaches the manage page; an organiser signs in through the real emailed link and proposes
// an event; a coordinator signs in the same way and publishes it. Along the way: focus is always
// visible and never lost to <body>, it lands on the error summary after a failed submit and on
// the result after an htmx swap, htmx results are announced in the persistent #status region,
// and no CSP violation reaches the console.
import t from 'tap';
import type { Locator, Page } from 'playwright-core';
import { and, eq } from 'drizzle-orm';
import { accessNeed, event, registration } from '../../server/db/schema.ts';
import { describeFocus, expectFocusOn, expectFocusVisible, focusWalk, openSuite, screenshot, tabTo, type Suite, type T } from './harness.ts';
import { COORDINATOR_EMAIL, ORGANISER_EMAIL, OPEN_TITLE } from './fixtures.ts';

const suite = await openSuite(t);

const PROPOSAL_TITLE = 'Chorale inclusive du quartier Teisseire';

/** Tab to `target`, check its focus is visible, then press `key` (Enter by default). */
async function activate(t: T, page: Page, target: Locator, where: string, key = 'Enter'): Promise<void> {
  await tabTo(page, target, { max: 250 });
  await expectFocusVisible(t, page, where);
  await page.keyboard.press(key);
}

/** Tab to a field and type into it (replacing what is there). */
async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await tabTo(page, field, { max: 250 });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/**
 * Types a date into <input type="date"> by keyboard. Headless Chromium shows mm/jj/aaaa whatever
 * the locale; its parts are Tab stops of their own, so two Shift+Tab lead back to the first.
 */
async function typeDate(t: T, page: Page, field: Locator, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-');
  await tabTo(page, field);
  await page.keyboard.type(`${day}${month}${year}`);
  if ((await field.inputValue()) !== iso) {
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type(`${month}${day}${year}`);
  }
  t.equal(await field.inputValue(), iso, `date ${iso} typed`);
}

/** Waits until the persistent status region says something other than `before`; returns it. */
async function nextStatus(page: Page, before: string): Promise<string> {
  await page.waitForFunction((old) => (document.getElementById('status')?.textContent ?? '').trim() !== old, before.trim(), { timeout: 10_000 });
  return ((await page.locator('#status').textContent()) ?? '').trim();
}

async function statusText(page: Page): Promise<string> {
  return ((await page.locator('#status').textContent()) ?? '').trim();
}

/** The real sign-in: request a link at /connexion, open it from the outbox, press the button. */
async function signInByKeyboard(t: T, suite: Suite, page: Page, email: string): Promise<void> {
  await page.goto('/connexion');
  await typeInto(page, page.getByLabel('Adresse e-mail'), email);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/connexion\/envoye/);
  const mail = await suite.lastMail('sign_in_link', email);
  t.ok(typeof mail?.url === 'string', `a sign-in link is queued for ${email}`);
  await page.goto(String(mail!.url));
  await activate(t, page, page.getByRole('button', { name: 'Me connecter' }), 'sign-in button');
  await page.waitForURL(/\/espace/);
  t.ok(await page.getByRole('button', { name: 'Se déconnecter' }).isVisible(), `${email} is signed in`);
}

if (suite) {
  const f = suite.fixtures;
  const db = suite.database.db;

  t.test('resident, keyboard only: programme → event → registration with LSF and a companion → manage page', async (t) => {
    const { page, csp } = await suite.newPage();
    await page.goto('/');

    // The first Tab reaches the skip link, visibly; it leads into <main>.
    await page.keyboard.press('Tab');
    await expectFocusOn(t, page, page.getByRole('link', { name: 'Aller au contenu' }), 'first Tab');
    await expectFocusVisible(t, page, 'skip link');

    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await activate(t, page, nav.getByRole('link', { name: 'Programme' }), 'main navigation');
    await page.waitForURL(/\/programme$/);

    // Filter: Space on « Interprétation LSF »; htmx updates the list in place.
    let before = await statusText(page);
    await activate(t, page, page.getByRole('checkbox', { name: /Interprétation LSF/ }), 'LSF filter', 'Space');
    const announced = await nextStatus(page, before);
    t.match(announced, /événement/, `the filtered result is announced in #status: « ${announced} »`);
    await page.waitForURL(/access=lsf/);
    await expectFocusVisible(t, page, 'after the htmx filter update');
    t.match(await describeFocus(page), /filtre-acces-lsf/, 'focus stays on the checkbox that was pressed');
    await screenshot(page, 'clavier-programme-filtre');

    // The submit button also works by keyboard and keeps the focus on the page.
    before = await statusText(page);
    await activate(t, page, page.getByRole('button', { name: 'Afficher les événements' }), 'filter submit');
    await page.waitForLoadState('networkidle');
    await expectFocusVisible(t, page, 'after submitting the filters');

    // Open the event.
    await activate(t, page, page.locator('#resultats').getByRole('link', { name: OPEN_TITLE }), 'event link in results');
    await page.waitForURL(new RegExp(`/evenements/${f.openEventId}$`));
    await activate(t, page, page.getByRole('link', { name: /^S'inscrire/ }), 'register link');
    await page.waitForURL(/\/inscription$/);

    // Fill the form by keyboard: two places (the person and a companion), LSF and companion needs
    // with the consent, and a mistyped address first, to meet the error summary.
    await typeInto(page, page.getByLabel('Nom et prénom de la personne qui participe'), 'Lina Clavier');
    await typeInto(page, page.getByLabel('Adresse e-mail', { exact: true }), 'lina.clavier@');
    await typeInto(page, page.getByLabel('Nombre de places'), '2');
    await activate(t, page, page.getByRole('checkbox', { name: 'Interprète en langue des signes (LSF)' }), 'LSF need', 'Space');
    await typeInto(page, page.getByLabel(/Précisions.*Interprète en langue des signes/), 'Je signe, je ne lis pas sur les lèvres');
    await activate(t, page, page.getByRole('checkbox', { name: 'Venir avec un·e accompagnant·e' }), 'companion need', 'Space');
    await activate(t, page, page.locator('#consentement'), 'consent', 'Space');
    before = await statusText(page);
    await activate(t, page, page.getByRole('button', { name: "M'inscrire" }), 'submit');
    await page.locator('.error-summary').waitFor();
    await expectFocusOn(t, page, page.locator('.error-summary'), 'after a failed submit (htmx)');
    await expectFocusVisible(t, page, 'error summary');
    t.match(await nextStatus(page, before), /erreur/, 'the failed submit is announced in #status');
    t.match(await page.title(), /^Erreur : /, 'the page title says there is an error');
    await screenshot(page, 'clavier-inscription-erreur');

    // From the summary, its link leads to the address field; the address is typed again.
    await page.keyboard.press('Tab');
    await expectFocusOn(t, page, page.locator('.error-summary a').first(), 'Tab from the summary');
    await page.keyboard.press('Enter');
    await expectFocusOn(t, page, page.locator('#email'), 'error link followed');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('lina.clavier@example.org');
    t.ok(await page.locator('#consentement').isChecked(), 'the consent was kept');
    t.ok(await page.getByRole('checkbox', { name: 'Interprète en langue des signes (LSF)' }).isChecked(), 'the LSF need was kept');
    t.equal(await page.getByLabel('Nombre de places').inputValue(), '2', 'the places were kept');

    // Success: htmx leads to the answer's own address (issue 15), whose title and heading say what
    // happened, and which a reload shows again. It never tells whether the address was registered
    // already (decision 0014): the manage link comes by mail.
    await activate(t, page, page.getByRole('button', { name: "M'inscrire" }).first(), 'submit again');
    await page.waitForURL(new RegExp(`/evenements/${f.openEventId}/inscription/demande-envoyee\\?par=e-mail$`));
    await page.locator('.registration-result').waitFor();
    await expectFocusOn(t, page, page.locator('.registration-result [data-autofocus]'), 'on the answer page');
    await expectFocusVisible(t, page, 'answer');
    t.equal(await page.title(), "Demande d'inscription reçue – Rassembler", 'the title says the request is received');
    t.equal(await page.locator('h1').innerText(), "Demande d'inscription reçue", 'so does the heading');
    t.match(await statusText(page), /Demande d'inscription reçue/, 'and the status region');
    await screenshot(page, 'clavier-inscription-demande-recue');
    await page.reload();
    t.equal(await page.locator('h1').innerText(), "Demande d'inscription reçue", 'a reload shows the answer again');

    const [row] = await db.select().from(registration).where(and(eq(registration.eventId, f.openEventId), eq(registration.email, 'lina.clavier@example.org')));
    t.equal(row?.seats, 2, 'registered with two places (the person and a companion)');
    t.equal(row?.state, 'confirmed');
    const needs = row ? await db.select().from(accessNeed).where(eq(accessNeed.registrationId, row.id)) : [];
    t.same(needs.map((n) => n.category).sort(), ['companion', 'lsf'], 'the LSF and companion needs are stored');

    // The link of the confirmation mail opens the manage page.
    await page.goto(`/inscription/${await suite.manageTokenSentTo('lina.clavier@example.org')}`);
    t.match(await page.locator('h1').innerText(), /inscription/i, 'the manage page is reached');
    t.match(await page.locator('main').innerText(), /Interprète en langue des signes|Interprétation LSF/, 'it lists the LSF need');
    await screenshot(page, 'clavier-gestion');
    csp.assertNone(t, 'resident keyboard journey');
  });

  t.test('every element reached by Tab shows a visible focus, on every kind of page', async (t) => {
    const walks: Array<[string, string, string | null]> = [
      ['home', '/', null],
      ['programme', '/programme', null],
      ['event page', `/evenements/${f.openEventId}`, null],
      ['registration form', `/evenements/${f.openEventId}/inscription`, null],
      ['registration answer', `/evenements/${f.openEventId}/inscription/demande-envoyee?par=e-mail`, null],
      ['manage page', `/inscription/${f.manageToken}`, null],
      ['sign-in', '/connexion', null],
      ['organiser event form', `/espace/organisations/${f.organisationId}/evenements/nouveau`, ORGANISER_EMAIL],
      ['registrations with needs', `/espace/evenements/${f.openEventId}/inscriptions`, ORGANISER_EMAIL],
      ['check-in', `/espace/evenements/${f.openEventId}/emargement`, ORGANISER_EMAIL],
      ['coordinator review', `/coordination/evenements/${f.submittedEventId}`, COORDINATOR_EMAIL],
    ];
    for (const [name, url, user] of walks) {
      const { context, page, csp } = await suite.newPage();
      if (user) await suite.signIn(context, user);
      await page.goto(url);
      const { reached, invisible } = await focusWalk(page);
      t.ok(reached > 3, `${name}: Tab reaches ${reached} elements`);
      t.same(invisible, [], `${name}: focus visible on every one of them`);
      csp.assertNone(t, `focus walk on ${name}`);
      await context.close();
    }
  });

  let proposalId: number | undefined;

  t.test('organiser, keyboard only: sign in by emailed link, propose an event', async (t) => {
    const { page, csp } = await suite.newPage();
    await signInByKeyboard(t, suite, page, ORGANISER_EMAIL);
    await activate(t, page, page.getByRole('link', { name: 'Les Voix du Parc' }), 'organisation link');
    await activate(t, page, page.getByRole('link', { name: 'Proposer un événement' }), 'propose link');
    await page.waitForURL(/\/evenements\/nouveau$/);

    // An empty proposal first: the error summary takes the focus (full page, no htmx).
    await activate(t, page, page.getByRole('button', { name: 'Proposer à la coordination' }), 'submit empty');
    await page.locator('.error-summary').waitFor();
    await expectFocusOn(t, page, page.locator('.error-summary'), 'after a failed submit (full page)');
    await expectFocusVisible(t, page, 'error summary');
    t.match(await page.title(), /^Erreur : /);
    await screenshot(page, 'clavier-proposition-erreurs');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectFocusOn(t, page, page.locator('#title'), 'first error link leads to the title field');

    // Fields by id: their labels carry « (obligatoire) » and some share words (Résumé / Résumé FALC).
    await typeInto(page, page.locator('#title'), PROPOSAL_TITLE);
    await typeInto(page, page.locator('#summary'), 'Chanter ensemble, interprétation LSF prévue.');
    await tabTo(page, page.locator('#category'));
    await page.keyboard.type('Atelier'); // a closed <select> picks the option typed
    await typeDate(t, page, page.locator('#date'), '2026-10-07');
    await tabTo(page, page.locator('#startTime'));
    await page.keyboard.type('1400');
    await tabTo(page, page.locator('#endTime'));
    await page.keyboard.type('1600');
    await tabTo(page, page.locator('#venueId'));
    await page.keyboard.type('Maison');
    await typeInto(page, page.locator('#capacity'), '15');
    await activate(t, page, page.getByRole('checkbox', { name: 'Interprétation LSF' }), 'offer LSF', 'Space');
    await activate(t, page, page.getByRole('button', { name: 'Proposer à la coordination' }), 'submit proposal');
    await page.waitForURL(/\/espace\/evenements\/\d+$/);
    await screenshot(page, 'clavier-proposition-envoyee');

    const [row] = await db.select().from(event).where(eq(event.title, PROPOSAL_TITLE));
    t.equal(row?.state, 'submitted', 'the proposal is stored, waiting for review');
    t.same(row?.accessibilityOffered, ['lsf'], 'with LSF offered');
    t.equal(row?.capacity, 15);
    proposalId = row?.id;
    csp.assertNone(t, 'organiser keyboard journey');
  });

  t.test('coordinator, keyboard only: sign in by emailed link, publish the proposal', async (t) => {
    const { page, csp } = await suite.newPage();
    const id = proposalId ?? f.submittedEventId;
    const [proposal] = await db.select().from(event).where(eq(event.id, id));
    await signInByKeyboard(t, suite, page, COORDINATOR_EMAIL);
    // « À traiter » is the first screen: a count leads to its list, a line of the list to the review.
    t.match(page.url(), /\/espace\/a-traiter$/, 'signed in, on « À traiter »');
    await activate(t, page, page.getByRole('link', { name: /propositions? à relire/ }), 'count of proposals to read');
    await page.waitForURL(new RegExp(`#t${f.territoryId}-propositions$`));
    await page.keyboard.press('Tab');
    await expectFocusOn(t, page, page.locator(`#t${f.territoryId}-propositions + ul a`).first(), 'Tab after the count: the first proposal of its list');
    await screenshot(page, 'clavier-a-traiter');
    await activate(t, page, page.getByRole('link', { name: proposal!.title }), 'the proposal in « À traiter »');
    await page.waitForURL(new RegExp(`/coordination/evenements/${id}$`));
    await screenshot(page, 'clavier-relecture');
    await activate(t, page, page.getByRole('button', { name: 'Publier' }), 'publish');
    await page.waitForURL(/\/propositions$/);
    t.match(await page.locator('main').innerText(), /est publié/, 'the queue confirms the publication');
    const [row] = await db.select().from(event).where(eq(event.id, id));
    t.equal(row?.state, 'published', 'the event is published');

    const publicPage = await page.goto(`/evenements/${id}`);
    t.equal(publicPage?.status(), 200, 'the event has its public page');
    csp.assertNone(t, 'coordinator keyboard journey');
  });
}
