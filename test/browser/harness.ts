// The browser suite's harness: Debian's Chromium driven by playwright-core, the real app
// (buildApp, same options as main.ts) listening on 127.0.0.1 on a fresh database with the demo
// data and the fixtures of fixtures.ts, and the checks every journey shares: axe-core, console CSP
// violations, horizontal scrolling, visible focus, screenshots.
//
// No browser is ever downloaded. When /usr/bin/chromium is absent every browser test is skipped
// with a loud message on stderr, unless REQUIRE_BROWSER=1 (CI), in which case the file fails.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { and, desc, eq, sql } from 'drizzle-orm';
import { appUser, outbox, session as sessionTable } from '../../server/db/schema.ts';
import { SESSION_IDLE_MS } from '../../server/plugins/session.ts';
import { buildApp } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import { fixedClock } from '../../server/lib/clock.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { testConfig } from '../helpers/app.ts';
import { manageTokenSentTo } from '../helpers/manage-link.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that matter on a closed network: no QUIC, no background calls home, no sandbox (CI). */
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Before the demo edition (October 2026), after registrations open: everything is open. */
export const SUITE_NOW = '2026-09-15T08:00:00Z';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const SCREENSHOT_DIR = path.resolve('test-output', 'screenshots');

/** tap's test object, as every browser file receives it. */
export type T = Test;

/** A whole browser file (Chromium, the app, axe on dozens of pages) on a shared two-core
 *  machine can outlast tap's 180 s per-file default; it usually takes well under a minute. */
const FILE_TIMEOUT_MS = 6 * 60_000;

export interface Suite {
  browser: Browser;
  app: FastifyInstance;
  baseUrl: string;
  config: Config;
  database: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  fixtures: Fixtures;
  /** A fresh context (cookies, JS on/off, viewport) with the CSP collector wired in. */
  newPage(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; csp: CspCollector }>;
  /** Opens a server-side session for `email` in `context` (pages behind sign-in, without the
   *  sign-in journey itself, which keyboard.browser.ts walks through for real). */
  signIn(context: BrowserContext, email: string): Promise<void>;
  /** The newest mail of `kind` queued for `to` (the outbox row's payload), if any. */
  lastMail(kind: string, to: string): Promise<Record<string, unknown> | undefined>;
  /** The manage link's token in the confirmation queued for `to`, as the person reads it (test/helpers/manage-link.ts). */
  manageTokenSentTo(to: string): Promise<string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The demo programme, as `DEMO_DATA=true` loads it at start. */
async function seedDemoProgramme(database: TestDatabase, config: Config, clock: ReturnType<typeof fixedClock>): Promise<void> {
  await seedDemo(database.db, { now: clock.now(), theme: config.demoTheme });
}

/**
 * Starts Chromium and the app (with these settings besides the tests' own) for one test file. Returns undefined (and has planned the file as
 * skipped, or failed it under REQUIRE_BROWSER=1) when Chromium is not installed.
 */
export async function openSuite(t: T, options: { env?: Record<string, string> } = {}): Promise<Suite | undefined> {
  if (!existsSync(CHROMIUM)) {
    const reason = `Chromium absent (${CHROMIUM}): browser tests NOT RUN. Install Debian's chromium package to run them.`;
    process.stderr.write(`\n${'!'.repeat(78)}\n!! ${reason}\n${'!'.repeat(78)}\n\n`);
    if (process.env.REQUIRE_BROWSER === '1') {
      t.fail(`REQUIRE_BROWSER=1: ${reason}`);
    } else {
      t.plan(0, reason);
    }
    return undefined;
  }

  t.setTimeout(FILE_TIMEOUT_MS);
  // htmx is copied from node_modules by `npm test`'s pretest; a file run alone with `npx tap` needs it too.
  execFileSync(process.execPath, ['scripts/copy-static.mjs']);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const database = await createTestDatabase((fn) => t.teardown(fn));
  const config = testConfig({ PUBLIC_URL: baseUrl, PORT: String(port), ...options.env });
  const clock = fixedClock(SUITE_NOW);
  await seedDemoProgramme(database, config, clock);
  const fixtures = await loadFixtures(database.db);

  const app = await buildApp(config, { database, clock });
  await app.listen({ host: '127.0.0.1', port });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  t.teardown(async () => {
    await browser.close();
    await app.close();
  });

  return {
    browser,
    app,
    baseUrl,
    config,
    database,
    clock,
    fixtures,
    async newPage(options = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, locale: 'fr-FR', timezoneId: 'Europe/Paris', ...options });
      // A bound for what never comes, not a speed check: with the machine loaded (three browser
      // files beside the PostgreSQL run), a report page's first drawing took over 10 s.
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      const csp = collectCsp(page);
      return { context, page, csp };
    },
    async signIn(context, email) {
      const [user] = await database.db.select().from(appUser).where(eq(sql`lower(${appUser.email})`, email.toLowerCase()));
      if (!user) throw new Error(`no user ${email}`);
      const sid = randomBytes(24).toString('base64url');
      await database.db.insert(sessionTable).values({
        sid,
        userId: user.id,
        data: { userId: user.id, signedInAt: clock.now().toISOString() },
        expiresAt: new Date(clock.now().getTime() + SESSION_IDLE_MS),
      });
      await context.addCookies([{ name: 'session', value: app.signCookie(sid), url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    },
    async lastMail(kind, to) {
      const [row] = await database.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.kind, kind), eq(sql`lower(${outbox.recipient})`, to.toLowerCase())))
        .orderBy(desc(outbox.id))
        .limit(1);
      return row?.payload;
    },
    manageTokenSentTo: (to) => manageTokenSentTo({ db: database.db, config, clock }, to),
  };
}

// ——— CSP and script errors ———

export interface CspCollector {
  /** CSP violations, uncaught script errors and assets that failed to load, seen so far on this page. */
  messages: string[];
  /** Asserts none were seen, naming them if some were. */
  assertNone(t: T, journey: string): void;
}

/** Listens for CSP reports in the console, `securitypolicyviolation` events, page errors and failed assets. */
export function collectCsp(page: Page): CspCollector {
  const messages: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|securitypolicyviolation/i.test(text)) messages.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => messages.push(`page error: ${error.message}`));
  // A script or stylesheet that fails to load breaks the page as surely as a blocked one
  // (documents and htmx requests answer 4xx on purpose: error pages, forms with errors).
  const assets = new Set(['script', 'stylesheet', 'image', 'font']);
  page.on('response', (response) => {
    if (response.status() >= 400 && assets.has(response.request().resourceType())) messages.push(`asset: ${response.status()} ${response.url()}`);
  });
  // Injected by the browser driver (not subject to the page's CSP); runs before page scripts.
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return {
    messages,
    assertNone(t, journey) {
      const distinct = [...new Set(messages)];
      t.equal(messages.length, 0, `no CSP violation nor script error during « ${journey} »${distinct.length ? ':\n  ' + distinct.join('\n  ') : ''}`);
    },
  };
}

// ——— axe ———

/** What axe-core finds with the WCAG 2.0/2.1 A and AA rules, in the page and its frames. */
export async function axeViolations(page: Page) {
  // Legacy mode: axe runs in the page itself. The default opens a blank page for every check to
  // gather results across origins, which is half of axe's time here; our only frame (the embed
  // preview) is on the site's own origin, which this mode still tests (embed.browser.ts checks it).
  return (await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode().analyze()).violations;
}

/** axe: zero violations, each one named if any. */
export async function checkA11y(t: T, page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page);
  const details = violations
    .map((v) => `  - ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n${v.nodes.map((n) => `      ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join('\n')}`)
    .join('\n');
  t.equal(violations.length, 0, `axe (${AXE_TAGS.join(', ')}): no violation on « ${name} »${violations.length ? '\n' + details : ''}`);
}

// ——— layout ———

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-').toLowerCase()}.png`);
  // caret 'initial': hiding the caret makes Playwright leave `style=""` on every input, which
  // htmx then copies onto swapped-in elements (attributesToSettle) and the CSP rightly blocks.
  await page.screenshot({ path: file, fullPage: true, caret: 'initial' });
}

/** No horizontal scrolling: the page fits its viewport (WCAG 1.4.10 reflow). */
export async function noHorizontalScroll(t: T, page: Page, name: string): Promise<void> {
  const { scrollWidth, clientWidth, culprits } = await page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    // Name the widest offenders, to make a failure actionable.
    const culprits = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-wrap, .visually-hidden, .skip-link'))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right ${Math.round(el.getBoundingClientRect().right)})`);
    return { scrollWidth: root.scrollWidth, clientWidth: width, culprits };
  });
  t.ok(scrollWidth <= clientWidth, `no horizontal scrolling on « ${name} » (scrollWidth ${scrollWidth} ≤ clientWidth ${clientWidth})${scrollWidth > clientWidth ? ': ' + culprits.join(', ') : ''}`);
}

// ——— keyboard ———

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement, undefined, { timeout: 2000 }).catch(() => false);
}

/** Presses Tab (or Shift+Tab) until `target` has focus; fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, options: { max?: number; backwards?: boolean } = {}): Promise<boolean> {
  const max = options.max ?? 80;
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  // Fail fast and clearly when the target is not on the page at all.
  await target.waitFor({ state: 'visible', timeout: 10_000 });
  for (let i = 0; i < max; i++) {
    if (await isFocused(target)) return true;
    await page.keyboard.press(key);
  }
  if (await isFocused(target)) return true;
  throw new Error(`${key} pressed ${max} times without reaching ${target}; focus is on ${await describeFocus(page)}`);
}

/** A short description of the focused element, for messages. */
export async function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return 'nothing';
    const text = (el.getAttribute('aria-label') || (el as HTMLElement).innerText || (el as HTMLInputElement).name || '').trim().slice(0, 60);
    return `<${el.tagName.toLowerCase()}${el.id ? ' id="' + el.id + '"' : ''}${el.className && typeof el.className === 'string' ? ' class="' + el.className + '"' : ''}> ${text}`;
  });
}

/** The focused element is not <body> and shows a visible focus indicator (outline or shadow). */
export async function expectFocusVisible(t: T, page: Page, where: string): Promise<void> {
  const state = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return { onBody: true, visible: false, style: '' };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    return { onBody: false, visible: outline || shadow, style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}` };
  });
  const focused = await describeFocus(page);
  t.ok(!state.onBody, `focus is not lost to <body> (${where})`);
  t.ok(state.visible, `focus is visible on ${focused} (${where}; ${state.style})`);
}

/**
 * Tabs through the whole page once (until focus comes back to the first element or leaves the
 * document) and names every element whose focus is not visible. Returns how many were reached.
 */
export async function focusWalk(page: Page, max = 400): Promise<{ reached: number; invisible: string[] }> {
  await page.evaluate(() => {
    (window as unknown as { __walk: { first: Element | null; seen: WeakSet<Element> } }).__walk = { first: null, seen: new WeakSet() };
  });
  const invisible: string[] = [];
  let reached = 0;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const step = await page.evaluate(() => {
      const walk = (window as unknown as { __walk: { first: Element | null; seen: WeakSet<Element> } }).__walk;
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body || el === document.documentElement) return { done: true };
      if (walk.first === el && walk.seen.has(el)) return { done: true };
      if (!walk.first) walk.first = el;
      const fresh = !walk.seen.has(el);
      walk.seen.add(el);
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || (style.boxShadow !== 'none' && style.boxShadow !== '');
      const label = (el.getAttribute('aria-label') || el.innerText || (el as HTMLInputElement).name || '').trim().slice(0, 50);
      return { done: false, fresh, visible, desc: `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}> ${label}` };
    });
    if (step.done) break;
    if (step.fresh) reached++;
    if (!step.visible && step.desc && !invisible.includes(step.desc)) invisible.push(step.desc);
  }
  return { reached, invisible };
}

/** The element matching `selector` has focus. */
export async function expectFocusOn(t: T, page: Page, target: Locator, where: string): Promise<void> {
  t.ok(await isFocused(target), `focus is on ${target} (${where}); it is on ${await describeFocus(page)}`);
}
