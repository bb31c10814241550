/** Shared pieces for the runner tests: inputs, a scripted engine whose reply depends on the item, a fake clock. */
import { ScriptedLlm, type ScriptedTurn } from '../../../src/adapters/scripted-llm.ts';
import { newRun, type Run } from '../../../src/core/records.ts';
import { augmentStage } from '../../../src/core/stages/augment.ts';
import { curateStage } from '../../../src/core/stages/curate.ts';
import { DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import type { Clock } from '../../../src/core/stages/runner.ts';
import { AUGMENT_SAMPLING, CURATE_SAMPLING, type AugmentConfig, type AugmentInput, type CurateConfig, type CurateInput } from '../../../src/core/stages/stage.ts';
import type { LlmRequest } from '../../../src/ports/llm.ts';
import { seededRandom } from '../../../src/core/random.ts';

export const model = { engine: 'scripted' as const, model: 'scripted-1' };
export const augment = augmentStage(DEFAULT_TEMPLATES['augment-finetuned']);
export const curate = curateStage(DEFAULT_TEMPLATES['curate-reasoned']);
export const augmentConfig: AugmentConfig = { model, sampling: AUGMENT_SAMPLING, examples: [], maxInstructionChars: 200, maxExampleChars: 500 };
export const curateConfig: CurateConfig = { model, sampling: CURATE_SAMPLING, round: 0, constrained: true, topLogprobs: 5 };

export const segments = (n: number): AugmentInput[] => Array.from({ length: n }, (_, seq) => ({ seq, segmentId: `s${seq}`, text: `Passage number ${seq}.` }));
export const pairs = (n: number): CurateInput[] =>
  Array.from({ length: n }, (_, seq) => ({ seq, segmentId: `s${seq}`, instruction: `Question ${seq}?`, response: `Passage number ${seq}.` }));

/** The item a request is about, read back from the prompt. */
export function seqOf(req: LlmRequest): number {
  const m = /(?:Passage number|Question) (\d+)/.exec(req.messages.at(-1)?.content ?? '');
  if (!m) throw new Error('request without an item');
  return Number(m[1]);
}

/** What the model "writes" for an item: fixed per seq, some replies bad on purpose. */
export function augmentReply(seq: number): string {
  return seq % 7 === 3 ? '' : `Instruction: Explain passage ${seq}.`;
}
export function curateReply(seq: number): string {
  return seq % 5 === 4 ? `Hmm.\nScore: ${10 + seq}` : `Reasoning about ${seq}.\nScore: ${(seq % 5) + 1}`;
}

export type Behaviour = (seq: number, call: number) => ScriptedTurn | string;

export function engine(behaviour: Behaviour): { llm: ScriptedLlm; calls: number[] } {
  const calls: number[] = [];
  const llm = new ScriptedLlm(async (req, call) => {
    const seq = seqOf(req);
    calls.push(seq);
    await Promise.resolve();
    return behaviour(seq, call);
  });
  return { llm, calls };
}

/** A clock that never waits: sleeps are recorded and resolve at once; time moves 10 ms per reading. */
export function fakeClock(): Clock & { sleeps: number[] } {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => (t += 10),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

export const augmentRun = (): Run => newRun('augment', 1, { template: 'augment-finetuned' }, 1000);
export const curateRun = (): Run => ({ ...newRun('curate', curate.version, { template: 'curate-reasoned' }, 1000), round: 0 });

/** A small seeded PRNG so a failing random test can be replayed. */
export const prng = seededRandom;
