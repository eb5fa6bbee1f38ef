// Environment → one typed, validated Config. Read once at start; a bad value stops the app with
// one clear line naming the variable. Nothing else in the code reads process.env.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isEmailAddress } from './lib/email-address.ts';

export interface Config {
  port: number;
  host: string;
  /** Base URL used in emails, feeds and cookies (https → Secure cookies). */
  publicUrl: string;
  /** postgres://… for a real PostgreSQL; undefined → embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** smtp(s)://… ; undefined → mails written as .eml under dataDir/mail. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Brevo's transactional SMS endpoint; undefined → texts written to the local mailbox. */
  smsUrl: string | undefined;
  /** The provider's API key (required with smsUrl). */
  smsApiKey: string | undefined;
  /** The sender name people see (at most 11 letters and digits). */
  smsSender: string;
  sessionSecret: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the demo programme into an empty database at start. */
  demoData: boolean;
  /** Cache compiled templates (leave on except while editing templates). */
  viewCache: boolean;
  /** Run the mail worker inside the app process. */
  mailWorker: boolean;
  /** First administrator, created at start if absent. */
  adminEmail: string | undefined;
  /** Days after an event when access-need details and consents are deleted. */
  needsRetentionDays: number;
  /** Days after the edition's last day when registrants' identities are deleted. */
  identityRetentionDays: number;
  /** Reminder offsets in days before the event. */
  reminderDays: number[];
  /** Hour of the day (territory time) at which reminders are sent. */
  reminderHour: number;
  /** Behind reverse proxies: how many hops (1 = one proxy), or the proxies' addresses, whose
   *  X-Forwarded-* the app believes; false: none (the app is reached directly). */
  trustProxy: false | number | string;
  /** Seconds for a whole request (headers and body) to arrive: a body sent drop by drop is cut. */
  requestTimeoutSeconds: number;
  /** Seconds a connection may stay silent (nothing received, nothing sent) before it is closed. */
  connectionTimeoutSeconds: number;
  /** Theme used by the demo edition. */
  demoTheme: string;
  /** Who may frame the embedded programme (CSP frame-ancestors sources): ['*'] for any site. */
  embedFrameAncestors: string[];
  /** The national address base's search (BAN protocol) that gives a venue its coordinates; undefined: off. */
  addressLookupUrl: string | undefined;
  /** How long a save waits for the address lookup before going on without it. */
  addressLookupTimeoutMs: number;
  /** The map's tile server, a Leaflet URL template ({z}/{x}/{y}, optionally {s} subdomains). */
  mapTileUrl: string;
  /** The tile server's attribution, shown on the map (plain text); undefined: OpenStreetMap's, in the page's language. */
  mapAttribution: string | undefined;
  /** A folder of more language catalogues (one folder per language), beside the built-in ones. */
  cataloguesExtraDir: string | undefined;
}

export class ConfigError extends Error {}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1', '[::1]'];

/**
 * The app listens on, and is addressed by, this machine only (HOST and PUBLIC_URL both loopback):
 * the demo may then open the local mailbox, sign-in links included, to whoever uses the app.
 */
export function isLocalOnly(config: Pick<Config, 'host' | 'publicUrl'>): boolean {
  return LOOPBACK_HOSTS.includes(config.host) && LOOPBACK_HOSTS.includes(new URL(config.publicUrl).hostname);
}

type Env = Record<string, string | undefined>;

function fail(name: string, message: string): never {
  // One line, whatever the value quoted in it holds.
  throw new ConfigError(`Configuration invalide : ${name} ${message}`.replace(/[\r\n]+/g, ' '));
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) fail(name, `doit être un nombre entier (reçu « ${raw} »).`);
  const value = Number(raw);
  if (value < min || value > max) fail(name, `doit être compris entre ${min} et ${max} (reçu ${value}).`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'oui', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'non', 'off'].includes(raw)) return false;
  fail(name, `doit valoir true ou false (reçu « ${env[name]} »).`);
}

// proxy-addr's names for address ranges, accepted by Fastify beside addresses and CIDRs.
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: a hop count or the proxies' addresses. `true` (trust every X-Forwarded-For) is
 * refused: anyone could then pick their own address with each request and get past every per-IP
 * rate limit. With a count or addresses, the address used is the one the nearest trusted proxy saw.
 */
function trustProxy(env: Env): Config['trustProxy'] {
  const raw = env.TRUST_PROXY?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  const advice = "le nombre de proxys inverses devant l'application (1 pour un seul nginx ou Caddy) ou leurs adresses séparées par des virgules (127.0.0.1, 10.0.0.0/8, loopback)";
  if (raw === 'true') fail('TRUST_PROXY', `=true ferait confiance à n'importe quel en-tête X-Forwarded-For (chacun·e pourrait contourner les limites par adresse) : indiquez ${advice}.`);
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) fail('TRUST_PROXY', `doit être un nombre de proxys entre 1 et 10 (reçu ${hops}).`);
    return hops;
  }
  const parts = raw.split(',').map((part) => part.trim());
  const valid = (part: string) => {
    if (PROXY_RANGES.includes(part)) return true;
    const [address, bits, extra] = part.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || extra !== undefined) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  };
  const bad = parts.find((part) => !valid(part));
  if (bad !== undefined) fail('TRUST_PROXY', `doit être ${advice} (« ${bad} » n'en est pas une).`);
  return parts.join(',');
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    fail(name, `n'est pas une adresse valide (attendu ${protocols.map((p) => p + '//…').join(' ou ')}).`);
  }
  if (!protocols.includes(parsed.protocol)) fail(name, `doit commencer par ${protocols.join(' ou ')} (reçu ${parsed.protocol}).`);
  return raw;
}

// A CSP source naming a site: scheme://host[:port], the host possibly starting with « *. ».
const FRAME_ANCESTOR = /^https?:\/\/(\*\.)?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;

/**
 * EMBED_FRAME_ANCESTORS: the sites that may show the embedded programme in a frame, separated by
 * spaces or commas, or `*` (any site, the default: a commune's or an association's site). It
 * becomes the frame-ancestors of those pages alone; every other page refuses to be framed.
 */
function frameAncestors(env: Env): string[] {
  const raw = env.EMBED_FRAME_ANCESTORS?.trim() || '*';
  const parts = [...new Set(raw.split(/[\s,]+/).filter((part) => part !== ''))];
  if (parts.includes('*')) {
    if (parts.length > 1) fail('EMBED_FRAME_ANCESTORS', `vaut * (tous les sites) ou une liste de sites, pas les deux (reçu « ${raw} »).`);
    return ['*'];
  }
  const bad = parts.find((part) => !FRAME_ANCESTOR.test(part));
  if (bad !== undefined)
    fail('EMBED_FRAME_ANCESTORS', `doit être * ou une liste d'adresses de sites comme https://www.ville.fr ou https://*.exemple.org, séparées par des espaces ou des virgules (« ${bad} » n'en est pas une).`);
  return parts.map((part) => part.toLowerCase());
}

/** The French national address base's search: public, free, no account. */
export const BAN_SEARCH_URL = 'https://api-adresse.data.gouv.fr/search/';
export const OSM_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** ADDRESS_LOOKUP_URL: the BAN by default, another server speaking its protocol, or off. */
function addressLookupUrl(env: Env): string | undefined {
  const raw = env.ADDRESS_LOOKUP_URL?.trim();
  if (raw === undefined || raw === '') return BAN_SEARCH_URL;
  if (['off', 'false', '0', 'non', 'no'].includes(raw.toLowerCase())) return undefined;
  return url(env, 'ADDRESS_LOOKUP_URL', ['https:', 'http:']);
}

/** MAP_TILE_URL: an http(s) URL template with {z}, {x} and {y}. */
function mapTileUrl(env: Env): string {
  const raw = env.MAP_TILE_URL?.trim() || OSM_TILE_URL;
  if (!['{z}', '{x}', '{y}'].every((part) => raw.includes(part)))
    fail('MAP_TILE_URL', `doit contenir {z}, {x} et {y}, par exemple ${OSM_TILE_URL} (reçu « ${raw} »).`);
  url({ MAP_TILE_URL: raw.replace(/\{[a-z]\}/g, 'a') }, 'MAP_TILE_URL', ['https:', 'http:']);
  return raw;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A stable secret for the embedded default, so a newcomer need not set one. */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0];
    fail('DATA_DIR', `(${dataDir}) n'est pas utilisable : impossible d'y lire ou d'y créer le secret de session local (${reason}). Choisissez un dossier accessible en écriture, ou définissez SESSION_SECRET.`);
  }
}

// A host name (letters, digits, hyphens, dot-separated) or an IP address.
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const ADDRESS = '[^\\s@<>",;]+@[^\\s@<>",;]+\\.[^\\s@<>",;]+';
// « adresse@exemple.fr » or « Nom <adresse@exemple.fr> », on one line (it becomes a mail header).
const MAIL_FROM = new RegExp(`^(?:${ADDRESS}|[^<>\\r\\n]*<${ADDRESS}>)$`);

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || 'localhost';
  if (!HOST_NAME.test(host) && isIP(host) === 0) fail('HOST', `doit être un nom d'hôte ou une adresse IP, par exemple localhost ou 0.0.0.0 (reçu « ${host} »).`);
  const givenUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']);
  // Port 0 lets the system pick a port: the app could not say its own address.
  if (port === 0 && !givenUrl) fail('PORT', 'ne peut valoir 0 (port choisi par le système) que si PUBLIC_URL est défini.');
  const publicUrl = (givenUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = path.resolve(env.DATA_DIR?.trim() || 'data');
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:']);

  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) fail('LOG_LEVEL', `doit être l'un de ${LOG_LEVELS.join(', ')} (reçu « ${logLevel} »).`);

  let sessionSecret = env.SESSION_SECRET?.trim();
  if (sessionSecret !== undefined && sessionSecret !== '') {
    if (sessionSecret.length < 32) fail('SESSION_SECRET', 'doit contenir au moins 32 caractères.');
  } else if (databaseUrl) {
    fail('SESSION_SECRET', 'est obligatoire avec DATABASE_URL (au moins 32 caractères aléatoires, identique sur tous les processus).');
  } else {
    sessionSecret = localSecret(dataDir);
  }

  const adminEmail = env.ADMIN_EMAIL?.trim() || undefined;
  if (adminEmail !== undefined && !isEmailAddress(adminEmail)) fail('ADMIN_EMAIL', `n'est pas une adresse e-mail valide (reçu « ${adminEmail} »).`);

  const mailFrom = env.MAIL_FROM?.trim() || 'Rassembler <ne-pas-repondre@rassembler.localhost>';
  if (!MAIL_FROM.test(mailFrom)) fail('MAIL_FROM', `doit être une adresse e-mail, seule ou sous la forme « Nom <adresse@exemple.fr> » (reçu « ${mailFrom} »).`);

  const smsUrl = url(env, 'SMS_URL', ['https:', 'http:']);
  const smsApiKey = env.SMS_API_KEY?.trim() || undefined;
  if (smsUrl && !smsApiKey) fail('SMS_API_KEY', "est obligatoire avec SMS_URL (la clé d'API du fournisseur de SMS).");
  const smsSender = env.SMS_SENDER?.trim() || 'Rassembler';
  if (!/^(?=.*[a-z])[a-z0-9]{1,11}$/i.test(smsSender) && !/^\d{1,15}$/.test(smsSender))
    fail('SMS_SENDER', `doit faire au plus 11 lettres et chiffres sans espace, ou 15 chiffres (reçu « ${smsSender} »).`);

  const reminderRaw = env.REMINDER_DAYS?.trim() || '7,1';
  const reminderDays = reminderRaw.split(',').map((part) => part.trim());
  if (reminderDays.some((d) => !/^\d+$/.test(d) || Number(d) < 1 || Number(d) > 60))
    fail('REMINDER_DAYS', `doit être une liste de jours entre 1 et 60 séparés par des virgules (reçu « ${reminderRaw} »).`);

  return {
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir,
    smtpUrl,
    mailFrom,
    smsUrl,
    smsApiKey,
    smsSender,
    sessionSecret,
    logLevel,
    demoData: flag(env, 'DEMO_DATA', !databaseUrl),
    viewCache: flag(env, 'VIEW_CACHE', true),
    mailWorker: flag(env, 'MAIL_WORKER', true),
    adminEmail,
    needsRetentionDays: integer(env, 'NEEDS_RETENTION_DAYS', 30, 0, 3650),
    identityRetentionDays: integer(env, 'IDENTITY_RETENTION_DAYS', 90, 0, 3650),
    reminderDays: [...new Set(reminderDays.map(Number))].sort((a, b) => b - a),
    reminderHour: integer(env, 'REMINDER_HOUR', 10, 0, 23),
    trustProxy: trustProxy(env),
    requestTimeoutSeconds: integer(env, 'REQUEST_TIMEOUT_SECONDS', 30, 1, 3600),
    connectionTimeoutSeconds: integer(env, 'CONNECTION_TIMEOUT_SECONDS', 75, 1, 3600),
    demoTheme: env.DEMO_THEME?.trim() || 'Pour notre santé mentale, réparons le lien social',
    embedFrameAncestors: frameAncestors(env),
    addressLookupUrl: addressLookupUrl(env),
    addressLookupTimeoutMs: integer(env, 'ADDRESS_LOOKUP_TIMEOUT_MS', 3000, 100, 30_000),
    mapTileUrl: mapTileUrl(env),
    mapAttribution: env.MAP_ATTRIBUTION?.trim() || undefined,
    cataloguesExtraDir: cataloguesExtraDir(env),
  };
}

/** CATALOGUES_EXTRA_DIR: a folder holding more languages, one folder each (server/i18n/catalogues shows the layout). */
function cataloguesExtraDir(env: Env): string | undefined {
  const raw = env.CATALOGUES_EXTRA_DIR?.trim();
  if (!raw) return undefined;
  const folder = path.resolve(raw);
  if (!existsSync(folder)) fail('CATALOGUES_EXTRA_DIR', `doit être un dossier existant (reçu « ${raw} »).`);
  return folder;
}

/** Settings that work but are probably not what was meant: said once at start. */
export function configWarnings(config: Pick<Config, 'publicUrl' | 'trustProxy'>): string[] {
  const warnings: string[] = [];
  if (config.publicUrl.startsWith('https:') && !config.trustProxy)
    warnings.push(
      "PUBLIC_URL est en https mais TRUST_PROXY vaut false : derrière un proxy qui termine le TLS, définissez TRUST_PROXY (1 pour un seul proxy) pour que l'application voie le protocole et les adresses d'origine (cookies de session « secure »).",
    );
  return warnings;
}
