// @databases: pglite, postgres
// Texts through the outbox, sent to a local stand-in of the SMS provider speaking its protocol
// (Brevo's transactional SMS: POST JSON with an `api-key` header, 201 when accepted), never the
// real service: delivered with the manage link; nothing lost while the provider is down or
// answers 5xx (retried, then sent once); at most one duplicate after a crash; a text refused for
// good (400) puts the person on the organiser's call list. In the embedded default, texts are
// in the local mailbox.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { asc } from 'drizzle-orm';
import { callRequest, outbox } from '../../server/db/schema.ts';
import { backoffMs } from '../../server/mail/claims.ts';
import { listMailbox, readMailboxMessage } from '../../server/mail/mailbox.ts';
import { createSmsTransport } from '../../server/mail/sms.ts';
import { runWorkerOnce, SMS_TIMEOUT_MS } from '../../server/mail/worker.ts';
import { mailKinds } from '../../server/mail-kinds.ts';
import { register } from '../../server/registrations/register.ts';
import { buildTestApp } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { person } from '../registrations/helpers.ts';

interface Provider {
  url: string;
  /** Texts accepted (as the provider received them). */
  accepted: Array<{ sender: string; recipient: string; content: string; type: string }>;
  /** What the next requests get: 201 (accept), or another status. */
  answer: number;
  down(): Promise<void>;
  up(): Promise<void>;
}

const API_KEY = 'xkeysib-test-key';

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

/** A stand-in for the provider on 127.0.0.1, checking the key, the route and the JSON body. */
async function startProvider(t: { teardown(fn: () => unknown): void }): Promise<Provider> {
  let server: Server;
  let port = 0;
  const provider: Provider = {
    url: '',
    accepted: [],
    answer: 201,
    async down() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async up() {
      server = createServer(async (request, response) => {
        const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (request.method !== 'POST' || request.url !== '/v3/transactionalSMS/send') return json(404, { code: 'not_found', message: 'Invalid route' });
        if (request.headers['api-key'] !== API_KEY) return json(401, { code: 'unauthorized', message: 'Key not found' });
        const sms = JSON.parse(await body(request));
        if (!/^\d{8,15}$/.test(sms.recipient) || typeof sms.content !== 'string' || !sms.sender) return json(400, { code: 'invalid_parameter', message: 'Invalid phone number' });
        if (provider.answer !== 201) return json(provider.answer, { code: 'internal_error', message: 'Service unavailable' });
        provider.accepted.push(sms);
        return json(201, { reference: `ref-${provider.accepted.length}`, messageId: provider.accepted.length, smsCount: 1, usedCredits: 1, remainingCredits: 99 });
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
      port = (server.address() as AddressInfo).port;
      provider.url = `http://127.0.0.1:${port}/v3/transactionalSMS/send`;
    },
  };
  await provider.up();
  t.teardown(() => provider.down().catch(() => {}));
  return provider;
}

async function textedRegistration(db: Parameters<typeof register>[0], now: Date, eventId: number, phone = '+33612345678') {
  const result = await register(db, now, eventId, person({ email: null, phone, smsConsent: true }));
  if (!result.ok) throw new Error('setup');
  return result;
}

t.test('a text goes to the provider with its key, the number without +, and the manage link', async (t) => {
  const provider = await startProvider(t);
  const { db, config, clock } = await buildTestApp(t, { env: { SMS_URL: 'http://127.0.0.1:1/unused', SMS_API_KEY: API_KEY } });
  const { event: ev } = await makeWorld(db);
  const smsTransport = createSmsTransport({ ...config, smsUrl: provider.url }, SMS_TIMEOUT_MS);
  t.equal(smsTransport.kind, 'http');
  await textedRegistration(db, clock.now(), ev.id);
  const counts = await runWorkerOnce({ db, config, clock, registry: mailKinds, smsTransport });
  t.match(counts, { claimed: 1, sent: 1 });
  t.equal(provider.accepted.length, 1);
  t.match(provider.accepted[0], { sender: 'Rassembler', recipient: '33612345678', type: 'transactional' });
  t.match(provider.accepted[0]!.content, new RegExp(`^Rassembler : votre inscription à "${ev.title}" .* est confirmée\\. Modifier ou annuler : http://localhost:3000/inscription/[\\w-]{43}$`));
  const [row] = await db.select().from(outbox);
  t.match(row, { channel: 'sms', status: 'sent', attempts: 1 });
});

t.test('provider down or failing: retried with back-off, never lost, sent once when it is back', async (t) => {
  const provider = await startProvider(t);
  const { db, config, clock } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const smsTransport = createSmsTransport({ ...config, smsUrl: provider.url, smsApiKey: API_KEY }, SMS_TIMEOUT_MS);
  const run = () => runWorkerOnce({ db, config, clock, registry: mailKinds, smsTransport });
  await textedRegistration(db, clock.now(), ev.id);

  await provider.down();
  t.match(await run(), { claimed: 1, retried: 1 }, 'connection refused');
  let [row] = await db.select().from(outbox);
  t.match(row, { status: 'pending', attempts: 1 });
  t.ok(row!.lastError, 'the error is kept');
  t.same(row!.sendAfter, new Date(clock.now().getTime() + backoffMs(1)));

  await provider.up();
  provider.answer = 503;
  clock.advance(backoffMs(1));
  t.match(await run(), { claimed: 1, retried: 1 }, 'a 5xx answer is retried too');
  [row] = await db.select().from(outbox);
  t.match(row, { status: 'pending', attempts: 2, lastError: /le fournisseur de SMS a répondu 503/ });

  provider.answer = 201;
  clock.advance(backoffMs(2));
  t.match(await run(), { claimed: 1, sent: 1 });
  t.equal(provider.accepted.length, 1, 'delivered once');
  clock.advance(3_600_000);
  t.match(await run(), { claimed: 0 });
  t.equal(provider.accepted.length, 1, 'and never again');
  t.same(await db.select().from(callRequest), [], 'nobody to call');
});

t.test('a crash between sending and marking sends the text once more, no more', async (t) => {
  const provider = await startProvider(t);
  const { db, config, clock } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const smsTransport = createSmsTransport({ ...config, smsUrl: provider.url, smsApiKey: API_KEY }, SMS_TIMEOUT_MS);
  await textedRegistration(db, clock.now(), ev.id);
  await t.rejects(
    runWorkerOnce({ db, config, clock, registry: mailKinds, smsTransport }, { afterSend: () => Promise.reject(new Error('crash')) }),
    /crash/,
  );
  t.equal(provider.accepted.length, 1);
  clock.advance(5 * 60_000); // the lease is over
  t.match(await runWorkerOnce({ db, config, clock, registry: mailKinds, smsTransport }), { claimed: 1, sent: 1 });
  clock.advance(60 * 60_000);
  t.match(await runWorkerOnce({ db, config, clock, registry: mailKinds, smsTransport }), { claimed: 0 });
  t.equal(provider.accepted.length, 2, 'at most one duplicate');
});

t.test('a text refused for good (400), or no provider while mails leave: the person goes on the call list', async (t) => {
  const provider = await startProvider(t);
  const { db, config, clock } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const refused = await textedRegistration(db, clock.now(), ev.id, '+33612345678');
  // The stand-in refuses a number the provider would not take (here, stored before validation).
  await db.update(outbox).set({ recipient: '+33 6 bad' });
  const smsTransport = createSmsTransport({ ...config, smsUrl: provider.url, smsApiKey: API_KEY }, SMS_TIMEOUT_MS);
  t.match(await runWorkerOnce({ db, config, clock, registry: mailKinds, smsTransport }), { claimed: 1, failed: 1 });
  t.match((await db.select().from(outbox))[0], { status: 'failed', lastError: /400/ });
  let calls = await db.select().from(callRequest).orderBy(asc(callRequest.id));
  t.same(calls.map((c) => [c.registrationId, c.kind, c.doneAt]), [[refused.registrationId, 'registration_confirmed', null]], 'on the call list, once');

  // SMTP configured, no SMS provider: a text written locally would reach nobody.
  const other = await textedRegistration(db, clock.now(), ev.id, '+33698765432');
  const noProvider = createSmsTransport({ ...config, smtpUrl: 'smtp://127.0.0.1:1', smsUrl: undefined, smsApiKey: undefined }, SMS_TIMEOUT_MS);
  t.match(await runWorkerOnce({ db, config, clock, registry: mailKinds, smsTransport: noProvider }), { claimed: 1, failed: 1 });
  calls = await db.select().from(callRequest).orderBy(asc(callRequest.id));
  t.same(calls.map((c) => c.registrationId), [refused.registrationId, other.registrationId]);
  t.equal(provider.accepted.length, 0);
});

t.test('the embedded default: texts are in the local mailbox, beside the mails', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  await textedRegistration(db, clock.now(), ev.id);
  t.match(await runWorkerOnce({ db, config, clock, registry: mailKinds }), { sent: 1 });
  const [entry] = await listMailbox(config);
  t.match(entry, { to: '"SMS +33612345678" <sms@localhost>', subject: 'SMS pour +33612345678' });
  const message = await readMailboxMessage(config, entry!.id);
  t.match(message?.text, /^Rassembler : votre inscription à .* est confirmée\. Modifier ou annuler : http:\/\/localhost:3000\/inscription\/[\w-]{43}/);
  t.equal(message?.links.length, 1, 'the manage link, one click away');
});
