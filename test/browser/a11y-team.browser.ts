// axe-core (WCAG 2.0/2.1 A and AA) on the sign-in, organiser, coordinator and administrator pages,
// in real Chromium, and reflow of the main public pages at 320 px and at 200 % zoom. Each page is
// screenshotted (test-output/screenshots/) and watched for CSP violations. The public pages are in
// a11y-public.browser.ts (two files run side by side).
import t from 'tap';
import { noHorizontalScroll, openSuite, screenshot } from './harness.ts';
import { audit, audited, auditHere, submitMainForm } from './audit.ts';
import { ADMIN_EMAIL, COORDINATOR_EMAIL, ORGANISER_EMAIL } from './fixtures.ts';

const suite = await openSuite(t);

if (suite) {
  const f = suite.fixtures;

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
    await audit(t, suite, page, 'a-traiter-organisation', '/espace/a-traiter');
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
    await audit(t, suite, page, 'evenement-dupliquer', `${org}/evenements/nouveau?copie=${f.openEventId}`);
    await audit(t, suite, page, 'evenement-modifier', `${ev}/modifier`);
    await audit(t, suite, page, 'evenement-apercu', `${ev}/apercu`);
    await audit(t, suite, page, 'inscriptions-avec-besoins', `${ev}/inscriptions`);
    await audit(t, suite, page, 'emargement', `${ev}/emargement`);
    await audit(t, suite, page, 'message-inscrits', `${ev}/message`);
    await submitMainForm(page);
    await page.locator('.error-summary').waitFor();
    await auditHere(t, page, 'message-inscrits-erreurs');
    await page.locator('#objet').fill('Changement de salle');
    await page.locator('#message').fill('L’atelier a lieu salle B, au premier étage.');
    await submitMainForm(page);
    await page.waitForURL(/message=\d+#messages$/);
    await auditHere(t, page, 'message-inscrits-envoye');
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
    await audit(t, suite, page, 'a-traiter-coordination', '/espace/a-traiter');
    await audit(t, suite, page, 'journal-acces-besoins', `/coordination/${f.territoryId}/journal`);
    await audit(t, suite, page, 'journal-acces-besoins-erreurs', `/coordination/${f.territoryId}/journal?du=hier`, { status: 400 });
    await audit(t, suite, page, 'coordination-vue-ensemble', `/coordination/${f.territoryId}`);
    await audit(t, suite, page, 'coordination-propositions', `/coordination/${f.territoryId}/propositions`);
    await audit(t, suite, page, 'coordination-relecture', `/coordination/evenements/${f.submittedEventId}`);
    csp.assertNone(t, 'coordinator pages');
  });

  t.test('administrator pages', async (t) => {
    const { context, page, csp } = await suite.newPage();
    await suite.signIn(context, ADMIN_EMAIL);
    await audit(t, suite, page, 'admin', '/admin');
    await audit(t, suite, page, 'a-traiter-administration', '/espace/a-traiter');
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
