// @databases: none
import t from 'tap';
import zlib from 'node:zlib';
import { acceptedEncodings, encodedBody, isNotModified, type SharedBody } from '../../server/lib/shared-body.ts';

const shared = (text: string): SharedBody => ({ body: Buffer.from(text), etag: '"v1"', encoded: {} });

t.test('Accept-Encoding: listed with q > 0, else what * says', async (t) => {
  const gzip = (header: string | undefined) => acceptedEncodings(header)('gzip');
  t.ok(gzip('gzip, deflate, br, zstd'));
  t.ok(gzip('br;q=1.0, gzip;q=0.8'));
  t.ok(gzip('*'));
  t.notOk(gzip('gzip;q=0, *'), 'explicitly refused, whatever * says');
  t.notOk(gzip('*;q=0'));
  t.notOk(gzip('br'));
  t.notOk(gzip('identity'));
  t.notOk(gzip(undefined));
});

t.test('the body in the best accepted encoding, compressed once', async (t) => {
  const text = '<ol>' + Array.from({ length: 400 }, (_, i) => `<li>Événement n° ${i} — « jardin partagé »</li>`).join('\n') + '</ol>';
  const body = shared(text);
  const br = await encodedBody(body, 'gzip, deflate, br');
  t.equal(br.encoding, 'br');
  t.equal(zlib.brotliDecompressSync(br.body).toString(), text);
  t.ok(br.body.length < body.body.length / 5, 'it is compressed');
  const gz = await encodedBody(body, 'gzip');
  t.equal(gz.encoding, 'gzip');
  t.equal(zlib.gunzipSync(gz.body).toString(), text);
  t.equal((await encodedBody(body, 'gzip')).body, gz.body, 'the same buffer again: compressed once');
  t.same(await encodedBody(body, 'identity'), { encoding: 'identity', body: body.body });
  const small = shared('<p>court</p>');
  t.equal((await encodedBody(small, 'br')).encoding, 'identity', 'too small to be worth compressing');
});

t.test('revalidation: If-None-Match first, If-Modified-Since only with a date to compare', async (t) => {
  const modified = new Date('2026-10-06T12:00:00.500Z');
  t.ok(isNotModified({ 'if-none-match': '"v0", W/"v1"' }, '"v1"'));
  t.ok(isNotModified({ 'if-none-match': '*' }, '"v1"'));
  t.notOk(isNotModified({ 'if-none-match': '"v0"', 'if-modified-since': modified.toUTCString() }, '"v1"', modified), 'a stale tag wins over the date');
  t.ok(isNotModified({ 'if-modified-since': modified.toUTCString() }, '"v1"', modified), 'the same second');
  t.notOk(isNotModified({ 'if-modified-since': new Date('2026-10-06T11:59:59Z').toUTCString() }, '"v1"', modified));
  t.notOk(isNotModified({ 'if-modified-since': modified.toUTCString() }, '"v1"'), 'no date to compare');
  t.notOk(isNotModified({ 'if-modified-since': 'hier' }, '"v1"', modified));
});
