/**
 * Which stored runs the review and the export read, and the rule that decides "kept".
 *
 * The stages step saves the user's choice as the project setting 'selection'
 * ({ augmentRunId, curateRunId, rule }). When it exists, the pairs are that generation run's
 * candidates with the ratings of every rating run over them (so each round's score is shown side
 * by side), and the chosen rating run decides. Before anything was chosen, the latest generation
 * run and the rating runs after it are used, the latest round deciding, at the paper's A4.
 * Plain TS (no runes), so it is shared by the review and the export state.
 */
import { DEFAULT_SELECTION, type Selection } from '../../core/export/pairs.ts';
import { pairSourceOf, type PairSource } from '../../core/export/stream.ts';
import type { Run } from '../../core/records.ts';
import type { SelectionRule } from '../../core/stages/select.ts';

/** The project setting 'selection' the stages step writes. */
export interface SavedSelection {
  augmentRunId: string;
  curateRunId: string;
  rule: SelectionRule;
}

export interface ReviewSource {
  source: PairSource;
  selection: Selection;
  /** The rating runs in `source.ratings` order, with the round each one rated. */
  rounds: { runId: string; round: number }[];
}

/** The generation run a rating run rated (its settings say), if readable. */
function ratedRun(run: Run): string | undefined {
  const id = (run.settings as { augmentRunId?: unknown }).augmentRunId;
  return typeof id === 'string' ? id : undefined;
}

const roundOfRun = (run: Run): number => {
  const fromSettings = (run.settings as { config?: { round?: unknown } }).config?.round;
  return run.round ?? (typeof fromSettings === 'number' ? fromSettings : 0);
};

const isRule = (r: unknown): r is SelectionRule =>
  typeof r === 'object' && r !== null && ((r as SelectionRule).by === 'score' || (r as SelectionRule).by === 'expected') &&
  typeof (r as SelectionRule).threshold === 'number';

/** Reads the saved choice, or null when absent or malformed. */
export function savedSelection(value: unknown): SavedSelection | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<SavedSelection>;
  if (typeof v.augmentRunId !== 'string' || typeof v.curateRunId !== 'string' || !isRule(v.rule)) return null;
  return { augmentRunId: v.augmentRunId, curateRunId: v.curateRunId, rule: v.rule };
}

export function selectionOfRule(rule: SelectionRule, round?: number): Selection {
  return { minScore: rule.threshold, useExpected: rule.by === 'expected', ...(round === undefined ? {} : { round }) };
}

/** The pairs to review and export, or undefined when nothing was generated yet (seeds only). */
export function reviewSourceOf(runs: readonly Run[], saved: SavedSelection | null): ReviewSource | undefined {
  const augment = saved ? runs.find((r) => r.id === saved.augmentRunId && r.stage === 'augment') : undefined;
  if (saved && augment) {
    const chosen = runs.find((r) => r.id === saved.curateRunId && r.stage === 'curate');
    // Round ascending, then age; the chosen run last within its round, so it is the one that decides.
    const curates = runs
      .filter((r) => r.stage === 'curate' && ratedRun(r) === augment.id)
      .sort((a, b) => roundOfRun(a) - roundOfRun(b) || Number(a.id === chosen?.id) - Number(b.id === chosen?.id) || a.createdAt - b.createdAt);
    return {
      source: {
        candidates: `candidates:${augment.id}`,
        ratings: curates.map((r) => `ratings:${r.id}` as const),
        failures: [`failures:${augment.id}`, ...curates.map((r) => `failures:${r.id}` as const)],
      },
      selection: selectionOfRule(saved.rule, chosen ? roundOfRun(chosen) : undefined),
      rounds: curates.map((r) => ({ runId: r.id, round: roundOfRun(r) })),
    };
  }
  const source = pairSourceOf(runs);
  if (!source) return undefined;
  const byId = new Map(runs.map((r) => [r.id, r]));
  const rounds = source.ratings.map((c) => {
    const runId = c.slice('ratings:'.length);
    const run = byId.get(runId);
    return { runId, round: run ? roundOfRun(run) : 0 };
  });
  return { source, selection: saved ? selectionOfRule(saved.rule) : DEFAULT_SELECTION, rounds };
}
