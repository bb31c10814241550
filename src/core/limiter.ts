/**
 * Bounded concurrency: at most `limit` tasks run at once, the rest wait in arrival order.
 * An endpoint engine wraps every request in one, so a stage that fires a thousand requests
 * still keeps only the configured number in flight (a server's queue, not ours, is where
 * requests would otherwise time out). A waiting task whose signal aborts leaves the queue
 * without ever starting.
 *
 * The limiter sits on every request's path, so it keeps to one promise per task and listens to
 * a signal only while the task waits.
 */
import { AbortedError } from './errors.ts';

/** What the limiter needs of a stop signal: an AbortSignal, or anything shaped like one. */
export interface StopSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface Limiter {
  <T>(task: () => Promise<T>, signal?: StopSignal): Promise<T>;
  readonly limit: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
}

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  let active = 0;
  const queue: (() => void)[] = [];

  const release = (): void => {
    active--;
    const next = queue.shift();
    if (next) next();
  };

  /** Runs `task` in a slot already counted in `active`; the slot frees when it settles. */
  const start = <T>(task: () => Promise<T>): Promise<T> => {
    let p: Promise<T>;
    try {
      p = task();
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.then(
      (value) => {
        release();
        return value;
      },
      (err: unknown) => {
        release();
        throw err;
      },
    );
  };

  const run = <T>(task: () => Promise<T>, signal?: StopSignal): Promise<T> => {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    if (active < limit) {
      active++;
      return start(task);
    }
    return new Promise<T>((resolve, reject) => {
      const entry = (): void => {
        signal?.removeEventListener('abort', onAbort);
        active++;
        start(task).then(resolve, reject);
      };
      const onAbort = (): void => {
        const i = queue.indexOf(entry);
        if (i !== -1) queue.splice(i, 1);
        reject(new AbortedError());
      };
      queue.push(entry);
      signal?.addEventListener('abort', onAbort);
    });
  };

  return Object.defineProperties(run, {
    limit: { get: () => limit },
    active: { get: () => active },
    waiting: { get: () => queue.length },
  }) as Limiter;
}
