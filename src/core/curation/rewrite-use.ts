/**
 * Which response a kept pair trains with once its response was rewritten (issue 19): the choice
 * of the curated set — original responses, rewritten, or both (two examples, the rewrite tagged) —
 * and the rule, stated here once, for whether a pair's rewrite may be used at all:
 * 1. no rewrite (the run has not reached the pair, or none ran): the original;
 * 2. the instruction was edited after the rewrite was written: the rewrite answers other words
 *    ('stale'), the original;
 * 3. a person chose keep-original: the original; a person chose accept-rewrite: the rewrite (also
 *    a flagged one — that is a decision, not a silent use), as long as it has text;
 * 4. a refused, empty or flagged rewrite (status or a failed check): the original;
 * 5. else the rewrite.
 */
import type { HumanDecision, Rewrite } from '../records.ts';

export const RESPONSE_CHOICES = ['original', 'rewritten', 'both'] as const;
export type ResponseChoice = (typeof RESPONSE_CHOICES)[number];

export const RESPONSE_CHOICE_WORDS: Readonly<Record<ResponseChoice, string>> = {
  original: 'the responses as the corpus wrote them (the default)',
  rewritten: 'rewritten responses (the original where a rewrite is flagged, refused or set aside)',
  both: 'original and rewritten responses as two examples (the rewrite tagged)',
};

export type RewriteVerdict = 'none' | 'stale' | 'kept-original' | 'accepted' | 'refused' | 'flagged' | 'used';

export function rewriteVerdict(rewrite: Rewrite | undefined, decision: HumanDecision | undefined, instruction: string): RewriteVerdict {
  if (!rewrite) return 'none';
  if (rewrite.instruction !== instruction) return 'stale';
  if (decision?.rewrite === 'keep-original') return 'kept-original';
  if (rewrite.text === '') return 'refused';
  if (decision?.rewrite === 'accept') return 'accepted';
  return rewrite.flagged ? 'flagged' : 'used';
}

/** True when the verdict lets the rewrite stand in for (or beside) the original. */
export const usesRewrite = (v: RewriteVerdict): boolean => v === 'used' || v === 'accepted';

/** The responses a kept pair is written with under `choice`: `rewritten` marks the rewrite. */
export function responsesFor(choice: ResponseChoice, verdict: RewriteVerdict): { rewritten: boolean }[] {
  if (choice === 'original' || !usesRewrite(verdict)) return [{ rewritten: false }];
  return choice === 'rewritten' ? [{ rewritten: true }] : [{ rewritten: false }, { rewritten: true }];
}

export const readResponseChoice = (v: unknown): ResponseChoice | undefined =>
  typeof v === 'string' && (RESPONSE_CHOICES as readonly string[]).includes(v) ? (v as ResponseChoice) : undefined;

/** The kept pairs by what became of their rewrite, for the dataset card and the Review filter. */
export type RewriteCounts = Record<RewriteVerdict, number>;

export const emptyRewriteCounts = (): RewriteCounts => ({ none: 0, stale: 0, 'kept-original': 0, accepted: 0, refused: 0, flagged: 0, used: 0 });

export const REWRITE_VERDICT_WORDS: Readonly<Record<RewriteVerdict, string>> = {
  used: 'rewrite used (passed every check)',
  accepted: 'rewrite accepted by you (flagged or not)',
  flagged: 'rewrite flagged by a check: original kept',
  refused: 'model refused or wrote nothing: original kept',
  'kept-original': 'original kept by you',
  stale: 'instruction edited after the rewrite: original kept',
  none: 'not rewritten',
};
