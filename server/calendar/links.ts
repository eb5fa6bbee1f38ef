// Addresses of the calendar files, shared by the pages that link to them and the feed routes.
import type { Config } from '../config.ts';
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';

/** One event's .ics (« Ajouter à mon agenda »). */
export function eventIcsPath(eventId: number): string {
  return `/evenements/${eventId}/agenda.ics`;
}

/** A feed to subscribe to: its address to copy, and the webcal: one calendar apps open. */
export interface FeedUrls {
  https: string;
  webcal: string;
}

function feedUrls(config: Pick<Config, 'publicUrl'>, path: string): FeedUrls {
  const https = `${config.publicUrl}${path}`;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

/** The programme feed with exactly the filters of the programme page (its query string). */
export function programmeFeedUrls(config: Pick<Config, 'publicUrl'>, queryString: string): FeedUrls {
  const query = queryString.replace(/^\?/, '');
  return feedUrls(config, `/programme/agenda.ics${query ? `?${query}` : ''}`);
}

export function organisationFeedPath(organisationId: number): string {
  return `/organisations/${organisationId}/agenda.ics`;
}

export function organisationFeedUrls(config: Pick<Config, 'publicUrl'>, organisationId: number): FeedUrls {
  return feedUrls(config, organisationFeedPath(organisationId));
}

export function territoryFeedPath(territorySlug: string): string {
  return `/territoires/${encodeURIComponent(territorySlug)}/agenda.ics`;
}

export function territoryFeedUrls(config: Pick<Config, 'publicUrl'>, territorySlug: string): FeedUrls {
  return feedUrls(config, territoryFeedPath(territorySlug));
}

/**
 * Private feed of a person's registrations, reached from one of their registrations (its manage
 * page shows the link). The token is the registration id sealed with AES-256-GCM under a key
 * derived from the server secret, with a synthetic IV (HMAC of the id) so the URL is stable:
 * nothing is stored, the URL reveals nothing (no email, no id), a forged or altered token fails
 * authentication. It is deliberately not the manage token: calendar services store and poll feed
 * URLs, and the manage link can cancel and shows access needs. See docs/decisions/0005.
 */
export function personalFeedToken(config: Pick<Config, 'sessionSecret'>, registrationId: number): string {
  const { key, ivKey } = feedKeys(config.sessionSecret);
  const plain = Buffer.alloc(8);
  plain.writeBigUInt64BE(BigInt(registrationId));
  const iv = createHmac('sha256', ivKey).update(plain).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The registration id inside a personal feed token, or null when the token is not ours. */
export function registrationIdFromPersonalFeedToken(config: Pick<Config, 'sessionSecret'>, token: string): number | null {
  if (!/^[A-Za-z0-9_-]{48}$/.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 36) return null;
  const { key } = feedKeys(config.sessionSecret);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(20));
    const plain = Buffer.concat([decipher.update(bytes.subarray(12, 20)), decipher.final()]);
    const id = plain.readBigUInt64BE();
    return id > 0n && id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : null;
  } catch {
    return null; // authentication failed: altered, forged, or made with another secret
  }
}

export function personalFeedUrls(config: Pick<Config, 'sessionSecret' | 'publicUrl'>, registrationId: number): FeedUrls {
  return feedUrls(config, personalFeedPath(config, registrationId));
}

export function personalFeedPath(config: Pick<Config, 'sessionSecret'>, registrationId: number): string {
  return `/agenda/personnel/${personalFeedToken(config, registrationId)}.ics`;
}

const keyCache = new Map<string, { key: Buffer; ivKey: Buffer }>();
function feedKeys(secret: string): { key: Buffer; ivKey: Buffer } {
  let keys = keyCache.get(secret);
  if (!keys) {
    keys = {
      key: createHmac('sha256', secret).update('personal-feed:key').digest(),
      ivKey: createHmac('sha256', secret).update('personal-feed:iv').digest(),
    };
    keyCache.set(secret, keys);
  }
  return keys;
}
