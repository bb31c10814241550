/**
 * Measuring a stage's prompts before a run: the prompt around the text is counted once as the
 * engine will see it (chat template included), the examples' share apart, and a probe tells how
 * many tokens joining a text to the template adds (merges across its edges; 0 for most
 * tokenizers). Then every input is run through the budget once, so the user sees how many fit,
 * will be cut and will be skipped before a single request is made; the run records the same.
 */
import { HumpbackError } from '../errors.ts';
import type { ChatMessage } from '../../ports/llm.ts';
import type { Tokenizer, TokenizerInfo } from '../../ports/tokenizer.ts';
import type { SeqRecord } from '../records.ts';
import { promptBudget, type OverflowChoice, type PromptBudget } from './budget.ts';
import { budgetInputs, tallyBudget, type BudgetText, type RunBudget } from './stage-budget.ts';

/** What a stage gives the budget: its prompt around a text, the reply's room, and its inputs. */
export interface BudgetRequest<In extends SeqRecord> {
  /** The request's messages for a text (and the per-input extra, e.g. an instruction); without examples when `examples` is false. */
  messages(text: string, extra: string, examples: boolean): ChatMessage[];
  replyTokens: number;
  inputs(): AsyncIterable<In>;
  shape: BudgetText<In>;
}

export class NoRoomForSegmentError extends HumpbackError {
  constructor(message: string) {
    super('NoRoomForSegmentError', message);
  }
}

const PROBE = 'Probe text. It ends here.';

/** The fixed parts of every prompt of a run, counted with the model's tokenizer. */
export async function measurePromptParts<In extends SeqRecord>(
  req: BudgetRequest<In>,
  tokenizer: Pick<Tokenizer, 'count' | 'countChat'>,
  contextWindow: number,
): Promise<PromptBudget> {
  const templateTokens = await tokenizer.countChat(req.messages('', '', false));
  const fewShotTokens = (await tokenizer.countChat(req.messages('', '', true))) - templateTokens;
  const full = await tokenizer.countChat(req.messages(PROBE, req.shape.extra ? PROBE : '', true));
  const [probe = 0] = await tokenizer.count([PROBE]);
  const marginTokens = Math.max(0, full - templateTokens - fewShotTokens - probe * (req.shape.extra ? 2 : 1));
  const budget = promptBudget({ contextWindow, replyTokens: req.replyTokens, templateTokens, fewShotTokens, marginTokens });
  if (!budget.ok) throw new NoRoomForSegmentError(budget.issue.message);
  return budget.value;
}

/** Measures a run's prompts: the fixed parts, then every input (with progress and cancel). */
export async function planRunBudget<In extends SeqRecord>(
  req: BudgetRequest<In>,
  tokenizer: Pick<Tokenizer, 'count' | 'countChat' | 'truncate'>,
  info: Pick<TokenizerInfo, 'key' | 'name'>,
  contextWindow: number,
  choice: OverflowChoice,
  options: { signal?: AbortSignal; onProgress?: (measured: number) => void } = {},
): Promise<RunBudget> {
  const parts = await measurePromptParts(req, tokenizer, contextWindow);
  const items = budgetInputs(req.inputs(), req.shape, { ...parts, choice }, tokenizer, options.signal);
  const { counts, promptTokens } = await tallyBudget(items, options.onProgress);
  return { ...parts, choice, tokenizer: { key: info.key, name: info.name }, counts, promptTokens };
}
