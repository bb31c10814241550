/**
 * Bounded concurrency: at most `limit` tasks run at once, the rest wait in arrival order.
 * An endpoint engine wraps every request in one, so a stage that fires a thousand requests
 * still keeps only the configured number in flight (a server's queue, not ours, is where
 * requests would otherwise time out). A waiting task whose signal aborts leaves the queue
 * without ever starting.
 */
import { AbortedError } from './errors.ts';

export interface Limiter {
  <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly limit: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
}

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  let active = 0;
  const queue: { start: () => void }[] = [];

  const release = (): void => {
    active--;
    const next = queue.shift();
    if (next) next.start();
  };

  const run = <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(new AbortedError());
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          active++;
          let p: Promise<T>;
          try {
            p = task();
          } catch (err) {
            p = Promise.reject(err);
          }
          p.then(resolve, reject).finally(release);
        },
      };
      const onAbort = (): void => {
        const i = queue.indexOf(entry);
        if (i !== -1) queue.splice(i, 1);
        reject(new AbortedError());
      };
      if (active < limit) entry.start();
      else {
        queue.push(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
      }
    });

  return Object.defineProperties(run, {
    limit: { get: () => limit },
    active: { get: () => active },
    waiting: { get: () => queue.length },
  }) as Limiter;
}
