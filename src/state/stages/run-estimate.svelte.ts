/**
 * The estimate shown before Start on the Generate and Rate steps (see core/stages/estimate.ts):
 * what the form would run now, measured from the store. Texts are sampled from the first 1,000
 * items (enough for a mean; a 500,000-segment corpus is not read for an estimate), and the speed
 * comes from the last finished run of the same stage with the chosen model.
 */
import type { Candidate, Segment, SeqRecord } from '../../core/records.ts';
import { estimateRun, seenRun, type RunEstimate, type SeenRun } from '../../core/stages/estimate.ts';
import { runModel } from '../../core/stages/run-settings.ts';
import { CURATE_SAMPLING } from '../../core/stages/stage.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { EngineState } from '../engines/engines.svelte.ts';
import { ROLE_OF, type StageId, type StagesState } from './stages.svelte.ts';

const SAMPLE = 1000;

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

export class RunEstimates {
  /** No estimate for the rewrite step yet (issue 19): its RunPanel shows rate and ETA once a run goes. */
  current = $state<Record<StageId, RunEstimate | null>>({ augment: null, curate: null, rewrite: null });
  readonly #stages: StagesState;
  readonly #engines: EngineState;

  constructor(stages: StagesState, engines: EngineState) {
    this.#stages = stages;
    this.#engines = engines;
  }

  async refresh(stage: StageId): Promise<void> {
    const store = this.#stages.ps.store;
    if (!store) return;
    try {
      this.current[stage] = stage === 'augment' ? await this.#augment(store) : stage === 'curate' ? await this.#curate(store) : null;
    } catch (err) {
      this.#stages.ps.notices.error(err, 'Estimating the run');
    }
  }

  async #augment(store: ProjectStore): Promise<RunEstimate> {
    const s = this.#stages;
    const v = s.augmentForm.values;
    const t = s.templates.get(s.augmentForm.templateId);
    const examples = v.mode === 'prompted' ? (s.examples ?? []) : [];
    const segments = await store.page<Segment>('segments', 0, SAMPLE);
    return estimateRun({
      items: (await store.info('segments')).count,
      fixedChars: t.system.length + t.user.length + examples.reduce((n, e) => n + e.instruction.length + e.response.length, 0),
      meanItemChars: mean(segments.map((x) => x.chars)),
      measuredPromptTokens: s.budgets?.measured.augment?.promptTokens ?? null,
      maxReplyTokens: v.sampling.maxTokens,
      seen: await this.#seen(store, 'augment'),
    });
  }

  async #curate(store: ProjectStore): Promise<RunEstimate | null> {
    const s = this.#stages;
    const source = s.runs.find((r) => r.id === s.curateForm.augmentRunId);
    if (!source) return null;
    const t = s.templates.get(s.curateForm.templateId);
    const [candidates, segments] = await Promise.all([store.page<Candidate>(`candidates:${source.id}`, 0, SAMPLE), store.page<Segment>('segments', 0, SAMPLE)]);
    return estimateRun({
      items: source.progress.outcomes['ok'] ?? 0,
      fixedChars: t.system.length + t.user.length,
      meanItemChars: mean(candidates.map((c) => c.instruction.length)) + mean(segments.map((x) => x.chars)),
      measuredPromptTokens: s.budgets?.measured.curate?.promptTokens ?? null,
      // Fast mode asks for one token (a few without constrained decoding); reasoned mode up to its limit.
      maxReplyTokens: s.curateForm.values.mode === 'fast' ? 4 : CURATE_SAMPLING.maxTokens,
      seen: await this.#seen(store, 'curate'),
    });
  }

  /** The last finished run of this stage with the model chosen for its role: reply tokens per item and speed. */
  async #seen(store: ProjectStore, stage: StageId): Promise<SeenRun | null> {
    const model = this.#engines.choice(ROLE_OF[stage])?.model;
    if (!model) return null;
    const run = this.#stages.byStage(stage).filter((r) => r.status === 'done' && runModel(r)?.model === model).at(-1);
    if (!run) return null;
    const results = await store.page<SeqRecord & { usage?: { completionTokens: number } }>(`${stage === 'augment' ? 'candidates' : 'ratings'}:${run.id}`, 0, SAMPLE);
    return seenRun(model, run.progress, results.flatMap((r) => (r.usage ? [r.usage] : [])));
  }
}
