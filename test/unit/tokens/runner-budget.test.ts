/** The runner's budget hooks: skipped inputs stored as outcomes without a request (and never a run-stopping streak), progress in prompt tokens including work done before a resume. */
import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import type { ItemFailure } from '../../../src/core/records.ts';
import { runStage, type StageProgress } from '../../../src/core/stages/runner.ts';
import type { AugmentInput } from '../../../src/core/stages/stage.ts';
import { budgetedStage, promptTokensOf, skipOverLong, TOO_LONG_FOR_CONTEXT, type Budgeted } from '../../../src/core/tokens/stage-budget.ts';
import { augment, augmentConfig, augmentReply, augmentRun, engine, fakeClock, segments } from '../stages/runner-helpers.ts';

const skip = { code: TOO_LONG_FOR_CONTEXT, message: 'too long' };
/** Seqs 2–7 are over-long (more than the runner's five-failure streak), the rest weigh 10 + seq tokens. */
const inputs = (): Budgeted<AugmentInput>[] =>
  segments(10).map((s) => ({ ...s, budget: s.seq >= 2 && s.seq <= 7 ? { promptTokens: 0, skip } : { promptTokens: 10 + s.seq } }));
const totalWeight = 10 + 11 + 18 + 19;

describe('runner with budgeted inputs', () => {
  it('stores skipped inputs with their code and no request, and reports progress in prompt tokens', async () => {
    const store = new MemoryProjectStore();
    const { llm, calls } = engine((seq) => augmentReply(seq));
    const seen: StageProgress[] = [];
    const outcome = await runStage(budgetedStage(augment), inputs(), {
      llm, store, run: augmentRun(), config: augmentConfig, clock: fakeClock(), concurrency: 1,
      skip: skipOverLong, weigh: promptTokensOf, totalWeight, onProgress: (p) => seen.push(p),
    });
    expect(outcome.status).toBe('done');
    expect(calls).toEqual([0, 1, 8, 9]);
    expect(outcome.progress).toMatchObject({ done: 4, failed: 6, total: 10 });
    expect(outcome.progress.outcomes[TOO_LONG_FOR_CONTEXT]).toBe(6);
    const failures: ItemFailure[] = [];
    await store.scan<ItemFailure>(`failures:${(await store.listRuns())[0]?.id}`, (c) => { failures.push(...c); });
    expect(failures.map((f) => [f.seq, f.code, f.attempts])).toEqual([2, 3, 4, 5, 6, 7].map((s) => [s, TOO_LONG_FOR_CONTEXT, 0]));
    const last = seen.at(-1);
    expect(last?.weight?.done).toBe(totalWeight);
    expect(last?.weight?.total).toBe(totalWeight);
    expect(last?.etaSec).toBe(0);
  });

  it('after a resume, the tokens of items done earlier count as done', async () => {
    const store = new MemoryProjectStore();
    const run = augmentRun();
    const first = engine((seq) => augmentReply(seq));
    await runStage(budgetedStage(augment), inputs().slice(0, 2), { llm: first.llm, store, run, config: augmentConfig, clock: fakeClock(), total: 10 });
    const second = engine((seq) => augmentReply(seq));
    const seen: StageProgress[] = [];
    await runStage(budgetedStage(augment), inputs(), {
      llm: second.llm, store, run: (await store.getRun(run.id)) ?? run, config: augmentConfig, clock: fakeClock(), concurrency: 1,
      skip: skipOverLong, weigh: promptTokensOf, totalWeight, onProgress: (p) => seen.push(p),
    });
    expect(second.calls).toEqual([8, 9]);
    expect(seen.at(-1)?.weight).toMatchObject({ done: totalWeight, total: totalWeight });
  });
});
