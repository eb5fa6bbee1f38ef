// @databases: none
import t from 'tap';
import { PublicCache } from '../../server/programme/cache.ts';

/** A cache over a database state the test controls: its snapshot and its public data. */
function cacheWith(maxEntries = 400) {
  const state = { snapshot: 's1', data: 'd1', builds: 0, fingerprints: 0 };
  const cache = new PublicCache(
    {
      snapshot: async () => state.snapshot,
      fingerprint: async () => {
        state.fingerprints++;
        return { snapshot: state.snapshot, fingerprint: state.data };
      },
    },
    maxEntries,
  );
  const build = (value: string, extra: { validUntil?: number; validFrom?: number } = {}) => async () => {
    state.builds++;
    return { value, ...extra };
  };
  return { state, cache, build };
}

t.test('a value is built once until the public data changes', async (t) => {
  const { state, cache, build } = cacheWith();
  await cache.sync();
  t.equal(await cache.get('k', 0, build('a')), 'a');
  t.equal(await cache.get('k', 0, build('b')), 'a');
  t.equal(state.builds, 1);
  await cache.sync();
  t.equal(await cache.get('k', 0, build('c')), 'a', 'same snapshot: kept');
  t.equal(state.fingerprints, 1, 'same snapshot: no fingerprint read');

  state.snapshot = 's2'; // a commit that does not touch public data (a session, a mail)
  await cache.sync();
  t.equal(await cache.get('k', 0, build('d')), 'a', 'same fingerprint: kept');
  t.equal(state.fingerprints, 2);

  state.snapshot = 's3';
  state.data = 'd2'; // another process registered someone
  await cache.sync();
  t.equal(await cache.get('k', 0, build('e')), 'e', 'public data changed: rebuilt');
});

t.test('a burst of commits costs a couple of fingerprint reads, and none is missed', async (t) => {
  const { state, cache } = cacheWith();
  await cache.sync();
  let release!: () => void;
  let slowOnce = true;
  const source = cache as unknown as { source: { fingerprint: () => Promise<{ snapshot: string; fingerprint: string }> } };
  const original = source.source.fingerprint;
  source.source.fingerprint = async () => {
    if (slowOnce) {
      slowOnce = false;
      const seen = { snapshot: state.snapshot, fingerprint: state.data };
      state.fingerprints++;
      await new Promise<void>((resolve) => (release = resolve));
      return seen; // read before the commit below
    }
    return original();
  };
  state.snapshot = 's2';
  const early = cache.sync(); // starts a verification
  await new Promise((resolve) => setImmediate(resolve));
  state.snapshot = 's3';
  state.data = 'd2'; // committed while that verification runs
  const late = [cache.sync(), cache.sync(), cache.sync()];
  await cache.get('k', 0, async () => ({ value: 'before' }));
  release();
  await Promise.all([early, ...late]);
  t.equal(state.fingerprints, 3, 'one verification then one more for all the late requests');
  t.equal(await cache.get('k', 0, async () => ({ value: 'after' })), 'after', 'the late requests saw the commit');
});

t.test('a failed verification does not wedge the cache', async (t) => {
  const { state, cache, build } = cacheWith();
  const source = cache as unknown as { source: { fingerprint: () => Promise<{ snapshot: string; fingerprint: string }> } };
  const original = source.source.fingerprint;
  source.source.fingerprint = async () => Promise.reject(new Error('base indisponible'));
  await t.rejects(cache.sync());
  source.source.fingerprint = original;
  state.snapshot = 's2';
  await cache.sync();
  t.equal(await cache.get('k', 0, build('a')), 'a');
});

t.test('concurrent misses share one build; a build overtaken by a change is not kept', async (t) => {
  const { state, cache } = cacheWith();
  await cache.sync();
  let release!: (v: { value: string }) => void;
  const slow = () => {
    state.builds++;
    return new Promise<{ value: string }>((resolve) => (release = resolve));
  };
  const first = cache.get('k', 0, slow);
  const second = cache.get('k', 0, slow);
  state.snapshot = 's2';
  state.data = 'd2';
  await cache.sync(); // a write happened while the value was being built
  release({ value: 'old' });
  t.same(await Promise.all([first, second]), ['old', 'old']);
  t.equal(state.builds, 1);
  t.equal(await cache.get('k', 0, async () => ({ value: 'new' })), 'new', 'the overtaken value was not kept');
});

t.test('time-bounded values, and values not to keep', async (t) => {
  const { cache, build } = cacheWith();
  await cache.sync();
  t.equal(await cache.get('k', 100, build('a', { validFrom: 50, validUntil: 200 })), 'a');
  t.equal(await cache.get('k', 199, build('b')), 'a');
  t.equal(await cache.get('k', 200, build('c')), 'c', 'expired at validUntil');
  t.equal(await cache.get('j', 100, build('x', { validFrom: 50, validUntil: 200 })), 'x');
  t.equal(await cache.get('j', 10, build('y')), 'y', 'a clock set back before validFrom rebuilds');
  t.equal(await cache.get('n', 100, build('null', { validUntil: 0 })), 'null');
  t.equal(cache.size, 2, 'not kept');
});

t.test('least recently used entries go first', async (t) => {
  const { cache, build } = cacheWith(2);
  await cache.sync();
  await cache.get('a', 0, build('a'));
  await cache.get('b', 0, build('b'));
  await cache.get('a', 0, build('a2')); // a is used again
  await cache.get('c', 0, build('c'));
  t.equal(cache.size, 2);
  t.equal(await cache.get('a', 0, build('a3')), 'a', 'kept');
  t.equal(await cache.get('b', 0, build('b2')), 'b2', 'evicted');
});

t.test('a failed build is not kept', async (t) => {
  const { cache, build } = cacheWith();
  await cache.sync();
  await t.rejects(cache.get('k', 0, async () => Promise.reject(new Error('boom'))));
  t.equal(await cache.get('k', 0, build('ok')), 'ok');
});
