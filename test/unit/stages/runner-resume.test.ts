/**
 * The promise of the runner: interrupted at any point — paused, cancelled, or the tab killed in
 * the middle of a write — and started again, it ends with every item's result stored exactly
 * once, counts equal to what is stored, and no stored item ever sent to the engine again.
 * 100 seeded scenarios, alternating the two stages, random concurrency, batch size, transient
 * engine errors and interruption points.
 */
import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import type { ItemFailure, SeqRecord } from '../../../src/core/records.ts';
import { PAUSE, runStage } from '../../../src/core/stages/runner.ts';
import type { Stage } from '../../../src/core/stages/stage.ts';
import {
  augment, augmentConfig, augmentReply, augmentRun, curate, curateConfig, curateReply, curateRun, engine, fakeClock, pairs, prng, segments,
} from './runner-helpers.ts';

/** Items that fail for good (a request the server always rejects). */
const brokenItem = (seq: number) => seq % 11 === 6;

async function scenario(seed: number) {
  const rnd = prng(seed);
  const isAugment = seed % 2 === 0;
  const n = 20 + Math.floor(rnd() * 60);
  const store = new MemoryProjectStore();
  let run = isAugment ? augmentRun() : curateRun();
  const collection = isAugment ? `candidates:${run.id}` : `ratings:${run.id}`;
  const inputs = isAugment ? segments(n) : pairs(n);
  const reply = isAugment ? augmentReply : curateReply;

  const violations: string[] = [];
  let stored = new Set<number>();
  let sessions = 0;
  for (; sessions < 200; sessions++) {
    const ctrl = new AbortController();
    const mode = sessions % 5 === 4 ? 'none' : (['pause', 'cancel', 'crash'] as const)[Math.floor(rnd() * 3)];
    const stopAtCall = 1 + Math.floor(rnd() * n);
    const crashAtWrite = Math.floor(rnd() * 8);
    let writes = 0;
    store.beforeWrite = mode === 'crash' ? () => {
      if (writes++ === crashAtWrite) throw new Error('tab closed mid-write');
    } : undefined;
    const { llm } = engine((seq, call) => {
      if (stored.has(seq)) violations.push(`session ${sessions}: stored seq ${seq} sent again`);
      if ((mode === 'pause' || mode === 'cancel') && call === stopAtCall) ctrl.abort(mode === 'pause' ? PAUSE : 'user');
      if (brokenItem(seq)) return { error: { name: 'EndpointStatusError', message: 'answered HTTP 400' } };
      if (rnd() < 0.1) return { error: { name: 'EndpointUnreachableError', message: 'blip' } };
      return reply(seq);
    });
    const options = {
      llm, store, run, signal: ctrl.signal, clock: fakeClock(), random: rnd,
      concurrency: 1 + Math.floor(rnd() * 8), batchSize: 1 + Math.floor(rnd() * 10),
    };
    let status: string;
    try {
      const out = isAugment
        ? await runStage(augment, inputs as ReturnType<typeof segments>, { ...options, config: augmentConfig })
        : await runStage(curate, inputs as ReturnType<typeof pairs>, { ...options, config: curateConfig });
      status = out.status;
    } catch (err) {
      expect((err as Error).message).toBe('tab closed mid-write');
      status = 'crashed';
    }
    store.beforeWrite = undefined;
    stored = new Set((await store.page<SeqRecord>(collection as `candidates:${string}`, 0, 1e6)).map((r) => r.seq));
    run = (await store.getRun(run.id)) ?? run;
    if (status === 'done') break;
  }
  return { store, run, n, collection, violations, sessions, stage: (isAugment ? augment : curate) as Stage<SeqRecord, SeqRecord, unknown> };
}

describe('runner: abort or crash at random points, then resume (100 scenarios)', () => {
  it('loses nothing, doubles nothing, and its counts equal the store', async () => {
    for (let seed = 1; seed <= 100; seed++) {
      const { store, run, n, collection, violations, sessions, stage } = await scenario(seed);
      const ctx = `seed ${seed}`;
      expect(violations, ctx).toEqual([]);
      expect(sessions, ctx).toBeLessThan(200);
      const results = await store.page<SeqRecord>(collection as `candidates:${string}`, 0, 1e6);
      const failures = await store.page<ItemFailure>(`failures:${run.id}`, 0, 1e6);
      const expectOk = Array.from({ length: n }, (_, s) => s).filter((s) => !brokenItem(s));
      const expectFailed = Array.from({ length: n }, (_, s) => s).filter(brokenItem);
      expect(results.map((r) => r.seq), ctx).toEqual(expectOk);
      expect(failures.map((f) => [f.seq, f.code]), ctx).toEqual(expectFailed.map((s) => [s, 'EndpointStatusError']));
      // Each result is exactly what one clean call produces.
      const reply = stage.id === 'augment' ? augmentReply : curateReply;
      for (const r of results) expect((r as unknown as { raw: string }).raw, ctx).toBe(reply(r.seq));
      const outcomes: Record<string, number> = {};
      for (const r of results) outcomes[stage.outcomeOf(r)] = (outcomes[stage.outcomeOf(r)] ?? 0) + 1;
      if (expectFailed.length > 0) outcomes.EndpointStatusError = expectFailed.length;
      expect(run.status, ctx).toBe('done');
      expect(run.progress, ctx).toMatchObject({ done: expectOk.length, failed: expectFailed.length, total: n, outcomes });
    }
  });
});
