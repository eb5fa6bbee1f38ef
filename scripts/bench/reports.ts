// Benchmark section « reports »: the figures, the bilan and the cockpit of an edition of 5,000 events and
// 50,000 registrations (issue 17: ≤ 150 ms p50 on PostgreSQL). On top of the bench's seeded
// programme (the demo plus 5,000 events), it adds registrations up to 50,000 over the published
// events, in every state (confirmed, some arrived, waiting, cancelled), 1 in 20 with an access need
// answered or not, and the counts a retention purge would have kept for 1 event in 10; then measures,
// as an administrator, the national figures and bilan (every territory: the largest pages) and, as
// a coordinator, one territory's. The first request of each page after the data changed is timed
// alone (its charts not yet drawn), then autocannon measures it as people use it: ten coordinators
// at once, then one (the ≤ 150 ms p50 target: the time one person waits for the page).
import { randomBytes } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../server/db/client.ts';
import { appUser, membership, registration, session } from '../../server/db/schema.ts';
import { SESSION_IDLE_MS } from '../../server/plugins/session.ts';
import { BROWSER_HEADERS, measure, type BenchContext, type Measurement } from './lib.ts';

const REGISTRATIONS = 50_000;
const TARGET_P50_MS = 150;

/** Registrations (and needs, and kept counts) up to REGISTRATIONS over the published events, in SQL. */
export async function seedRegistrations(ctx: Pick<BenchContext, 'database'>): Promise<number> {
  const { db } = ctx.database;
  const [{ existing }] = (await db.select({ existing: sql<number>`count(*)::int` }).from(registration)) as [{ existing: number }];
  const missing = REGISTRATIONS - Number(existing);
  if (missing <= 0) return Number(existing);
  await db.execute(sql`
    with published as (
      select id, row_number() over (order by id) as n, count(*) over () as total from event where state = 'published' and capacity is not null
    ), numbered as (
      select g, p.id as event_id from generate_series(1, ${missing}::int) g join published p on p.n = (g % p.total) + 1
    )
    insert into registration (event_id, name, email, seats, state, waitlist_position, checked_in_at, on_behalf, created_at, updated_at, cancelled_at)
    select event_id, 'Personne ' || g, 'bench-' || g || '@bench.example', 1 + (g % 4 = 0)::int,
           case when g % 17 = 0 then 'cancelled' when g % 23 = 0 then 'waitlisted' else 'confirmed' end,
           case when g % 17 <> 0 and g % 23 = 0 then g end,
           case when g % 17 <> 0 and g % 23 <> 0 and g % 3 = 0 then now() end,
           g % 11 = 0, now() - interval '20 days', now() - interval '20 days',
           case when g % 17 = 0 then now() - interval '10 days' end
    from numbered`);
  await db.execute(sql`
    insert into access_need (registration_id, category, status, created_at, answered_at)
    select r.id, (array['lsf','captioning','caa','falc','audio_description','induction_loop','wheelchair','companion','quiet_space','other'])[1 + r.id % 10],
           (array['requested','planned','planned','not_possible'])[1 + r.id % 4],
           r.created_at, case when r.id % 4 <> 0 then r.created_at + interval '2 days' end
    from registration r where r.state <> 'cancelled' and r.id % 20 = 0
    on conflict do nothing`);
  await db.execute(sql`
    insert into access_need_tally (event_id, category, requested, planned, not_possible, declared_late, answered_by_deadline)
    select id, 'wheelchair', 1, 3, 1, 1, 3 from event where state = 'published' and id % 10 = 0
    on conflict do nothing`);
  await db.execute(sql`analyze`);
  const [{ total }] = (await db.select({ total: sql<number>`count(*)::int` }).from(registration)) as [{ total: number }];
  return Number(total);
}

/** A session cookie for a user of the demo (the administrator, or the first territory's coordinator). */
async function sessionCookie(ctx: BenchContext, userId: number): Promise<string> {
  const sid = randomBytes(24).toString('base64url');
  await ctx.database.db.insert(session).values({
    sid,
    userId,
    data: { userId, signedInAt: new Date().toISOString() },
    expiresAt: new Date(Date.now() + SESSION_IDLE_MS),
  });
  return `session=${ctx.app.signCookie(sid)}`;
}

async function firstRender(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { ...BROWSER_HEADERS, cookie } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url} : réponse ${response.status}.`);
  return performance.now() - started;
}

export async function reportsSection(ctx: BenchContext): Promise<Measurement[]> {
  const { db } = ctx.database;
  const total = await seedRegistrations(ctx);
  const [events] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from event where state = 'published'`);
  console.log(`  ${Number(events!.n).toLocaleString('fr-FR')} événements publiés, ${total.toLocaleString('fr-FR')} inscriptions.`);

  const [admin] = await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.isAdmin, true)).orderBy(asc(appUser.id)).limit(1);
  const [coordinator] = await db
    .select({ userId: membership.userId, territoryId: membership.territoryId })
    .from(membership)
    .where(eq(membership.role, 'coordinator'))
    .orderBy(asc(membership.territoryId))
    .limit(1);
  if (!admin || !coordinator) throw new Error('Comptes de démonstration absents : le programme de démonstration n’a pas été chargé.');
  const adminCookie = await sessionCookie(ctx, admin.id);
  const coordinatorCookie = await sessionCookie(ctx, coordinator.userId);

  const pages: Array<[string, string, string]> = [
    ['chiffres nationaux', '/admin/chiffres', adminCookie],
    ['bilan national', '/admin/bilan', adminCookie],
    ['chiffres d’un territoire', `/coordination/${coordinator.territoryId}/chiffres`, coordinatorCookie],
    ['bilan d’un territoire', `/coordination/${coordinator.territoryId}/bilan`, coordinatorCookie],
    ['« À traiter » d’un territoire', '/espace/a-traiter', coordinatorCookie],
  ];
  const rows: Measurement[] = [];
  for (const [name, path, cookie] of pages) {
    const url = `${ctx.baseUrl}${path}`;
    console.log(`  ${name} : première génération (graphiques à dessiner) ${Math.round(await firstRender(url, cookie))} ms`);
    // Ten at once first: the run that ends the section then leaves one request at most in flight.
    for (const connections of [10, 1]) {
      const row = await measure(`${name} (${connections} connexion${connections > 1 ? 's' : ''})`, url, { connections, headers: { ...BROWSER_HEADERS, cookie } });
      if (connections === 1) console.log(`  ${name} : p50 ${row.p50} ms, p99 ${row.p99} ms (objectif p50 ≤ ${TARGET_P50_MS} ms : ${row.p50 <= TARGET_P50_MS ? 'tenu' : 'NON TENU'})`);
      rows.push(row);
    }
  }
  return rows;
}
