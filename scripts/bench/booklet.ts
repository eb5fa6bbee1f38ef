// Benchmark section « booklet »: the printed programme (PDF) of about 500 events (issue 19: made in
// ≤ 3 s). The filter is the seeded programme's day or commune whose count is nearest 500. Uncached:
// the first request after a change of the public data (a no-op update of a territory empties the
// public cache), three times, the median kept; cached: autocannon on the same address, then its
// revalidation (If-None-Match: a 304).
import { sql } from 'drizzle-orm';
import { queryRows } from '../../server/db/client.ts';
import { findCurrentEdition } from '../../server/programme/index.ts';
import { measure, type BenchContext, type Measurement } from './lib.ts';

const TARGET_EVENTS = 500;
const TARGET_MS = 3_000;

/** One request: wall time, and the CPU time of this process (the app runs in it) — the part a loaded machine does not inflate. */
async function once(url: string): Promise<{ ms: number; cpuMs: number; bytes: number; etag: string }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url} : réponse ${response.status}.`);
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, bytes: body.byteLength, etag: response.headers.get('etag') ?? '' };
}

export async function bookletSection(ctx: BenchContext): Promise<Measurement[]> {
  const { db } = ctx.database;
  const edition = await findCurrentEdition(db, new Date());
  if (!edition) throw new Error('Aucune édition publiée : le programme de démonstration n’a pas été chargé.');
  // Days in Paris time, as the programme reads them for the seeded (mainland) events.
  const candidates = await queryRows<{ kind: string; value: string; n: number }>(
    db,
    sql`select 'day' as kind, to_char(starts_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as value, count(*)::int as n
          from event where edition_id = ${edition.id} and state in ('published', 'cancelled') group by 2
        union all
        select 'commune', v.commune, count(*)::int from event e join venue v on v.id = e.venue_id
          where e.edition_id = ${edition.id} and e.state in ('published', 'cancelled') group by 2`,
  );
  const best = candidates.sort((a, b) => Math.abs(Number(a.n) - TARGET_EVENTS) - Math.abs(Number(b.n) - TARGET_EVENTS))[0];
  if (!best) throw new Error('Aucun événement dans l’édition.');
  const path = `/programme.pdf?${new URLSearchParams({ [best.kind]: best.value, format: 'a5' })}`;
  const url = `${ctx.baseUrl}${path}`;

  const uncached: Array<{ ms: number; cpuMs: number }> = [];
  let file = { ms: 0, cpuMs: 0, bytes: 0, etag: '' };
  for (let i = 0; i < 3; i++) {
    await db.execute(sql`update territory set name = name where id = (select min(id) from territory)`);
    file = await once(url);
    uncached.push(file);
  }
  const median = [...uncached.map((u) => u.ms)].sort((a, b) => a - b)[1]!;
  const cpuMedian = [...uncached.map((u) => u.cpuMs)].sort((a, b) => a - b)[1]!;
  console.log(
    `  PDF (livret A5) de ${Number(best.n)} événements (${best.kind === 'day' ? 'jour' : 'commune'} ${best.value}), ${Math.round(file.bytes / 1024)} Kio : ` +
      `non caché ${uncached.map((u) => Math.round(u.ms)).join(' / ')} ms, médiane ${Math.round(median)} ms, dont CPU ${Math.round(cpuMedian)} ms (objectif ≤ ${TARGET_MS} ms : ${median <= TARGET_MS ? 'tenu' : 'NON TENU'})`,
  );
  const cachedOnce = await once(url);
  console.log(`  PDF en cache : ${Math.round(cachedOnce.ms)} ms, même ETag : ${cachedOnce.etag === file.etag ? 'oui' : 'NON'}`);
  return [
    await measure(`PDF du programme, ${Number(best.n)} événements, en cache`, url, { connections: 10 }),
    await measure('PDF du programme, revalidation (304)', url, { connections: 10, headers: { 'if-none-match': file.etag }, expectedStatus: 304 }),
  ];
}
