// axe-core (WCAG 2.0/2.1 A and AA) on every public page and state, in real Chromium: public pages,
// the programme in each state, event pages, the registration form through its states, the manage
// page, error pages. Each page is screenshotted (test-output/screenshots/) and watched for CSP
// violations. The team's pages are in a11y-team.browser.ts (two files run side by side).
import t from 'tap';
import { openSuite } from './harness.ts';
import { audit, audited, auditHere, submitMainForm } from './audit.ts';

const suite = await openSuite(t);

if (suite) {
  const f = suite.fixtures;

  t.test('self-check: the CSP collector hears a violation', async (t) => {
    const { page, csp } = await suite.newPage();
    await page.goto('/');
    const heard = page.waitForEvent('console', (m) => /securitypolicyviolation|Content Security Policy/i.test(m.text()));
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'void 0';
      document.body.append(script);
    });
    await heard;
    t.ok(csp.messages.length > 0, 'an inline script injected into the page is reported');
  });

  t.test('public pages', async (t) => {
    const { page, csp } = await suite.newPage();
    await audit(t, suite, page, 'accueil', '/');
    await audit(t, suite, page, 'comment-s-inscrire', '/comment-s-inscrire');
    await audit(t, suite, page, 'accessibilite', '/accessibilite');
    await audit(t, suite, page, 'donnees-personnelles', '/donnees-personnelles');
    await audit(t, suite, page, 'donnees-ouvertes', '/donnees-ouvertes');
    csp.assertNone(t, 'public pages');
  });

  t.test('programme in every state', async (t) => {
    const { page, csp } = await suite.newPage();
    await audit(t, suite, page, 'programme', '/programme');
    await audit(t, suite, page, 'programme-filtre', '/programme?access=lsf&commune=Grenoble');
    await audit(t, suite, page, 'programme-vide', '/programme?q=xylophonezzz');
    await audit(t, suite, page, 'programme-page-2', '/programme?page=2');
    await audit(t, suite, page, 'programme-filtre-invalide', '/programme?day=2026-13-45&access=teleportation');

    // After an htmx update: tick an accessibility filter and apply it in place.
    await page.goto('/programme');
    const before = await page.locator('#status').textContent();
    // Mark the live region: it must be the same element after the swap (only its text changes).
    await page.evaluate(() => ((document.getElementById('status') as HTMLElement & { dataset: DOMStringMap }).dataset.persistent = 'yes'));
    await page.getByRole('checkbox', { name: /Interprétation LSF/ }).first().check();
    const apply = page.locator('main form[method="get"] button[type="submit"]').first();
    if (await apply.isVisible()) await apply.click();
    await page.waitForFunction((old) => (document.getElementById('status')?.textContent ?? '') !== old, before, { timeout: 5000 }).catch(() => {});
    t.not((await page.locator('#status').textContent())?.trim() ?? '', (before ?? '').trim(), 'the htmx update is announced in #status');
    t.equal(await page.locator('#status').getAttribute('data-persistent'), 'yes', 'the live region was updated in place, not replaced');
    t.equal(await page.locator('#status').getAttribute('role'), 'status');
    t.match(page.url(), /access=lsf/, 'the URL follows the filters (shareable)');
    await auditHere(t, page, 'programme-apres-htmx');
    csp.assertNone(t, 'programme');
  });

  t.test('event pages', async (t) => {
    const { page, csp } = await suite.newPage();
    await audit(t, suite, page, 'evenement-ouvert', `/evenements/${f.openEventId}`);
    await audit(t, suite, page, 'evenement-complet', `/evenements/${f.fullEventId}`);
    await audit(t, suite, page, 'evenement-annule', `/evenements/${f.cancelledEventId}`);
    await audit(t, suite, page, 'evenement-inconnu', `/evenements/999999`, { status: 404 });
    csp.assertNone(t, 'event pages');
  });

  t.test('registration form: blank, errors, success, waitlisted; manage page', async (t) => {
    const { page, csp } = await suite.newPage();
    await audit(t, suite, page, 'inscription-vierge', `/evenements/${f.openEventId}/inscription`);

    await submitMainForm(page);
    await page.locator('.error-summary').waitFor();
    await auditHere(t, page, 'inscription-erreurs');

    // A mistyped address, with a need and its consent: the field's error, the rest kept.
    await page.getByLabel('Nom et prénom de la personne qui participe').fill('Aïcha Testeuse');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('aicha.a11y@');
    await page.getByRole('checkbox', { name: 'Interprète en langue des signes (LSF)' }).check();
    await page.getByRole('checkbox', { name: /J'accepte que ces besoins/ }).check();
    await submitMainForm(page);
    await page.locator('#email-error').waitFor();
    await auditHere(t, page, 'inscription-erreur-email');

    await page.getByLabel('Adresse e-mail', { exact: true }).fill('aicha.a11y@example.org');
    await submitMainForm(page);
    await page.locator('.registration-result').waitFor();
    t.equal(await page.locator('h1').innerText(), "Demande d'inscription reçue");
    await auditHere(t, page, 'inscription-demande-recue');

    // The result and manage pages, from the link of the confirmation mail.
    const aicha = await suite.manageTokenSentTo('aicha.a11y@example.org');
    await audit(t, suite, page, 'inscription-confirmee', `/inscription/${aicha}/confirmation`);
    await audit(t, suite, page, 'inscription-gestion', `/inscription/${aicha}`);

    // A need ticked without the consent: registered without it, and the answer says so.
    await page.goto(`/evenements/${f.openEventId}/inscription`);
    await page.getByLabel('Nom et prénom de la personne qui participe').fill('Basile Sansaccord');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('basile.a11y@example.org');
    await page.getByRole('checkbox', { name: 'Interprète en langue des signes (LSF)' }).check();
    await submitMainForm(page);
    await page.locator('.registration-result').waitFor();
    t.match(await page.locator('.registration-result').innerText(), /besoins d'accessibilité n'ont pas été enregistrés/);
    await auditHere(t, page, 'inscription-sans-accord');
    await audit(t, suite, page, 'inscription-sans-accord-resultat', `/inscription/${await suite.manageTokenSentTo('basile.a11y@example.org')}/confirmation?besoins-non-enregistres=1`);

    // Waitlisted: the full event; the answer is the same, the result page says where in the line.
    await page.goto(`/evenements/${f.fullEventId}/inscription`);
    await page.getByLabel('Nom et prénom de la personne qui participe').fill('Wassim Attente');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('wassim.a11y@example.org');
    await submitMainForm(page);
    await page.locator('.registration-result').waitFor();
    t.equal(await page.locator('h1').innerText(), "Demande d'inscription reçue");
    await audit(t, suite, page, 'inscription-liste-attente', `/inscription/${await suite.manageTokenSentTo('wassim.a11y@example.org')}/confirmation`);
    t.match(await page.locator('.registration-result').innerText(), /liste d'attente/);

    // A phone with texts: the answer worded for texts. A phone without: the result page, with the link.
    await page.goto(`/evenements/${f.openEventId}/inscription`);
    await page.getByLabel('Nom et prénom de la personne qui participe').fill('Sacha Texto');
    await page.getByLabel('Téléphone', { exact: true }).fill('06 12 34 56 78');
    await page.getByRole('checkbox', { name: "J'accepte de recevoir des SMS sur le téléphone indiqué" }).check();
    await submitMainForm(page);
    await page.locator('.registration-result').waitFor();
    t.match(await page.locator('.registration-result').innerText(), /Un SMS part au numéro indiqué/);
    await auditHere(t, page, 'inscription-demande-recue-sms');
    await page.goto(`/evenements/${f.openEventId}/inscription`);
    await page.getByLabel('Nom et prénom de la personne qui participe').fill('Paul Fixe');
    await page.getByLabel('Téléphone', { exact: true }).fill('04 76 00 00 00');
    await submitMainForm(page);
    await page.waitForURL(/\/inscription\/[A-Za-z0-9_-]{43}\/confirmation$/);
    await page.locator('.registration-result').waitFor();
    t.equal(await page.locator('h1').innerText(), 'Votre inscription est confirmée');
    t.ok(await page.getByRole('link', { name: "ma page d'inscription" }).isVisible(), 'with the manage link');
    await auditHere(t, page, 'inscription-telephone-seul');

    // The same results as full pages (the no-JS path), and the fixture's manage page with needs.
    await audit(t, suite, page, 'inscription-gestion-besoins', `/inscription/${f.manageToken}`);
    await audit(t, suite, page, 'inscription-confirmation-page', `/inscription/${f.manageToken}/confirmation`);
    await audit(t, suite, page, 'inscription-lien-invalide', `/inscription/pas-un-jeton`, { status: 404 });
    csp.assertNone(t, 'registration');
  });

  t.test('error pages', async (t) => {
    const { page, csp } = await suite.newPage();
    await audit(t, suite, page, 'erreur-404', '/nulle-part', { status: 404 });
    // A form sent without its CSRF token (an expired form): 403 « Formulaire expiré ».
    await page.goto('/');
    await page.evaluate(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/connexion';
      document.body.append(form);
      form.submit();
    });
    await page.waitForLoadState();
    t.match(await page.locator('h1').innerText(), /Formulaire expiré/);
    await auditHere(t, page, 'erreur-403-csrf');
    // Signed out on an organiser page.
    const res = await page.goto('/espace');
    t.ok(res, '/espace answers');
    await auditHere(t, page, 'espace-deconnecte');
    csp.assertNone(t, 'error pages');
  });

  t.teardown(() => {
    process.stderr.write(`a11y: ${audited.size} pages and states checked with axe\n`);
  });
}
