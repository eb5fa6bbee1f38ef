// What each feed contains (a condition over events and their joins) and the cheap version of that
// content, read from the database on every request so an edit made by any app process shows at
// once. No HTTP here.
import { and, eq, gte, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { event, organisation, registration, territory, venue } from '../db/schema.ts';
import { currentLanguage, inLanguage, t } from '../i18n/index.ts';
import { filtersQueryString, parseFeedFilters, type RawQuery, findCurrentEdition, loadProgrammeFacets, programmeConditions } from '../programme/index.ts';

/** Past events stay in feeds this long after they end, then drop out. */
export const PAST_WINDOW_DAYS = 30;

/** Events a feed may show: published, or cancelled (kept so calendars remove them). */
export const inFeeds: SQL = inArray(event.state, ['published', 'cancelled']);

/** Not ended more than PAST_WINDOW_DAYS before `now`. */
export function withinWindow(now: Date): SQL {
  return gte(event.endsAt, new Date(now.getTime() - PAST_WINDOW_DAYS * 86_400_000));
}

/** What a feed shows: a cache key, a name for calendar clients, and its condition. */
export interface FeedScope {
  /** The feed, its normalised parameters and its language: two requests with the same key get the same feed. */
  key: string;
  /** The language the feed is written in: the request's, or for a personal feed the registration's. */
  language: string;
  name: string;
  /** Condition over event / venue / organisation / territory (window included). */
  where: SQL;
  /** Registrations whose changes count too: a person's (a cancellation), or those of the
   *  programme's events when the feed shows only events with places left. */
  registrations?: SQL;
}

export interface FeedVersion {
  /** Changes whenever the feed's content may have changed. */
  key: string;
  /** Never goes back, and moves on any change that can affect the feed (see below). */
  lastModified: Date;
  count: number;
}

interface VersionRow {
  n: number | string;
  ids: number | string;
  stamps: number | string | null;
  max_all: number | string | null;
  fingerprint: string | null;
  reg?: string | null;
}

/**
 * One aggregate over the events: how many are in the feed, which (sum of ids), when each was last
 * updated (the *sum* of updated_at: a max would miss an edit stamped earlier than the latest one,
 * as with two processes whose clocks differ), a fingerprint of the organisation text shown (an
 * organisation renamed does not touch its events), and the latest update of *any* event.
 * Last-Modified uses the latter: an event that leaves a filter (moved to another commune) is no
 * longer among the feed's rows, yet a client asking If-Modified-Since must see the feed changed.
 * Venue edits already touch their events' updated_at (server/events/venues.ts).
 */
export async function feedVersion(db: Database, scope: FeedScope): Promise<FeedVersion> {
  const where = scope.where;
  // A registration made, cancelled or moved off the waiting list changes a personal feed, and
  // which events have places left.
  const registrations = scope.registrations
    ? sql`, (select concat_ws('/', extract(epoch from max(greatest(${registration.updatedAt}, ${registration.cancelledAt}))) * 1000,
                             sum(extract(epoch from ${registration.updatedAt})),
                             count(*) filter (where ${registration.state} = 'confirmed'),
                             count(*) filter (where ${registration.state} = 'waitlisted'))
             from ${registration} where ${scope.registrations}) as reg`
    : sql``;
  const [row] = await queryRows<VersionRow>(
    db,
    sql`select count(*) filter (where ${where}) as n,
               coalesce(sum(${event.id}) filter (where ${where}), 0) as ids,
               sum(extract(epoch from ${event.updatedAt})) filter (where ${where}) as stamps,
               extract(epoch from max(${event.updatedAt})) * 1000 as max_all,
               md5(string_agg(distinct concat_ws('|', ${organisation.id}, ${organisation.name}, ${organisation.contactEmail}), ',') filter (where ${where})) as fingerprint
               ${registrations}
        from ${event}
        join ${territory} on ${territory.id} = ${event.territoryId}
        join ${organisation} on ${organisation.id} = ${event.organisationId}
        left join ${venue} on ${venue.id} = ${event.venueId}`,
  );
  const maxAll = Number(row?.max_all ?? 0);
  const registrationsMax = Number(row?.reg?.split('/')[0] || 0);
  const lastModified = new Date(Math.floor(Math.max(maxAll, registrationsMax)));
  const key = [row?.n, row?.ids, row?.stamps, maxAll, row?.fingerprint, row?.reg].map((v) => String(v ?? '')).join('/');
  return { key, lastModified, count: Number(row?.n ?? 0) };
}

// ——— Scopes ———

/** The current language's code, and the suffix that keeps each language's feed apart in the caches. */
function language(): { language: string; suffix: string } {
  const { code } = currentLanguage();
  return { language: code, suffix: `@${code}` };
}

export function eventScope(eventId: number): FeedScope {
  const { language: code, suffix } = language();
  return { key: `event:${eventId}${suffix}`, language: code, name: '', where: and(eq(event.id, eventId), inFeeds)! };
}

export async function organisationScope(db: Database, organisationId: number, now: Date): Promise<FeedScope | null> {
  const [org] = await db.select({ id: organisation.id, name: organisation.name }).from(organisation).where(eq(organisation.id, organisationId));
  if (!org) return null;
  const { language: code, suffix } = language();
  return { key: `organisation:${org.id}${suffix}`, language: code, name: t('calendar:feed.named', { name: org.name }), where: and(eq(event.organisationId, org.id), inFeeds, withinWindow(now))! };
}

export async function territoryScope(db: Database, slug: string, now: Date): Promise<FeedScope | null> {
  const [found] = await db.select({ id: territory.id, name: territory.name, slug: territory.slug }).from(territory).where(eq(territory.slug, slug));
  if (!found) return null;
  const { language: code, suffix } = language();
  return { key: `territory:${found.id}${suffix}`, language: code, name: t('calendar:feed.named', { name: found.name }), where: and(eq(event.territoryId, found.id), inFeeds, withinWindow(now))! };
}

/** The address a registration belongs to (the person's, or else the helper's who registered them), and its language. */
async function registrationAddress(db: Database, registrationId: number): Promise<{ address: string; language: string } | null> {
  const [anchor] = await db
    .select({ email: registration.email, contactEmail: registration.contactEmail, language: registration.language })
    .from(registration)
    .where(eq(registration.id, registrationId));
  const address = (anchor?.email ?? anchor?.contactEmail)?.trim().toLowerCase();
  return anchor && address ? { address, language: anchor.language } : null;
}

/** Registrations made with an address, as the person or as the helper. */
function registrationsOf(address: string): SQL {
  return or(eq(sql`lower(${registration.email})`, address), eq(sql`lower(${registration.contactEmail})`, address))!;
}

/**
 * A person's feed, reached from one of their registrations: every registration made with the same
 * address (as the person, or as the helper who registered them) and not cancelled, written in the
 * language of the registration whose link it is (whatever the address asked for: a calendar
 * service polls it without a prefix). Null when the registration is gone or its identity purged.
 * Reads the registrations feature's table, read-only.
 */
export async function personalScope(db: Database, registrationId: number, now: Date): Promise<(FeedScope & { address: string }) | null> {
  const anchor = await registrationAddress(db, registrationId);
  if (!anchor) return null;
  const { address } = anchor;
  // A language whose catalogue was removed since falls back to French, as inLanguage does.
  const code = inLanguage(anchor.language, () => currentLanguage().code);
  const eventIds = db
    .select({ id: registration.eventId })
    .from(registration)
    .where(and(registrationsOf(address), ne(registration.state, 'cancelled')));
  return {
    key: `personal:${registrationId}@${code}`,
    language: code,
    name: inLanguage(code, () => t('calendar:feed.personal')),
    where: and(inArray(event.id, eventIds), inFeeds, withinWindow(now))!,
    registrations: registrationsOf(address),
    address,
  };
}

export type PersonalRegistration = Pick<typeof registration.$inferSelect, 'id' | 'eventId' | 'inviteSequence'> & {
  /** Only on the waiting list: the entry says so. */
  waitlisted: boolean;
};

/** The registrations (not cancelled) a personal feed shows, one entry each. */
export async function personalRegistrations(db: Database, address: string): Promise<PersonalRegistration[]> {
  const rows = await db
    .select({ id: registration.id, eventId: registration.eventId, state: registration.state, inviteSequence: registration.inviteSequence })
    .from(registration)
    .where(and(registrationsOf(address), ne(registration.state, 'cancelled')))
    .orderBy(registration.id);
  return rows.map((r) => ({ id: r.id, eventId: r.eventId, inviteSequence: r.inviteSequence, waitlisted: r.state === 'waitlisted' }));
}

export type ProgrammeScopeResult = { ok: true; scope: FeedScope } | { ok: false; message: string };

/**
 * The programme feed: exactly the events the programme page lists for the same query string
 * (its parser, its condition, its current edition), minus those past the window. The page drops
 * a filter it cannot use and says so; a feed has nowhere to say it, so it refuses instead.
 */
export async function programmeScope(db: Database, query: RawQuery, now: Date): Promise<ProgrammeScopeResult> {
  const current = await findCurrentEdition(db, now);
  // Communes, territories and places are checked against the edition's: only worth a query when one is asked for.
  const facets = current && (query.commune !== undefined || query.territoire !== undefined || query.pres !== undefined) ? await loadProgrammeFacets(db, current.id) : null;
  const parsed = parseFeedFilters(query, current ? { firstDay: current.firstDay, lastDay: current.lastDay, communes: facets?.communes ?? [], territories: facets?.territories ?? [], places: facets?.places } : null);
  if (!parsed.ok) return parsed;
  const { filters } = parsed;
  const canonical = filtersQueryString(filters, { page: false });
  const { language: code, suffix } = language();
  if (!current) return { ok: true, scope: { key: `programme:none${suffix}`, language: code, name: t('calendar:feed.programme'), where: sql`false` } };
  return {
    ok: true,
    scope: {
      key: `programme:${current.id}:${canonical}${suffix}`,
      language: code,
      name: t('calendar:feed.programmeYear', { year: current.year }),
      where: and(programmeConditions(current.id, filters, { keepCancelled: true }), withinWindow(now))!,
      // Places left depend on registrations: a full event leaving the feed must move Last-Modified.
      ...(filters.placesLeft ? { registrations: inArray(registration.eventId, db.select({ id: event.id }).from(event).where(eq(event.editionId, current.id))) } : {}),
    },
  };
}
