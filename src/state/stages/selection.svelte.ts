/**
 * Which pairs are kept (A_k), with the count at every step — segments → candidates → rated →
 * parsed → kept — and, when a second rating round exists, how scores moved between rounds.
 *
 * The chosen runs and rule are saved with the project for the review and export steps:
 *
 * ```ts
 * // project setting 'selection' (null until the user has rated something):
 * interface SavedSelection {
 *   augmentRunId: string;   // the generation run whose candidates are paired (collection `candidates:<id>`)
 *   curateRunId: string;    // the rating run that decides (collection `ratings:<id>`)
 *   rule: SelectionRule;    // core/stages/select.ts: { by: 'score' | 'expected', threshold }
 * }
 * const saved = ps.setting<SavedSelection | null>('selection', null);
 * // keep a rating: keepRating(rating, saved.rule).kept — a human decision wins, unparsed is never kept
 * ```
 */
import type { Run } from '../../core/records.ts';
import { compareRoundsInStore, type RoundComparison } from '../../core/stages/rounds.ts';
import { curateRunSettings } from '../../core/stages/run-settings.ts';
import { funnelCounts, type Funnel, type SelectionRule } from '../../core/stages/select.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export interface SavedSelection {
  augmentRunId: string;
  curateRunId: string;
  rule: SelectionRule;
}

/** The paper's A4 (integer score ≥ 4). */
export const DEFAULT_RULE: SelectionRule = { by: 'score', threshold: 4 };

/** The augmentation run a rating run rated, or undefined when its settings are unreadable. */
export function ratedRunOf(run: Run): string | undefined {
  try {
    return curateRunSettings(run).augmentRunId;
  } catch {
    return undefined;
  }
}

export class SelectionState {
  curateRunId = $state<string | null>(null);
  rule = $state<SelectionRule>({ ...DEFAULT_RULE });
  funnel = $state<Funnel | null>(null);
  /** The other round compared with the chosen one (both rate the same candidates). */
  compareRunId = $state<string | null>(null);
  comparison = $state<RoundComparison | null>(null);
  counting = $state(false);
  readonly ps: ProjectState;
  #generation = 0;

  constructor(ps: ProjectState) {
    this.ps = ps;
    const saved = ps.setting<SavedSelection | null>('selection', null);
    if (saved) {
      this.curateRunId = saved.curateRunId;
      this.rule = { ...saved.rule };
    }
  }

  get saved(): SavedSelection | null {
    return this.ps.setting<SavedSelection | null>('selection', null);
  }

  /**
   * Picks a rating run (the latest when none is chosen or the chosen one is gone) and the round to
   * compare it with: the other rating runs over the same candidates.
   */
  adopt(curateRuns: readonly Run[]): void {
    if (!curateRuns.some((r) => r.id === this.curateRunId)) this.curateRunId = curateRuns.at(-1)?.id ?? null;
    const others = this.otherRounds(curateRuns);
    if (!others.some((r) => r.id === this.compareRunId)) this.compareRunId = others.at(-1)?.id ?? null;
  }

  /** Rating runs over the same candidates as the chosen one, other than it. */
  otherRounds(curateRuns: readonly Run[]): Run[] {
    const chosen = curateRuns.find((r) => r.id === this.curateRunId);
    const target = chosen ? ratedRunOf(chosen) : undefined;
    return target ? curateRuns.filter((r) => r.id !== chosen?.id && ratedRunOf(r) === target) : [];
  }

  /** Counts the funnel (and the round comparison) for the chosen runs; saves the choice. */
  async recount(curateRuns: readonly Run[]): Promise<void> {
    const store = this.ps.store;
    const run = curateRuns.find((r) => r.id === this.curateRunId);
    const augmentRunId = run ? ratedRunOf(run) : undefined;
    const generation = ++this.#generation;
    if (!store || !run || !augmentRunId) {
      this.funnel = null;
      this.comparison = null;
      return;
    }
    const rule = $state.snapshot(this.rule);
    if (!Number.isFinite(rule.threshold)) return; // the threshold field is being typed in
    const other = this.compareRunId;
    this.counting = true;
    try {
      const funnel = await funnelCounts(store, augmentRunId, run.id, rule);
      // Round order is the order the runs were made in (M0 before M1).
      const pair = other ? [curateRuns.find((r) => r.id === other), run].sort((a, b) => (a?.createdAt ?? 0) - (b?.createdAt ?? 0)) : [];
      const comparison = pair[0] && pair[1] ? await compareRoundsInStore(store, pair[0].id, pair[1].id) : null;
      if (generation !== this.#generation) return; // a newer recount started meanwhile
      this.funnel = funnel;
      this.comparison = comparison;
      const next: SavedSelection = { augmentRunId, curateRunId: run.id, rule };
      const before = this.saved;
      if (!before || before.augmentRunId !== next.augmentRunId || before.curateRunId !== next.curateRunId || before.rule.by !== rule.by || before.rule.threshold !== rule.threshold) {
        await this.ps.saveSetting('selection', next);
      }
    } catch (err) {
      this.ps.notices.error(err, 'Counting the kept pairs');
    } finally {
      if (generation === this.#generation) this.counting = false;
    }
  }
}
