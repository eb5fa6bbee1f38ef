// What the production tests share: the real app process (dist/main.js, as `npm start` runs it),
// polling, and a load of readers and registrations as browsers make them, tallied by outcome.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { npmScriptArguments } from '../helpers/npm-script.ts';
import { stopWhenProcessEnds } from '../helpers/throwaway-postgres.ts';

export interface AppProcess {
  /** How the process ended, undefined while it runs. */
  exit: string | undefined;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** The compiled server/main.ts (dist/main.js, scripts/build.mjs) in its own process, as `npm start` runs it; the last `keepChars` of its output are kept. */
export function startApp(env: Record<string, string>, { keepChars = 20_000 } = {}): AppProcess {
  const child: ChildProcess = spawn(process.execPath, npmScriptArguments('start'), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-keepChars));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const forget = stopWhenProcessEnds(() => child.kill('SIGKILL'));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      app.exit = `exit code ${code}, signal ${signal}`;
      forget();
      resolve(signal ?? code ?? -1);
    }),
  );
  const app: AppProcess = {
    exit: undefined,
    exited,
    output: () => output,
    stop: async () => {
      if (app.exit !== undefined) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    },
  };
  return app;
}

/** True when `url` answers 200 within 2 s. */
export async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Polls `check` every 100 ms: true once it passes, false after `ms` or as soon as `gaveUp()`. */
export async function waitFor(check: () => Promise<boolean>, ms: number, gaveUp: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!gaveUp() && Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

/** Answers by outcome (status, or the fetch error's name) and the slowest, over every request. */
export class Tally {
  counts = new Map<string, number>();
  slowest = 0;
  hung = 0; // answered (or given up) after 10 s or more

  async time<T>(request: () => Promise<T>, outcome: (value: T) => string): Promise<T | undefined> {
    const started = Date.now();
    let value: T | undefined;
    let label: string;
    try {
      value = await request();
      label = outcome(value);
    } catch (error) {
      label = (error as Error).name;
    }
    const ms = Date.now() - started;
    this.slowest = Math.max(this.slowest, ms);
    if (ms >= 10_000) this.hung++;
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    return value;
  }

  /** Outcomes other than the expected ones, with their counts. */
  unexpected(expected: string[]): Record<string, number> {
    return Object.fromEntries([...this.counts].filter(([label]) => !expected.includes(label)));
  }

  summary(): string {
    return `${JSON.stringify(Object.fromEntries(this.counts))}, slowest ${this.slowest} ms, ${this.hung} after 10 s or more`;
  }
}

/** A request as a browser makes it, read to the end; gives up after 30 s (the app's own limit). */
export async function load(url: string, init: RequestInit = {}): Promise<{ status: number; body: string; cookies: string[] }> {
  const res = await fetch(url, { redirect: 'manual', ...init, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: await res.text(), cookies: res.headers.getSetCookie() };
}

/** `clients` clients reading pages back to back. */
export function startLoad(base: string, paths: string[], tally: Tally, clients: number) {
  let running = true;
  const client = async (n: number) => {
    for (let i = n; running; i++) {
      const res = await tally.time(() => load(base + paths[i % paths.length]), (r) => `page ${r.status}`);
      if (!res) await sleep(50); // refused outright: do not spin
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
  return { done, stop: () => (running = false) };
}

export interface RegistrationOptions {
  /** Addresses are `${prefix}-<n>@example.org`. */
  prefix: string;
  /**
   * Each visitor from its own X-Forwarded-For address (for an app trusting one proxy hop, so that
   * the per-address limit does not cut a stream short).
   */
  forwardedFor?: boolean;
}

/**
 * Visitor `n` registers as a browser does (form page, then POST with its CSRF token); resolves with
 * its address when answered with a 303.
 */
export async function register(base: string, eventPath: string, n: number, tally: Tally, options: RegistrationOptions): Promise<string | undefined> {
  const email = `${options.prefix}-${n}@example.org`;
  const headers: Record<string, string> = options.forwardedFor ? { 'x-forwarded-for': `10.0.${Math.floor(n / 250)}.${(n % 250) + 1}` } : {};
  const url = `${base}${eventPath}/inscription`;
  const form = await tally.time(() => load(url, { headers }), (r) => `form ${r.status}`);
  const token = form?.status === 200 ? csrfTokenOf(form.body) : undefined;
  if (!form || !token) return undefined;
  const body = new URLSearchParams({ _csrf: token, nom: `Personne ${n}`, email, places: '1' });
  const res = await tally.time(() => load(url, { method: 'POST', body, headers: { ...headers, cookie: cookieHeader(form.cookies) } }), (r) => `post ${r.status}`);
  return res?.status === 303 ? email : undefined;
}

export interface RegistrationStream {
  /** E-mail addresses whose registration was answered with a 303. */
  accepted: string[];
  done: Promise<void>;
  stop(): void;
}

/** A registration every `everyMs`, each by a new visitor (`register`), over `eventPaths` in turn. */
export function startRegistrations(base: string, eventPaths: string[], tally: Tally, options: RegistrationOptions & { everyMs: number }): RegistrationStream {
  let running = true;
  const accepted: string[] = [];
  const one = async (n: number) => {
    const email = await register(base, eventPaths[n % eventPaths.length]!, n, tally, options);
    if (email) accepted.push(email);
  };
  const done = (async () => {
    const inFlight: Promise<void>[] = [];
    for (let n = 0; running; n++) {
      inFlight.push(one(n));
      await sleep(options.everyMs);
    }
    await Promise.all(inFlight);
  })();
  return { accepted, done, stop: () => (running = false) };
}

/** The CSRF token a page carries for htmx (every page has it in its head). */
export function csrfTokenOf(html: string): string | undefined {
  return /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1];
}

/** The Cookie header a browser sends back from these Set-Cookie headers. */
export function cookieHeader(setCookies: string[]): string {
  return setCookies.map((c) => c.split(';')[0]).join('; ');
}
