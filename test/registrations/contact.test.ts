// @databases: pglite
// Correcting one's contact details from the manage page (issue 15, item 5): a POST with CSRF,
// validated with an error summary, 303 on success; only the registration the link opens.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { registration } from '../../server/db/schema.ts';
import { register } from '../../server/registrations/register.ts';
import { mintToken } from '../../server/registrations/links.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { person } from './helpers.ts';

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t);
  const { event: ev } = await makeWorld(app.db);
  const a = await register(app.db, app.clock.now(), ev.id, person({ name: 'Awa', email: 'awa@example.org', phone: '06 11 22 33 44' }));
  const b = await register(app.db, app.clock.now(), ev.id, person({ name: 'Bruno', email: 'bruno@example.org' }));
  if (!a.ok || !b.ok) throw new Error('setup');
  return { ...app, ev, a, b };
}

const row = async (db: Parameters<typeof mintToken>[0], id: number) => (await db.select().from(registration).where(eq(registration.id, id)))[0]!;

t.test('the form shows what is stored; a correction is saved and announced', async (t) => {
  const { agent, db, a } = await setup(t);
  const page = await agent().get(`/inscription/${a.token}`);
  t.match(page.body, /<input id="nom" name="nom" type="text" value="Awa"/);
  t.match(page.body, /<input id="telephone" name="telephone" type="tel" value="06 11 22 33 44"/);
  const res = await agent().post(`/inscription/${a.token}/coordonnees`, { nom: 'Awa Diallo', email: 'awa@example.org', telephone: '' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/inscription/${a.token}?fait=coordonnees`);
  const stored = await row(db, a.registrationId);
  t.equal(stored.name, 'Awa Diallo');
  t.equal(stored.phone, null);
  const done = await agent().get(String(res.headers.location));
  t.match(visibleText(done.body), 'Vos coordonnées ont été modifiées.');
});

t.test('a bad e-mail: 400, the error summary, what was typed kept, nothing stored changed', async (t) => {
  const { agent, db, a } = await setup(t);
  const res = await agent().post(`/inscription/${a.token}/coordonnees`, { nom: 'Awa Diallo', email: 'awa@', telephone: '06 11 22 33 44' });
  t.equal(res.statusCode, 400);
  t.match(res.body, /class="error-summary"/);
  t.match(visibleText(res.body), "L'adresse e-mail n'est pas valide : elle doit ressembler à nom@exemple.fr.");
  t.match(res.body, /<input id="email" name="email" type="email" value="awa@"[^>]*aria-invalid="true"/);
  t.match(res.body, /<input id="nom" name="nom" type="text" value="Awa Diallo"/, 'what was typed comes back');
  const stored = await row(db, a.registrationId);
  t.equal(stored.name, 'Awa');
  t.equal(stored.email, 'awa@example.org');
});

t.test("another registration's address is refused (409), and no state change without CSRF", async (t) => {
  const { agent, db, a } = await setup(t);
  const taken = await agent().post(`/inscription/${a.token}/coordonnees`, { nom: 'Awa', email: 'BRUNO@example.org' });
  t.equal(taken.statusCode, 409);
  t.match(visibleText(taken.body), 'Cette adresse e-mail est déjà inscrite à cet événement');
  const noCsrf = await agent().post(`/inscription/${a.token}/coordonnees`, { nom: 'Pirate', email: 'awa@example.org' }, { csrf: false });
  t.equal(noCsrf.statusCode, 403);
  t.equal((await row(db, a.registrationId)).name, 'Awa');
});

t.test("only the registration the link opens: a feed token or an unknown token is refused, the other person's data untouched", async (t) => {
  const { agent, db, clock, a, b } = await setup(t);
  const feedToken = await mintToken(db, b.registrationId, 'feed', clock.now());
  for (const token of [feedToken, `${a.token.slice(0, 42)}x`]) {
    const res = await agent().post(`/inscription/${token}/coordonnees`, { nom: 'Pirate', email: 'pirate@example.org' });
    t.equal(res.statusCode, 404);
  }
  await agent().post(`/inscription/${a.token}/coordonnees`, { nom: 'Awa', email: 'awa@example.org' });
  const other = await row(db, b.registrationId);
  t.equal(other.name, 'Bruno');
  t.equal(other.email, 'bruno@example.org');
});

t.test('contact changes are limited per address: the eleventh in a minute is refused (429)', async (t) => {
  const { agent, db, a } = await setup(t);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await agent().post(`/inscription/${a.token}/coordonnees`, { nom: `Awa ${i}`, email: 'awa@example.org', telephone: '' })).statusCode);
  t.same(statuses, [...Array(10).fill(303), 429]);
  t.equal((await row(db, a.registrationId)).name, 'Awa 9', 'the refused change changed nothing');
});
