// The check-in page at the door, on a 320 px phone, in real Chromium: names are never broken in
// the middle of a word, nothing scrolls sideways, the list is alphabetical and searched as a name
// is typed (htmx) or with the plain GET form (no JavaScript), and the arrivals counter follows each
// check-in. axe on each state (with JavaScript: axe runs in the page).
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeRegistration } from '../helpers/factory.ts';
import { noHorizontalScroll, openSuite, screenshot, type T } from './harness.ts';
import { auditHere } from './audit.ts';
import { ORGANISER_EMAIL } from './fixtures.ts';

const suite = await openSuite(t);

const PHONE = { viewport: { width: 320, height: 640 } };

/**
 * Words of the check-in cells drawn on more than one line: a range over a word that wraps has
 * client rectangles at two heights. Words are split at spaces and hyphens, where a line may end.
 */
async function wordsBrokenAcrossLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const cell of Array.from(document.querySelectorAll('table.checkin th[scope="row"], table.checkin td[data-label]'))) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        for (const match of node.data.matchAll(/[^\s-]+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index!);
          range.setEnd(node, match.index! + match[0].length);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(match[0]);
        }
      }
    }
    return broken;
  });
}

async function names(page: Page): Promise<string[]> {
  return page.locator('table.checkin th[scope="row"]').allInnerTexts();
}

async function fitsThePhone(t: T, page: Page, state: string) {
  t.same(await wordsBrokenAcrossLines(page), [], `${state}: no word of a name or detail broken across lines at 320 px`);
  await noHorizontalScroll(t, page, state);
  const wrap = await page.locator('.table-wrap').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  t.ok(wrap.scroll <= wrap.client, `${state}: the list itself needs no sideways scrolling (${wrap.scroll} ≤ ${wrap.client})`);
}

if (suite) {
  const f = suite.fixtures;
  const url = `/espace/evenements/${f.openEventId}/emargement`;
  // Registered in this order, with long words that a narrow cell used to cut into pieces.
  for (const [name, phone] of [
    ['Zéphyrine Vanderschueren-Dupontel', '+33612345678'],
    ['Éloïse Durand', null],
    ['Bartholomé Featherstonehaugh', '+262692123456'],
  ] as const) {
    await makeRegistration(suite.database.db, f.openEventId, { name, phone, email: null });
  }

  t.test('check-in on a phone, with JavaScript: readable, searched as a name is typed, the counter live', async (t) => {
    const { context, page, csp } = await suite.newPage(PHONE);
    await suite.signIn(context, ORGANISER_EMAIL);
    await page.goto(url);
    t.same(await names(page), ['Bartholomé Featherstonehaugh', 'Éloïse Durand', 'Samia Besoins', 'Zéphyrine Vanderschueren-Dupontel'], 'alphabetical');
    await fitsThePhone(t, page, 'check-in at 320 px');
    await auditHere(t, page, 'emargement-telephone');
    t.equal(await page.locator('#arrivees').innerText(), 'Arrivées notées : 0.');

    const search = page.getByLabel('Rechercher un nom');
    await search.pressSequentially('eloi', { delay: 40 });
    await page.waitForFunction(() => document.querySelectorAll('table.checkin th[scope="row"]').length === 1);
    t.same(await names(page), ['Éloïse Durand'], 'found without the accent, as typed');
    t.match(new URL(page.url()).search, '?q=eloi', 'the address holds the search');
    t.ok(await search.evaluate((el) => el === document.activeElement), 'the focus stays in the search box while typing');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('1 personne sur 4'));
    await fitsThePhone(t, page, 'search results at 320 px');
    await auditHere(t, page, 'emargement-recherche');

    await page.getByRole('button', { name: "Noter l'arrivée de Éloïse Durand" }).click();
    await page.getByText('Présent·e', { exact: true }).waitFor();
    t.equal(await page.locator('#arrivees').innerText(), 'Arrivées notées : 1.', 'the counter follows without a reload');
    t.notOk(await page.locator('#arrivees').evaluate((el) => el === document.activeElement), 'the counter does not take the focus');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Éloïse Durand : présence notée. Arrivées notées : 1.');
    await auditHere(t, page, 'emargement-arrivee-notee');

    await search.fill('');
    await search.pressSequentially('zzz', { delay: 40 });
    await page.getByText('Personne ne correspond à « zzz ».').waitFor();
    await auditHere(t, page, 'emargement-recherche-vide');
    await screenshot(page, 'emargement-telephone-recherche-vide');
    csp.assertNone(t, 'check-in with JavaScript');
    await context.close();
  });

  t.test('check-in without JavaScript: the search is a GET form, a check-in comes back to it with the counter right', async (t) => {
    const { context, page, csp } = await suite.newPage({ ...PHONE, javaScriptEnabled: false });
    await suite.signIn(context, ORGANISER_EMAIL);
    await page.goto(url);
    await page.getByLabel('Rechercher un nom').fill('FEATHER');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.waitForURL(/q=FEATHER/);
    t.same(await names(page), ['Bartholomé Featherstonehaugh']);
    const before = await page.locator('#arrivees').innerText();
    await page.getByRole('button', { name: "Noter l'arrivée de Bartholomé Featherstonehaugh" }).click();
    await page.waitForURL(/q=FEATHER#r-\d+$/);
    t.same(await names(page), ['Bartholomé Featherstonehaugh'], 'back in the same search');
    t.equal(await page.locator('#arrivees').innerText(), `Arrivées notées : ${Number(/\d+/.exec(before)![0]) + 1}.`);
    await fitsThePhone(t, page, 'check-in without JavaScript at 320 px');
    // axe needs scripts in the page: the same HTML is audited in the test above.
    await screenshot(page, 'emargement-sans-js');
    csp.assertNone(t, 'check-in without JavaScript');
    await context.close();
  });
}
