/**
 * What each model stage gives the token budget: its prompt around a text (built by the stage's own
 * request code, so the count is of exactly what is sent), the reply's room, its inputs and which
 * part of an input may be cut — the segment when writing instructions, the response when rating
 * (the instruction beside it shares the room).
 */
import { augmentMessages } from '../stages/augment.ts';
import { curateRequest } from '../stages/curate.ts';
import { augmentInputs } from '../stages/inputs.ts';
import type { AugmentRunSettings, CurateRunSettings } from '../stages/run-settings.ts';
import type { AugmentInput, CurateInput } from '../stages/stage.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { BudgetRequest } from './plan-budget.ts';
import { curateInputsAsSent } from './stage-budget.ts';

/** The segments to write instructions for: all of them, or those a corpus filter keeps (token band, near-duplicates). */
export async function* keptSegments(store: ProjectStore, keep: ReadonlySet<number> | null): AsyncGenerator<AugmentInput> {
  for await (const input of augmentInputs(store)) if (!keep || keep.has(input.seq)) yield input;
}

export function augmentBudget({ template, config }: AugmentRunSettings, store: ProjectStore, keep: ReadonlySet<number> | null = null): BudgetRequest<AugmentInput> {
  return {
    messages: (text, _extra, examples) => augmentMessages(template, { seq: 0, segmentId: '', text }, examples ? config : { ...config, examples: [] }),
    replyTokens: config.sampling.maxTokens,
    inputs: () => keptSegments(store, keep),
    shape: { text: (i) => i.text, withText: (i, text) => ({ ...i, text }) },
  };
}

export function curateBudget({ template, config, augmentRunId, only }: CurateRunSettings, store: ProjectStore): BudgetRequest<CurateInput> {
  return {
    messages: (text, extra) => curateRequest(template, { seq: 0, segmentId: '', instruction: extra, response: text }, config).messages,
    replyTokens: config.sampling.maxTokens,
    inputs: () => curateInputsAsSent(store, augmentRunId, only),
    shape: { text: (i) => i.response, withText: (i, response) => ({ ...i, response }), extra: (i) => i.instruction },
  };
}
