// The English site, crawled: from /en/ through the public pages it links to, the programme in its
// states, event pages, the registration form to its result and the manage page, and organiser
// pages signed in. On each page: lang="en", axe clean, and no French interface word left in the
// text a person reads or hears once the event texts (the organisers' own words) are taken out
// (the words and what is taken out: test/helpers/french-words.ts).
import t from 'tap';
import type { Page } from 'playwright-core';
import { frenchInContext, typedTexts } from '../helpers/french-words.ts';
import { checkA11y, openSuite, type Suite, type T } from './harness.ts';
import { submitMainForm } from './audit.ts';
import { ORGANISER_EMAIL } from './fixtures.ts';

/** The registrants this file creates: their names are data too. */
const TYPED_NAMES = ['Alice Crawler', 'Walter Waitlist'];
const MAX_CRAWLED = 45;

/** Every text the organisers, coordinators and people wrote (events, venues, organisations,
 *  territories, names, needs, messages) and this file's registrants: taken out of a page before the check. */
async function dataTexts(suite: Suite): Promise<string[]> {
  return [...TYPED_NAMES, ...(await typedTexts(suite.database.db))];
}

/** What a person reads or hears: the rendered text, the title and accessible names, without
 *  the parts marked as another language (event texts in French, the switch's « Français »). */
async function readableText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const others = Array.from(document.body.querySelectorAll<HTMLElement>('[lang]')).filter((el) => !/^en\b/i.test(el.getAttribute('lang') ?? ''));
    const wasHidden = others.map((el) => el.hidden);
    others.forEach((el) => (el.hidden = true));
    // (No named function in here: the test loader would wrap it in a helper the page lacks.)
    const names = Array.from(document.body.querySelectorAll('[aria-label], [alt], [title], [placeholder], input[type="submit"][value]'))
      .filter((el) => !others.some((o) => o.contains(el)))
      .flatMap((el) => ['aria-label', 'alt', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? '').concat(el.matches('input[type="submit"]') ? [(el as HTMLInputElement).value] : []));
    const text = [document.title, document.body.innerText, ...names].join('\n');
    others.forEach((el, i) => (el.hidden = wasHidden[i]!));
    return text;
  });
}

/** Page name → French words found, printed when the file ends (the list of what is left). */
const findings = new Map<string, string[]>();
/** Page → its links that leave the English site (no /en/ prefix). */
const leaks = new Map<string, string[]>();

const suite = await openSuite(t);

if (suite) {
  // Some forty pages, each through axe: more than the harness's six minutes on a busy machine.
  t.setTimeout(15 * 60_000);
  const f = suite.fixtures;
  let data: string[] = [];

  /** The checks every page of the crawl gets. */
  async function checkPage(t: T, page: Page, name: string): Promise<void> {
    const path = new URL(page.url()).pathname;
    t.ok(path === '/en' || path.startsWith('/en/'), `« ${name} » stays under /en/ (${path})`);
    t.equal(await page.locator('html').getAttribute('lang'), 'en', `« ${name} » has lang="en"`);
    // axe without the screenshots of the other files: some forty pages on a shared machine.
    await checkA11y(t, page, `en-${name}`);
    const found = frenchInContext(await readableText(page), { typed: data });
    findings.set(`${name} (${path})`, [...found.keys()]);
    // Every link into the site keeps the page's language (docs/decisions/0019), but for the
    // static files and the language switch.
    const origin = new URL(suite!.baseUrl).origin;
    const leaving = [
      ...new Set(
        (await page.locator('a[href]').evaluateAll((els) => els.map((el) => (el as HTMLAnchorElement).href)))
          .map((href) => new URL(href))
          .filter((u) => u.origin === origin && !/^\/(?:static|langue)\//.test(u.pathname) && !/^\/en(?:\/|$)/.test(u.pathname))
          .map((u) => u.pathname),
      ),
    ];
    if (leaving.length > 0) leaks.set(`${name} (${path})`, leaving);
    t.same(leaving, [], `« ${name} »: every link into the site stays in English`);
    const details = [...found].map(([word, contexts]) => `  - ${word}: ${contexts.join(' | ')}`).join('\n');
    t.equal(found.size, 0, `« ${name} »: no French interface word${found.size ? ` (${found.size}):\n${details}` : ''}`);
  }

  async function visit(t: T, page: Page, name: string, url: string, status?: number): Promise<void> {
    const response = await page.goto(url);
    if (status !== undefined) t.equal(response?.status(), status, `« ${name} » answers ${status}`);
    else t.ok((response?.status() ?? 500) < 400, `« ${name} » (${url}) answers ${response?.status()}`);
    await checkPage(t, page, name);
  }

  t.before(async () => {
    data = await dataTexts(suite);
  });

  t.test('the public pages, from /en/', async (t) => {
    const { page, csp } = await suite.newPage();
    // Links from page to page, one page per kind of address (numbers and queries aside); files,
    // feeds, the switch and the static assets are not pages.
    const seen = new Set<string>();
    const queue: string[] = ['/en/'];
    const keyOf = (path: string) => path.replace(/\d+/g, 'N').replace(/\/$/, '') || '/';
    seen.add(keyOf('/en/'));
    let crawled = 0;
    while (queue.length > 0 && crawled < MAX_CRAWLED) {
      const url = queue.shift()!;
      crawled++;
      try {
        await visit(t, page, url, url);
      } catch (error) {
        // A file behind an address without an extension: the browser downloads it, not a page.
        if (!/Download is starting/.test(String(error))) throw error;
        t.comment(`${url}: a download, not a page`);
        continue;
      }
      const links = await page.locator('a[href]').evaluateAll((els) => els.map((el) => (el as HTMLAnchorElement).href));
      for (const href of links) {
        const target = new URL(href);
        if (target.origin !== new URL(suite.baseUrl).origin) continue;
        // Links leaving the English site are checkPage's business; files are not pages.
        if (!/^\/en(?:\/|$)/.test(target.pathname)) continue;
        if (/\.[a-z0-9]{2,4}$/i.test(target.pathname)) continue;
        if (/^\/en\/(?:espace|coordination|admin|deconnexion)\b/.test(target.pathname)) continue;
        const key = keyOf(target.pathname);
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push(target.pathname + target.search);
      }
    }
    t.ok(crawled >= 8, `the crawl reached ${crawled} pages`);
    csp.assertNone(t, 'English crawl');
  });

  t.test('the programme in its states, event pages, errors', async (t) => {
    const { page, csp } = await suite.newPage();
    await visit(t, page, 'programme-filtered', '/en/programme?access=lsf&commune=Grenoble');
    await visit(t, page, 'programme-empty', '/en/programme?q=xylophonezzz');
    await visit(t, page, 'programme-page-2', '/en/programme?page=2');
    await visit(t, page, 'programme-invalid-filter', '/en/programme?day=2026-13-45&access=teleportation');
    await visit(t, page, 'event-open', `/en/evenements/${f.openEventId}`);
    await visit(t, page, 'event-full', `/en/evenements/${f.fullEventId}`);
    await visit(t, page, 'event-cancelled', `/en/evenements/${f.cancelledEventId}`);
    await visit(t, page, 'event-unknown', '/en/evenements/999999', 404);
    await visit(t, page, 'not-found', '/en/nulle-part', 404);
    await visit(t, page, 'sign-in', '/en/connexion');
    await visit(t, page, 'embed-code', '/en/integrer');
    await visit(t, page, 'embedded-programme', '/en/integrer/programme');
    csp.assertNone(t, 'English programme and events');
  });

  t.test('registration: form, errors, result, manage page', async (t) => {
    const { page, csp } = await suite.newPage();
    await visit(t, page, 'registration-form', `/en/evenements/${f.openEventId}/inscription`);
    await submitMainForm(page);
    await page.locator('.error-summary').waitFor();
    await checkPage(t, page, 'registration-errors');

    await page.locator('#nom').fill('Alice Crawler');
    await page.locator('#email').fill('alice.crawl@example.org');
    await page.locator('#besoin-lsf').check();
    await page.locator('#consentement').check();
    await submitMainForm(page);
    await page.locator('.registration-result').waitFor();
    await checkPage(t, page, 'registration-received');

    const token = await suite.manageTokenSentTo('alice.crawl@example.org');
    await visit(t, page, 'registration-confirmed', `/en/inscription/${token}/confirmation`);
    await visit(t, page, 'registration-manage', `/en/inscription/${token}`);
    await visit(t, page, 'registration-manage-needs', `/en/inscription/${f.manageToken}`);

    await page.goto(`/en/evenements/${f.fullEventId}/inscription`);
    await page.locator('#nom').fill('Walter Waitlist');
    await page.locator('#email').fill('walter.crawl@example.org');
    await submitMainForm(page);
    await page.locator('.registration-result').waitFor();
    await checkPage(t, page, 'registration-waitlisted');
    await visit(t, page, 'registration-waitlisted-result', `/en/inscription/${await suite.manageTokenSentTo('walter.crawl@example.org')}/confirmation`);
    csp.assertNone(t, 'English registration');
  });

  t.test('organiser pages, signed in', async (t) => {
    const { context, page, csp } = await suite.newPage();
    await suite.signIn(context, ORGANISER_EMAIL);
    await visit(t, page, 'team-space', '/en/espace');
    await visit(t, page, 'team-event', `/en/espace/evenements/${f.openEventId}`);
    await visit(t, page, 'team-registrations', `/en/espace/evenements/${f.openEventId}/inscriptions`);
    csp.assertNone(t, 'English organiser pages');
  });

  t.teardown(() => {
    const lines = [...findings].map(([name, words]) => `  ${name}: ${words.length ? words.join(', ') : '—'}`);
    process.stderr.write(`english crawl: ${findings.size} pages checked; French interface words per page:\n${lines.join('\n')}\n`);
    for (const [url, targets] of leaks) process.stderr.write(`english crawl: links leaving the English site from ${url}: ${targets.join(', ')}\n`);
  });
}
