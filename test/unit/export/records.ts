/**
 * Builders for the records export and curation tests need: a segment, its candidate, its ratings,
 * a person's decision, a seed pair, the runs that made them and their curated set — complete
 * records with fixed values so expected lines can be written out exactly.
 */
import { curatedSetOf, type CuratedSet, type CurationChoice } from '../../../src/core/curation/curated-set.ts';
import { newRun, SCHEMA_VERSION, type Candidate, type HumanDecision, type ItemFailure, type Rating, type Run, type SeedPair, type Segment } from '../../../src/core/records.ts';

export function segment(seq: number, text: string, path = 'docs/a.md'): Segment {
  return {
    schemaVersion: SCHEMA_VERSION,
    seq,
    id: `s${seq}`,
    text,
    chars: text.length,
    hash: `h${seq}`,
    provenance: { docId: 'd1', path, headers: ['Intro'], offset: seq * 100 },
  };
}

export function candidate(seq: number, instruction: string, extra: Partial<Candidate> = {}): Candidate {
  return {
    schemaVersion: SCHEMA_VERSION,
    seq,
    segmentId: `s${seq}`,
    runId: 'r_aug',
    instruction,
    raw: instruction,
    status: 'ok',
    provenance: {
      model: { engine: 'scripted', model: 'backward-1' },
      promptVersion: 2,
      stageVersion: 1,
      sampling: { temperature: 0.7, topP: 0.9, maxTokens: 128 },
      mode: 'fewshot',
    },
    createdAt: 1000,
    ...extra,
  };
}

export function rating(seq: number, score: number | null, extra: Partial<Rating> = {}): Rating {
  return {
    schemaVersion: SCHEMA_VERSION,
    seq,
    segmentId: `s${seq}`,
    runId: 'r_cur0',
    round: 0,
    score,
    reason: score === null ? '' : `reason ${score}`,
    raw: score === null ? 'no score here' : `reason ${score}\nScore: ${score}`,
    parse: score === null ? 'unparsed' : 'parsed',
    curator: { model: { engine: 'scripted', model: 'forward-0' }, promptVersion: 3, stageVersion: 1, mode: 'text' },
    createdAt: 2000,
    ...extra,
  };
}

export function seed(seq: number, instruction: string, response: string): SeedPair {
  return {
    schemaVersion: SCHEMA_VERSION,
    seq,
    id: `seed${seq}`,
    instruction,
    response,
    source: { docId: 'dseed', path: 'seed.jsonl', format: 'jsonl', row: seq + 1 },
  };
}

export function failure(seq: number, runId = 'r_aug', code = 'timeout'): ItemFailure {
  return { schemaVersion: SCHEMA_VERSION, seq, runId, code, message: 'The model did not answer in time.', attempts: 3, createdAt: 3000 };
}

/** A person's decision about pair `seq` of generation run 'r_aug' (no verdict, no edit unless `extra` says). */
export function decision(seq: number, extra: Partial<HumanDecision> = {}): HumanDecision {
  return { schemaVersion: SCHEMA_VERSION, seq, augmentRunId: 'r_aug', round: 0, ...extra };
}

/** The generation run 'r_aug' (whose candidates the builders above write). */
export function augmentRun(id = 'r_aug', createdAt = 100): Run {
  return { ...newRun('augment', 1, {}, createdAt), id, status: 'done' };
}

/** A rating run over `augmentRunId`'s candidates, of `round`; `scope: 'edited'` re-rated only edited pairs. */
export function curateRun(id = 'r_cur0', round = 0, createdAt = 200, extra: { augmentRunId?: string; scope?: 'edited' } = {}): Run {
  const settings = { augmentRunId: extra.augmentRunId ?? 'r_aug', config: { round }, ...(extra.scope ? { scope: extra.scope } : {}) };
  return { ...newRun('curate', 1, settings, createdAt), id, status: 'done', round };
}

/** The curated set of 'r_aug' rated by 'r_cur0' (the builders' defaults), with the default choice unless one is given. */
export function curatedSet(choice: CurationChoice | null = null, runs: readonly Run[] = [augmentRun(), curateRun()]): CuratedSet {
  return curatedSetOf(runs, choice);
}
