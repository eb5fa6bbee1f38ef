import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A token derived from a server secret (HMAC-SHA256, 32 bytes): it can be rebuilt when a mail is
 * rendered days later (a reminder) without ever storing it; the database holds only its hash.
 */
export function derivedToken(secret: string, purpose: string, id: string | number, salt = ''): string {
  return createHmac('sha256', secret).update(`${purpose}:${id}:${salt}`).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
