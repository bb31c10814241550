/**
 * Builders for the records export tests need: a segment, its candidate, its ratings, a seed
 * pair — complete records with fixed values so expected lines can be written out exactly.
 */
import { SCHEMA_VERSION, type Candidate, type ItemFailure, type Rating, type SeedPair, type Segment } from '../../../src/core/records.ts';

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
