/**
 * Token budgets: before a stage runs, every prompt is measured with the model's own tokenizer.
 * A request is the chat template + prompt template + few-shot examples + the segment, and the
 * reply needs room too; all of it must fit the context window. Segments that would overflow are
 * cut at a sentence end or skipped, as the user chose, and the counts are shown (never silent).
 * Pure: the tokenizer comes in as a counting function (in the worker) or as counts (here).
 */
import { fail, ok, type Result } from '../result.ts';
import type { Truncated } from '../../ports/tokenizer.ts';
import { sentenceEnds } from './sentences.ts';

export type OverflowChoice = 'truncate' | 'skip';

export interface BudgetParts {
  contextWindow: number;
  /** Tokens kept for the reply (the request's max tokens). */
  replyTokens: number;
  /** The whole prompt with an empty segment and no examples: chat template, system and user text. */
  templateTokens: number;
  /** What the few-shot examples add (0 without examples). */
  fewShotTokens: number;
  /** Tokens held back for merges across the segment's edges; 0 when the tokenizer was measured to join cleanly. */
  marginTokens?: number;
}

export interface PromptBudget extends Required<BudgetParts> {
  /** Most tokens a segment may have. */
  segmentTokens: number;
}

/** The room left for a segment, or an issue when the template, examples and reply fill the window. */
export function promptBudget(parts: BudgetParts): Result<PromptBudget> {
  const full = { marginTokens: 0, ...parts };
  const segmentTokens = full.contextWindow - full.replyTokens - full.templateTokens - full.fewShotTokens - full.marginTokens;
  if (segmentTokens <= 0) {
    return fail({
      code: 'no-room-for-segment',
      message:
        `The prompt needs ${full.templateTokens} tokens, the examples ${full.fewShotTokens} and the reply ${full.replyTokens}, ` +
        `leaving no room for a segment in a ${full.contextWindow}-token context. Use fewer or shorter examples, a smaller reply limit, or a model with a longer context.`,
    });
  }
  return ok({ ...full, segmentTokens });
}

/** Cuts `text` at its last sentence end within `maxTokens`; `count` is the model's tokenizer. */
export function truncateAtSentence(text: string, maxTokens: number, count: (s: string) => number): Truncated {
  const originalTokens = count(text);
  if (originalTokens <= maxTokens) return { text, tokens: originalTokens, originalTokens, cut: 'fits' };
  const ends = sentenceEnds(text).filter((e) => e < text.length);
  // Binary search for the longest prefix that fits: a longer prefix never has fewer tokens.
  let lo = 0;
  let hi = ends.length - 1;
  let best: { end: number; tokens: number } | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const end = ends[mid] as number;
    const tokens = count(text.slice(0, end));
    if (tokens <= maxTokens) {
      best = { end, tokens };
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (!best) return { text: '', tokens: 0, originalTokens, cut: 'none-fits' };
  return { text: text.slice(0, best.end), tokens: best.tokens, originalTokens, cut: 'sentence' };
}

export interface Measured {
  seq: number;
  tokens: number;
}

export interface BudgetPlan {
  segmentTokens: number;
  choice: OverflowChoice;
  fits: number[];
  /** Seqs longer than the budget: to be cut (choice 'truncate') or skipped. */
  overflow: number[];
}

export function planBudget(items: Iterable<Measured>, segmentTokens: number, choice: OverflowChoice): BudgetPlan {
  const plan: BudgetPlan = { segmentTokens, choice, fits: [], overflow: [] };
  for (const m of items) (m.tokens <= segmentTokens ? plan.fits : plan.overflow).push(m.seq);
  return plan;
}

export interface BudgetCounts {
  measured: number;
  fits: number;
  truncated: number;
  /** Overflowing segments skipped by choice. */
  skipped: number;
  /** Overflowing segments whose first sentence alone is too long (skipped even when cutting). */
  tooLongToCut: number;
  /** Tokens removed by cutting. */
  tokensCut: number;
}

/** The "before → after" line: how many fit, were cut, were skipped. `cuts` holds the truncate results by seq. */
export function budgetCounts(plan: BudgetPlan, cuts: ReadonlyMap<number, Truncated> = new Map()): BudgetCounts {
  const counts: BudgetCounts = {
    measured: plan.fits.length + plan.overflow.length,
    fits: plan.fits.length,
    truncated: 0,
    skipped: 0,
    tooLongToCut: 0,
    tokensCut: 0,
  };
  for (const seq of plan.overflow) {
    if (plan.choice === 'skip') {
      counts.skipped++;
      continue;
    }
    const cut = cuts.get(seq);
    if (!cut) throw new RangeError(`segment ${seq} overflows but has no truncation result`);
    if (cut.cut === 'none-fits') counts.tooLongToCut++;
    else {
      counts.truncated++;
      counts.tokensCut += cut.originalTokens - cut.tokens;
    }
  }
  return counts;
}
