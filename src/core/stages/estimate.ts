/**
 * What a run will cost, said before it starts: how many items, how many prompt tokens (measured
 * with the model's tokenizer when one measured them, else estimated from characters and labelled
 * so), how many reply tokens (what an earlier run of this stage saw per item, and the most the
 * sampling allows), and how long — from the engine's own measured speed on an earlier run, or
 * not at all (the live ETA takes over once the first items finish). No guessed speed.
 */

/** The usual ratio for English text with LLaMA-family tokenizers; only used when no tokenizer measured. */
export const CHARS_PER_TOKEN = 4;

export interface EstimateInput {
  items: number;
  /** Characters every prompt carries besides its item: the template, the few-shot examples. */
  fixedChars: number;
  /** Mean characters of one item's own text (a segment; an instruction plus its segment). */
  meanItemChars: number;
  /** Prompt tokens of all items measured with the model's tokenizer, when they were measured. */
  measuredPromptTokens: number | null;
  /** The most reply tokens one item may get (the sampling's limit). */
  maxReplyTokens: number;
  /** An earlier run of this stage with the same model: its reply tokens per item and its speed. */
  seen: SeenRun | null;
}

export interface SeenRun {
  model: string;
  /** Mean completion tokens per item in that run. */
  replyTokensPerItem: number;
  /** Prompt plus reply tokens per second over that run. */
  tokensPerSec: number;
}

export interface RunEstimate {
  items: number;
  promptTokens: number;
  promptMeasured: boolean;
  /** Reply tokens as an earlier run saw them (null without one), and the most the sampling allows. */
  replyTokens: { typical: number | null; max: number };
  /** Time range in seconds at the seen speed (typical replies … longest replies); null without a speed. */
  seconds: { low: number; high: number } | null;
  speed: { tokensPerSec: number; model: string } | null;
}

export function estimateRun(input: EstimateInput): RunEstimate {
  const items = Math.max(0, input.items);
  const promptMeasured = input.measuredPromptTokens !== null;
  const promptTokens = input.measuredPromptTokens ?? Math.round((items * (input.fixedChars + input.meanItemChars)) / CHARS_PER_TOKEN);
  const max = items * input.maxReplyTokens;
  const typical = input.seen ? Math.min(max, Math.round(items * input.seen.replyTokensPerItem)) : null;
  const rate = input.seen && input.seen.tokensPerSec > 0 ? input.seen.tokensPerSec : null;
  return {
    items,
    promptTokens,
    promptMeasured,
    replyTokens: { typical, max },
    seconds: rate ? { low: (promptTokens + (typical ?? 0)) / rate, high: (promptTokens + max) / rate } : null,
    speed: rate && input.seen ? { tokensPerSec: rate, model: input.seen.model } : null,
  };
}

/** Reply tokens per item and speed of a finished run, from its progress and a sample of its results' usage. */
export function seenRun(
  model: string,
  progress: { done: number; tokens: number; startedAt: number; updatedAt: number },
  usages: readonly { completionTokens: number }[],
): SeenRun | null {
  const seconds = (progress.updatedAt - progress.startedAt) / 1000;
  if (progress.done === 0 || progress.tokens === 0 || seconds <= 0 || usages.length === 0) return null;
  return {
    model,
    replyTokensPerItem: usages.reduce((n, u) => n + u.completionTokens, 0) / usages.length,
    tokensPerSec: progress.tokens / seconds,
  };
}
