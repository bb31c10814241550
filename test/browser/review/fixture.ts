/**
 * A generated project in real IndexedDB for the review and export tests: `n` segments in seven
 * source files, one generation run and two rating rounds, with every kind of row the review has
 * to show — kept, rejected, unparsed, failed (empty instruction), and unrated (the last tail of
 * segments has no candidate). Values follow simple rules of `seq`, so a test can compute what
 * to expect; `expectedRows` does it through core's own join (the reference the index must match).
 */
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { curatePair, type PairRule } from '../../../src/core/curation/pair.ts';
import { newProject, newRun, SCHEMA_VERSION, type Candidate, type HumanDecision, type Rating, type Run, type SeedPair, type Segment } from '../../../src/core/records.ts';
import { toPairRow, type PairRow } from '../../../src/core/review/query.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';

export const catalog = new IdbCatalog();
const made: ProjectState[] = [];

const WORDS = ['whale', 'krill', 'baleen', 'sonar', 'fluke', 'breach', 'pod'];
export const pathOf = (i: number) => `docs/file-${i % 7}.md`;
export const textOf = (i: number) => `Passage ${i} about the ${WORDS[i % 7]} ${'x'.repeat(i % 300)} end.`;
export const instructionOf = (i: number) => `Question ${i} on ${WORDS[(i * 3) % 7]}?`;
/** Round 0: scores cycle 1..5; every 97th reply unparsed. Round 1: another cycle, with expected scores. */
export const score0 = (i: number): number | null => (i % 97 === 0 ? null : (i % 5) + 1);
export const score1 = (i: number): number => ((i * 3) % 5) + 1;
/** Every 50th candidate came back empty (a failed generation). */
export const failedCandidate = (i: number) => i % 50 === 3;

export interface Generated {
  ps: ProjectState;
  notices: Notices;
  n: number;
  /** Segments with a candidate (the rest are unrated). */
  generated: number;
  augment: Run;
  round0: Run;
  round1: Run;
  segments: Segment[];
  candidates: Candidate[];
  ratings0: Rating[];
  ratings1: Rating[];
}

function ratingOf(i: number, run: Run, round: number, score: number | null, expected?: number): Rating {
  return {
    schemaVersion: SCHEMA_VERSION, seq: i, segmentId: `s${i}`, runId: run.id, round, score,
    ...(expected === undefined ? {} : { expectedScore: expected }),
    reason: score === null ? '' : `Reason for ${i} in round ${round}.`,
    raw: score === null ? `I cannot rate ${i}.` : `Reason for ${i} in round ${round}.\nScore: ${score}`,
    parse: score === null ? 'unparsed' : 'parsed',
    curator: { model: { engine: 'scripted', model: `forward-${round}` }, promptVersion: 1, stageVersion: 1, mode: 'reasoned' },
    createdAt: 2000 + round,
  };
}

/** Makes and opens the project (with no runs when `n` is 0: a seeds-only project). With `saveSelection`, the curation choice (setting 'selection') picks round 1 at A4. */
export async function generatedProject(n: number, opts: { seeds?: number; saveSelection?: boolean; unratedTail?: number } = {}): Promise<Generated> {
  const project = newProject('Review test');
  const generated = n - (opts.unratedTail ?? Math.floor(n / 40));
  const augment = { ...newRun('augment', 1, {}, 1000), status: 'done' as const };
  const round0 = { ...newRun('curate', 1, { augmentRunId: augment.id, config: { round: 0 } }, 1001), round: 0, status: 'done' as const };
  const round1 = { ...newRun('curate', 1, { augmentRunId: augment.id, config: { round: 1 } }, 1002), round: 1, status: 'done' as const };
  if (opts.saveSelection) project.settings.selection = { augmentRunId: augment.id, curateRunId: round1.id, rule: { by: 'score', threshold: 4 } };
  await catalog.putProject(project);
  const notices = new Notices();
  const ps = new ProjectState(project, catalog, notices);
  made.push(ps);
  const store = await ps.open();
  if (!store) throw new Error(notices.items.map((x) => x.message).join('; '));
  const segments: Segment[] = [];
  const candidates: Candidate[] = [];
  const ratings0: Rating[] = [];
  const ratings1: Rating[] = [];
  for (let i = 0; i < n; i++) {
    const text = textOf(i);
    segments.push({ schemaVersion: SCHEMA_VERSION, seq: i, id: `s${i}`, text, chars: text.length, hash: `h${i}`, provenance: { docId: `d${i % 7}`, path: pathOf(i), headers: ['Whales', `Part ${i % 3}`], offset: i * 10 } });
    if (i >= generated) continue;
    const failed = failedCandidate(i);
    candidates.push({
      schemaVersion: SCHEMA_VERSION, seq: i, segmentId: `s${i}`, runId: augment.id, instruction: failed ? '' : instructionOf(i), raw: failed ? '' : `Instruction: ${instructionOf(i)}`,
      status: failed ? 'empty' : 'ok',
      provenance: { model: { engine: 'scripted', model: 'backward' }, promptVersion: 1, stageVersion: 1, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 }, mode: 'prompted' },
      createdAt: 1500,
    });
    if (failed) continue;
    ratings0.push(ratingOf(i, round0, 0, score0(i)));
    ratings1.push(ratingOf(i, round1, 1, score1(i), score1(i) - 0.25));
  }
  const seeds: SeedPair[] = Array.from({ length: opts.seeds ?? 0 }, (_, i) => ({
    schemaVersion: SCHEMA_VERSION, seq: i, id: `seed${i}`, instruction: `Seed question ${i}?`, response: `Seed answer ${i} 🐋.`,
    source: { docId: 'ds', path: 'seed.jsonl', format: 'jsonl', row: i + 1 },
  }));
  // In slices, as the stages write them.
  for (let s = 0; s < n; s += 5000) await store.put('segments', segments.slice(s, s + 5000));
  if (n > 0) {
    await store.put(`candidates:${augment.id}`, candidates, { runs: [augment] });
    await store.put(`ratings:${round0.id}`, ratings0, { runs: [round0] });
    await store.put(`ratings:${round1.id}`, ratings1, { runs: [round1] });
  }
  if (seeds.length > 0) await store.put('seeds', seeds);
  await ps.refresh();
  return { ps, notices, n, generated, augment, round0, round1, segments, candidates, ratings0, ratings1 };
}

/** Round 1 deciding at A4: the set `saveSelection` chooses. */
export const round1AtA4 = (g: Generated): PairRule => ({ rule: { by: 'score', threshold: 4 }, deciders: [g.round1.id] });

/** Every row as core computes it (the reference for the index), with `pr` deciding and these decisions of a person. */
export function expectedRows(g: Generated, pr: PairRule, decisions: ReadonlyMap<number, HumanDecision> = new Map()): PairRow[] {
  const cand = new Map(g.candidates.map((c) => [c.seq, c]));
  const r0 = new Map(g.ratings0.map((r) => [r.seq, r]));
  const r1 = new Map(g.ratings1.map((r) => [r.seq, r]));
  return g.segments.map((s) => {
    const ratings = [r0.get(s.seq), r1.get(s.seq)].filter((r): r is Rating => r !== undefined);
    return toPairRow(curatePair(s, cand.get(s.seq), ratings, undefined, decisions.get(s.seq), pr));
  });
}

export async function closeAll(): Promise<void> {
  for (const ps of made.splice(0)) {
    await ps.store?.close();
    await catalog.deleteProject(ps.id);
  }
}

/** Waits until `ok()` holds (the UI and state settle asynchronously), failing with `what` after `ms`. */
export async function until(ok: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
