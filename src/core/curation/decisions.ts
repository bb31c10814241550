/**
 * A person's decisions about pairs, as records of their own (records.ts `HumanDecision`):
 * accept, reject, clear, and an edited instruction. Pure: each function takes the stored record
 * (or undefined) and returns the next one to store, so the state layer only reads and writes.
 */
import { SCHEMA_VERSION, type Candidate, type HumanDecision } from '../records.ts';
import type { CuratedSet } from './curated-set.ts';

export type Verdict = 'accept' | 'reject';

/**
 * The instruction a pair is rated and trained with: the person's edit, else the model's when its
 * candidate is usable ('ok' and not blank); null when there is none. The stages rate exactly this.
 */
export function usableInstruction(candidate: Candidate | undefined, decision: HumanDecision | undefined): string | null {
  const edit = decision?.instruction;
  if (edit !== undefined && edit.trim() !== '') return edit;
  if (candidate?.status === 'ok' && candidate.instruction.trim() !== '') return candidate.instruction;
  return null;
}


/** Sets a choice and when it was made, or clears both (null). */
function stamped<K extends 'verdict' | 'rewrite'>(next: HumanDecision, key: K, at: 'decidedAt' | 'rewriteDecidedAt', value: HumanDecision[K] | null, now: number): HumanDecision {
  if (value === null) {
    delete next[key];
    delete next[at];
  } else {
    next[key] = value;
    next[at] = now;
  }
  return next;
}

function base(prev: HumanDecision | undefined, set: CuratedSet, seq: number): HumanDecision {
  if (!set.augmentRunId) throw new Error('Nothing was generated yet, so there is no pair to decide on.');
  return prev ? { ...prev } : { schemaVersion: SCHEMA_VERSION, seq, augmentRunId: set.augmentRunId, round: set.round };
}

/** Accept or reject (null clears the verdict; an edit stays). */
export function withVerdict(prev: HumanDecision | undefined, set: CuratedSet, seq: number, verdict: Verdict | null, now = Date.now()): HumanDecision {
  const next = base(prev, set, seq);
  next.round = set.round;
  return stamped(next, 'verdict', 'decidedAt', verdict, now);
}

/** The instruction as the person wrote it; ratings made before now no longer decide the pair. */
export function withInstruction(prev: HumanDecision | undefined, set: CuratedSet, seq: number, instruction: string, now = Date.now()): HumanDecision {
  const next = base(prev, set, seq);
  next.round = set.round;
  next.instruction = instruction;
  next.editedAt = now;
  return next;
}

/** Accept the pair's rewrite (even a flagged one) or keep its original response; null clears the choice (the checks decide). */
export function withRewriteChoice(prev: HumanDecision | undefined, set: CuratedSet, seq: number, choice: 'accept' | 'keep-original' | null, now = Date.now()): HumanDecision {
  return stamped(base(prev, set, seq), 'rewrite', 'rewriteDecidedAt', choice, now);
}

/** "rejected by you in round 0" — what the person did, in words. */
export function decisionWords(d: HumanDecision | undefined): string | null {
  if (!d) return null;
  const when = d.round === null ? 'before any rating' : `in round ${d.round}`;
  const parts: string[] = [];
  if (d.verdict) parts.push(`${d.verdict === 'accept' ? 'accepted' : 'rejected'} by you ${when}`);
  if (d.instruction !== undefined) parts.push(`instruction edited by you${d.verdict ? '' : ` ${when}`}`);
  if (d.rewrite) parts.push(d.rewrite === 'accept' ? 'rewrite accepted by you' : 'original response kept by you');
  return parts.length > 0 ? parts.join('; ') : null;
}
