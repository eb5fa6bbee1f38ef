// Shared steps for the events route tests: a territory with an organisation whose member is
// signed in, a valid proposal form, and readers for what a form page shows.
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { event, eventHistory, outbox } from '../../server/db/schema.ts';
import { buildTestApp } from '../helpers/app.ts';
import { makeCoordinator, makeMember, makeWorld } from '../helpers/factory.ts';

type Teardown = Parameters<typeof buildTestApp>[0];

/** The app, a world with a draft, a signed-in member of its organisation and a coordinator agent. */
export async function eventsWorld(t: Teardown, eventValues: Parameters<typeof makeWorld>[1] = { state: 'draft', publishedAt: null }) {
  const app = await buildTestApp(t, { now: '2026-09-15T08:00:00Z' });
  const world = await makeWorld(app.db, eventValues);
  const member = app.agent();
  const memberId = await member.signInAs('membre@asso.example', { name: 'Camille Membre' });
  await makeMember(app.db, memberId, world.organisation.id);
  const coordinator = app.agent();
  const coordinatorId = await coordinator.signInAs('coordination@clsm.example', { name: 'Dominique Coordination' });
  await makeCoordinator(app.db, coordinatorId, world.territory.id);
  return { ...app, ...world, member, memberId, coordinator, coordinatorId };
}

/** A proposal a person could send: Thursday 8 October 2026, 18:00–20:00 Paris time. */
export function validForm(venueId: number | string, overrides: Record<string, string | string[] | undefined> = {}) {
  return {
    title: 'Ciné-débat « Vice-versa »',
    summary: 'Une projection suivie d’un échange avec le GEM.',
    description: 'Le film, puis une discussion animée par deux pair-aidant·es.',
    easyReadSummary: 'On regarde un film. Puis on parle ensemble.',
    category: 'cine_debat',
    audience: 'tout_public',
    date: '2026-10-08',
    startTime: '18:00',
    endTime: '20:00',
    endDate: '',
    venueId: String(venueId),
    onlineUrl: '',
    capacity: '40',
    registrationOpens: '2026-09-20',
    registrationCloses: '2026-10-08',
    accessDeadline: '',
    access: ['lsf', 'quiet_space'],
    contentNote: 'Le film évoque une hospitalisation.',
    action: 'draft',
    ...overrides,
  };
}

/**
 * The edit form of the event eventsWorld makes, as it stands (the factory's Tuesday 6 October,
 * 14:00–16:00 in Paris, registration from 1 September, needs by 22 September): a test then changes
 * only what it means to change.
 */
export function unchangedForm(
  ev: Pick<typeof event.$inferSelect, 'venueId' | 'title' | 'summary' | 'description' | 'category' | 'capacity' | 'accessibilityOffered'>,
  overrides: Record<string, string | string[] | undefined> = {},
) {
  return validForm(ev.venueId!, {
    title: ev.title,
    summary: ev.summary,
    description: ev.description ?? '',
    easyReadSummary: '',
    contentNote: '',
    category: ev.category,
    date: '2026-10-06',
    startTime: '14:00',
    endTime: '16:00',
    registrationOpens: '2026-09-01',
    registrationCloses: '',
    accessDeadline: '2026-09-22',
    capacity: ev.capacity === null ? '' : String(ev.capacity),
    access: [...ev.accessibilityOffered],
    ...overrides,
  });
}

/** The error summary's links: [href, text]. */
export function summaryLinks(html: string): Array<[string, string]> {
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1]!, decode(m[2]!)]);
}

export function decode(text: string): string {
  return text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The form control with this id is marked invalid and described by its inline error. */
export function isMarkedInvalid(html: string, id: string): boolean {
  const tag = new RegExp(`<(input|select|textarea)\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0] ?? '';
  return /aria-invalid="true"/.test(tag) && new RegExp(`aria-describedby="[^"]*${id}-error`).test(tag) && html.includes(`id="${id}-error"`);
}

export function pageTitle(html: string): string {
  return decode(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
}

export async function eventRows(db: Database) {
  return db.select().from(event).orderBy(asc(event.id));
}
export async function eventById(db: Database, id: number) {
  const [row] = await db.select().from(event).where(eq(event.id, id));
  return row!;
}
export async function historyRows(db: Database, eventId: number) {
  return db.select().from(eventHistory).where(eq(eventHistory.eventId, eventId)).orderBy(asc(eventHistory.id));
}
export async function outboxRows(db: Database) {
  return db.select().from(outbox).orderBy(asc(outbox.id));
}

