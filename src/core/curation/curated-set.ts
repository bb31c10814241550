/**
 * "The curated set": the one definition of which pairs the user takes away. Review shows it,
 * Export writes it (every format and the dataset card), Train sends it to the trainer, and the
 * Rate step's funnel counts it — all through `curatedSetOf`, so the four can never disagree.
 *
 * It is made of:
 * - the **generation run** whose candidates are paired with their segments;
 * - the **deciding rating run** (which fixes the round), plus the "edited pairs" runs of that
 *   round started after it, which decide for the pairs they re-rated;
 * - the **rule**: integer or expected score, threshold k (the paper's A4 / A5);
 * - **seeds** in or out;
 * - the **human decisions** of that generation run (collection `decisions:<run>`), which override
 *   every rating (pair.ts states the rule).
 *
 * The user's choice is the project setting 'selection'. Before anything is chosen, the default is
 * explicit and said in words: the latest generation run that was rated (else the latest), its
 * latest round, A4, seeds in. A rating run is pinned only when the user picks one; otherwise a new
 * round decides as soon as it exists.
 * Pure: runs in, a plain record out.
 */
import type { Collection, Run } from '../records.ts';
import type { SelectionRule } from '../stages/select.ts';
import { readResponseChoice, type ResponseChoice } from './rewrite-use.ts';

/** The project setting 'selection': what the user chose. Each field may be absent (then the default holds). */
export interface CurationChoice {
  augmentRunId?: string;
  curateRunId?: string;
  rule: SelectionRule;
  includeSeeds?: boolean;
  /** Which responses the kept pairs train with once rewritten (rewrite-use.ts); default original. */
  responses?: ResponseChoice;
}

/** The paper's A4 (integer score ≥ 4). */
export const DEFAULT_RULE: SelectionRule = { by: 'score', threshold: 4 };
export const A5_RULE: SelectionRule = { by: 'expected', threshold: 4.5 };

/** The collections that hold one generation run's pairs. */
export interface PairSource {
  candidates: Collection;
  /** Every rating run over these candidates: round ascending, then oldest first. */
  ratings: Collection[];
  /** Failure collections of the generation run and its rating runs (later ones win). */
  failures: Collection[];
  decisions: Collection;
  /** The rewrites of the set's latest rewrite run over these candidates; absent when none ran. */
  rewrites?: Collection;
}

/** A rating run of the set, with its round and whether it re-rated only edited pairs. */
export interface RoundRun {
  runId: string;
  round: number;
  scope: 'all' | 'edited';
}

export interface CuratedSet {
  /** False while nothing is saved (the default holds); `label` says what the default is. */
  chosen: boolean;
  /** Null when nothing was generated yet: the set is the seed pairs alone. */
  augmentRunId: string | null;
  /** The rating run that decides, null when none rated the candidates yet. */
  decidingRunId: string | null;
  round: number | null;
  rule: SelectionRule;
  includeSeeds: boolean;
  source: PairSource | null;
  /** Rating runs that decide, lowest precedence first: the deciding run, then later "edited pairs" runs of its round. */
  deciders: string[];
  /** `source.ratings` as runs, in the same order. */
  rounds: RoundRun[];
  /** The latest rewrite run over the set's candidates (null when none ran). */
  rewriteRunId: string | null;
  responses: ResponseChoice;
  /** In words, e.g. "latest generation run, latest round (M1), A4 (score ≥ 4), seed pairs included". */
  label: string;
}

/** Which pairs a rating run rated: every usable candidate, or only the pairs edited since their rating. */
export type RatingScope = 'all' | 'edited';

/** The generation run a rating (or rewrite) run worked on, if its settings say. */
export function ratedRunOf(run: Run): string | undefined {
  const id = (run.settings as { augmentRunId?: unknown }).augmentRunId;
  return typeof id === 'string' ? id : undefined;
}

export function roundOfRun(run: Run): number {
  const fromSettings = (run.settings as { config?: { round?: unknown } }).config?.round;
  return run.round ?? (typeof fromSettings === 'number' ? fromSettings : 0);
}

export function scopeOfRun(run: Run): RatingScope {
  return (run.settings as { scope?: unknown }).scope === 'edited' ? 'edited' : 'all';
}

const isRule = (r: unknown): r is SelectionRule =>
  typeof r === 'object' && r !== null && ((r as SelectionRule).by === 'score' || (r as SelectionRule).by === 'expected') &&
  typeof (r as SelectionRule).threshold === 'number' && Number.isFinite((r as SelectionRule).threshold);

/** Reads the saved choice; null when absent or malformed (the default then holds). */
export function readChoice(value: unknown): CurationChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isRule(v.rule)) return null;
  const out: CurationChoice = { rule: { by: v.rule.by, threshold: v.rule.threshold } };
  if (typeof v.augmentRunId === 'string') out.augmentRunId = v.augmentRunId;
  if (typeof v.curateRunId === 'string') out.curateRunId = v.curateRunId;
  if (typeof v.includeSeeds === 'boolean') out.includeSeeds = v.includeSeeds;
  const responses = readResponseChoice(v.responses);
  if (responses) out.responses = responses;
  return out;
}

export function ruleWords(rule: SelectionRule): string {
  if (rule.by === 'score') return rule.threshold === 4 ? 'A4 (score ≥ 4)' : `score ≥ ${rule.threshold}`;
  return rule.threshold === 4.5 ? 'A5 (expected score ≥ 4.5)' : `expected score ≥ ${rule.threshold}`;
}

const byAge = (a: Run, b: Run): number => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

/** The curated set for these runs and this saved choice (null or a stale choice falls back to the default). */
export function curatedSetOf(runs: readonly Run[], saved: CurationChoice | null): CuratedSet {
  const rule = saved?.rule ?? DEFAULT_RULE;
  const includeSeeds = saved?.includeSeeds ?? true;
  const responses = saved?.responses ?? 'original';
  const augments = runs.filter((r) => r.stage === 'augment').sort(byAge);
  const pickedAugment = saved?.augmentRunId ? augments.find((r) => r.id === saved.augmentRunId) : undefined;
  // The latest generation run that was rated: a trial run added afterwards does not swap the pool
  // for its unrated candidates. With no rating at all, the latest generation run.
  const rated = new Set(runs.filter((r) => r.stage === 'curate' && scopeOfRun(r) === 'all').map(ratedRunOf));
  const augment = pickedAugment ?? augments.findLast((r) => rated.has(r.id)) ?? augments.at(-1);
  const seedWords = includeSeeds ? 'seed pairs included' : 'seed pairs left out';
  if (!augment) {
    return {
      chosen: saved !== null, augmentRunId: null, decidingRunId: null, round: null, rule, includeSeeds, source: null,
      deciders: [], rounds: [], rewriteRunId: null, responses, label: `seed pairs only (nothing generated yet), ${seedWords}`,
    };
  }
  const curates = runs.filter((r) => r.stage === 'curate' && ratedRunOf(r) === augment.id).sort((a, b) => roundOfRun(a) - roundOfRun(b) || byAge(a, b));
  const full = curates.filter((r) => scopeOfRun(r) === 'all');
  const pickedCurate = pickedAugment && saved?.curateRunId ? full.find((r) => r.id === saved.curateRunId) : undefined;
  // The latest round's latest full run: `full` is sorted by round, then age.
  const deciding = pickedCurate ?? full.at(-1);
  const round = deciding ? roundOfRun(deciding) : null;
  const deciders = deciding
    ? [deciding.id, ...curates.filter((r) => scopeOfRun(r) === 'edited' && roundOfRun(r) === round && r.createdAt >= deciding.createdAt).map((r) => r.id)]
    : [];
  const rounds = curates.map((r) => ({ runId: r.id, round: roundOfRun(r), scope: scopeOfRun(r) }));
  const runWords = pickedAugment
    ? `generation run of ${new Date(augment.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : rated.has(augment.id) ? 'latest rated generation run' : 'latest generation run';
  const rewrite = runs.filter((r) => r.stage === 'rewrite' && ratedRunOf(r) === augment.id).sort(byAge).at(-1);
  const responseWords = responses === 'original' ? '' : rewrite ? `, ${responses === 'both' ? 'original and rewritten responses' : 'rewritten responses'}` : ', original responses (nothing rewritten yet)';
  const roundWords = deciding ? `${pickedCurate ? 'round' : 'latest round'} (M${round})` : 'not rated yet';
  return {
    chosen: saved !== null,
    augmentRunId: augment.id,
    decidingRunId: deciding?.id ?? null,
    round,
    rule,
    includeSeeds,
    source: {
      candidates: `candidates:${augment.id}`,
      ratings: curates.map((r) => `ratings:${r.id}` as const),
      failures: [`failures:${augment.id}`, ...curates.map((r) => `failures:${r.id}` as const)],
      decisions: `decisions:${augment.id}`,
      ...(rewrite ? { rewrites: `rewrites:${rewrite.id}` as const } : {}),
    },
    deciders,
    rounds,
    rewriteRunId: rewrite?.id ?? null,
    responses,
    label: `${runWords}, ${roundWords}, ${ruleWords(rule)}, ${seedWords}${responseWords}`,
  };
}

/** The choice that selects exactly this set (what a form saves when the user changes one part). */
export function choiceOf(set: CuratedSet, patch: Partial<CurationChoice> = {}): CurationChoice {
  const out: CurationChoice = { rule: { ...set.rule }, includeSeeds: set.includeSeeds };
  // Absent means original responses: a project that never rewrote saves the choice it always did.
  if (set.responses !== 'original') out.responses = set.responses;
  if (set.augmentRunId) out.augmentRunId = set.augmentRunId;
  if (set.decidingRunId) out.curateRunId = set.decidingRunId;
  return { ...out, ...patch };
}
