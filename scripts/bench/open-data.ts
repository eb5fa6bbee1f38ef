// Benchmark section « open-data »: the JSON of the whole programme (the seeded 5,000-event edition)
// generated without cache (its query and its serialisation, as on the first request after a
// change) against the same file served from the public cache over HTTP. Goals (issue 19): served
// from cache ≥ 100× faster than generated, and generated in ≤ 300 ms.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { findCurrentEdition, NO_FILTERS } from '../../server/programme/index.ts';
import { exportJson } from '../../server/open-data/documents.ts';
import { loadOpenDataEvents, OPEN_DATA_MAX } from '../../server/open-data/query.ts';
import { BROWSER_HEADERS, measure, type BenchContext, type Measurement } from './lib.ts';

const RUNS = 7;
const CACHED_REQUESTS = 300;
const TARGET_RATIO = 100;
const TARGET_UNCACHED_MS = 300;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * One request with node:http, its body read but not decoded: fetch() would unpack the brotli
 * body (10 MB of JSON) and time the client instead of the server.
 */
function timedGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { headers }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`${url} : réponse ${response.statusCode}.`));
        response.on('data', () => {});
        response.on('end', () => resolve(performance.now() - started));
      })
      .on('error', reject);
  });
}

export async function openDataSection(ctx: BenchContext): Promise<Measurement[]> {
  const { db } = ctx.database;
  const edition = await findCurrentEdition(db, new Date());
  if (!edition) throw new Error('Aucune édition en cours : le programme de démonstration n’a pas été chargé.');

  // Uncached: what a request pays when the file is not in the cache (the public data changed).
  const uncached: number[] = [];
  // Processor time too: the wall time counts whatever else runs on the machine; with PGlite the
  // query runs in this process, so its processor time is the generation's whole cost.
  const uncachedCpu: number[] = [];
  let bytes = 0;
  let events = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { rows, total } = await loadOpenDataEvents(db, edition.id, NO_FILTERS);
    const text = exportJson({ rows, total, limit: OPEN_DATA_MAX, title: 'Programme', sourceUrl: `${ctx.config.publicUrl}/programme`, selfUrl: `${ctx.config.publicUrl}/programme.json` }, ctx.config);
    uncached.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    uncachedCpu.push((used.user + used.system) / 1000);
    bytes = Buffer.byteLength(text);
    events = rows.length;
  }

  // Cached: the same file as a client gets it, one request at a time (compressed once, then kept).
  const url = `${ctx.baseUrl}/programme.json`;
  const headers = { ...BROWSER_HEADERS, accept: 'application/json' };
  await timedGet(url, headers);
  const cached: number[] = [];
  for (let i = 0; i < CACHED_REQUESTS; i++) cached.push(await timedGet(url, headers));

  const generated = median(uncached);
  const served = median(cached);
  const ratio = generated / served;
  console.log(`  JSON du programme : ${events.toLocaleString('fr-FR')} événements, ${(bytes / 1024 / 1024).toFixed(1)} Mio.`);
  console.log(`  génération sans cache (médiane de ${RUNS}) : ${generated.toFixed(1)} ms (objectif ≤ ${TARGET_UNCACHED_MS} ms : ${generated <= TARGET_UNCACHED_MS ? 'tenu' : 'NON TENU'}), dont ${median(uncachedCpu).toFixed(1)} ms de processeur de ce processus`);
  console.log(`  servi depuis le cache (médiane de ${CACHED_REQUESTS} requêtes HTTP une à une) : ${served.toFixed(2)} ms`);
  console.log(`  rapport : ${Math.round(ratio)}× (objectif ≥ ${TARGET_RATIO}× : ${ratio >= TARGET_RATIO ? 'tenu' : 'NON TENU'})`);

  return [
    await measure('données ouvertes : JSON du programme (cache)', url, { headers }),
    await measure('données ouvertes : CSV filtré (cache)', `${ctx.baseUrl}/programme.csv?access=wheelchair`, { headers: { ...BROWSER_HEADERS, accept: 'text/csv' } }),
  ];
}
