// In-memory cache of what the public pages compute (current edition, facets, rendered HTML),
// correct with several app processes on one database. See docs/decisions/0002-programme-caching.md.
//
// Every request first reads the database snapshot (one trivial prepared query). While it is the
// one last verified, nothing was committed anywhere: the cache is right. When it differs, some
// transaction committed — perhaps one that matters (an edited event, a registration in another
// process), perhaps not (a session, a mail, another database of the cluster). A fingerprint of
// the public data (row count and row versions of the public tables) then decides: changed, the
// cache is emptied; same, it is kept. The fingerprint is read in the same statement as its
// snapshot, one verification at a time, so a burst of commits costs a few queries, not one each.
// Snapshot reads are shared the same way by requests that arrive together.
// Entries may also carry their own validity in time, for what depends on the clock (a
// registration window that opens or closes).
import { isDatabaseUnavailable, type Database } from '../db/client.ts';
import { databaseSnapshot, publicDataFingerprint } from './data-version.ts';
import { currentLanguage } from '../i18n/index.ts';

type Slot = { value: unknown; validFrom: number; validUntil: number } | { pending: Promise<unknown> };

export interface Built<T> {
  value: T;
  /**
   * Epoch ms after which the value must be rebuilt even if the database did not change;
   * a time not after the request's `now` means "do not keep".
   */
  validUntil?: number;
  /** Epoch ms before which the value is not right either (a clock set back, in tests). */
  validFrom?: number;
}

export interface VersionSource {
  /** Cheap: changes whenever any write transaction commits (in any process). */
  snapshot(): Promise<string>;
  /** Costlier: the public data's fingerprint, with the snapshot it was read in. */
  fingerprint(): Promise<{ snapshot: string; fingerprint: string }>;
}

/**
 * A read for callers who need it to start after they ask (a read already under way may predate
 * a commit they must see): callers arriving while one runs share the next one. Under load this
 * makes one query per round trip instead of one per request.
 */
export class FreshReads<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly read: () => Promise<T>) {}

  next(): Promise<T> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const after = this.running.then(
      () => undefined,
      () => undefined,
    );
    this.queued = after.then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<T> {
    const running = this.read().finally(() => {
      if (this.running === running) this.running = null;
    });
    this.running = running;
    return running;
  }
}

export class PublicCache {
  private verifiedSnapshot: string | null = null;
  private fingerprint: string | null = null;
  private entries = new Map<string, Slot>();
  private readonly snapshots: FreshReads<string>;
  private readonly verifications: FreshReads<void>;

  constructor(
    private readonly source: VersionSource,
    private readonly maxEntries = 400,
  ) {
    this.snapshots = new FreshReads(() => this.source.snapshot());
    this.verifications = new FreshReads(() => this.verify());
  }

  /**
   * Once per request, before any `get`: makes sure no change committed before now is missed.
   * 'stale' when the database cannot be reached: what is cached is served as it was (the caller
   * says so with a short Cache-Control), and what is not fails with the database's error.
   */
  async sync(): Promise<'fresh' | 'stale'> {
    try {
      const snapshot = await this.snapshots.next();
      if (snapshot !== this.verifiedSnapshot) await this.verifications.next();
      return 'fresh';
    } catch (error) {
      if (isDatabaseUnavailable(error) && this.fingerprint !== null) return 'stale';
      throw error;
    }
  }

  private async verify(): Promise<void> {
    const { snapshot, fingerprint } = await this.source.fingerprint();
    if (fingerprint !== this.fingerprint) {
      this.fingerprint = fingerprint;
      this.entries = new Map();
    }
    this.verifiedSnapshot = snapshot;
  }

  /**
   * The value under `key`, built at most once at a time (concurrent requests for a missing key
   * share one build). A build overtaken by a change (the cache was emptied meanwhile) is returned
   * to its callers but not kept: it may predate the change. Entries are kept per language (the
   * one of the request): what holds words is written in it.
   */
  async get<T>(baseKey: string, now: number, build: () => Promise<Built<T>>): Promise<T> {
    const key = `${baseKey}|@${currentLanguage().code}`;
    const entries = this.entries;
    const slot = entries.get(key);
    if (slot) {
      if ('pending' in slot) return slot.pending as Promise<T>;
      if (slot.validFrom <= now && now < slot.validUntil) {
        // Least recently used goes first: move this one to the end.
        entries.delete(key);
        entries.set(key, slot);
        return slot.value as T;
      }
      entries.delete(key);
    }
    const pending = build().then(
      ({ value, validUntil, validFrom }) => {
        const until = validUntil ?? Number.POSITIVE_INFINITY;
        if (until <= now) {
          if (entries.get(key) === pendingSlot) entries.delete(key);
        } else if (this.entries === entries && entries.get(key) === pendingSlot) {
          entries.set(key, { value, validFrom: validFrom ?? Number.NEGATIVE_INFINITY, validUntil: until });
          for (const oldest of entries.keys()) {
            if (entries.size <= this.maxEntries) break;
            entries.delete(oldest);
          }
        }
        return value;
      },
      (error: unknown) => {
        if (entries.get(key) === pendingSlot) entries.delete(key);
        throw error;
      },
    );
    const pendingSlot: Slot = { pending };
    entries.set(key, pendingSlot);
    return pending;
  }

  /** Drops the entries whose key starts with `prefix` (benchmarks measure what a miss costs). */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

// One cache per database handle, shared by the public pages (home, programme, event pages).
const caches = new WeakMap<Database, PublicCache>();

const versionSource = (db: Database): VersionSource => ({ snapshot: () => databaseSnapshot(db), fingerprint: () => publicDataFingerprint(db) });

export function publicCacheFor(db: Database): PublicCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new PublicCache(versionSource(db));
    caches.set(db, cache);
  }
  return cache;
}

/**
 * A cache of its own, as fresh as the public pages', for big values of which only a few may be
 * kept (the printed programmes, up to a megabyte each): they must not fill the pages' cache.
 */
export function separatePublicCache(db: Database, maxEntries: number): PublicCache {
  return new PublicCache(versionSource(db), maxEntries);
}
