// What the mails of one worker batch share: a notice or a reminder goes to every registrant of an
// event, and each would read the same event again; the registrations of the batch are read
// together; the tokens of its mails, all rendered at once by the worker, are stored together. The
// kinds say what they share (BatchShare); a batch makes each share once. A batch lasts seconds; an
// edit committed meanwhile sends its own mail, rendered afterwards.
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';

export interface RenderBatch {
  /** What the kinds naming `share` have in common in this batch, made on first use. */
  shared<S>(share: BatchShare<S>): S;
}

/** `payloads`: those of the batch's rows, so that a share reads what they need in one statement. */
export function newRenderBatch(db: Database, config: Config, payloads: ReadonlyArray<Record<string, unknown>> = []): RenderBatch {
  const made = new Map<BatchShare<unknown>, unknown>();
  const batch: RenderBatch = {
    shared<S>(share: BatchShare<S>): S {
      if (!made.has(share)) made.set(share, share(db, config, payloads, batch));
      return made.get(share) as S;
    },
  };
  return batch;
}

/** Values by id, each read at most once, many in one statement. */
export function memoById<V>(load: (ids: number[]) => Promise<Map<number, V>>) {
  const memo = new Map<number, Promise<V | null>>();
  const preload = (ids: Iterable<number>) => {
    const missing = [...new Set(ids)].filter((id) => !memo.has(id));
    if (missing.length === 0) return;
    const found = load(missing);
    for (const id of missing) {
      const one = found.then((values) => values.get(id) ?? null);
      // Whoever asks for it sees the error; one read ahead and never asked for must not crash the process.
      one.catch(() => {});
      memo.set(id, one);
    }
  };
  return {
    preload,
    get(id: number): Promise<V | null> {
      preload([id]);
      return memo.get(id)!;
    },
  };
}

/**
 * What the mails of one worker batch share (reads, tokens), so that a batch costs a few statements
 * rather than a few per mail. Made at most once per batch, from every payload of the batch, and
 * given to each kind that names the same function; it may build on another share of the batch.
 */
export type BatchShare<S> = (db: Database, config: Config, payloads: ReadonlyArray<Record<string, unknown>>, batch: RenderBatch) => S;
