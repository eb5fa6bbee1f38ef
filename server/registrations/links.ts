// The person's manage link. The token is derived from the server secret and the registration id
// (HMAC-SHA256, 32 bytes), so a reminder rendered days later can carry the link without the
// token ever being stored: the database keeps only its SHA-256 (registration.manage_token_hash).
import type { Config } from '../config.ts';
import { derivedToken, hashToken } from '../lib/tokens.ts';

export function manageToken(config: Pick<Config, 'sessionSecret'>, registrationId: number): string {
  return derivedToken(config.sessionSecret, 'manage', registrationId);
}

export function manageTokenHash(config: Pick<Config, 'sessionSecret'>, registrationId: number): string {
  return hashToken(manageToken(config, registrationId));
}

export function manageUrl(config: Pick<Config, 'sessionSecret' | 'publicUrl'>, registrationId: number): string {
  return `${config.publicUrl}/inscription/${manageToken(config, registrationId)}`;
}
