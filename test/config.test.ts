// @databases: none
// The configuration: defaults for a newcomer, and one clear line naming the variable for each bad value.
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, configWarnings, isLocalOnly, loadConfig } from '../server/config.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

function tempDir(t: Test): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The ConfigError thrown by loadConfig(env) (fails the test when none is). */
function configError(t: Test, env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  t.fail(`expected a ConfigError for ${JSON.stringify(env)}`);
  return new ConfigError('');
}

t.test('defaults: a newcomer sets nothing', async (t) => {
  const dataDir = tempDir(t);
  const config = loadConfig({ DATA_DIR: dataDir });
  t.match(config, {
    port: 3000,
    host: 'localhost',
    publicUrl: 'http://localhost:3000',
    databaseUrl: undefined,
    dataDir,
    smtpUrl: undefined,
    mailFrom: 'Rassembler <ne-pas-repondre@rassembler.localhost>',
    logLevel: 'info',
    demoData: true,
    viewCache: true,
    mailWorker: true,
    adminEmail: undefined,
    needsRetentionDays: 30,
    identityRetentionDays: 90,
    reminderDays: [7, 1],
    reminderHour: 10,
    trustProxy: false,
    requestTimeoutSeconds: 30,
    connectionTimeoutSeconds: 75,
  });
  const file = path.join(dataDir, 'session-secret');
  t.equal(config.sessionSecret, readFileSync(file, 'utf8'), 'a local session secret is created under DATA_DIR');
  t.ok(config.sessionSecret.length >= 32);
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by the owner only');
  t.equal(loadConfig({ DATA_DIR: dataDir }).sessionSecret, config.sessionSecret, 'and kept across starts');
  t.ok(isLocalOnly(config), 'npm start serves this machine only');
  t.same(configWarnings(config), []);

  const pg = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:p@db/app', SESSION_SECRET: SECRET, PORT: '8080', PUBLIC_URL: 'https://sism.example.org/', REMINDER_DAYS: '1, 3,3' });
  t.match(pg, { demoData: false, port: 8080, publicUrl: 'https://sism.example.org', sessionSecret: SECRET, reminderDays: [3, 1] });
  t.equal(loadConfig({ DATA_DIR: dataDir, PORT: '0', PUBLIC_URL: 'http://localhost:4000' }).port, 0, 'port 0 with a PUBLIC_URL');
  t.equal(loadConfig({ DATA_DIR: dataDir, HOST: '::' }).host, '::');
  t.equal(loadConfig({ DATA_DIR: dataDir, MAIL_FROM: 'sism@clsm.example' }).mailFrom, 'sism@clsm.example');
});

t.test('each bad value: a ConfigError, one line, naming the variable', async (t) => {
  const dataDir = tempDir(t);
  const aFile = path.join(dataDir, 'a-file');
  writeFileSync(aFile, 'not a directory');
  const cases: Array<[string, Record<string, string>]> = [
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '0' }],
    ['HOST', { HOST: 'http://0.0.0.0' }],
    ['HOST', { HOST: 'mon serveur' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'sism.example.org' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://sism.example.org' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://db/app', SESSION_SECRET: SECRET }],
    ['SMTP_URL', { SMTP_URL: 'http://mail.example.org' }],
    ['SMS_URL', { SMS_URL: 'api.brevo.com/v3/transactionalSMS/send' }],
    ['SMS_API_KEY', { SMS_URL: 'https://api.brevo.com/v3/transactionalSMS/send' }],
    ['SMS_SENDER', { SMS_SENDER: 'Rassembler SISM' }],
    ['SMS_SENDER', { SMS_SENDER: 'SISMGrenoble38' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['SESSION_SECRET', { SESSION_SECRET: 'short' }],
    ['SESSION_SECRET', { DATABASE_URL: 'postgres://db/app' }],
    ['ADMIN_EMAIL', { ADMIN_EMAIL: 'admin' }],
    ['MAIL_FROM', { MAIL_FROM: 'Rassembler' }],
    ['MAIL_FROM', { MAIL_FROM: 'Rassembler <sism@clsm.example' }],
    ['MAIL_FROM', { MAIL_FROM: 'Rassembler\nBcc: x@evil.example <sism@clsm.example>' }],
    ['REMINDER_DAYS', { REMINDER_DAYS: '7,0' }],
    ['REMINDER_DAYS', { REMINDER_DAYS: 'sept' }],
    ['REMINDER_HOUR', { REMINDER_HOUR: '24' }],
    ['NEEDS_RETENTION_DAYS', { NEEDS_RETENTION_DAYS: '-1' }],
    ['IDENTITY_RETENTION_DAYS', { IDENTITY_RETENTION_DAYS: '99999' }],
    ['DEMO_DATA', { DEMO_DATA: 'peut-être' }],
    ['VIEW_CACHE', { VIEW_CACHE: '2' }],
    ['MAIL_WORKER', { MAIL_WORKER: 'maybe' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'sometimes' }],
    ['REQUEST_TIMEOUT_SECONDS', { REQUEST_TIMEOUT_SECONDS: '0' }],
    ['CONNECTION_TIMEOUT_SECONDS', { CONNECTION_TIMEOUT_SECONDS: 'une minute' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'true' }],
    ['TRUST_PROXY', { TRUST_PROXY: '11' }],
    ['TRUST_PROXY', { TRUST_PROXY: '127.0.0.1, 10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: '127.0.0.1/8/8' }],
    ['EMBED_FRAME_ANCESTORS', { EMBED_FRAME_ANCESTORS: "'none'" }],
    ['EMBED_FRAME_ANCESTORS', { EMBED_FRAME_ANCESTORS: 'www.ville.fr' }],
    ['EMBED_FRAME_ANCESTORS', { EMBED_FRAME_ANCESTORS: 'https://www.ville.fr/agenda' }],
    ['EMBED_FRAME_ANCESTORS', { EMBED_FRAME_ANCESTORS: 'https://www.ville.fr; script-src *' }],
    ['EMBED_FRAME_ANCESTORS', { EMBED_FRAME_ANCESTORS: '* https://www.ville.fr' }],
    ['DATA_DIR', { DATA_DIR: path.join(aFile, 'data') }],
  ];
  for (const [name, env] of cases) {
    const error = configError(t, { DATA_DIR: dataDir, ...env });
    t.ok(error.message.startsWith(`Configuration invalide : ${name} `), `${name}=${JSON.stringify(Object.values(env)[0])}: ${error.message}`);
    t.notMatch(error.message, /\n/, 'on one line');
  }
  t.match(configError(t, { DATA_DIR: path.join(aFile, 'data') }).message, /\(ENOTDIR\)\. Choisissez un dossier accessible en écriture, ou définissez SESSION_SECRET\.$/);
});

t.test('only loopback host and address count as this machine alone; https without TRUST_PROXY is warned about', async (t) => {
  t.ok(isLocalOnly({ host: '127.0.0.1', publicUrl: 'http://127.0.0.1:3000' }));
  t.ok(isLocalOnly({ host: '::1', publicUrl: 'http://[::1]:3000' }));
  t.notOk(isLocalOnly({ host: '0.0.0.0', publicUrl: 'http://localhost:3000' }));
  t.notOk(isLocalOnly({ host: 'localhost', publicUrl: 'https://sism.example.org' }));
  t.notOk(isLocalOnly({ host: 'localhost', publicUrl: 'http://localhost.example.org' }));

  const [warning, ...others] = configWarnings({ publicUrl: 'https://sism.example.org', trustProxy: false });
  t.match(warning, /^PUBLIC_URL est en https mais TRUST_PROXY vaut false/);
  t.same(others, []);
  t.same(configWarnings({ publicUrl: 'https://sism.example.org', trustProxy: 1 }), []);
});

t.test('TRUST_PROXY: a hop count or the proxies\' addresses, never « trust everyone »', async (t) => {
  const trust = (value: string) => loadConfig({ DATA_DIR: tempDir(t), TRUST_PROXY: value }).trustProxy;
  t.equal(trust('false'), false);
  t.equal(trust('0'), false);
  t.equal(trust('1'), 1, 'one proxy (nginx or Caddy on the same machine)');
  t.equal(trust('2'), 2);
  t.equal(trust(' 127.0.0.1 , 10.0.0.0/8,::1 '), '127.0.0.1,10.0.0.0/8,::1');
  t.equal(trust('Loopback'), 'loopback');
  t.match(configError(t, { DATA_DIR: tempDir(t), TRUST_PROXY: 'true' }).message, /n'importe quel en-tête X-Forwarded-For/);
});

t.test('SMS: off by default (texts in the local mailbox), Brevo with its URL and key', async (t) => {
  const dataDir = tempDir(t);
  t.match(loadConfig({ DATA_DIR: dataDir }), { smsUrl: undefined, smsApiKey: undefined, smsSender: 'Rassembler' });
  t.match(loadConfig({ DATA_DIR: dataDir, SMS_URL: 'https://api.brevo.com/v3/transactionalSMS/send', SMS_API_KEY: ' xkeysib-1 ', SMS_SENDER: 'SISM38' }), {
    smsUrl: 'https://api.brevo.com/v3/transactionalSMS/send',
    smsApiKey: 'xkeysib-1',
    smsSender: 'SISM38',
  });
});

t.test('EMBED_FRAME_ANCESTORS: any site by default, or a list of sites', async (t) => {
  const dataDir = tempDir(t);
  t.same(loadConfig({ DATA_DIR: dataDir }).embedFrameAncestors, ['*']);
  t.same(loadConfig({ DATA_DIR: dataDir, EMBED_FRAME_ANCESTORS: ' * ' }).embedFrameAncestors, ['*']);
  t.same(loadConfig({ DATA_DIR: dataDir, EMBED_FRAME_ANCESTORS: 'https://www.Ville.fr, https://*.exemple.org  http://localhost:8080' }).embedFrameAncestors, [
    'https://www.ville.fr',
    'https://*.exemple.org',
    'http://localhost:8080',
  ]);
});
