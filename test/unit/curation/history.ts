/**
 * Random project histories for the curated-set property test: generation runs (full and small
 * trial runs), rating runs of several rounds (some interrupted, some re-rates of one round, some
 * over only the edited pairs), decisions made and reversed, edits, and choices changed — written
 * to a memory store with the app's own record shapes. Beside the store, the history keeps a plain
 * log of what happened, from which `expectedKept` says, in the most direct words, which pairs a
 * user who did all this must get. It shares no code with core/curation.
 */
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { withInstruction, withVerdict } from '../../../src/core/curation/decisions.ts';
import { curatedSetOf, readChoice, type CurationChoice, type CuratedSet } from '../../../src/core/curation/curated-set.ts';
import { awaitingRatingSeqs } from '../../../src/core/curation/walk.ts';
import { seededRandom } from '../../../src/core/random.ts';
import { newRun, type HumanDecision, type Run } from '../../../src/core/records.ts';
import { candidate, rating, seed, segment } from '../export/records.ts';

interface RatingLog { runId: string; round: number; seq: number; score: number | null; expected: number | null; mass: number; at: number }
interface Log {
  runs: Run[];
  candidates: Map<string, Map<number, { instruction: string; ok: boolean }>>;
  ratings: RatingLog[];
  decisions: Map<string, Map<number, HumanDecision>>;
  choice: CurationChoice | null;
  segments: Map<number, string>;
  seeds: { instruction: string; response: string }[];
}

export interface History {
  store: MemoryProjectStore;
  log: Log;
  set: CuratedSet;
  ops: string[];
}

const RULES = [{ by: 'score', threshold: 4 }, { by: 'expected', threshold: 4.5 }, { by: 'score', threshold: 3 }, { by: 'expected', threshold: 3.7 }] as const;

export async function randomHistory(seedNo: number): Promise<History> {
  const rnd = seededRandom(seedNo);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T | undefined => xs[int(xs.length)];
  const store = new MemoryProjectStore(`history-${seedNo}`);
  const log: Log = { runs: [], candidates: new Map(), ratings: [], decisions: new Map(), choice: null, segments: new Map(), seeds: [] };
  const ops: string[] = [];
  let clock = 10_000;
  const now = () => (clock += 1000);

  const nSeg = 4 + int(14);
  const segs = Array.from({ length: nSeg }, (_, i) => segment(i, `Passage ${i} of seed ${seedNo}: ${'text '.repeat(1 + int(4))}`.trim()));
  await store.put('segments', segs);
  for (const s of segs) log.segments.set(s.seq, s.text);
  const seeds = Array.from({ length: int(3) }, (_, i) => seed(i, `Seed question ${i}?`, `Seed answer ${i}.`));
  if (seeds.length > 0) await store.put('seeds', seeds);
  log.seeds = seeds.map((s) => ({ instruction: s.instruction, response: s.response }));

  const setNow = () => curatedSetOf(log.runs, log.choice);
  const curateRuns = () => log.runs.filter((r) => r.stage === 'curate');

  async function generate(): Promise<void> {
    const run = newRun('augment', 1, {}, now());
    const trial = log.runs.some((r) => r.stage === 'augment') && rnd() < 0.5;
    const seqs = segs.map((s) => s.seq).filter(() => !trial || rnd() < 0.3);
    const cands = seqs.map((q) => {
      const ok = rnd() < 0.85;
      return candidate(q, ok ? `Q${q} from ${run.id}?` : '', { runId: run.id, status: ok ? 'ok' : 'empty', createdAt: clock });
    });
    await store.putRun(run);
    await store.put(`candidates:${run.id}`, cands);
    log.runs.push(run);
    log.candidates.set(run.id, new Map(cands.map((c) => [c.seq, { instruction: c.instruction, ok: c.status === 'ok' }])));
    ops.push(`generate${trial ? ' (trial)' : ''} ${run.id}: ${cands.length}`);
  }

  async function rate(scope: 'all' | 'edited'): Promise<void> {
    const target = scope === 'edited' ? setNow().augmentRunId : pick(log.runs.filter((r) => r.stage === 'augment'))?.id;
    if (!target) return;
    const rounds = curateRuns().map((r) => r.round ?? 0);
    const round = scope === 'edited' ? (setNow().round ?? 0) : pick([0, Math.max(0, ...rounds), Math.max(0, ...rounds) + 1]) ?? 0;
    const only = scope === 'edited' ? await awaitingRatingSeqs(store, setNow()) : undefined;
    if (scope === 'edited' && (only?.length ?? 0) === 0) return;
    const run = newRun('curate', 1, { augmentRunId: target, config: { round }, ...(only ? { scope, only } : {}) }, now());
    run.round = round;
    const decided = log.decisions.get(target) ?? new Map<number, HumanDecision>();
    const usable = [...(log.candidates.get(target)?.entries() ?? [])]
      .filter(([q, c]) => (decided.get(q)?.instruction ?? '') !== '' || c.ok)
      .map(([q]) => q)
      .filter((q) => !only || only.includes(q));
    // Some runs stop part-way (the tab closed): only a prefix is rated.
    const rated = rnd() < 0.25 ? usable.slice(0, int(usable.length + 1)) : usable;
    const at = now();
    const recs = rated.map((q) => {
      const score = rnd() < 0.12 ? null : 1 + int(5);
      const expected = score !== null && rnd() < 0.6 ? Math.round((score - 0.6 + rnd() * 1.2) * 100) / 100 : null;
      const mass = Math.round((0.2 + rnd() * 0.8) * 100) / 100;
      log.ratings.push({ runId: run.id, round, seq: q, score, expected, mass, at });
      return rating(q, score, { runId: run.id, round, createdAt: at, ...(expected !== null ? { expectedScore: expected, scoreMass: mass } : {}) });
    });
    await store.putRun(run);
    if (recs.length > 0) await store.put(`ratings:${run.id}`, recs);
    log.runs.push(run);
    ops.push(`rate ${scope} ${run.id} round ${round}: ${recs.length}`);
  }

  async function act(kind: 'decide' | 'edit'): Promise<void> {
    const set = setNow();
    const aug = set.augmentRunId;
    if (!aug) return;
    const q = pick([...(log.candidates.get(aug)?.keys() ?? [])]);
    if (q === undefined) return;
    const mine = log.decisions.get(aug) ?? new Map<number, HumanDecision>();
    log.decisions.set(aug, mine);
    const at = now();
    const next = kind === 'decide'
      ? withVerdict(mine.get(q), set, q, pick(['accept', 'reject', null] as const) ?? null, at)
      : withInstruction(mine.get(q), set, q, `Edited Q${q} at ${at}?`, at);
    mine.set(q, next);
    await store.put(`decisions:${aug}`, [next]);
    ops.push(`${kind} #${q}: ${next.verdict ?? '-'} ${next.instruction ?? ''}`);
  }

  function choose(): void {
    const r = rnd();
    const current = log.choice ?? { rule: { by: 'score' as const, threshold: 4 } };
    if (r < 0.15) log.choice = null;
    else if (r < 0.5) log.choice = { ...current, rule: { ...(pick(RULES) ?? RULES[0]) } };
    else if (r < 0.65) log.choice = { ...current, includeSeeds: rnd() < 0.5 };
    else {
      const run = pick(curateRuns().filter((x) => (x.settings as { scope?: string }).scope !== 'edited'));
      if (!run) return;
      log.choice = { ...current, curateRunId: run.id, augmentRunId: (run.settings as { augmentRunId: string }).augmentRunId };
    }
    log.choice = readChoice(log.choice);
    ops.push(`choose ${JSON.stringify(log.choice)}`);
  }

  await generate();
  const steps = 6 + int(14);
  for (let i = 0; i < steps; i++) {
    const r = rnd();
    if (r < 0.12) await generate();
    else if (r < 0.35) await rate('all');
    else if (r < 0.42) await rate('edited');
    else if (r < 0.65) await act('decide');
    else if (r < 0.82) await act('edit');
    else choose();
  }
  return { store, log, set: setNow(), ops };
}

/**
 * The (instruction, response) lines a user who made this history must take away, said plainly:
 * the chosen (or latest rated) generation run's pairs; a person's reject leaves a pair out and
 * their accept keeps it (when it has an instruction); otherwise the deciding round's rating of the
 * words now in the pair (the latest of the deciding run and the later edited-pairs runs of its
 * round), if it is newer than the person's last edit, must pass the rule.
 */
export function expectedKept(h: History): string[] {
  const { log, set } = h;
  const out: string[] = [];
  if (set.includeSeeds) for (const s of log.seeds) out.push(JSON.stringify([s.instruction, s.response]));
  const aug = set.augmentRunId;
  if (!aug) return out;
  const deciding = log.runs.find((r) => r.id === set.decidingRunId);
  const edited = log.runs.filter((r) => (r.settings as { scope?: string }).scope === 'edited' && (r.settings as { augmentRunId?: string }).augmentRunId === aug);
  const judges = deciding ? [deciding.id, ...edited.filter((r) => r.round === deciding.round && r.createdAt >= deciding.createdAt).map((r) => r.id)] : [];
  for (const [q, text] of [...log.segments.entries()].sort((a, b) => a[0] - b[0])) {
    const c = log.candidates.get(aug)?.get(q);
    const d = log.decisions.get(aug)?.get(q);
    const words = d?.instruction ?? (c?.ok ? c.instruction : '');
    if (!c && !d) continue;
    const has = words.trim() !== '';
    let keep: boolean;
    if (d?.verdict === 'reject') keep = false;
    else if (d?.verdict === 'accept') keep = has;
    else {
      const rs = log.ratings.filter((r) => r.seq === q && judges.includes(r.runId)).sort((a, b) => judges.indexOf(a.runId) - judges.indexOf(b.runId));
      const r = rs.at(-1);
      if (!has || !r || (d?.editedAt ?? 0) > r.at || r.score === null) keep = false;
      // An expectation counts only where the score tokens held at least half the probability.
      else keep = (set.rule.by === 'expected' && r.expected !== null && r.mass >= 0.5 ? r.expected : r.score) >= set.rule.threshold;
    }
    if (keep) out.push(JSON.stringify([words, text]));
  }
  return out;
}
