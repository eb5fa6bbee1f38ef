// @databases: none
// The builder on its own: the ical-generator version it relies on, and line folding at the edges
// (a line of exactly 75 octets, 2-, 3- and 4-byte characters across a fold).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { foldLines } from '../../server/calendar/fold.ts';

t.test('ical-generator is 11.x, at least 11.1.2 (10.x folds lines ~40× slower)', async (t) => {
  // Its package.json is not exported: find it from the resolved entry point.
  const entry = createRequire(import.meta.url).resolve('ical-generator');
  const { version } = JSON.parse(readFileSync(path.join(entry.slice(0, entry.lastIndexOf('/dist/')), 'package.json'), 'utf8')) as { version: string };
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  t.equal(major, 11, `installed ${version}`);
  t.ok(minor > 1 || (minor === 1 && patch >= 2), `installed ${version}`);
});

t.test('folding: at most 75 octets a line, no character cut, unfolds to the original', async (t) => {
  const samples = [
    `DESCRIPTION:${'a'.repeat(63)}`, // exactly 75 octets: left alone
    `DESCRIPTION:${'é'.repeat(100)}`,
    `SUMMARY:${'€'.repeat(60)}`,
    `DESCRIPTION:${'🌿'.repeat(40)}x${'🙂'.repeat(40)}`,
    `DESCRIPTION:${'a'.repeat(62)}🌿${'b'.repeat(80)}`,
  ];
  for (const line of samples) {
    const folded = foldLines(`${line}\r\n`);
    const pieces = folded.split('\r\n').slice(0, -1);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const piece of pieces) {
      const bytes = Buffer.from(piece, 'utf8');
      t.ok(bytes.length <= 75, `${bytes.length} octets`);
      t.doesNotThrow(() => decoder.decode(bytes));
    }
    t.equal(folded.replace(/\r\n /g, ''), `${line}\r\n`, 'unfolds to the original');
  }
  t.equal(foldLines(`DESCRIPTION:${'a'.repeat(63)}\r\n`), `DESCRIPTION:${'a'.repeat(63)}\r\n`, 'a 75-octet line is not folded');
});
