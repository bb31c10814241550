/**
 * The Rate step's view of the curated set (core/curation/curated-set.ts): which rating run
 * decides and by which rule, the funnel counted from the very pairs Review shows and Export
 * writes, how scores moved between rounds, and where the person's decisions disagree with a
 * round. A change the user makes here is saved as the project's curation choice
 * (state/review/curation.ts), so Review, Export and Train follow it.
 */
import { curatedSetOf, roundOfRun, scopeOfRun, ratedRunOf, type CuratedSet } from '../../core/curation/curated-set.ts';
import type { Funnel } from '../../core/curation/funnel.ts';
import { overridesOf, type Overrides } from '../../core/curation/overrides.ts';
import { funnelOf } from '../../core/curation/walk.ts';
import type { Run } from '../../core/records.ts';
import { compareRoundsInStore, type RoundComparison } from '../../core/stages/rounds.ts';
import type { SelectionRule } from '../../core/stages/select.ts';
import type { ProjectState } from '../project/project.svelte.ts';
import { CHOICE_SETTING, saveChoice, savedChoice } from '../review/curation.ts';

export { DEFAULT_RULE, ratedRunOf } from '../../core/curation/curated-set.ts';

export class SelectionState {
  /** Every stage run of the project, as the Rate step last passed them. */
  runs = $state.raw<Run[]>([]);
  get set(): CuratedSet {
    return curatedSetOf(this.runs, savedChoice(this.ps));
  }
  funnel = $state<Funnel | null>(null);
  /** The other round compared with the deciding one (both rate the same candidates). */
  compareRunId = $state<string | null>(null);
  comparison = $state<RoundComparison | null>(null);
  overrides = $state<Overrides | null>(null);
  counting = $state(false);
  readonly ps: ProjectState;
  #generation = 0;

  constructor(ps: ProjectState) {
    this.ps = ps;
  }

  /** Full rating runs over the set's generation run: the ones that can decide. */
  get decidingRuns(): Run[] {
    return this.runs.filter((r) => r.stage === 'curate' && scopeOfRun(r) === 'all' && ratedRunOf(r) === this.set.augmentRunId);
  }

  /** Rating runs over the same candidates as the deciding one, other than it. */
  get otherRounds(): Run[] {
    return this.decidingRuns.filter((r) => r.id !== this.set.decidingRunId);
  }

  /** Takes the current runs; keeps the compared round when it still exists. */
  adopt(runs: readonly Run[]): void {
    this.runs = [...runs];
    const others = this.otherRounds;
    if (!others.some((r) => r.id === this.compareRunId)) this.compareRunId = others.at(-1)?.id ?? null;
  }

  /** The user picked the rating run that decides (and with it, its generation run). */
  async chooseRun(runId: string): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const augmentRunId = run ? ratedRunOf(run) : undefined;
    if (!run || !augmentRunId) return;
    await saveChoice(this.ps, this.set, { curateRunId: run.id, augmentRunId });
  }

  /** Whether the user pinned the deciding rating run (else the latest round decides). */
  get pinned(): boolean {
    return savedChoice(this.ps)?.curateRunId !== undefined;
  }

  /** The latest round decides again, as new rounds come (the default). */
  async followLatest(): Promise<void> {
    const saved = savedChoice(this.ps);
    if (!saved) return;
    const { curateRunId: _pinned, ...rest } = saved;
    await this.ps.saveSetting(CHOICE_SETTING, rest);
  }

  async setRule(rule: SelectionRule): Promise<void> {
    if (!Number.isFinite(rule.threshold)) return; // the threshold field is being typed in
    await saveChoice(this.ps, this.set, { rule });
  }

  /** Counts the funnel, the round comparison and the disagreements with the person's decisions. */
  async recount(): Promise<void> {
    const store = this.ps.store;
    const set = this.set;
    const generation = ++this.#generation;
    if (!store || !set.source) {
      this.funnel = null;
      this.comparison = null;
      this.overrides = null;
      return;
    }
    // The deciding run may have changed since `adopt`: never compare a round with itself.
    const others = this.otherRounds;
    const other = others.find((r) => r.id === this.compareRunId) ?? others.at(-1);
    this.compareRunId = other?.id ?? null;
    const deciding = this.runs.find((r) => r.id === set.decidingRunId);
    this.counting = true;
    try {
      const funnel = await funnelOf(store, set);
      // Round order is the order the runs were made in (M0 before M1).
      const pair = other && deciding ? [other, deciding].sort((a, b) => a.createdAt - b.createdAt) : [];
      const comparison = pair[0] && pair[1] ? await compareRoundsInStore(store, pair[0].id, pair[1].id) : null;
      const overrides = deciding ? await overridesOf(store, set, deciding.id, roundOfRun(deciding)) : null;
      if (generation !== this.#generation) return; // a newer recount started meanwhile
      this.funnel = funnel;
      this.comparison = comparison;
      this.overrides = overrides;
    } catch (err) {
      this.ps.notices.error(err, 'Counting the kept pairs');
    } finally {
      if (generation === this.#generation) this.counting = false;
    }
  }
}
