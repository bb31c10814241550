/**
 * Where a person and a rating round disagree: pairs the person rejected that the round would
 * keep, and pairs the person accepted that it would leave out. Shown beside the round comparison
 * ("rejected by you in round 0; M1 gave 5"), so a user sees that a new round did not undo them.
 */
import type { HumanDecision, Rating } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { keepRating, type SelectionRule } from '../stages/select.ts';
import type { CuratedSet } from './curated-set.ts';
import { decisionWords } from './decisions.ts';

export interface Override {
  seq: number;
  /** "rejected by you in round 0; M1 gave 5" */
  words: string;
}

export interface Overrides {
  /** Rejected by the person, kept by the round's rule. */
  rejected: number;
  /** Accepted by the person, left out (or unparsed) by the round. */
  accepted: number;
  /** The first few, for the user to look at. */
  examples: Override[];
}

const EXAMPLES = 5;

/** Disagreements between the set's human decisions and one rating run (`round` names it in words). */
export async function overridesOf(store: ProjectStore, set: CuratedSet, runId: string, round: number, rule: SelectionRule = set.rule): Promise<Overrides> {
  const out: Overrides = { rejected: 0, accepted: 0, examples: [] };
  if (!set.source) return out;
  await store.scan<HumanDecision>(set.source.decisions, async (chunk) => {
    const decided = chunk.filter((d) => d.verdict !== undefined);
    if (decided.length === 0) return;
    const ratings = await store.get<Rating>(`ratings:${runId}`, decided.map((d) => d.seq));
    decided.forEach((d, i) => {
      const r = ratings[i];
      if (!r) return;
      const kept = keepRating(r, rule).kept;
      if (d.verdict === 'reject' && kept) out.rejected++;
      else if (d.verdict === 'accept' && !kept) out.accepted++;
      else return;
      const gave = r.parse === 'parsed' && r.score !== null ? `gave ${r.score}` : 'gave no readable score';
      if (out.examples.length < EXAMPLES) out.examples.push({ seq: d.seq, words: `${decisionWords(d)}; M${round} ${gave}` });
    });
  });
  return out;
}
