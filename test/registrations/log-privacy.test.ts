// @databases: pglite
// Logs are kept outside the purge and the audit: a failing registration must not write the
// person's name, address, phone or needs there, and no capability token appears in a logged URL.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { session } from '../../server/db/schema.ts';
import { buildTestApp } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';

function captureLogs() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

t.test('a database failure during a registration is logged without the values the query was given', async (t) => {
  const logs = captureLogs();
  const { agent, db } = await buildTestApp(t, { env: { LOG_LEVEL: 'info' }, logStream: logs.stream });
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  // The database refuses the write (as a full disk or a lost connection would).
  await db.execute(sql`create function refuse_write() returns trigger language plpgsql as $$ begin raise exception 'écriture refusée'; end $$`);
  await db.execute(sql`create trigger refuse_write before insert on registration for each row execute function refuse_write()`);
  // The database outlives the test (test/helpers/database.ts empties its rows, not its schema).
  t.teardown(async () => {
    await db.execute(sql`drop trigger refuse_write on registration`);
    await db.execute(sql`drop function refuse_write()`);
  });

  const res = await agent().post(`/evenements/${ev.id}/inscription`, {
    nom: 'Zoé Confidentielle',
    email: 'zoe.confidentielle@example.org',
    telephone: '06 12 34 56 78',
    places: '1',
    besoins: ['caa'],
    'precision-caa': 'pictogrammes pour mon fils',
    consentement: '1',
  });
  t.equal(res.statusCode, 500);
  const log = logs.lines.join('');
  t.match(log, /"msg":"request failed"/, 'the failure is logged');
  t.match(log, /écriture refusée/, 'with the database message');
  t.match(log, /insert into registration/, 'and the query text');
  t.match(log, /\[retiré des journaux\]/, 'the parameters are replaced');
  for (const secret of ['Confidentielle', 'zoe.confidentielle', '06 12 34 56 78', '+33612345678', '0612345678', 'pictogrammes pour mon fils'])
    t.notMatch(log, secret, `not in the logs: ${secret}`);
});

t.test('logged URLs carry no manage or calendar token', async (t) => {
  const logs = captureLogs();
  const { agent } = await buildTestApp(t, { env: { LOG_LEVEL: 'info' }, logStream: logs.stream });
  const token = 'A'.repeat(20) + 'b_-'.repeat(7) + 'Z'.repeat(2);
  await agent().get(`/inscription/${token}`);
  await agent().get(`/agenda/personnel/${token}.ics`);
  await agent().get(`/connexion/lien?jeton=${token}&retour=%2Fespace`);
  await agent().get(`/inscription/${token}/confirmation?besoins-non-enregistres=1`);
  await agent().get('/programme?q=atelier');
  const log = logs.lines.join('');
  t.notMatch(log, token, 'the token is not logged');
  t.match(log, '"url":"/inscription/[jeton]"');
  t.match(log, '"url":"/agenda/personnel/[jeton].ics"');
  t.match(log, '"url":"/inscription/[jeton]/confirmation?besoins-non-enregistres=1"');
  t.match(log, '"url":"/programme?q=atelier"', 'other URLs untouched');
  t.match(log, '"url":"/connexion/lien?jeton=[jeton]&retour=%2Fespace"');
});

t.test("an error Fastify logs itself (a session that cannot be saved) keeps the query's values out of its message", async (t) => {
  const logs = captureLogs();
  const { agent, db } = await buildTestApp(t, { env: { LOG_LEVEL: 'info' }, logStream: logs.stream });
  const a = agent();
  await a.signInAs('zoe.confidentielle@example.org');
  const [{ sid }] = (await db.select({ sid: session.sid }).from(session)) as [{ sid: string }];
  await db.execute(sql`create function refuse_session() returns trigger language plpgsql as $$ begin raise exception 'écriture refusée'; end $$`);
  await db.execute(sql`create trigger refuse_session before insert or update on session for each row execute function refuse_session()`);
  t.teardown(async () => {
    await db.execute(sql`drop trigger refuse_session on session`);
    await db.execute(sql`drop function refuse_session()`);
  });

  const res = await a.get('/espace');
  t.ok(res.statusCode >= 500, `the failed save is an error (${res.statusCode})`);
  const log = logs.lines.join('');
  t.match(log, /insert into \\"session\\"/, 'the failure is logged with its query');
  const fastifyLine = logs.lines.find((line) => line.includes('"msg":"Failed query'));
  t.match(fastifyLine, /params: \[retiré des journaux\]"}/, "Fastify's own line, whose message is the error's text, has the parameters replaced");
  t.notMatch(log, sid, 'the session id (a credential) is not in the logs');
});
