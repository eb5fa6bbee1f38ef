// Languages in the browser: a right-to-left language (the Arabic test catalogue of
// test/fixtures/catalogues, added through CATALOGUES_EXTRA_DIR as a territory would) mirrors the
// layout through the stylesheet's logical properties; the language switch is a plain link that
// works without JavaScript and is remembered; axe is clean on the Arabic and English pages.
import path from 'node:path';
import t from 'tap';
import type { Page } from 'playwright-core';
import { noHorizontalScroll, openSuite, SCREENSHOT_DIR, screenshot } from './harness.ts';
import { audit, audited } from './audit.ts';

/** Map tiles, served by the browser driver (nothing listens there). */
const TILES = 'http://127.0.0.1:9';
// The smallest valid PNG (1×1, transparent).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const suite = await openSuite(t, { env: { CATALOGUES_EXTRA_DIR: path.resolve('test', 'fixtures', 'catalogues'), MAP_TILE_URL: `${TILES}/{z}/{x}/{y}.png` } });

interface Box {
  left: number;
  right: number;
}

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible on ${page.url()}`);
  return { left: box.x, right: box.x + box.width };
}

async function viewportWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.clientWidth);
}

/** The computed start and end borders of the first element matching `selector`. */
async function sideBorders(page: Page, selector: string): Promise<{ left: string; right: string }> {
  return page.locator(selector).first().evaluate((el) => {
    const style = getComputedStyle(el);
    return { left: style.borderLeftWidth, right: style.borderRightWidth };
  });
}

if (suite) {
  const f = suite.fixtures;

  t.test('the right-to-left test language: dir, lang, the layout mirrored', async (t) => {
    const { page, csp } = await suite.newPage();

    await page.goto('/programme');
    t.equal(await page.locator('html').getAttribute('dir'), 'ltr', 'French is left to right');
    const width = await viewportWidth(page);
    const frBrand = await boxOf(page, '.site-header .brand');
    const frNav = await boxOf(page, '.site-header nav');
    t.ok(frBrand.right <= frNav.left + 1, `in French the brand is left of the navigation (brand ${frBrand.left}–${frBrand.right}, navigation from ${frNav.left})`);
    // The switch names each language in itself, marked with its language and direction.
    const arabic = page.locator('nav.language-switch a[hreflang="ar"]');
    t.equal(await arabic.innerText(), 'العربية', 'the switch offers the added language by its own name');
    t.equal(await arabic.getAttribute('lang'), 'ar');
    t.equal(await arabic.getAttribute('dir'), 'rtl');

    const response = await page.goto('/ar/programme');
    t.equal(response?.status(), 200, '/ar/programme answers');
    t.equal(await page.locator('html').getAttribute('dir'), 'rtl', '<html dir="rtl">');
    t.equal(await page.locator('html').getAttribute('lang'), 'ar', '<html lang="ar">');
    t.equal(await page.locator('.site-header nav[aria-label]').first().getAttribute('aria-label'), 'التنقل الرئيسي', 'a key of the Arabic catalogue is used');
    t.match(await page.locator('.site-footer').innerText(), /Rassembler, la plateforme/, 'a key the Arabic catalogue lacks falls back to French');

    // The header mirrored: the brand on the right, as far from the right edge as it is from the left in French.
    const arBrand = await boxOf(page, '.site-header .brand');
    const arNav = await boxOf(page, '.site-header nav');
    t.ok(arBrand.left >= arNav.right - 1, `in Arabic the brand is right of the navigation (brand ${arBrand.left}–${arBrand.right}, navigation to ${arNav.right})`);
    t.ok(Math.abs(width - arBrand.right - frBrand.left) <= 2, `the brand's right margin in Arabic (${width - arBrand.right}) is its left margin in French (${frBrand.left})`);
    await noHorizontalScroll(t, page, 'programme in Arabic');
    await screenshot(page, 'languages-ar-programme');

    // The skip link, off screen until focused, comes in from the right.
    await page.keyboard.press('Tab');
    t.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link', 'Tab reaches the skip link first');
    const skip = await boxOf(page, '.skip-link');
    t.ok(skip.right > width / 2 && width - skip.right <= 20, `the focused skip link sits at the right (its right edge ${skip.right} of ${width})`);
    t.equal(await page.locator('.skip-link').innerText(), 'انتقل إلى المحتوى');
    csp.assertNone(t, 'Arabic programme');
  });

  t.test('form errors: the error bar on the reading side', async (t) => {
    const { page, csp } = await suite.newPage();
    for (const [prefix, start, end] of [
      ['', 'left', 'right'],
      ['/ar', 'right', 'left'],
    ] as const) {
      await page.goto(`${prefix}/evenements/${f.openEventId}/inscription`);
      await page.locator('main form[method="post"] button[type="submit"]').first().click();
      await page.locator('.error-summary').waitFor();
      const borders = await sideBorders(page, '.field.field-error');
      t.equal(borders[start], '4px', `${prefix || 'French'}: the field's error bar is on the ${start}`);
      t.equal(borders[end], '0px', `${prefix || 'French'}: and none on the ${end}`);
      await screenshot(page, `languages-errors-${prefix ? 'ar' : 'fr'}`);
    }
    csp.assertNone(t, 'form errors in both directions');
  });

  t.test('the language switch: a link, without JavaScript, remembered', async (t) => {
    const { context, page, csp } = await suite.newPage({ javaScriptEnabled: false });
    await page.goto('/programme');
    t.equal(await page.locator('html').getAttribute('lang'), 'fr', 'a French browser gets the French page');
    const english = page.locator('nav.language-switch').getByRole('link', { name: 'English' });
    t.equal(await english.evaluate((el) => el.tagName), 'A', '« English » is a real link');
    t.match(await english.getAttribute('href'), /^\/langue\/en\?retour=%2Fprogramme$/, 'to the switch, coming back to the same page');
    await english.click();
    await page.waitForURL(/\/en\/programme$/);
    t.equal(new URL(page.url()).pathname, '/en/programme', 'the same page, in English');
    t.equal(await page.locator('html').getAttribute('lang'), 'en', '<html lang="en">');
    t.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    t.equal(await page.locator('nav.language-switch [aria-current="true"]').innerText(), 'English', 'the switch shows English as the current language');
    const cookies = await context.cookies();
    t.equal(cookies.find((c) => c.name === 'langue')?.value, 'en', 'the choice is kept in the langue cookie');

    // Remembered: an address without prefix opens in English.
    await page.goto('/programme');
    t.equal(new URL(page.url()).pathname, '/en/programme', '/programme afterwards lands on /en/programme');
    await page.goto(`/evenements/${f.openEventId}`);
    t.equal(new URL(page.url()).pathname, `/en/evenements/${f.openEventId}`, 'and so does any other page');

    // And back to French, remembered too.
    await page.locator('nav.language-switch').getByRole('link', { name: 'Français' }).click();
    await page.waitForURL((url) => url.pathname === `/evenements/${f.openEventId}`);
    t.equal(await page.locator('html').getAttribute('lang'), 'fr', 'back in French');
    await page.goto('/programme');
    t.equal(new URL(page.url()).pathname, '/programme', 'and French stays chosen');
    csp.assertNone(t, 'language switch without JavaScript');
  });

  t.test('the map is not mirrored in a right-to-left page', async (t) => {
    const seen: Record<string, { markers: number[][]; corners: boolean[] }> = {};
    for (const prefix of ['', '/ar']) {
      const { page, csp } = await suite.newPage();
      await page.route(`${TILES}/**`, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
      await page.goto(`${prefix}/programme/carte`);
      await page.locator('.leaflet-marker-icon').first().waitFor({ state: 'visible' });
      await page.locator('.leaflet-tile-loaded').first().waitFor();
      seen[prefix || 'fr'] = await page.evaluate(() => {
        const map = document.getElementById('carte')!.getBoundingClientRect();
        const markers = Array.from(document.querySelectorAll('.leaflet-marker-icon')).map((m) => {
          const box = m.getBoundingClientRect();
          return [Math.round(box.left - map.left), Math.round(box.top - map.top)];
        });
        // Each corner of the map shows a tile: none is missing or pushed out of view.
        const corners = [
          [map.left + 4, map.top + 4],
          [map.right - 4, map.top + 4],
          [map.left + 4, map.bottom - 4],
          [map.right - 4, map.bottom - 4],
        ].map(([x, y]) =>
          Array.from(document.querySelectorAll('#carte .leaflet-tile')).some((tile) => {
            const box = tile.getBoundingClientRect();
            return box.left <= x! && x! <= box.right && box.top <= y! && y! <= box.bottom;
          }),
        );
        return { markers, corners };
      });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `languages-map-${prefix ? 'ar' : 'fr'}.png`), caret: 'initial' });
      csp.assertNone(t, `map ${prefix || 'fr'}`);
    }
    t.same(seen.fr!.corners, [true, true, true, true], 'in French, tiles fill the map');
    t.same(seen['/ar']!.corners, [true, true, true, true], 'in Arabic, tiles fill the map');
    t.ok(seen.fr!.markers.length > 0, `${seen.fr!.markers.length} markers`);
    t.same(seen['/ar']!.markers, seen.fr!.markers, 'the markers sit at the same places of the map in both directions');
  });

  t.test('axe on the Arabic and English pages', async (t) => {
    const { page, csp } = await suite.newPage();
    await audit(t, suite, page, 'ar-programme', '/ar/programme');
    await audit(t, suite, page, 'ar-evenement', `/ar/evenements/${f.openEventId}`);
    await audit(t, suite, page, 'en-programme', '/en/programme');
    csp.assertNone(t, 'axe on the other languages');
  });

  t.teardown(() => {
    process.stderr.write(`languages: ${audited.size} pages checked with axe\n`);
  });
}
