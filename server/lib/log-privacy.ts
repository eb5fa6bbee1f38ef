// What the logs may hold. Logs live outside the retention purge and the audit of health-data
// reads, so no line may carry a person's name, address, phone or needs, nor a capability token:
// database errors lose their bound parameters (drizzle and PGlite put them in `params` and in the
// message; PostgreSQL's `detail` quotes the conflicting values), and URLs lose their tokens.
import pino from 'pino';

const VALUE_KEYS = new Set(['params', 'parameters', 'args', 'detail']);
const PARAMS_IN_TEXT = /\nparams: [\s\S]*?(?=\n {4}at |$)/g;

type Serialized = { [key: string]: unknown; type: string; message: string; stack: string };

/** A serialized error, recursively, without the values a query was given. */
function withoutValues<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutValues) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (VALUE_KEYS.has(key)) out[key] = '[retiré des journaux]';
    else if (typeof inner === 'string' && (key === 'message' || key === 'stack')) out[key] = inner.replace(PARAMS_IN_TEXT, '\nparams: [retiré des journaux]');
    else out[key] = withoutValues(inner);
  }
  return out as T;
}

// Every capability token of the app is 32 random bytes in base64url (lib/tokens.ts): 43 characters,
// as a path segment (/inscription/…, /agenda/personnel/….ics) or a query value (?jeton=…).
const TOKEN_IN_URL = /(^|[/=])[A-Za-z0-9_-]{43}(?=$|[/?&#.])/g;

function urlWithoutTokens(url: string): string {
  return url.replace(TOKEN_IN_URL, '$1[jeton]');
}

/**
 * pino hooks for Fastify's logger: a message built from an error's text (Fastify logs an error it
 * handles itself — a hook's, a failed session save — with `err.message` as the line's message)
 * loses the query's values too, as the serialized error does.
 */
export const privateLogHooks = {
  logMethod(this: pino.Logger, args: unknown[], method: (...args: unknown[]) => void) {
    method.apply(this, args.map((arg) => (typeof arg === 'string' ? arg.replace(PARAMS_IN_TEXT, '\nparams: [retiré des journaux]') : arg)));
  },
};

/** pino serializers for Fastify's logger: errors without query values, requests (as Fastify's
 *  own serializer writes them) without tokens. */
export const privateLogSerializers = {
  err: (error: Error): Serialized => withoutValues(pino.stdSerializers.err(error)),
  req: (request: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
    method: request.method,
    url: urlWithoutTokens(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
};
