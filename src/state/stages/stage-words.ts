/**
 * The stages' codes in the user's words: what each outcome means and what to do about it, and
 * how each mode works. Outcomes are never dropped silently; this is how the UI explains them.
 */
import type { CleanupRule } from '../../core/stages/clean-instruction.ts';
import type { AugmentMode, CurateMode } from '../../core/stages/stage.ts';
import { builtInOf, type PromptTemplate } from '../../core/stages/prompts.ts';

const OUTCOMES: Record<string, string> = {
  ok: 'instruction written',
  empty: 'the model wrote nothing usable (kept, not rated)',
  'no-instruction': 'the reply holds no instruction, such as "Sure" or an empty code block (kept, not rated)',
  truncated: 'cut off at the token limit (kept, not rated): allow more tokens or use a model that stops',
  'too-long': 'longer than the instruction limit (kept, not rated)',
  parsed: 'score read',
  'unparsed:no-score': 'no "Score: N" line in the reply (kept with its text)',
  'unparsed:empty': 'empty reply (kept)',
  'unparsed:out-of-range': 'a score outside 1–5 (kept with its text)',
  'unparsed:not-integer': 'a score that is not a whole number (kept with its text)',
  'unparsed:wrong-scale': 'a score on another scale, such as 8/10 (kept with its text)',
  'unparsed:ambiguous': 'two scores, such as "3-4" (kept with its text)',
  'engine-error': 'the engine stopped with an error on this item (a resume retries it)',
  rewritten: 'rewritten, every check passed',
  flagged: 'rewritten, but a check failed (the original is kept unless you accept the rewrite in Review)',
  refused: 'the model said the text does not answer the instruction (the original is kept)',
  'rewrite-empty': 'the model wrote nothing (the original is kept)',
  'rewrite-truncated': 'cut off at the token limit (flagged; allow more tokens)',
};

/** What each instruction clean-up rule takes out of a model's reply. */
export const CLEANUP_RULE_WORDS: Record<CleanupRule, string> = {
  thinking: 'thinking block',
  preamble: 'a first line announcing the instruction',
  label: 'a label in front of the instruction',
  answer: 'an answer the model ran on into',
  commentary: 'a comment about the instruction',
  'template-token': 'a leaked chat-template token and what followed',
  fence: 'a code fence around the whole reply',
  quotes: 'quotes or bold around the whole reply',
};

/** Words for an outcome code; engine errors are counted under their error name. */
export function outcomeWords(code: string): string {
  return OUTCOMES[code] ?? `failed: ${code} (a resume retries it)`;
}

export const AUGMENT_MODE_WORDS: Record<AugmentMode, { title: string; detail: string }> = {
  finetuned: {
    title: 'Fine-tuned backward model',
    detail: 'A model trained on reversed seed pairs gets each passage on its own and writes the instruction it answers.',
  },
  prompted: {
    title: 'Prompted with reversed seed examples',
    detail: 'An instruct model sees the examples chosen in the Seed step (answer → instruction), then each passage.',
  },
};

export const CURATE_MODE_WORDS: Record<CurateMode, { title: string; detail: string }> = {
  reasoned: {
    title: 'Reasoned',
    detail: 'The model explains its judgement, then ends with "Score: N". Where the engine takes a grammar, the last line is forced into that form.',
  },
  fast: {
    title: 'Fast (score only)',
    detail: 'One constrained token, 1–5, with its probabilities: far fewer tokens per pair, for big corpora. Needs an engine with grammar support to be reliable.',
  },
};

/** The collapsed "Prompt template" section's hint: its version and which wording it is. */
export function templateHint(t: PromptTemplate): string {
  const wording = builtInOf(t);
  return `version ${t.version} (${wording ? (wording.layout === 'static-first' ? 'static first' : 'pair first') : 'edited'})`;
}
