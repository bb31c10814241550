/** The steps a project walks through, in the user's words. */
import type { Step } from './records.ts';

export interface StepInfo {
  step: Step;
  title: string;
  summary: string;
  /** An optional step beyond the paper: shown between the numbered steps, without a number of its own. */
  optional?: true;
}

/** The step's number in the nav: the numbered steps count 1, 2, …; an optional one has none. */
export function stepNumber(step: StepInfo['step']): number | null {
  const numbered = STEP_INFO.filter((s) => !s.optional);
  const i = numbered.findIndex((s) => s.step === step);
  return i === -1 ? null : i + 1;
}

export const STEP_INFO: readonly StepInfo[] = [
  { step: 'seed', title: 'Seed', summary: 'Import a few hundred human-written instruction/response pairs (Open Assistant, Alpaca, ShareGPT…).' },
  { step: 'corpus', title: 'Corpus', summary: 'Drop the documents to learn from; they are cut into passages, filtered and de-duplicated.' },
  { step: 'augment', title: 'Generate instructions', summary: 'A backward model writes, for every passage, the instruction it answers.' },
  { step: 'curate', title: 'Rate', summary: 'A forward model scores every pair from 1 to 5; the best are kept.' },
  { step: 'rewrite', title: 'Rewrite (optional)', optional: true, summary: 'Beyond the paper: a model rewrites each kept response as an assistant’s answer, using only the original text; every rewrite is checked, and you choose which responses to train on.' },
  { step: 'review', title: 'Review', summary: 'Look through the pairs, fix instructions, accept or reject by hand.' },
  { step: 'export', title: 'Export / Train', summary: 'Download curated JSONL, or hand it to a trainer and bring the model back for the next round.' },
];
