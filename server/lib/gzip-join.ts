// Gzip for pages whose large middle is the same for every visitor while a small head and tail
// differ per response (a CSRF token, a CSP nonce). The middle is deflated once, ending on a sync
// flush (byte-aligned, not the final block), and kept; each response deflates only its head and
// tail around it. The result is one ordinary gzip member (RFC 1951/1952): a deflate stream is a
// series of blocks, and each part is such a series, so any client inflates it. Compressing the
// whole page again for every request would cost more than everything else the request does.
import zlib from 'node:zlib';

export interface DeflatedPart {
  /** The part itself, for the CRC of each response. */
  raw: Buffer;
  /** Raw deflate blocks ending on a sync flush: joinable in front of more blocks. */
  deflated: Buffer;
}

const SYNC = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
/** Magic, deflate, no flags, no time, default compression, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

export function deflatePart(text: string): DeflatedPart {
  const raw = Buffer.from(text);
  // Deflate a copy: on Node 20, deflating an empty buffer leaves it unusable for the later
  // crc32 (which then returns 0 and breaks every response's trailer).
  return { raw, deflated: zlib.deflateRawSync(Buffer.from(raw), { ...SYNC, level: 9 }) };
}

/** One gzip response: `head`, then the prepared `middle`, then `tail`. */
export function gzipAround(head: string, middle: DeflatedPart, tail: string): Buffer {
  const headRaw = Buffer.from(head);
  const tailRaw = Buffer.from(tail);
  let crc = zlib.crc32(headRaw);
  crc = zlib.crc32(middle.raw, crc);
  crc = zlib.crc32(tailRaw, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((headRaw.length + middle.raw.length + tailRaw.length) % 2 ** 32, 4);
  return Buffer.concat([GZIP_HEADER, zlib.deflateRawSync(headRaw, SYNC), middle.deflated, zlib.deflateRawSync(tailRaw), trailer]);
}

/** Whether an Accept-Encoding header allows gzip (an explicit `gzip;q=0` refuses it, even with `*`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let any: boolean | null = null;
  for (const item of header.split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const accepted = !q || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return accepted;
    if (name === '*') any = accepted;
  }
  return any ?? false;
}
