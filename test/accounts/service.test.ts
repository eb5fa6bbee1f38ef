// @databases: pglite, postgres
// The account rules without HTTP: administrators, people, sign-in links, members.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { appUser, membership, signInToken } from '../../server/db/schema.ts';
import { removeMember } from '../../server/accounts/organisations.ts';
import { ensureAdmin, findOrCreateUser, listAdmins, removeAdmin } from '../../server/accounts/people.ts';
import { SIGN_IN_PER_EMAIL, consumeSignInToken, inspectSignInToken, requestSignIn } from '../../server/accounts/sign-in.ts';
import { safeReturnPath, isTimeZone, parseDay } from '../../server/accounts/schemas.ts';
import { slugify } from '../../server/lib/slug.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeMember, makeOrganisation, makeTerritory, makeUser } from '../helpers/factory.ts';
import { lastMail } from './helpers.ts';

const now = new Date('2026-09-15T08:00:00Z');
const publicUrl = 'http://localhost:3000';

t.test('ensureAdmin creates, flags, and is idempotent', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const first = await ensureAdmin(db, 'Admin@Example.org');
  t.match(first, { created: true, promoted: false });
  t.equal(first.user.isAdmin, true);
  t.equal(first.user.email, 'admin@example.org');

  const second = await ensureAdmin(db, 'admin@example.org');
  t.match(second, { created: false, promoted: false });
  t.equal(second.user.id, first.user.id);
  await Promise.all([ensureAdmin(db, 'ADMIN@example.org'), ensureAdmin(db, 'admin@example.org')]);
  t.equal((await db.select().from(appUser)).length, 1, 'still one person, whatever the case and however many starts');

  const existing = await makeUser(db, { email: 'Orga@example.org' });
  const promoted = await ensureAdmin(db, 'orga@example.org');
  t.match(promoted, { created: false, promoted: true });
  t.equal(promoted.user.id, existing.id, 'an existing person is flagged, not duplicated');
  t.same(
    (await listAdmins(db)).map((u) => u.email),
    ['admin@example.org', 'Orga@example.org'],
  );
});

t.test('removeAdmin keeps at least one administrator', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  await ensureAdmin(db, 'une@example.org');
  t.equal(await removeAdmin(db, 'une@example.org'), 'last_admin');
  t.equal(await removeAdmin(db, 'personne@example.org'), 'unknown');
  await makeUser(db, { email: 'simple@example.org' });
  t.equal(await removeAdmin(db, 'simple@example.org'), 'not_admin');
  await ensureAdmin(db, 'deux@example.org');
  t.equal(await removeAdmin(db, 'UNE@example.org'), 'removed');
  const [une] = await db.select().from(appUser).where(eq(appUser.email, 'une@example.org'));
  t.equal(une!.isAdmin, false, 'the account stays, without the role');
});

t.test('findOrCreateUser is safe when two requests race', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const results = await Promise.all([findOrCreateUser(db, 'a@example.org'), findOrCreateUser(db, 'A@example.org'), findOrCreateUser(db, 'a@example.org')]);
  t.equal(new Set(results.map((r) => r.user.id)).size, 1);
  t.equal(results.filter((r) => r.created).length, 1);
});

t.test('sign-in links: one transaction, per-address limit, single use, expiry', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  for (let i = 0; i < SIGN_IN_PER_EMAIL.max; i++) t.same(await requestSignIn(db, { email: 'x@example.org', now, publicUrl }), { ok: true });
  const refused = await requestSignIn(db, { email: 'X@example.org', now: new Date(now.getTime() + 60_000), publicUrl });
  t.same(refused, { ok: false, reason: 'too_many', retryAfterMinutes: 14 });

  const { token } = await lastMail(db, 'sign_in_link', 'x@example.org');
  t.match(await inspectSignInToken(db, token, now), { ok: true, email: 'x@example.org' });
  const [first, second] = await Promise.all([consumeSignInToken(db, token, now), consumeSignInToken(db, token, now)]);
  t.same([first!.ok, second!.ok].sort(), [false, true], 'two clicks at once: only one wins');
  t.match(await consumeSignInToken(db, token, now), { ok: false, reason: 'used' });
  t.match(await inspectSignInToken(db, token, now), { ok: false, reason: 'used' });

  const { db: db2 } = await createTestDatabase(t.teardown.bind(t));
  await requestSignIn(db2, { email: 'y@example.org', now, publicUrl });
  const { token: late } = await lastMail(db2, 'sign_in_link', 'y@example.org');
  const tenMinutes = new Date(now.getTime() + 10 * 60_000);
  t.match(await inspectSignInToken(db2, late, tenMinutes), { ok: false, reason: 'expired' }, 'valid strictly less than 10 minutes');
  t.match(await consumeSignInToken(db2, late, tenMinutes), { ok: false, reason: 'expired' });
  const [row] = await db2.select().from(signInToken);
  t.equal(row!.usedAt, null);
});

t.test('removeMember: never the last member', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const territory = await makeTerritory(db);
  const org = await makeOrganisation(db, territory.id);
  const a = await makeUser(db);
  const b = await makeUser(db);
  await makeMember(db, a.id, org.id);
  await makeMember(db, b.id, org.id);
  const both = await Promise.all([removeMember(db, { organisationId: org.id, userId: a.id }), removeMember(db, { organisationId: org.id, userId: b.id })]);
  t.same(both.sort(), ['last_member', 'removed'], 'two removals at once leave one member');
  t.equal((await db.select().from(membership)).length, 1);
});

t.test('small parsers', async (t) => {
  t.equal(safeReturnPath('/espace/organisations/3?onglet=membres'), '/espace/organisations/3?onglet=membres');
  for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'espace', '', '/connexion/lien?jeton=x', '/\tevil', 42, '/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/%2E%2E//evil.example/x', '/a/..//evil.example'])
    t.equal(safeReturnPath(bad), null, `refused: ${String(bad)}`);
  t.equal(slugify('CLSM Sud-Réunion (974) '), 'clsm-sud-reunion-974');
  t.ok(isTimeZone('Indian/Reunion'));
  t.ok(isTimeZone('America/Martinique'));
  t.notOk(isTimeZone('Europe/Pariss'));
  t.notOk(isTimeZone('UTC+2'));
  t.equal(parseDay('5/10/2026'), '2026-10-05');
  t.equal(parseDay('2026-02-29'), null);
});
