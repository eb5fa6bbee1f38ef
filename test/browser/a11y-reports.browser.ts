// axe-core (WCAG 2.0/2.1 A and AA) on the figures and the bilan, a territory's and the national
// ones, in real Chromium on the demo programme (which has registrations and needs); the charts'
// SVG read as images with their name; the pages reflow at 320 px; the bilan as printed is
// screenshotted (test-output/screenshots/). No CSP violation: the charts carry no inline style.
import t from 'tap';
import { asc } from 'drizzle-orm';
import { territory } from '../../server/db/schema.ts';
import { noHorizontalScroll, openSuite, screenshot } from './harness.ts';
import { audit, audited } from './audit.ts';
import { ADMIN_EMAIL, COORDINATOR_EMAIL } from './fixtures.ts';

const suite = await openSuite(t);

if (suite) {
  const f = suite.fixtures;
  // The demo's first territory: its events have registrations, needs and several communes.
  const [demo] = await suite.database.db.select().from(territory).orderBy(asc(territory.id)).limit(1);

  t.test('a territory’s figures and bilan, for its coordination', async (t) => {
    const { context, page, csp } = await suite.newPage();
    await suite.signIn(context, COORDINATOR_EMAIL);
    await audit(t, suite, page, 'coordination-chiffres', `/coordination/${f.territoryId}/chiffres`);
    const charts = page.getByRole('img', { name: 'Couverture du territoire : événements publiés par commune' });
    t.equal(await charts.count(), 1, 'the coverage chart is an image with its name');
    await audit(t, suite, page, 'coordination-bilan', `/coordination/${f.territoryId}/bilan`);
    csp.assertNone(t, 'coordination figures and bilan');
  });

  t.test('the demo territory and the national figures, for an administrator; the bilan printed', async (t) => {
    const { context, page, csp } = await suite.newPage();
    await suite.signIn(context, ADMIN_EMAIL);
    await audit(t, suite, page, 'demo-chiffres', `/coordination/${demo!.id}/chiffres`);
    t.equal(await page.getByRole('img', { name: 'Besoins d’accessibilité satisfaits ou non, par catégorie' }).count(), 1, 'the needs chart, with the demo’s needs');
    await audit(t, suite, page, 'demo-bilan', `/coordination/${demo!.id}/bilan`);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'bilan-imprime');
    t.notOk(await page.getByRole('heading', { name: 'Télécharger' }).isVisible(), 'the downloads are not printed');
    await page.emulateMedia({ media: 'screen' });
    await audit(t, suite, page, 'national-chiffres', '/admin/chiffres');
    await audit(t, suite, page, 'national-bilan', '/admin/bilan');
    csp.assertNone(t, 'administrator figures and bilan');
  });

  t.test('reflow: the figures and the bilan at 320 px', async (t) => {
    const { context, page, csp } = await suite.newPage({ viewport: { width: 320, height: 640 } });
    await suite.signIn(context, ADMIN_EMAIL);
    for (const [name, url] of [
      ['chiffres', `/coordination/${demo!.id}/chiffres`],
      ['bilan', `/coordination/${demo!.id}/bilan`],
    ]) {
      await page.goto(url!);
      await noHorizontalScroll(t, page, `${name} at 320px`);
      await screenshot(page, `reflow-320px-${name}`);
    }
    csp.assertNone(t, 'reflow of the reports');
  });

  t.teardown(() => {
    process.stderr.write(`a11y: ${audited.size} report pages checked with axe\n`);
  });
}
