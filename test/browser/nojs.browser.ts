// The resident journey with JavaScript disabled, end to end, in real Chromium: every feature
// must work with real links, real GET forms and POST → 303 → GET. Filters the programme, opens
// an event, registers with an LSF need and a companion (meeting the error summary on the way),
// opens the manage page from the mailed link and changes the number of places there.
import t from 'tap';
import { and, eq } from 'drizzle-orm';
import { accessNeed, registration } from '../../server/db/schema.ts';
import { openSuite, screenshot } from './harness.ts';
import { OPEN_TITLE } from './fixtures.ts';

const suite = await openSuite(t);

if (suite) {
  const f = suite.fixtures;
  const db = suite.database.db;

  t.test('resident without JavaScript: programme → event → registration → manage page', async (t) => {
    const { page, csp } = await suite.newPage({ javaScriptEnabled: false });

    await page.goto('/');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Programme' }).click();
    await page.waitForURL(/\/programme$/);

    // The filter form is a plain GET form: the page reloads with the filters in the URL.
    await page.getByRole('checkbox', { name: /Interprétation LSF/ }).check();
    await page.getByRole('button', { name: 'Afficher les événements' }).click();
    await page.waitForURL(/access=lsf/);
    t.match(await page.locator('#resultats-titre').innerText(), /correspond/, 'the results say they match the filters');
    t.ok(await page.getByRole('checkbox', { name: /Interprétation LSF/ }).isChecked(), 'the filter stays ticked on the new page');
    t.notOk(await page.getByRole('button', { name: 'Imprimer le programme' }).isVisible(), 'no print button that would do nothing');
    await screenshot(page, 'sans-js-programme-filtre');

    await page.locator('#resultats').getByRole('link', { name: OPEN_TITLE }).click();
    await page.waitForURL(new RegExp(`/evenements/${f.openEventId}$`));
    await page.getByRole('link', { name: /^S'inscrire/ }).click();
    await page.waitForURL(/\/inscription$/);

    await page.getByLabel('Nom et prénom de la personne qui participe').fill('Noé Sansscript');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('noe.sansscript@');
    await page.getByLabel('Nombre de places').fill('2');
    await page.getByRole('checkbox', { name: 'Interprète en langue des signes (LSF)' }).check();
    await page.getByRole('checkbox', { name: 'Venir avec un·e accompagnant·e' }).check();
    await page.getByRole('checkbox', { name: /J'accepte que ces besoins/ }).check();
    // A mistyped address: the whole page comes back with the error summary, values kept.
    const failed = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: "M'inscrire" }).click();
    t.equal((await failed).status(), 422, 'a form with an error answers 422');
    await page.locator('.error-summary').waitFor();
    t.match(await page.title(), /^Erreur : /, 'the title says there is an error');
    t.equal(await page.getByLabel('Nombre de places').inputValue(), '2', 'the places were kept');
    t.ok(await page.getByRole('checkbox', { name: 'Interprète en langue des signes (LSF)' }).isChecked(), 'the LSF need was kept');
    await screenshot(page, 'sans-js-inscription-erreur');

    await page.locator('.error-summary a').first().click();
    t.match(page.url(), /#email$/, 'the summary links to the address field');
    t.ok(await page.getByRole('checkbox', { name: /J'accepte que ces besoins/ }).isChecked(), 'the consent was kept');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('noe.sansscript@example.org');
    await page.getByRole('button', { name: "M'inscrire" }).first().click();
    // The answer never tells whether the address was registered already (decision 0014): the link comes by mail.
    await page.waitForURL(new RegExp(`/evenements/${f.openEventId}/inscription/demande-envoyee\\?par=e-mail$`));
    t.equal(await page.locator('h1').innerText(), "Demande d'inscription reçue", 'the answer page');
    t.equal(await page.title(), "Demande d'inscription reçue – Rassembler", 'its title says what happened');
    t.match(await page.locator('main').innerText(), /Un e-mail part à l'adresse indiquée/);
    await screenshot(page, 'sans-js-inscription-demande-recue');
    await page.reload();
    t.equal(await page.locator('h1').innerText(), "Demande d'inscription reçue", 'a reload shows the answer again');

    const [row] = await db.select().from(registration).where(and(eq(registration.eventId, f.openEventId), eq(registration.email, 'noe.sansscript@example.org')));
    t.equal(row?.seats, 2, 'two places: the person and a companion');
    const needs = row ? await db.select().from(accessNeed).where(eq(accessNeed.registrationId, row.id)) : [];
    t.same(needs.map((n) => n.category).sort(), ['companion', 'lsf'], 'the LSF and companion needs are stored');

    // The person opens the link from the confirmation mail.
    await page.goto(`/inscription/${await suite.manageTokenSentTo('noe.sansscript@example.org')}`);
    t.match(await page.locator('h1').innerText(), /^Mon inscription/, 'the manage page');

    // A change on the manage page: POST → 303 → the page again, with its confirmation.
    await page.locator('form[action$="/places"]').getByLabel('Nombre de places').fill('1');
    await page.getByRole('button', { name: 'Changer le nombre de places' }).click();
    await page.waitForURL(/\?fait=places$/);
    t.match(await page.locator('main').innerText(), /Le nombre de places a été modifié/, 'the change is confirmed');
    const [after] = await db.select().from(registration).where(eq(registration.id, row!.id));
    t.equal(after?.seats, 1, 'the number of places is changed');
    await screenshot(page, 'sans-js-gestion');
    csp.assertNone(t, 'resident journey without JavaScript');
  });
}
