/**
 * The export step: the options the user picks (format, source tags, seed pairs, threshold),
 * the streamed export with progress, ETA and cancel, and the dataset card.
 *
 * `run` and `saveCard` ask where to save before anything else: the file picker needs the
 * user's click, and an earlier await would lose it, so call them straight from the click
 * handler. The pairs are those the review shows (the runs chosen in the stages step, see
 * pair-source.ts); with nothing generated yet, the export holds the seed pairs alone.
 */
import { JSONL_TYPE, MARKDOWN_TYPE, exportToTarget, writeTextToTarget } from '../../adapters/export/export-file.ts';
import { openSaveTarget, type SaveTarget } from '../../adapters/export/save-target.ts';
import { datasetCard, type PromptInfo } from '../../core/export/card.ts';
import { PAIR_STATUSES, type Selection } from '../../core/export/pairs.ts';
import { writeExport, type ExportOptions, type ExportProgress, type ExportReport } from '../../core/export/stream.ts';
import { exportFileName, type ExportFormat } from '../../core/export/writers.ts';
import { RateWindow } from '../../core/progress.ts';
import type { Run } from '../../core/records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { reviewSourceOf, savedSelection, type ReviewSource } from '../review/pair-source.ts';
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

/** The templates the runs used, for the card (each id and version once). */
export function promptsOf(runs: readonly Run[]): PromptInfo[] {
  const out = new Map<string, PromptInfo>();
  for (const run of [...runs].sort((a, b) => a.createdAt - b.createdAt)) {
    const t = (run.settings as { template?: { id?: unknown; version?: unknown; system?: unknown; user?: unknown } }).template;
    if (!t || typeof t.id !== 'string' || typeof t.version !== 'number' || typeof t.user !== 'string') continue;
    const system = typeof t.system === 'string' && t.system !== '' ? `${t.system}\n\n` : '';
    out.set(`${t.id}@${t.version}`, { name: t.id, version: t.version, text: `${system}${t.user}` });
  }
  return [...out.values()];
}

const sameOptions = (a: ExportOptions, b: ExportOptions): boolean => JSON.stringify(a) === JSON.stringify(b);

export class ExportState {
  format = $state<ExportFormat>('messages');
  sourceTags = $state(false);
  includeSeeds = $state(true);
  minScore = $state(4);
  useExpected = $state(false);
  /** Write every pair whatever its status (useful with the full-record format). */
  allStatuses = $state(false);
  running = $state<ExportRun | null>(null);
  last = $state.raw<FinishedExport | null>(null);
  readonly ps: ProjectState;
  readonly #open: Open;
  #controller: AbortController | null = null;

  constructor(ps: ProjectState, open: Open = (name, type) => openSaveTarget(name, type)) {
    this.ps = ps;
    this.#open = open;
    const saved = savedSelection(ps.setting<unknown>('selection', null));
    if (saved) {
      this.minScore = saved.rule.threshold;
      this.useExpected = saved.rule.by === 'expected';
    }
  }

  get fileName(): string {
    return exportFileName(this.ps.project.name, this.format);
  }

  options(rs: ReviewSource | undefined): ExportOptions {
    const selection: Selection = { minScore: this.minScore, useExpected: this.useExpected };
    if (rs?.selection.round !== undefined) selection.round = rs.selection.round;
    return {
      format: this.format,
      includeSeeds: this.includeSeeds,
      sourceTags: this.sourceTags,
      selection,
      statuses: this.allStatuses ? [...PAIR_STATUSES] : ['kept'],
    };
  }

  async #source(store: ProjectStore): Promise<{ rs: ReviewSource | undefined; runs: Run[] }> {
    const runs = await store.listRuns();
    return { rs: reviewSourceOf(runs, savedSelection(this.ps.setting<unknown>('selection', null))), runs };
  }

  /** Asks where to save (the picker: call this straight from a click), then streams the export there. */
  async run(): Promise<void> {
    const fileName = this.fileName;
    const picked = this.#open(fileName, JSONL_TYPE);
    await this.#work('Exporting', picked, async (store, target, control) => {
      const { rs } = await this.#source(store);
      if (!rs && !this.includeSeeds) throw new NothingToExport();
      const options = this.options(rs);
      const report = await exportToTarget(store, rs?.source, options, target, control);
      this.last = { fileName: target.name, target: target.kind, options, report };
    });
  }

  /**
   * Saves README.md for the last export, or — when the options changed since, or nothing was
   * exported yet — counts what an export with these options would hold (nothing is written).
   */
  async saveCard(): Promise<void> {
    const picked = this.#open('README.md', MARKDOWN_TYPE);
    await this.#work('Saving the dataset card', picked, async (store, target, control) => {
      const { rs, runs } = await this.#source(store);
      const options = this.options(rs);
      let last = this.last;
      if (!last || !sameOptions(last.options, options) || last.fileName !== this.fileName) {
        const report = await writeExport(store, rs?.source, options, async () => undefined, control);
        last = { fileName: this.fileName, target: target.kind, options, report };
      }
      const used = rs ? runs.filter((r) => rs.source.candidates === `candidates:${r.id}` || rs.rounds.some((x) => x.runId === r.id)) : [];
      const text = datasetCard({
        projectName: this.ps.project.name,
        fileName: last.fileName,
        report: last.report,
        options,
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
    super('No instructions were generated yet, so only the seed pairs can be exported: tick "Include the seed pairs", then export again.');
    this.name = 'NothingToExport';
  }
}
