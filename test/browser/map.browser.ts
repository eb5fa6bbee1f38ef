// The programme's map in real Chromium (issue 19), on the demo programme: with the tile server
// unreachable (a closed port) the map gives way to the list and the page is axe-clean; with tiles
// (served by the browser driver in place of that server) the markers are reached with Tab and
// Enter opens the popup with the event's link; without JavaScript the list is all there is. On
// the venue form, a click on the map fills the latitude and longitude.
import t from 'tap';
import { createServer } from 'node:net';
import { openSuite, screenshot } from './harness.ts';
import { auditHere } from './audit.ts';
import { ORGANISER_EMAIL } from './fixtures.ts';

/** A port nothing listens on: every tile request is refused. */
const closedPort = await new Promise<number>((resolve) => {
  const server = createServer();
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
  });
});
const tileServer = `http://127.0.0.1:${closedPort}`;
// The smallest valid PNG (1×1, transparent), for the tiles the driver serves.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const suite = await openSuite(t, { env: { MAP_TILE_URL: `${tileServer}/{z}/{x}/{y}.png` } });

if (suite) {
  t.test('tiles unreachable: the list alone, with a notice, axe-clean', async (t) => {
    const { page, csp } = await suite.newPage();
    await page.goto('/programme/carte');
    await page.locator('[data-map-failed]').waitFor({ state: 'visible' });
    t.notOk(await page.locator('[data-map]').isVisible(), 'the map is taken away');
    t.ok((await page.locator('.map-events a').count()) > 5, 'the events are listed, with their links');
    await auditHere(t, page, 'carte-sans-tuiles');
    csp.assertNone(t, 'carte sans tuiles');
  });

  t.test('with tiles: Tab reaches a marker, Enter opens its popup with the event link', async (t) => {
    const { page, csp } = await suite.newPage();
    await page.route(`${tileServer}/**`, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
    await page.goto('/programme/carte');
    await page.locator('.leaflet-marker-icon').first().waitFor({ state: 'visible' });
    t.notOk(await page.locator('[data-map-failed]').isVisible(), 'no failure notice');
    t.match(await page.locator('.leaflet-control-attribution').innerText(), '© contributeurs OpenStreetMap');

    let focused: { alt: string; title: string } | null = null;
    for (let i = 0; i < 80 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => {
        const el = document.activeElement;
        return el instanceof HTMLImageElement && el.classList.contains('leaflet-marker-icon') ? { alt: el.alt, title: el.title } : null;
      });
    }
    t.ok(focused, 'a marker takes the focus from the keyboard');
    t.ok(focused!.alt.length > 0, 'it is named by the event title');
    t.equal(focused!.title, focused!.alt);
    await page.keyboard.press('Enter');
    const link = page.locator('.leaflet-popup-content a');
    await link.waitFor({ state: 'visible' });
    t.equal(await link.innerText(), focused!.alt, 'the popup links to that event');
    t.match(await link.getAttribute('href'), /^\/evenements\/\d+$/);
    t.equal(await page.locator('.leaflet-popup-close-button').getAttribute('aria-label'), 'Fermer la fiche');
    await screenshot(page, 'carte-popup');
    await auditHere(t, page, 'carte-avec-tuiles');
    csp.assertNone(t, 'carte avec tuiles');
  });

  t.test('without JavaScript: the list of the events, no map', async (t) => {
    const { page, csp } = await suite.newPage({ javaScriptEnabled: false });
    await page.goto('/programme');
    await page.getByRole('link', { name: 'Voir ces événements sur une carte' }).click();
    await page.waitForURL(/\/programme\/carte$/);
    t.notOk(await page.locator('[data-map]').isVisible(), 'no empty map');
    t.ok((await page.locator('.map-events a').count()) > 5, 'every event listed, with its link');
    await page.getByRole('link', { name: 'Revenir à la liste' }).click();
    await page.waitForURL(/\/programme$/);
    csp.assertNone(t, 'carte sans JavaScript');
  });

  t.test('venue form: a click on the map places the pin and fills latitude and longitude', async (t) => {
    const { context, page, csp } = await suite.newPage();
    await suite.signIn(context, ORGANISER_EMAIL);
    await page.route(`${tileServer}/**`, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
    await page.goto(`/espace/organisations/${suite.fixtures.organisationId}/lieux/nouveau`);
    const map = page.getByRole('region', { name: 'Carte pour placer le lieu' });
    await map.waitFor({ state: 'visible' });
    t.equal(await page.getByLabel('Latitude').inputValue(), '');
    await map.click(); // its centre: France's, before any position is known
    const lat = Number(await page.getByLabel('Latitude').inputValue());
    const lon = Number(await page.getByLabel('Longitude').inputValue());
    t.ok(Math.abs(lat - 46.6) < 0.5 && Math.abs(lon - 2.4) < 0.5, `the point clicked (${lat}, ${lon})`);
    t.equal(await page.locator('#carte-lieu .leaflet-marker-icon').count(), 1, 'the pin is placed');
    await auditHere(t, page, 'lieu-nouveau-carte');
    csp.assertNone(t, 'carte du lieu');
  });
}
