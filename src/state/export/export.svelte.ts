/**
 * The export step: the options the user picks (format, source tags, seed pairs, threshold),
 * the streamed export with progress, ETA and cancel, and the dataset card.
 *
 * `run` and `saveCard` ask where to save before anything else: the file picker needs the
 * user's click, and an earlier await would lose it, so call them straight from the click
 * handler. The pairs are the curated set (core/curation/curated-set.ts), the same the review
 * shows and the trainer gets; the rule and "seeds in" shown here are that set's, and changing
 * them here changes them for every step. With nothing generated yet, the export holds the seed
 * pairs alone.
 */
import type { ResponseChoice } from '../../core/curation/rewrite-use.ts';
import { JSONL_TYPE, MARKDOWN_TYPE, exportToTarget, writeTextToTarget } from '../../adapters/export/export-file.ts';
import { openSaveTarget, type SaveTarget } from '../../adapters/export/save-target.ts';
import { datasetCard, type PromptInfo } from '../../core/export/card.ts';
import { curatedSetOf, type CuratedSet } from '../../core/curation/curated-set.ts';
import { PAIR_STATUSES } from '../../core/curation/pair.ts';
import type { SelectionRule } from '../../core/stages/select.ts';
import { exportOptionsOf, writeExport, type ExportChoice, type ExportOptions, type ExportProgress, type ExportReport } from '../../core/export/stream.ts';
import { exportFileName, type ExportFormat } from '../../core/export/writers.ts';
import { RateWindow } from '../../core/progress.ts';
import type { Run } from '../../core/records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { saveChoice, savedChoice } from '../review/curation.ts';
import type { PromptTemplate } from '../../core/stages/prompts.ts';
import { TemplateBook } from '../stages/stage-forms.svelte.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export interface ExportRun {
  phase: ExportProgress['phase'] | 'card';
  done: number;
  total: number;
  lines: number;
  bytes: number;
  rate: number | null;
  eta: number | null;
}

export interface FinishedExport {
  fileName: string;
  target: SaveTarget['kind'];
  options: ExportOptions;
  report: ExportReport;
}

type Open = (name: string, type: string) => Promise<SaveTarget>;

const promptText = (t: { system?: unknown; user: string }): string => `${typeof t.system === 'string' && t.system !== '' ? `${t.system}\n\n` : ''}${t.user}`;

export function backwardPromptInfo(t: PromptTemplate): PromptInfo {
  return { name: t.id, version: t.version, text: promptText(t) };
}

/** The templates the runs used, for the card (each id and version once). */
export function promptsOf(runs: readonly Run[]): PromptInfo[] {
  const out = new Map<string, PromptInfo>();
  for (const run of [...runs].sort((a, b) => a.createdAt - b.createdAt)) {
    const t = (run.settings as { template?: { id?: unknown; version?: unknown; system?: unknown; user?: unknown } }).template;
    if (!t || typeof t.id !== 'string' || typeof t.version !== 'number' || typeof t.user !== 'string') continue;
    out.set(`${t.id}@${t.version}`, { name: t.id, version: t.version, text: promptText({ system: t.system, user: t.user }) });
  }
  return [...out.values()];
}

const sameOptions = (a: ExportOptions, b: ExportOptions): boolean => JSON.stringify(a) === JSON.stringify(b);

export class ExportState {
  format = $state<ExportFormat>('messages');
  sourceTags = $state(false);
  /** Write every pair whatever its status (useful with the full-record format). */
  allStatuses = $state(false);
  running = $state<ExportRun | null>(null);
  last = $state.raw<FinishedExport | null>(null);
  /** The project's stage runs as last read (`load`). */
  runs = $state.raw<Run[]>([]);
  /** The curated set the export writes: the saved choice over the stored runs. */
  get set(): CuratedSet {
    return curatedSetOf(this.runs, savedChoice(this.ps));
  }
  readonly ps: ProjectState;
  readonly #open: Open;
  #controller: AbortController | null = null;

  constructor(ps: ProjectState, open: Open = (name, type) => openSaveTarget(name, type)) {
    this.ps = ps;
    this.#open = open;
  }

  /** Reads the stored runs, so `set` is current (call when the step opens). */
  async load(): Promise<void> {
    const store = await this.ps.open();
    if (!store) return;
    try {
      this.runs = await store.listRuns();
    } catch (err) {
      this.ps.notices.error(err, 'Reading the runs');
    }
  }

  get fileName(): string {
    return exportFileName(this.ps.project.name, this.format);
  }

  /** Changes the curated set's rule — for every step, not just this file. */
  async setRule(rule: SelectionRule): Promise<void> {
    await saveChoice(this.ps, this.set, { rule });
  }

  /** Seeds in or out of the curated set — the trainer's forward data follows. */
  async setIncludeSeeds(includeSeeds: boolean): Promise<void> {
    await saveChoice(this.ps, this.set, { includeSeeds });
  }

  /** Original, rewritten or both responses (issue 19): part of the curated set, so Train follows it too. */
  async setResponses(responses: ResponseChoice): Promise<void> {
    await saveChoice(this.ps, this.set, { responses });
  }

  choice(): ExportChoice {
    return { format: this.format, sourceTags: this.sourceTags, statuses: this.allStatuses ? [...PAIR_STATUSES] : ['kept'] };
  }

  async #source(store: ProjectStore): Promise<{ set: CuratedSet; runs: Run[] }> {
    const runs = await store.listRuns();
    this.runs = runs;
    return { set: curatedSetOf(runs, savedChoice(this.ps)), runs };
  }

  /** Asks where to save (the picker: call this straight from a click), then streams the export there. */
  async run(): Promise<void> {
    const fileName = this.fileName;
    const picked = this.#open(fileName, JSONL_TYPE);
    await this.#work('Exporting', picked, async (store, target, control) => {
      const { set } = await this.#source(store);
      if (!set.source && !set.includeSeeds) throw new NothingToExport();
      const report = await exportToTarget(store, set, this.choice(), target, control);
      this.last = { fileName: target.name, target: target.kind, options: report.options, report };
    });
  }

  /**
   * Saves README.md for the last export, or — when the options changed since, or nothing was
   * exported yet — counts what an export with these options would hold (nothing is written).
   */
  async saveCard(): Promise<void> {
    const picked = this.#open('README.md', MARKDOWN_TYPE);
    await this.#work('Saving the dataset card', picked, async (store, target, control) => {
      const { set, runs } = await this.#source(store);
      const options = exportOptionsOf(set, this.choice());
      let last = this.last;
      if (!last || !sameOptions(last.options, options) || last.fileName !== this.fileName) {
        const report = await writeExport(store, set, this.choice(), async () => undefined, control);
        last = { fileName: this.fileName, target: target.kind, options, report };
      }
      const used = runs.filter((r) => r.id === set.augmentRunId || set.rounds.some((x) => x.runId === r.id));
      const text = datasetCard({
        projectName: this.ps.project.name,
        fileName: last.fileName,
        report: last.report,
        options,
        curation: set.label,
        backwardTemplate: backwardPromptInfo(new TemplateBook(this.ps).get('augment-finetuned')),
        settings: $state.snapshot(this.ps.project.settings),
        prompts: promptsOf(used),
        exportedAt: Date.now(),
      });
      await writeTextToTarget(text, target);
    });
  }

  cancel(): void {
    this.#controller?.abort();
  }

  async #work(
    what: string,
    picked: Promise<SaveTarget>,
    body: (store: ProjectStore, target: SaveTarget, control: { signal: AbortSignal; onProgress: (p: ExportProgress) => void }) => Promise<void>,
  ): Promise<void> {
    let target: SaveTarget;
    try {
      target = await picked;
    } catch (err) {
      // A closed picker is the user's choice, not an error.
      if ((err as Error).name !== 'AbortError') this.ps.notices.error(err, what);
      return;
    }
    const controller = (this.#controller = new AbortController());
    const rate = new RateWindow();
    this.running = { phase: 'seeds', done: 0, total: 0, lines: 0, bytes: 0, rate: null, eta: null };
    const onProgress = (p: ExportProgress): void => {
      rate.add({ at: Date.now(), done: p.done });
      const e = rate.estimate(p.total);
      this.running = { ...p, rate: e.rate, eta: e.etaSeconds };
    };
    try {
      const store = await this.ps.open();
      if (!store) throw new Error('The project could not be opened.');
      await body(store, target, { signal: controller.signal, onProgress });
    } catch (err) {
      await target.stream.abort(err).catch(() => undefined);
      const name = (err as Error).name;
      if (name === 'AbortError') this.ps.notices.info('Export cancelled', 'Nothing was saved. Press the button again to start over.');
      else if (err instanceof NothingToExport) this.ps.notices.info('Nothing to export', err.message);
      else this.ps.notices.error(err, what);
    } finally {
      this.running = null;
      this.#controller = null;
    }
  }
}

class NothingToExport extends Error {
  constructor() {
    super('No instructions were generated yet, so only the seed pairs can be exported: tick "Include the seed pairs" (it changes the curated set for training too), then export again.');
    this.name = 'NothingToExport';
  }
}
