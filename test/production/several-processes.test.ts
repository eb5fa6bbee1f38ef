// @databases: postgres
// The deployment of docs/deploy as a test: two app processes (server/main.ts, as their systemd
// units start them) and two mail workers (scripts/worker.ts) on one PostgreSQL database, behind
// nginx configured with docs/deploy/nginx/rassembler-proxy.conf as shipped. What must hold: a
// session opened on one process is valid on the other; a change made through one is on the
// other's cached pages and feeds at once; the per-address limits count across processes; no mail
// is sent twice; and stopping a process under load (SIGTERM, as systemd does) loses no request.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { and, eq, gt, like, lte } from 'drizzle-orm';
import { seedDemo } from '../../server/demo/index.ts';
import { appUser, event, membership, outbox, registration } from '../../server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { freePort } from '../helpers/free-port.ts';
import { stopWhenProcessEnds } from '../helpers/throwaway-postgres.ts';
import { TEST_SECRET, visibleText } from '../helpers/app.ts';
import { linksOf, spawnWorker, startInbox, until } from '../mail/helpers.ts';
import { answers200, cookieHeader, csrfTokenOf, load, register, startApp, startLoad, startRegistrations, Tally, waitFor, type AppProcess } from './helpers.ts';

const nginxMissing = spawnSync('nginx', ['-v']).error ? 'nginx is not installed (apt-get install nginx)' : undefined;
// CI (.ci/run installs nginx, sets REQUIRE_POSTGRES=1) must run it: there, a missing nginx fails.
if (nginxMissing && process.env.REQUIRE_POSTGRES === '1') t.fail(`REQUIRE_POSTGRES=1 but the deployment test cannot run: ${nginxMissing}`);

t.test('two app processes and two workers behind nginx, on one database', { timeout: 180_000, skip: nginxMissing ?? false }, async (t) => {
  const database = await createTestDatabase(t.teardown);
  const { db } = database;
  const databaseUrl = database.url!;
  await seedDemo(db, { now: new Date(), theme: 'Démonstration' });

  const inbox = await startInbox(t);
  const apps: AppProcess[] = [];
  t.teardown(() => Promise.all(apps.map((app) => app.stop())));
  const [portA, portB, proxyPort] = [await freePort(), await freePort(), await freePort()];
  const appEnv = (port: number) => ({
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${proxyPort}`,
    SESSION_SECRET: TEST_SECRET,
    DEMO_DATA: 'false',
    MAIL_WORKER: 'false',
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'loopback',
    DATA_DIR: tempDir(t, 'rassembler-app-'),
  });
  // A logs every request (info): the stop under load checks that each one it began, it finished.
  const [appA, appB] = [startApp({ ...appEnv(portA), LOG_LEVEL: 'info' }, { keepChars: 20_000_000 }), startApp(appEnv(portB))];
  apps.push(appA, appB);
  spawnWorker(t, databaseUrl, inbox);
  spawnWorker(t, databaseUrl, inbox);
  const nginx = startNginx(t, proxyPort, [portA, portB]);
  const [a, b, proxy] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`, `http://127.0.0.1:${proxyPort}`];
  for (const [name, app, base] of [['A', appA, a], ['B', appB, b]] as const) {
    if (!t.ok(await waitFor(() => answers200(`${base}/readyz`), 60_000, () => app.exit !== undefined), `app ${name} is ready`)) return void t.comment(app.output());
  }
  t.ok(await waitFor(() => answers200(`${proxy}/healthz`), 10_000, () => nginx.exitCode !== null), 'nginx proxies to them');

  // Two events open for registration, and the organiser of the first one.
  const now = new Date();
  const open = await db
    .select({ id: event.id, title: event.title, organisationId: event.organisationId })
    .from(event)
    .where(and(eq(event.state, 'published'), lte(event.registrationOpensAt, now), gt(event.startsAt, new Date(now.getTime() + 2 * 86_400_000))))
    .orderBy(event.id);
  const formOpen: typeof open = [];
  for (const ev of open) if ((await load(`${proxy}/evenements/${ev.id}/inscription`)).body.includes(`action="/evenements/${ev.id}/inscription"`)) formOpen.push(ev);
  if (!t.ok(formOpen.length >= 2, 'the demo programme has events open for registration')) return;
  const [cancelled, other] = [formOpen[0]!, formOpen[1]!];
  const [organiser] = await db
    .select({ email: appUser.email })
    .from(appUser)
    .innerJoin(membership, eq(membership.userId, appUser.id))
    .where(eq(membership.organisationId, cancelled.organisationId));

  let session = '';
  t.test('a session opened on B is valid on A and B', async (t) => {
    const page = await load(`${a}/connexion`);
    const asked = await load(`${a}/connexion`, { method: 'POST', body: new URLSearchParams({ _csrf: csrfTokenOf(page.body)!, email: organiser!.email }), headers: { cookie: cookieHeader(page.cookies) } });
    t.equal(asked.status, 303, 'sign-in link asked on A');
    await until('the sign-in mail', () => inbox.to(organiser!.email).length > 0, 30_000);
    const link = new URL(linksOf(inbox.to(organiser!.email)[0]!).find((l) => l.includes('/connexion/lien'))!);
    const confirm = await load(`${b}${link.pathname}${link.search}`);
    t.equal(confirm.status, 200, 'the link opens on B');
    const signedIn = await load(`${b}/connexion/lien`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrfTokenOf(confirm.body)!, jeton: link.searchParams.get('jeton')! }),
      headers: { cookie: cookieHeader(confirm.cookies) },
    });
    t.equal(signedIn.status, 303, 'signed in on B');
    session = cookieHeader(signedIn.cookies.filter((c) => c.startsWith('session=')));
    t.match(session, /^session=/, 'B set the session cookie');
    for (const [name, base] of [['A', a], ['B', b]]) {
      const space = await load(`${base}/espace/evenements/${cancelled.id}`, { headers: { cookie: session } });
      t.equal(space.status, 200, `the organiser's event page on ${name}, with the session from B`);
      t.match(visibleText(space.body), cancelled.title);
    }
  });

  t.test('a change made through A is on B at once: programme, event page, feed', async (t) => {
    // B has the pages in cache first.
    const feedPath = `/evenements/${cancelled.id}/agenda.ics`;
    for (const p of ['/programme', `/evenements/${cancelled.id}`, feedPath, '/programme/agenda.ics']) t.equal((await load(`${b}${p}`)).status, 200, `B serves ${p}`);
    t.notMatch((await load(`${b}/evenements/${cancelled.id}`)).body, 'Cet événement est annulé');

    const page = await load(`${a}/espace/evenements/${cancelled.id}`, { headers: { cookie: session } });
    const res = await load(`${a}/espace/evenements/${cancelled.id}/annuler`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrfTokenOf(page.body)!, reason: 'Salle indisponible.' }),
      headers: { cookie: [session, cookieHeader(page.cookies)].filter(Boolean).join('; ') },
    });
    t.equal(res.status, 303, 'cancelled through A');

    t.match((await load(`${b}/evenements/${cancelled.id}`)).body, 'Cet événement est annulé', "B's event page says it is cancelled");
    t.match((await load(`${b}${feedPath}`)).body, 'STATUS:CANCELLED', "B's feed of the event says CANCELLED");
    const programmeFeed = (await load(`${b}/programme/agenda.ics`)).body.replace(/\r\n[ \t]/g, '');
    const icsText = (text: string) => text.replace(/([,;\\])/g, '\\$1'); // RFC 5545 TEXT escaping
    t.match(programmeFeed, `SUMMARY:ANNULÉ – ${icsText(cancelled.title)}`, "B's programme feed shows the cancellation");
  });

  t.test('the per-address limit on sign-in requests counts across A and B', async (t) => {
    // 10 a minute per address; one was used above. Each request alternates between the processes,
    // each for a new address (the per-address-of-mail limit is another one).
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const base = i % 2 === 0 ? a : b;
      const page = await load(`${base}/connexion`);
      const res = await load(`${base}/connexion`, { method: 'POST', body: new URLSearchParams({ _csrf: csrfTokenOf(page.body)!, email: `limite-${i}@example.org` }), headers: { cookie: cookieHeader(page.cookies) } });
      statuses.push(res.status);
    }
    t.same(statuses, [303, 303, 303, 303, 303, 303, 303, 303, 303, 429, 429, 429], 'nine more accepted, then refused on both processes');
  });

  t.test('SIGTERM to A under load: every request through nginx is answered, every registration kept', async (t) => {
    const tally = new Tally();
    const readers = startLoad(proxy, ['/programme', `/evenements/${other.id}`, '/programme/agenda.ics'], tally, 3);
    const registrations = startRegistrations(proxy, [`/evenements/${other.id}`], tally, { prefix: 'arret', everyMs: 300 });
    // Counted in pages answered, not in seconds: a loaded machine answers fewer in the same time.
    const pages = () => tally.counts.get('page 200') ?? 0;
    const pagesMore = async (n: number) => {
      const target = pages() + n;
      for (const end = Date.now() + 30_000; pages() < target && Date.now() < end; ) await sleep(50);
    };
    await pagesMore(10);
    // A burst of registrations as the signal arrives: some are being handled by A when it stops
    // (an abrupt exit would cut them: nginx does not send a POST again, the visitor gets a 502).
    const burst = Array.from({ length: 10 }, (_, i) => register(proxy, `/evenements/${other.id}`, 1000 + i, tally, { prefix: 'arret' }));
    await sleep(15);
    const stopped = Date.now();
    await appA.stop();
    const stopMs = Date.now() - stopped;
    const burstAccepted = (await Promise.all(burst)).filter((email) => email !== undefined);
    const pagesBeforeStop = pages();
    await pagesMore(10);
    readers.stop();
    registrations.stop();
    await Promise.all([readers.done, registrations.done]);
    const accepted = [...registrations.accepted, ...burstAccepted];
    t.comment(`A stopped in ${stopMs} ms; requests through nginx: ${tally.summary()}`);

    t.equal(await appA.exited, 0, 'A exited cleanly (code 0)');
    const lines = appA.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { reqId?: string; msg?: string });
    const begun = new Set(lines.filter((l) => l.msg === 'incoming request').map((l) => l.reqId));
    const finished = new Set(lines.filter((l) => l.msg === 'request completed').map((l) => l.reqId));
    // On a loaded machine (CI runs the browser suite beside) fewer requests reach A before it stops.
    t.ok(begun.size > 20, `A handled requests (${begun.size})`);
    t.same([...begun].filter((id) => !finished.has(id)), [], 'every request A began, it finished before exiting (graceful shutdown)');
    // A 429 is an answer (the per-address limit of 30 registrations a minute, reached when slow
    // answers stretch the load), not a failure: what must never happen is a 502 or a 5xx.
    t.same(tally.unexpected(['page 200', 'form 200', 'post 303', 'post 429']), {}, 'no request failed: only pages, forms, 303s and the limit’s 429s');
    t.ok(pagesBeforeStop >= 10 && pages() - pagesBeforeStop >= 10 && accepted.length >= 15, `the load ran on both sides of the stop (${pagesBeforeStop} pages, then ${pages() - pagesBeforeStop})`);
    const stored = await db.select({ email: registration.email }).from(registration).where(like(registration.email, 'arret-%'));
    t.same(new Set(stored.map((r) => r.email)), new Set(accepted), 'every registration answered with a 303 is stored');
  });

  t.test('no mail is sent twice by the two workers', async (t) => {
    await until('the outbox to be sent', async () => (await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.status, 'pending'))).length === 0, 60_000);
    const sent = await db.select({ messageId: outbox.messageId }).from(outbox).where(eq(outbox.status, 'sent'));
    const received = inbox.mails.map((m) => m.parsed.messageId);
    t.ok(sent.length >= 20, `the run sent mails (${sent.length})`);
    t.equal(received.length, sent.length, 'as many mails received as outbox rows sent');
    t.same(new Set(received), new Set(sent.map((r) => r.messageId)), 'each sent row arrived, under its own Message-ID');
    t.equal(new Set(received).size, received.length, 'no Message-ID twice');
  });
});

interface Teardown {
  teardown(fn: () => unknown): void;
}

function tempDir(t: Teardown, prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const forget = stopWhenProcessEnds(remove);
  t.teardown(() => {
    forget();
    remove();
  });
  return dir;
}

/** nginx in the foreground: the shipped proxy settings in front of the app processes. */
function startNginx(t: Teardown, port: number, upstreams: number[]) {
  const dir = tempDir(t, 'rassembler-nginx-');
  const proxyConf = path.resolve('docs/deploy/nginx/rassembler-proxy.conf');
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream rassembler {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / { include ${proxyConf}; }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const forget = stopWhenProcessEnds(() => child.kill('SIGKILL'));
  t.teardown(async () => {
    forget();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await exited;
    }
  });
  return child;
}
