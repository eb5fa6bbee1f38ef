// @databases: pglite
// The embedded default: no SMTP_URL, every mail written as an .eml file under DATA_DIR/mail and
// readable at /boite-aux-lettres, so a newcomer can open the sign-in link and the manage link.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { runWorkerOnce } from '../../server/mail/worker.ts';
import { mailKinds } from '../../server/mail-kinds.ts';
import { register } from '../../server/registrations/register.ts';
import { person } from '../registrations/helpers.ts';
import { outboxRows } from './helpers.ts';

const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

t.test('without SMTP each mail is an .eml file, listed and readable on the local mailbox page (demo mode)', async (t) => {
  const { app, db, config, clock, agent } = await buildTestApp(t, { env: { DEMO_DATA: 'true' } });
  const world = await makeWorld(db, { title: 'Pique-nique partagé' });
  const result = await register(db, clock.now(), world.event.id, person({ name: 'Léa', email: 'lea@example.org' }));
  t.ok(result.ok);
  t.same(await runWorkerOnce({ db, config, clock, registry: mailKinds }), { claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 }, 'the default transport of the config');

  const [row] = await outboxRows(db);
  const file = path.join(config.dataDir, 'mail', `outbox-${row!.id}.eml`);
  t.ok(existsSync(file), 'written under DATA_DIR/mail');
  const raw = readFileSync(file, 'utf8');
  t.match(raw, new RegExp(`Message-ID: <outbox-${row!.id}@localhost>`));
  t.match(raw, /Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);

  const visitor = agent();
  const list = await visitor.get('/boite-aux-lettres');
  t.equal(list.statusCode, 200, 'open to everyone in demo mode');
  t.match(visibleText(list.body), /Boîte aux lettres locale/);
  t.match(visibleText(list.body), /mardi 15 septembre 2026 à 10 h 00 lea@example\.org Inscription confirmée : Pique-nique partagé/, 'date, recipient, subject');
  t.ok(hrefs(list.body).includes(`/boite-aux-lettres/${row!.id}`));
  t.equal(list.headers['cache-control'], 'no-store');

  const message = await visitor.get(`/boite-aux-lettres/${row!.id}`);
  t.equal(message.statusCode, 200);
  t.match(message.body, /<pre class="mail-text">Bonjour Léa,/, 'the text part, as is, in <pre>');
  const manage = hrefs(message.body).find((h) => h.startsWith('http://localhost:3000/inscription/'));
  t.ok(manage, 'the manage link is a link one can click');
  const page = await visitor.get(new URL(manage!).pathname);
  t.equal(page.statusCode, 200);
  t.match(visibleText(page.body), /Pique-nique partagé/);

  t.ok(hrefs(message.body).includes(`/boite-aux-lettres/${row!.id}/html`));
  const html = await visitor.get(`/boite-aux-lettres/${row!.id}/html`);
  t.equal(html.statusCode, 200);
  t.match(html.headers['content-security-policy'], /^sandbox /, 'the HTML part is shown sandboxed');
  t.match(html.headers['content-security-policy'], /default-src 'none'/);
  t.match(visibleText(html.body), /Votre inscription est confirmée/);

  t.match(visibleText(message.body), /Pièces jointes invitation\.ics/);
  const attachment = hrefs(message.body).find((h) => h.includes('/pieces-jointes/'));
  const ics = await visitor.get(attachment!);
  t.equal(ics.statusCode, 200);
  t.match(ics.body, /METHOD:REQUEST/);
  t.match(String(ics.headers['content-disposition']), /attachment; filename="invitation\.ics"/);

  t.equal((await visitor.get('/boite-aux-lettres/999999')).statusCode, 404);
  t.equal((await visitor.get('/boite-aux-lettres/abc')).statusCode, 404);
});

t.test('a newcomer signs in with the link read in the local mailbox', async (t) => {
  const { db, config, clock, agent } = await buildTestApp(t, { env: { DEMO_DATA: 'true' } });
  const browser = agent();
  await browser.post('/connexion', { email: 'nouveau@example.org' });
  await runWorkerOnce({ db, config, clock, registry: mailKinds });
  const list = await browser.get('/boite-aux-lettres');
  const open = hrefs(list.body).find((h) => /^\/boite-aux-lettres\/\d+$/.test(h));
  t.match(visibleText(list.body), /nouveau@example\.org Votre lien de connexion à Rassembler/);
  const message = await browser.get(open!);
  const link = hrefs(message.body).find((h) => h.includes('/connexion/lien?'));
  t.ok(link);
  const url = new URL(link!);
  const page = await browser.get(url.pathname + url.search);
  t.match(visibleText(page.body), /Vous allez vous connecter avec l'adresse nouveau@example\.org/);
  t.equal((await browser.post('/connexion/lien', { jeton: url.searchParams.get('jeton')! })).statusCode, 303);
  t.equal((await browser.get('/espace')).statusCode, 200);
});

t.test('outside demo mode the mailbox is for administrators only; with SMTP there is none', async (t) => {
  const { agent } = await buildTestApp(t); // DEMO_DATA=false, no SMTP_URL
  const anonymous = await agent().get('/boite-aux-lettres');
  t.equal(anonymous.statusCode, 303);
  t.match(String(anonymous.headers.location), /^\/connexion\?retour=%2Fboite-aux-lettres/);
  const member = agent();
  await member.signInAs('membre@example.org');
  t.equal((await member.get('/boite-aux-lettres')).statusCode, 403);
  const admin = agent();
  await admin.signInAs('admin@example.org', { isAdmin: true });
  const page = await admin.get('/boite-aux-lettres');
  t.equal(page.statusCode, 200);
  t.match(visibleText(page.body), /Aucun courriel pour l'instant/);

  const withSmtp = await buildTestApp(t, { env: { SMTP_URL: 'smtp://127.0.0.1:2525', DEMO_DATA: 'true' } });
  const smtpAdmin = withSmtp.agent();
  await smtpAdmin.signInAs('admin@example.org', { isAdmin: true });
  t.equal((await smtpAdmin.get('/boite-aux-lettres')).statusCode, 404, 'mails really leave: no local mailbox');
  const adminPage = await smtpAdmin.get('/admin/courriels');
  t.equal(adminPage.statusCode, 200);
  t.notMatch(adminPage.body, /boite-aux-lettres/);
});

t.test('the demo opens the mailbox to everyone only when it is served to this machine alone', async (t) => {
  const cases: Array<[Record<string, string>, boolean, string]> = [
    [{}, true, 'npm start: localhost'],
    [{ HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1:3000' }, true, '127.0.0.1'],
    [{ HOST: '::1', PUBLIC_URL: 'http://[::1]:3000' }, true, '[::1]'],
    [{ HOST: '0.0.0.0' }, false, 'listening on every interface, even with a localhost PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://sism.example.org' }, false, 'a public address'],
    [{ PUBLIC_URL: 'http://192.168.1.20:3000' }, false, 'an address on the local network'],
  ];
  for (const [env, open, label] of cases) {
    const { agent } = await buildTestApp(t, { env: { DEMO_DATA: 'true', ...env } });
    const anonymous = await agent().get('/boite-aux-lettres');
    t.equal(anonymous.statusCode, open ? 200 : 303, `${label}: ${open ? 'open to everyone' : 'sign-in asked'}`);
    if (open) {
      t.match(anonymous.body, '<h1>Boîte aux lettres locale</h1>', `${label}: the mailbox itself`);
      continue;
    }
    t.match(String(anonymous.headers.location), /^\/connexion\?retour=%2Fboite-aux-lettres/);
    const member = agent();
    await member.signInAs('membre@example.org');
    t.equal((await member.get('/boite-aux-lettres')).statusCode, 403, `${label}: not for a member`);
    const admin = agent();
    await admin.signInAs('admin@example.org', { isAdmin: true });
    t.equal((await admin.get('/boite-aux-lettres')).statusCode, 200, `${label}: administrators only`);
  }
});
