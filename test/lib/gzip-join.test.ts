import t from 'tap';
import zlib from 'node:zlib';
import { acceptsGzip, deflatePart, gzipAround } from '../../server/lib/gzip-join.ts';

t.test('a response gzipped around a part deflated once inflates to the whole text', async (t) => {
  const middle = '<ol>' + Array.from({ length: 400 }, (_, i) => `<li>Événement n° ${i} — « jardin partagé »</li>`).join('\n') + '</ol>';
  const part = deflatePart(middle);
  for (const [head, tail] of [
    ['<!doctype html><html lang="fr"><meta name="csrf-token" content="abc">', '<footer>fin</footer></html>'],
    ['', ''],
    ['é'.repeat(70_000), 'ü'],
  ] as const) {
    const gz = gzipAround(head, part, tail);
    t.equal(zlib.gunzipSync(gz).toString(), head + middle + tail, `head of ${head.length} characters`);
  }
  t.ok(gzipAround('a', part, 'b').length < Buffer.byteLength(middle) / 5, 'it is compressed');
  t.equal(zlib.gunzipSync(gzipAround('x', deflatePart(''), 'y')).toString(), 'xy', 'an empty middle');
});

t.test('Accept-Encoding', async (t) => {
  t.ok(acceptsGzip('gzip, deflate, br, zstd'));
  t.ok(acceptsGzip('br;q=1.0, gzip;q=0.8'));
  t.ok(acceptsGzip('*'));
  t.notOk(acceptsGzip('gzip;q=0, *'));
  t.notOk(acceptsGzip('br'));
  t.notOk(acceptsGzip('identity'));
  t.notOk(acceptsGzip(undefined));
});
