// Responses whose bytes are the same for everyone who asks (a calendar feed, a public page as an
// anonymous visitor sees it): compressed once per encoding on first demand, revalidated by ETag.
// Compressing such a body again for every request would cost more than the rest of the request.
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

export interface SharedBody {
  body: Buffer;
  /** Strong validator of `body`. */
  etag: string;
  /** Compressed variants, made once on first demand. */
  encoded: Partial<Record<Exclude<Encoding, 'identity'>, Promise<Buffer>>>;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Below this, compressing saves less than it costs (the threshold @fastify/compress uses here too). */
const MIN_COMPRESSED_BYTES = 1024;

/** The body in the best encoding the client accepts (brotli, then gzip), compressed once. */
export async function encodedBody(shared: SharedBody, acceptEncoding: string | undefined): Promise<{ encoding: Encoding; body: Buffer }> {
  if (shared.body.length < MIN_COMPRESSED_BYTES) return { encoding: 'identity', body: shared.body };
  const accepts = acceptedEncodings(acceptEncoding);
  for (const encoding of ['br', 'gzip'] as const) {
    if (!accepts(encoding)) continue;
    const promise = (shared.encoded[encoding] ??=
      encoding === 'br'
        ? brotli(shared.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: shared.body.length } })
        : gzipAsync(shared.body, { level: 9 }));
    return { encoding, body: await promise };
  }
  return { encoding: 'identity', body: shared.body };
}

/**
 * Whether an Accept-Encoding header (RFC 9110 §12.5.3) accepts a coding: listed with q > 0, or
 * not listed and `*` with q > 0. An explicit `gzip;q=0` refuses gzip even with `*`.
 */
export function acceptedEncodings(header: string | undefined): (coding: string) => boolean {
  const listed = new Map<string, boolean>();
  for (const item of (header ?? '').split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    listed.set(name, q === undefined || Number(q) > 0);
  }
  return (coding) => listed.get(coding) ?? listed.get('*') ?? false;
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since (used only with a `lastModified`). */
export function isNotModified(headers: { 'if-none-match'?: string; 'if-modified-since'?: string }, etag: string, lastModified?: Date): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    const tags = inm.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etag);
  }
  const ims = headers['if-modified-since'];
  if (ims !== undefined && lastModified) {
    const since = Date.parse(ims);
    // HTTP dates have whole seconds.
    return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}
