// Feeds as text, with their validators (ETag, Last-Modified), cached in memory by scope and
// content version. Calendar clients poll the same URLs again and again: a poll costs one small
// aggregate query (feedVersion) and, when nothing changed, a 304 or the cached bytes.
import { createHash } from 'node:crypto';
import type { Database } from '../db/client.ts';
import type { ICalCalendar } from 'ical-generator';
import type { RegistrationState } from '../domain/vocabulary.ts';
import { organizerOf, registrationUid, type CalendarConfig, type CalendarEvent } from './calendar-event.ts';
import { addEventToCalendar, assembleCalendar, createCalendar, serializeCalendar } from './ical.ts';
import { loadCalendarEvent, loadCalendarEvents } from './load-events.ts';
import { feedEntries } from './entries.ts';
import { databaseSnapshot } from '../programme/index.ts';
import type { SharedBody } from '../lib/shared-body.ts';
import { feedVersion, personalRegistrations, type FeedScope, type FeedVersion, type PersonalRegistration } from './queries.ts';
import { BoundedMap } from '../lib/bounded-map.ts';
import { inLanguage } from '../i18n/index.ts';

/** Bump when the generated text changes shape, so clients holding an old ETag get the new one. */
const FORMAT = 'v2';
/** Subscribed clients: suggested refresh interval. */
const FEED_TTL_SECONDS = 3600;

export interface Feed extends SharedBody {
  lastModified: Date;
  firstTitle: string | null;
}

export function feedEtag(scope: FeedScope, version: FeedVersion): string {
  return `"${createHash('sha1').update(`${FORMAT}|${scope.key}|${version.key}`).digest('base64url')}"`;
}

/**
 * Generates a feed's text (no cache in memory), in the scope's language. Public feeds are their
 * events' stored entries (entries.ts); a personal feed, small and made of the person's own
 * entries, is rendered whole.
 */
export function generateFeed(db: Database, scope: FeedScope & { address?: string }, config: CalendarConfig): Promise<Generated> {
  return inLanguage(scope.language, () => generateInLanguage(db, scope, config));
}

async function generateInLanguage(db: Database, scope: FeedScope & { address?: string }, config: CalendarConfig): Promise<Generated> {
  const options = { name: scope.name || undefined, ttl: scope.name ? FEED_TTL_SECONDS : undefined };
  if (!scope.address) {
    const { entries, firstTitle } = await feedEntries(db, scope.where, config);
    return { text: assembleCalendar(options, entries), firstTitle };
  }
  const [events, registrations] = await Promise.all([loadCalendarEvents(db, { publicUrl: config.publicUrl, where: scope.where }), personalRegistrations(db, scope.address)]);
  const calendar = createCalendar(options);
  // One entry per registration, as the invites do (same UID). Grouped by event: one pass over
  // each list rather than every event against every registration.
  const byEvent = new Map<number, PersonalRegistration[]>();
  for (const r of registrations) {
    const list = byEvent.get(r.eventId);
    if (list) list.push(r);
    else byEvent.set(r.eventId, [r]);
  }
  for (const data of events) {
    for (const r of byEvent.get(data.id) ?? []) addRegistrationEntry(calendar, data, r, config);
  }
  return { text: serializeCalendar(calendar), firstTitle: events[0]?.title ?? null };
}

/** One person's entry: the registration's UID and SEQUENCE (as its invites), marked while on the waiting list. */
function addRegistrationEntry(calendar: ICalCalendar, data: CalendarEvent, r: Pick<PersonalRegistration, 'id' | 'waitlisted' | 'inviteSequence'>, config: CalendarConfig): void {
  const uid = registrationUid(r.id, config.publicUrl);
  const organizer = organizerOf(data, config.mailFrom);
  const sequence = data.sequence + r.inviteSequence;
  if (r.waitlisted && data.state !== 'cancelled') {
    addEventToCalendar(calendar, data, { uid, sequence, status: 'TENTATIVE', organizer, waitlisted: true });
  } else {
    addEventToCalendar(calendar, data, { uid, sequence, organizer });
  }
}

/**
 * The .ics of one registration (« Ajouter à mon agenda » on the manage page), or null when there
 * is nothing to add: the registration is cancelled (its entry was removed by the cancel invite).
 */
export async function registrationCalendar(
  db: Database,
  config: CalendarConfig,
  r: Pick<PersonalRegistration, 'id' | 'eventId' | 'inviteSequence'> & { state: RegistrationState },
): Promise<string | null> {
  if (r.state === 'cancelled') return null;
  const data = await loadCalendarEvent(db, config.publicUrl, r.eventId);
  if (!data) return null; // not reached: a registration keeps its event (foreign key)
  const calendar = createCalendar();
  addRegistrationEntry(calendar, data, { id: r.id, inviteSequence: r.inviteSequence, waitlisted: r.state === 'waitlisted' }, config);
  return serializeCalendar(calendar);
}

export interface Generated {
  text: string;
  /** Title of the first event, for a download's file name. */
  firstTitle: string | null;
}

/**
 * Bounded in-memory cache of generated feeds, least recently used out first. Bounded in bytes,
 * not entries: a national programme feed weighs megabytes, a filtered one a few kilobytes.
 */
export class FeedCache {
  private entries = new Map<string, Feed>();
  private inflight = new Map<string, Promise<Feed>>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get size(): number {
    return this.entries.size;
  }

  /** The feed for this scope at this version: cached, being generated, or generated now. */
  async get(scope: FeedScope, version: FeedVersion, generate: () => Promise<Generated>): Promise<Feed> {
    const etag = feedEtag(scope, version);
    const hit = this.entries.get(scope.key);
    if (hit && hit.etag === etag) {
      this.entries.delete(scope.key);
      this.entries.set(scope.key, hit); // most recently used last
      return hit;
    }
    // Concurrent polls of a feed that just changed share one generation.
    const flightKey = `${scope.key}|${etag}`;
    const pending = this.inflight.get(flightKey);
    if (pending) return pending;
    const promise = (async () => {
      const generated = await generate();
      const feed: Feed = { etag, lastModified: version.lastModified, body: Buffer.from(generated.text, 'utf8'), firstTitle: generated.firstTitle, encoded: {} };
      this.store(scope.key, feed);
      return feed;
    })().finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, promise);
    return promise;
  }

  private store(key: string, feed: Feed) {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    if (feed.body.length > this.maxBytes) return;
    this.entries.set(key, feed);
    this.bytes += feed.body.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.body.length;
    }
  }
}

/**
 * What a feed URL resolved to (its scope and content version), reused while the database has
 * not changed. A poll then costs one trivial query (the database snapshot, which changes when
 * any write transaction commits, in any process) instead of the scope lookups and the aggregate.
 * The scope also depends on the clock (the window of past events, the current edition): an
 * entry is reused for at most `maxAgeMs` of it.
 */
export class ResolvedFeeds<S extends FeedScope> {
  private readonly entries: BoundedMap<string, { snapshot: string; at: number; scope: S; version: FeedVersion }>;

  constructor(
    private readonly maxAgeMs = 60_000,
    maxEntries = 2_000,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  /** `build` returns the scope, or null (a 404); a thrown error is not remembered either. */
  async resolve(db: Database, requestKey: string, now: Date, build: () => Promise<S | null>): Promise<{ scope: S; version: FeedVersion } | null> {
    const snapshot = await databaseSnapshot(db);
    const known = this.entries.get(requestKey);
    if (known && known.snapshot === snapshot && now.getTime() - known.at >= 0 && now.getTime() - known.at < this.maxAgeMs) {
      return known;
    }
    // The snapshot is read first: a change committed from here on shows in the next snapshot.
    const scope = await build();
    if (!scope) return null;
    const entry = { snapshot, at: now.getTime(), scope, version: await feedVersion(db, scope) };
    this.entries.set(requestKey, entry);
    return entry;
  }
}
