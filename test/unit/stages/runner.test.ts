import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import type { Candidate, ItemFailure, Rating } from '../../../src/core/records.ts';
import { PAUSE, runStage, type StageProgress } from '../../../src/core/stages/runner.ts';
import { augmentStage } from '../../../src/core/stages/augment.ts';
import { DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import { ScriptedLlm } from '../../../src/adapters/scripted-llm.ts';
import {
  augment, augmentConfig, augmentReply, augmentRun, curate, curateConfig, curateReply, curateRun, engine, fakeClock, pairs, segments, seqOf,
} from './runner-helpers.ts';

const all = async <T,>(store: MemoryProjectStore, c: `candidates:${string}` | `ratings:${string}` | `failures:${string}`) => store.page<T & { seq: number }>(c, 0, 1e6);

describe('runStage', () => {
  it('runs every item, writes each with the run record as soon as no write is going, and reports progress', async () => {
    const store = new MemoryProjectStore();
    const { llm, calls } = engine((seq) => augmentReply(seq));
    const run = augmentRun();
    const seen: StageProgress[] = [];
    const clock = fakeClock();
    const out = await runStage(augment, segments(20), { llm, store, run, config: augmentConfig, concurrency: 3, batchSize: 8, clock, onProgress: (p) => seen.push(p) });
    expect(out.status).toBe('done');
    expect(calls.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const stored = await all<Candidate>(store, `candidates:${run.id}`);
    expect(stored.map((c) => c.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(stored.filter((c) => c.status === 'empty').map((c) => c.seq)).toEqual([3, 10, 17]);
    expect(stored[0]?.instruction).toBe('Explain passage 0.');
    // 1 status write + one write per item (this store finishes a write before the next reply) + 1 final status write
    expect(store.writes).toBe(22);
    const saved = await store.getRun(run.id);
    expect(saved?.status).toBe('done');
    const tokens = stored.reduce((n, c) => n + (c.usage?.promptTokens ?? 0) + (c.usage?.completionTokens ?? 0), 0);
    expect(saved?.progress).toMatchObject({ done: 20, total: 20, failed: 0, outcomes: { ok: 17, empty: 3 }, tokens });
    const last = seen.at(-1);
    expect(last).toMatchObject({ status: 'done', done: 20, total: 20, skipped: 0, inFlight: 0, etaSec: 0, outcomes: { ok: 17, empty: 3 } });
    expect(last?.itemsPerSec).toBeGreaterThan(0);
    expect(last?.tokensPerSec).toBeGreaterThan(0);
  });

  it('skips what is stored: a rerun of a finished run calls the engine zero times', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    await runStage(augment, segments(10), { llm: engine(augmentReply).llm, store, run, config: augmentConfig, clock: fakeClock() });
    const again = engine(augmentReply);
    const seen: StageProgress[] = [];
    const out = await runStage(augment, segments(10), { llm: again.llm, store, run: (await store.getRun(run.id))!, config: augmentConfig, clock: fakeClock(), onProgress: (p) => seen.push(p) });
    expect(again.calls).toEqual([]);
    expect(out).toEqual({ status: 'done', progress: expect.objectContaining({ done: 10, failed: 0, outcomes: { ok: 9, empty: 1 } }) });
    expect(seen.at(-1)?.skipped).toBe(10);
  });

  it('retries transient errors with growing backoff, then succeeds', async () => {
    const store = new MemoryProjectStore();
    let failuresLeft = 2;
    const { llm, calls } = engine((seq) => (seq === 1 && failuresLeft-- > 0 ? { error: { name: 'EndpointUnreachableError', message: 'down' } } : augmentReply(seq)));
    const clock = fakeClock();
    const out = await runStage(augment, segments(3), { llm, store, run: augmentRun(), config: augmentConfig, concurrency: 1, clock, random: () => 0.5 });
    expect(out.status).toBe('done');
    expect(calls).toEqual([0, 1, 1, 1, 2]);
    expect(clock.sleeps).toEqual([750, 1500]); // equal jitter at 0.5: half of 1000 + a quarter, then of 2000
    expect(out.progress.failed).toBe(0);
  });

  it('honours a Retry-After longer than the backoff', async () => {
    let once = true;
    const { llm } = engine((seq) => (once && !(once = false) ? { error: { name: 'EndpointStatusError', message: 'answered HTTP 429', retryAfterMs: 9000 } } : augmentReply(seq)));
    const clock = fakeClock();
    await runStage(augment, segments(1), { llm, store: new MemoryProjectStore(), run: augmentRun(), config: augmentConfig, clock, random: () => 0 });
    expect(clock.sleeps).toEqual([9000]);
  });

  it('stores a failure with a code after the retries, and a later start retries exactly those', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    const broken = engine((seq) => (seq === 2 ? { error: { name: 'EndpointTimeoutError', message: 'slow' } } : seq === 4 ? { error: { name: 'EndpointStatusError', message: 'answered HTTP 400: context too long' } } : augmentReply(seq)));
    const first = await runStage(augment, segments(6), { llm: broken.llm, store, run, config: augmentConfig, concurrency: 1, clock: fakeClock() });
    expect(first.status).toBe('done');
    expect(broken.calls).toEqual([0, 1, 2, 2, 2, 2, 3, 4, 5]); // 4 attempts for the timeout, 1 for the rejected request
    expect(first.progress).toMatchObject({ done: 4, failed: 2, outcomes: { ok: 3, empty: 1, EndpointTimeoutError: 1, EndpointStatusError: 1 } });
    const fails = await all<ItemFailure>(store, `failures:${run.id}`);
    expect(fails.map((f) => [f.seq, f.code, f.attempts, f.message])).toEqual([
      [2, 'EndpointTimeoutError', 4, 'slow'],
      [4, 'EndpointStatusError', 1, 'answered HTTP 400: context too long'],
    ]);
    const healed = engine(augmentReply);
    const second = await runStage(augment, segments(6), { llm: healed.llm, store, run: (await store.getRun(run.id))!, config: augmentConfig, clock: fakeClock() });
    expect(healed.calls.sort()).toEqual([2, 4]);
    expect(second.progress).toMatchObject({ done: 6, failed: 0, outcomes: { ok: 5, empty: 1 } });
    expect((await all<Candidate>(store, `candidates:${run.id}`)).length).toBe(6);
  });

  it('skips earlier failures when asked not to retry them', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    await runStage(augment, segments(3), { llm: engine((s) => (s === 1 ? { error: { name: 'X', message: 'bad' } } : augmentReply(s))).llm, store, run, config: augmentConfig, clock: fakeClock() });
    const again = engine(augmentReply);
    const out = await runStage(augment, segments(3), { llm: again.llm, store, run: (await store.getRun(run.id))!, config: augmentConfig, clock: fakeClock(), retryFailed: false });
    expect(again.calls).toEqual([]);
    expect(out.progress).toMatchObject({ done: 2, failed: 1, outcomes: { ok: 2, X: 1 } });
  });

  it('stops on a fatal error, keeps what was done, and says why', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    const { llm } = engine((seq) => (seq === 3 ? { error: { name: 'EndpointAuthError', message: 'Check the API key.' } } : augmentReply(seq)));
    const out = await runStage(augment, segments(10), { llm, store, run, config: augmentConfig, concurrency: 1, clock: fakeClock() });
    expect(out).toEqual({ status: 'failed', progress: expect.objectContaining({ done: 3, failed: 0 }), error: { name: 'EndpointAuthError', message: 'Check the API key.' } });
    expect((await store.getRun(run.id))?.error).toEqual({ name: 'EndpointAuthError', message: 'Check the API key.' });
    expect((await all<Candidate>(store, `candidates:${run.id}`)).map((c) => c.seq)).toEqual([0, 1, 2]);
  });

  it('stops after too many engine failures in a row', async () => {
    const { llm, calls } = engine(() => ({ error: { name: 'WeirdEngineError', message: 'broken' } }));
    const out = await runStage(augment, segments(50), { llm, store: new MemoryProjectStore(), run: augmentRun(), config: augmentConfig, concurrency: 1, clock: fakeClock(), retry: { maxConsecutiveFailures: 5 } });
    expect(out.status).toBe('failed');
    expect(calls.length).toBe(5);
    expect(out.progress).toMatchObject({ done: 0, failed: 5, outcomes: { WeirdEngineError: 5 } });
  });

  it('pauses and cancels on the signal, writes what finished, and resumes', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    const ctrl = new AbortController();
    const { llm } = engine((seq, call) => {
      if (call === 5) ctrl.abort(PAUSE);
      return augmentReply(seq);
    });
    const paused = await runStage(augment, segments(12), { llm, store, run, config: augmentConfig, concurrency: 1, batchSize: 100, clock: fakeClock(), signal: ctrl.signal });
    expect(paused.status).toBe('paused');
    expect(paused.progress.done).toBe(5); // the sixth call was abandoned in flight
    expect((await store.getRun(run.id))?.status).toBe('paused');
    const cancel = new AbortController();
    cancel.abort('user');
    const cancelled = await runStage(augment, segments(12), { llm, store, run: (await store.getRun(run.id))!, config: augmentConfig, clock: fakeClock(), signal: cancel.signal });
    expect(cancelled).toMatchObject({ status: 'cancelled', progress: { done: 5 } });
    const done = await runStage(augment, segments(12), { llm: engine(augmentReply).llm, store, run: (await store.getRun(run.id))!, config: augmentConfig, clock: fakeClock() });
    expect(done).toMatchObject({ status: 'done', progress: { done: 12 } });
  });

  it('a crashed write loses nothing that was stored and leaves counts equal to the store', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    let writes = 0;
    store.beforeWrite = () => {
      if (++writes === 3) throw new Error('tab closed');
    };
    await expect(runStage(augment, segments(10), { llm: engine(augmentReply).llm, store, run, config: augmentConfig, concurrency: 1, batchSize: 3, clock: fakeClock() })).rejects.toThrow('tab closed');
    const after = await store.getRun(run.id);
    // Writes: the status, item 0, then item 1's write fails.
    expect([after?.status, after?.progress.done]).toEqual(['running', 1]);
    expect((await all<Candidate>(store, `candidates:${run.id}`)).map((c) => c.seq)).toEqual([0]);
    store.beforeWrite = undefined;
    const again = engine(augmentReply);
    const out = await runStage(augment, segments(10), { llm: again.llm, store, run: after!, config: augmentConfig, concurrency: 1, clock: fakeClock() });
    expect(again.calls).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(out.progress).toMatchObject({ done: 10, failed: 0, outcomes: { ok: 9, empty: 1 } });
  });

  it('stores a finished item while a slower request is still in flight (a reload re-asks only what was in flight)', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    let release = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    const storedWhileWaiting: number[][] = [];
    const llm = new ScriptedLlm(async (req) => {
      const seq = seqOf(req);
      if (seq === 1) {
        // Item 0 finished at once; wait (a few turns of the event loop) for it to be written.
        for (let i = 0; i < 20; i++) {
          const seqs = (await all<Candidate>(store, `candidates:${run.id}`)).map((c) => c.seq);
          if (seqs.length > 0 || i === 19) {
            storedWhileWaiting.push(seqs);
            break;
          }
          await new Promise((r) => setTimeout(r, 0));
        }
        release();
      }
      if (seq === 2) await slow;
      return augmentReply(seq);
    });
    const out = await runStage(augment, segments(3), { llm, store, run, config: augmentConfig, concurrency: 2, batchSize: 64, clock: fakeClock() });
    expect(out.progress.done).toBe(3);
    expect(storedWhileWaiting).toEqual([[0]]);
  });

  it('refuses to continue a run with a changed prompt version', async () => {
    const run = augmentRun();
    const v2 = augmentStage({ ...DEFAULT_TEMPLATES['augment-finetuned'], version: 2 });
    await expect(runStage(v2, segments(1), { llm: engine(augmentReply).llm, store: new MemoryProjectStore(), run, config: augmentConfig })).rejects.toMatchObject({ name: 'StageVersionMismatchError' });
  });

  it('rates pairs, counting parsed and unparsed outcomes', async () => {
    const store = new MemoryProjectStore();
    const run = curateRun();
    const out = await runStage(curate, pairs(10), { llm: engine(curateReply).llm, store, run, config: curateConfig, clock: fakeClock() });
    expect(out.progress.outcomes).toEqual({ parsed: 8, 'unparsed:out-of-range': 2 });
    const ratings = await all<Rating>(store, `ratings:${run.id}`);
    expect(ratings.map((r) => r.score)).toEqual([1, 2, 3, 4, null, 1, 2, 3, 4, null]);
    expect(ratings[4]?.raw).toBe('Hmm.\nScore: 14');
  });

  it('reads inputs from an async iterable and stops reading when stopped', async () => {
    let pulled = 0;
    async function* gen() {
      for (const s of segments(100)) {
        pulled++;
        yield s;
      }
    }
    const ctrl = new AbortController();
    const { llm } = engine((seq, call) => {
      if (call === 2) ctrl.abort(PAUSE);
      return augmentReply(seq);
    });
    const out = await runStage(augment, gen(), { llm, store: new MemoryProjectStore(), run: augmentRun(), config: augmentConfig, concurrency: 1, clock: fakeClock(), signal: ctrl.signal, total: 100 });
    expect(out.status).toBe('paused');
    expect(pulled).toBe(3);
    expect(out.progress.total).toBe(100);
  });
});

describe('runStage failure records', () => {
  it('keep the reply text of an engine error reply, and a run of another stage is refused', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    const { llm } = engine(() => ({ text: 'half a sent', finishReason: 'error' }));
    const out = await runStage(augment, segments(1), { llm, store, run, config: augmentConfig, clock: fakeClock() });
    expect(out.progress.outcomes).toEqual({ 'engine-error': 1 });
    const [f] = await store.page<ItemFailure & { raw?: string }>(`failures:${run.id}`, 0, 10);
    expect([f?.code, f?.raw, f?.attempts]).toEqual(['engine-error', 'half a sent', 1]);
    await expect(runStage(augment, segments(1), { llm, store, run: curateRun(), config: augmentConfig })).rejects.toThrow(RangeError);
  });
});
