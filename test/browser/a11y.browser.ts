// axe-core (WCAG 2.0/2.1 A and AA) on every page and state of the product, in real Chromium:
// public pages, the programme in each state, event pages, the registration form through its
// states, the manage page, sign-in, organiser, coordinator and administrator pages, error pages.
// Each page is screenshotted (test-output/screenshots/) and watched for CSP violations; the main
// public pages are also checked for reflow at 320 px and at 200 % zoom.
import t from 'tap';
import type { Page } from 'playwright-core';
import { checkA11y, noHorizontalScroll, openSuite, screenshot, type Suite, type T } from './harness.ts';
import { ADMIN_EMAIL, COORDINATOR_EMAIL, ORGANISER_EMAIL } from './fixtures.ts';

const suite = await openSuite(t);


/** Pages already audited in this file, so a page reached twice is not counted twice. */
const audited = new Set<string>();

/**
 * Opens `url`, checks its status, runs axe and takes a screenshot.
 */
async function audit(t: T, suite: Suite, page: Page, name: string, url: string, options: { status?: number } = {}): Promise<void> {
  const response = await page.goto(url);
  if (options.status !== undefined) t.equal(response?.status(), options.status, `« ${name} » answers ${options.status}`);
  else t.ok((response?.status() ?? 500) < 400, `« ${name} » (${url}) answers ${response?.status()}`);
  await auditHere(t, page, name);
}

/** axe + screenshot of the page as it is now (after an interaction). */
async function auditHere(t: T, page: Page, name: string): Promise<void> {
  audited.add(name);
  await checkA11y(t, page, name);
  await screenshot(page, `a11y-${name}`);
}

/** Submits the main form of the page as it stands (the first POST form in <main>). */
async function submitMainForm(page: Page): Promise<void> {
  await page.locator('main form[method="post"]:not(.inline-form) button[type="submit"]').first().click();
}

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
    await auditHere(t, page, 'inscription-confirmee');

    const manage = page.getByRole('link', { name: "ma page d'inscription" });
    await page.goto((await manage.getAttribute('href'))!);
    await auditHere(t, page, 'inscription-gestion');

    // A need ticked without the consent: registered without it, and the result says so.
    await page.goto(`/evenements/${f.openEventId}/inscription`);
    await page.getByLabel('Nom et prénom de la personne qui participe').fill('Basile Sansaccord');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('basile.a11y@example.org');
    await page.getByRole('checkbox', { name: 'Interprète en langue des signes (LSF)' }).check();
    await submitMainForm(page);
    await page.locator('.registration-result').waitFor();
    t.match(await page.locator('.registration-result').innerText(), /besoins d'accessibilité n'ont pas été enregistrés/);
    await auditHere(t, page, 'inscription-sans-accord');

    // Waitlisted: the full event.
    await page.goto(`/evenements/${f.fullEventId}/inscription`);
    await page.getByLabel('Nom et prénom de la personne qui participe').fill('Wassim Attente');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('wassim.a11y@example.org');
    await submitMainForm(page);
    await page.locator('.registration-result').waitFor();
    t.match(await page.locator('.registration-result').innerText(), /liste d'attente/);
    await auditHere(t, page, 'inscription-liste-attente');

    // The same results as full pages (the no-JS path), and the fixture's manage page with needs.
    await audit(t, suite, page, 'inscription-gestion-besoins', `/inscription/${f.manageToken}`);
    await audit(t, suite, page, 'inscription-confirmation-page', `/inscription/${f.manageToken}/confirmation`);
    await audit(t, suite, page, 'inscription-lien-invalide', `/inscription/pas-un-jeton`, { status: 404 });
    csp.assertNone(t, 'registration');
  });

  t.test('sign-in pages', async (t) => {
    const { page, csp } = await suite.newPage();
    await audit(t, suite, page, 'connexion', '/connexion');
    await submitMainForm(page);
    await page.locator('.error-summary').waitFor();
    await auditHere(t, page, 'connexion-erreurs');
    await page.getByLabel('Adresse e-mail').fill(ORGANISER_EMAIL);
    await submitMainForm(page);
    await page.waitForURL(/\/connexion\/envoye/);
    await auditHere(t, page, 'connexion-envoye');
    const mail = await suite.lastMail('sign_in_link', ORGANISER_EMAIL);
    t.ok(mail?.url, 'a sign-in link is queued');
    await page.goto(String(mail!.url));
    await auditHere(t, page, 'connexion-lien');
    await audit(t, suite, page, 'connexion-lien-invalide', '/connexion/lien?jeton=abc', { status: 400 });
    await audit(t, suite, page, 'boite-aux-lettres', '/boite-aux-lettres');
    csp.assertNone(t, 'sign-in');
  });

  t.test('organiser pages', async (t) => {
    const { context, page, csp } = await suite.newPage();
    await suite.signIn(context, ORGANISER_EMAIL);
    const org = `/espace/organisations/${f.organisationId}`;
    const ev = `/espace/evenements/${f.openEventId}`;
    await audit(t, suite, page, 'espace', '/espace');
    await audit(t, suite, page, 'organisation', org);
    await audit(t, suite, page, 'organisation-modifier', `${org}/modifier`);
    await audit(t, suite, page, 'organisation-nouvelle', '/espace/organisations/nouvelle');
    await audit(t, suite, page, 'organisation-evenements', `${org}/evenements`);
    await audit(t, suite, page, 'organisation-lieux', `${org}/lieux`);
    await audit(t, suite, page, 'lieu-nouveau', `${org}/lieux/nouveau`);
    await submitMainForm(page);
    await page.locator('.error-summary').waitFor();
    await auditHere(t, page, 'lieu-nouveau-erreurs');
    await audit(t, suite, page, 'evenement-nouveau', `${org}/evenements/nouveau`);
    await submitMainForm(page);
    await page.locator('.error-summary').waitFor();
    await auditHere(t, page, 'evenement-nouveau-erreurs');
    await audit(t, suite, page, 'evenement-espace', ev);
    await audit(t, suite, page, 'evenement-modifier', `${ev}/modifier`);
    await audit(t, suite, page, 'evenement-apercu', `${ev}/apercu`);
    await audit(t, suite, page, 'inscriptions-avec-besoins', `${ev}/inscriptions`);
    await audit(t, suite, page, 'emargement', `${ev}/emargement`);
    await audit(t, suite, page, 'inscription-par-telephone', `${ev}/inscriptions/nouvelle`);
    await submitMainForm(page);
    await page.locator('.error-summary').waitFor();
    await auditHere(t, page, 'inscription-par-telephone-erreurs');
    await audit(t, suite, page, 'erreur-403', `/coordination/${f.territoryId}`, { status: 403 });
    csp.assertNone(t, 'organiser pages');
  });

  t.test('coordinator pages', async (t) => {
    const { context, page, csp } = await suite.newPage();
    await suite.signIn(context, COORDINATOR_EMAIL);
    await audit(t, suite, page, 'coordination-vue-ensemble', `/coordination/${f.territoryId}`);
    await audit(t, suite, page, 'coordination-propositions', `/coordination/${f.territoryId}/propositions`);
    await audit(t, suite, page, 'coordination-relecture', `/coordination/evenements/${f.submittedEventId}`);
    csp.assertNone(t, 'coordinator pages');
  });

  t.test('administrator pages', async (t) => {
    const { context, page, csp } = await suite.newPage();
    await suite.signIn(context, ADMIN_EMAIL);
    await audit(t, suite, page, 'admin', '/admin');
    await audit(t, suite, page, 'admin-territoire', `/admin/territoires/${f.territoryId}`);
    await audit(t, suite, page, 'admin-territoire-nouveau', '/admin/territoires/nouveau');
    await submitMainForm(page);
    await page.locator('.error-summary').waitFor();
    await auditHere(t, page, 'admin-territoire-nouveau-erreurs');
    await audit(t, suite, page, 'admin-edition-nouvelle', '/admin/editions/nouvelle');
    await audit(t, suite, page, 'admin-edition', `/admin/editions/${f.editionId}`);
    await audit(t, suite, page, 'admin-courriels', '/admin/courriels');
    csp.assertNone(t, 'administrator pages');
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

  t.test('reflow: no horizontal scrolling at 320 px and at 200 % zoom', async (t) => {
    const pages: Array<[string, string]> = [
      ['accueil', '/'],
      ['programme', '/programme'],
      ['evenement', `/evenements/${f.openEventId}`],
      ['inscription', `/evenements/${f.openEventId}/inscription`],
      ['gestion', `/inscription/${f.manageToken}`],
      ['connexion', '/connexion'],
    ];
    const layouts = [
      { label: '320px', options: { viewport: { width: 320, height: 640 } } },
      // 1280 px at 200 % zoom: 640 CSS pixels, two device pixels each.
      { label: 'zoom-200', options: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 } },
    ];
    for (const layout of layouts) {
      const { page, csp } = await suite.newPage(layout.options);
      for (const [name, url] of pages) {
        await page.goto(url);
        await noHorizontalScroll(t, page, `${name} at ${layout.label}`);
        await screenshot(page, `reflow-${layout.label}-${name}`);
      }
      csp.assertNone(t, `reflow ${layout.label}`);
    }
  });

  t.teardown(() => {
    process.stderr.write(`a11y: ${audited.size} pages and states checked with axe\n`);
  });
}
