/**
 * The rewrite stage's token budget (like tokens/stage-requests.ts for the other two): its prompt
 * around a response, built by the stage's own request code; the reply's room; the kept pairs of
 * the set as inputs; the response is the part that may be cut (the instruction shares the room).
 */
import type { ProjectStore } from '../../ports/store.ts';
import type { CuratedSet } from '../curation/curated-set.ts';
import type { BudgetRequest } from '../tokens/plan-budget.ts';
import { rewriteRequest, type RewriteInput } from '../stages/rewrite.ts';
import { rewriteInputs, type RewriteRunSettings } from './run.ts';

export function rewriteBudget({ template, config }: Pick<RewriteRunSettings, 'template' | 'config'>, store: ProjectStore, set: CuratedSet): BudgetRequest<RewriteInput> {
  return {
    messages: (text, extra) => rewriteRequest(template, { seq: 0, segmentId: '', instruction: extra, response: text }, config).messages,
    replyTokens: config.sampling.maxTokens,
    inputs: () => rewriteInputs(store, set),
    shape: { text: (i) => i.response, withText: (i, response) => ({ ...i, response }), extra: (i) => i.instruction },
  };
}
