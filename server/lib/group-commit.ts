// Group commit: callers that arrive while a statement is running share the next statement.

/**
 * One statement for many callers: `flush` gets every item added while the previous flush was
 * running, so sixteen mails in flight cost one round trip instead of sixteen, and a caller alone
 * waits no longer than it would have (its flush starts at the end of the current tick). `flush`
 * returns one result per item, in order; if it throws, every caller of that group gets the error.
 */
export function groupCommit<T, R>(flush: (items: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  let queue: Array<{ item: T; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  let running = false;
  const drain = async () => {
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      try {
        const results = await flush(group.map((entry) => entry.item));
        group.forEach((entry, i) => entry.resolve(results[i] as R));
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    running = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!running) {
        running = true;
        queueMicrotask(() => void drain());
      }
    });
}
