import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A plausible token (32 bytes in base64url): anything else is refused without a database look-up. */
export function isTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** A URL with its token-shaped parts masked: what the request log may keep of a capability link. */
export function withoutTokens(url: string): string {
  return url.replace(/(^|[/=])[A-Za-z0-9_-]{43}(?=$|[/?&#.])/g, '$1…');
}

/** What is stored instead of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
