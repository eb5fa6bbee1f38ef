// Builds the real app (same factory and options as main.ts) on the test file's database, emptied for each test,
// with a clock the test controls, and an agent that keeps cookies and sends CSRF tokens.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { buildApp, type AppDeps } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { Database } from '../../server/db/client.ts';
import { appUser, session as sessionTable } from '../../server/db/schema.ts';
import { fixedClock } from '../../server/lib/clock.ts';
import { SESSION_IDLE_MS } from '../../server/plugins/session.ts';
import { createTestDatabase, testDbKind, type TestDatabase } from './database.ts';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** Config as tests use it: quiet, no demo data, no in-process worker, a throwaway data dir. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-test-'));
  return loadConfig({
    LOG_LEVEL: 'silent',
    SESSION_SECRET: TEST_SECRET,
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    MAIL_WORKER: 'false',
    PUBLIC_URL: 'http://localhost:3000',
    // Tests never reach outside services: those that look addresses up start a local stand-in.
    ADDRESS_LOOKUP_URL: 'off',
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  database: TestDatabase;
  config: Config;
  clock: ReturnType<typeof fixedClock>;
  kind: 'pglite' | 'postgres';
  /** A browser-like client: keeps cookies, adds the CSRF token to POSTs. */
  agent(): Agent;
}

export async function buildTestApp(
  t: Teardown,
  options: { now?: string | Date; env?: Record<string, string>; database?: TestDatabase; logStream?: AppDeps['logStream'] } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase((fn) => t.teardown(fn)));
  const config = testConfig(options.env);
  const clock = fixedClock(options.now ?? '2026-09-15T08:00:00Z');
  const app = await buildApp(config, { database, clock, logStream: options.logStream });
  await app.ready();
  t.teardown(async () => {
    await app.close();
    rmSync(config.dataDir, { recursive: true, force: true });
  });
  return { app, db: database.db, database, config, clock, kind: testDbKind(), agent: () => new Agent(app, database.db, clock) };
}

type Form = Record<string, string | number | boolean | Array<string | number> | undefined>;

export function encodeForm(form: Form): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return params.toString();
}

export class Agent {
  cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly db: Database,
    readonly clock: { now(): Date },
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) {
        this.cookies.delete(c.name);
        // The token in the last page was made from that secret: a browser gets a new one with the next page.
        if (c.name === 'csrf') this.csrfToken = undefined;
      } else this.cookies.set(c.name, c.value);
    }
    const match = /<meta name="csrf-token" content="([^"]+)"/.exec(res.body);
    if (match) this.csrfToken = match[1];
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ ...options, headers: { cookie: this.cookieHeader(), ...(options.headers ?? {}) } });
    this.remember(res);
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers });
  }

  /** Fetches a CSRF token the way a browser gets one: by loading a page. */
  async ensureCsrf(): Promise<string> {
    if (!this.csrfToken) await this.get('/');
    if (!this.csrfToken) throw new Error('no CSRF token on the home page');
    return this.csrfToken;
  }

  /** A form POST, as a browser sends it (with the CSRF token unless `csrf: false`). */
  async post(url: string, form: Form = {}, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    const body = { ...form };
    if (options.csrf !== false) body._csrf = await this.ensureCsrf();
    return this.request({
      method: 'POST',
      url,
      payload: encodeForm(body),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.headers ?? {}) },
    });
  }

  /** Signs in as `email` (creating the user if needed) by opening a server-side session. */
  async signInAs(email: string, options: { name?: string; isAdmin?: boolean } = {}): Promise<number> {
    let [user] = await this.db.select().from(appUser).where(eq(sql`lower(${appUser.email})`, email.toLowerCase()));
    if (!user) {
      [user] = await this.db.insert(appUser).values({ email, name: options.name ?? null, isAdmin: options.isAdmin ?? false }).returning();
    }
    const sid = randomBytes(24).toString('base64url');
    await this.db.insert(sessionTable).values({
      sid,
      userId: user!.id,
      data: { userId: user!.id, signedInAt: this.clock.now().toISOString() },
      expiresAt: new Date(this.clock.now().getTime() + SESSION_IDLE_MS),
    });
    this.cookies.set('session', this.app.signCookie(sid));
    return user!.id;
  }
}

/** The text a person reads in an HTML body: tags dropped, entities decoded, spaces folded. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
