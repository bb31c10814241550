import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../src/core/limiter.ts';

/** A task that finishes when the test says so. */
function gate<T>(value: T) {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, task: async () => (await opened, value) };
}

describe('createLimiter', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
    const limit = createLimiter(2);
    const started: number[] = [];
    const gates = [0, 1, 2, 3].map((i) => gate(i));
    const results = gates.map((g, i) => limit(() => (started.push(i), g.task())));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([limit.active, limit.waiting]).toEqual([2, 2]);
    gates[1]!.open();
    await results[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3]);
    expect([limit.active, limit.waiting]).toEqual([0, 0]);
  });

  it('frees the slot of a failing task and passes its error on', async () => {
    const limit = createLimiter(1);
    const failing = limit(() => Promise.reject(new Error('boom')));
    const throwing = limit(() => {
      throw new Error('sync boom');
    });
    const next = limit(async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(throwing).rejects.toThrow('sync boom');
    expect(await next).toBe('next');
  });

  it('drops a waiting task whose signal aborts, without starting it', async () => {
    const limit = createLimiter(1);
    const g = gate('first');
    const first = limit(g.task);
    const ctl = new AbortController();
    let started = false;
    const second = limit(async () => ((started = true), 'second'), ctl.signal);
    ctl.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    expect(limit.waiting).toBe(0);
    g.open();
    expect(await first).toBe('first');
    expect(started).toBe(false);
    await expect(limit(async () => 1, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
