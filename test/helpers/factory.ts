// Test data, built the way the product stores it. Every function takes the database and
// returns the inserted row; defaults describe a published event in October 2026, Paris time.
import { randomToken, hashToken } from '../../server/lib/tokens.ts';
import type { Database } from '../../server/db/client.ts';
import { appUser, edition, event, membership, organisation, registration, registrationToken, territory, venue, accessNeed } from '../../server/db/schema.ts';

type Insert<T extends { $inferInsert: unknown }> = Partial<T['$inferInsert']>;
let counter = 0;
const next = () => ++counter;

export async function makeTerritory(db: Database, values: Insert<typeof territory> = {}) {
  const n = next();
  const [row] = await db
    .insert(territory)
    .values({ slug: `territoire-${n}`, name: `CLSM Test ${n}`, timeZone: 'Europe/Paris', communes: ['Grenoble', 'Échirolles'], ...values })
    .returning();
  return row!;
}

export async function makeEdition(db: Database, values: Insert<typeof edition> = {}) {
  const [row] = await db
    .insert(edition)
    .values({ year: 2026, theme: 'Pour notre santé mentale, réparons le lien social', firstDay: '2026-10-05', lastDay: '2026-10-18', ...values })
    .returning();
  return row!;
}

export async function makeOrganisation(db: Database, territoryId: number, values: Insert<typeof organisation> = {}) {
  const n = next();
  const [row] = await db
    .insert(organisation)
    .values({ territoryId, name: `Association ${n}`, kind: 'association', contactEmail: `asso${n}@example.org`, ...values })
    .returning();
  return row!;
}

export async function makeVenue(db: Database, territoryId: number, organisationId: number | null, values: Insert<typeof venue> = {}) {
  const n = next();
  const [row] = await db
    .insert(venue)
    .values({
      territoryId,
      organisationId,
      name: `Salle ${n}`,
      address: `${n} rue de la République`,
      postcode: '38000',
      commune: 'Grenoble',
      stepFreeEntrance: true,
      accessDirections: "Entrée de plain-pied côté parc, rampe à gauche de l'accueil.",
      ...values,
    })
    .returning();
  return row!;
}

export async function makeUser(db: Database, values: Insert<typeof appUser> = {}) {
  const n = next();
  const [row] = await db.insert(appUser).values({ email: `personne${n}@example.org`, name: `Personne ${n}`, ...values }).returning();
  return row!;
}

export async function makeMember(db: Database, userId: number, organisationId: number) {
  const [row] = await db.insert(membership).values({ userId, role: 'member', organisationId }).returning();
  return row!;
}

export async function makeCoordinator(db: Database, userId: number, territoryId: number) {
  const [row] = await db.insert(membership).values({ userId, role: 'coordinator', territoryId }).returning();
  return row!;
}

/** A published event: 6 October 2026, 14:00–16:00 Paris, 20 places, LSF offered. */
export async function makeEvent(
  db: Database,
  refs: { editionId: number; territoryId: number; organisationId: number; venueId?: number | null },
  values: Insert<typeof event> = {},
) {
  const n = next();
  const [row] = await db
    .insert(event)
    .values({
      editionId: refs.editionId,
      territoryId: refs.territoryId,
      organisationId: refs.organisationId,
      venueId: refs.venueId ?? null,
      title: `Événement ${n}`,
      summary: 'Un moment convivial pour se rencontrer.',
      description: 'Description complète.',
      category: 'atelier_culturel',
      startsAt: new Date('2026-10-06T12:00:00Z'),
      endsAt: new Date('2026-10-06T14:00:00Z'),
      capacity: 20,
      registrationOpensAt: new Date('2026-09-01T00:00:00Z'),
      accessRequestDeadline: new Date('2026-09-22T12:00:00Z'),
      accessibilityOffered: ['lsf', 'wheelchair'],
      state: 'published',
      publishedAt: new Date('2026-09-01T00:00:00Z'),
      ...values,
    })
    .returning();
  return row!;
}

/** A whole published world: territory, edition, organisation with a member, venue, event. */
export async function makeWorld(db: Database, eventValues: Insert<typeof event> = {}) {
  const t = await makeTerritory(db);
  const ed = await makeEdition(db).catch(async () => (await db.select().from(edition))[0]!);
  const org = await makeOrganisation(db, t.id);
  const v = await makeVenue(db, t.id, org.id);
  const ev = await makeEvent(db, { editionId: ed.id, territoryId: t.id, organisationId: org.id, venueId: v.id }, eventValues);
  return { territory: t, edition: ed, organisation: org, venue: v, event: ev };
}

/** A registration stored directly (for tests of what reads registrations); returns its manage token. */
export async function makeRegistration(
  db: Database,
  eventId: number,
  values: Insert<typeof registration> = {},
  needs: Array<{ category: (typeof accessNeed.$inferInsert)['category']; detail?: string }> = [],
) {
  const n = next();
  const token = randomToken();
  const [row] = await db
    .insert(registration)
    .values({
      eventId,
      name: `Inscrite ${n}`,
      email: `inscrite${n}@example.org`,
      seats: 1,
      state: 'confirmed',
      needsConsentAt: needs.length > 0 ? new Date('2026-09-10T10:00:00Z') : null,
      ...values,
    })
    .returning();
  await db.insert(registrationToken).values({ tokenHash: hashToken(token), registrationId: row!.id, kind: 'manage' });
  if (needs.length > 0) await db.insert(accessNeed).values(needs.map((need) => ({ registrationId: row!.id, category: need.category, detail: need.detail ?? null })));
  return { registration: row!, token };
}
