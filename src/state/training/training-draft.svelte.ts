/**
 * The training set and settings being put together, before they go to a trainer or into a
 * bundle: where the data comes from (reversed seeds → backward model; seed + curated pairs →
 * forward model; or a JSONL file the user drops), the prepared data (checked line by line and
 * counted, so the defaults can scale with it) and the config the form edits. Preparing again
 * keeps the base model the user typed; everything else takes the defaults for the new size.
 */
import type { CuratedSet } from '../../core/curation/curated-set.ts';
import type { PromptTemplate } from '../../core/stages/prompts.ts';
import type { Issue } from '../../core/result.ts';
import { defaultTrainingConfig, validateTrainingConfig, type TrainingConfig, type TrainingPurpose } from '../../core/training/config.ts';
import { prepareDataset, type PreparedDataset } from '../../core/training/dataset.ts';
import { curatedLines, PURPOSE_OF_SOURCE, reversedSeedLines, type SourceLines, type TrainingSourceKind } from '../../core/training/sources.ts';
import type { ProjectStore } from '../../ports/store.ts';

export interface PreparedSummary {
  examples: number;
  /** Seed and curated pairs among them (store sources only). */
  seeds: number | null;
  curated: number | null;
  /** The shape the lines arrived in (a dropped file may be alpaca, sharegpt, reversed...). */
  shape: string;
  bytes: number;
  /** Where the lines came from, in words (the curated set, or the template the seeds were reversed with). */
  provenance: string | null;
}

/** What the project says the store-backed sources are: the curated set and the fine-tuned generation template. */
export interface DraftContext {
  set: CuratedSet;
  backwardTemplate: PromptTemplate;
}

export class TrainingDraft {
  source = $state<TrainingSourceKind>('reversed-seeds');
  /** Forward data: whether examples are tagged. Which pairs (and whether seeds come along) is the curated set's. */
  sourceTags = $state(true);
  /** A dropped file and what the user says it trains. */
  file = $state.raw<File | null>(null);
  filePurpose = $state<TrainingPurpose>('forward');

  prepared = $state.raw<PreparedDataset | null>(null);
  summary = $state<PreparedSummary | null>(null);
  issue = $state<Issue | null>(null);
  preparing = $state(false);
  config = $state<TrainingConfig | null>(null);
  suffix = $state('');

  get purpose(): TrainingPurpose {
    return this.source === 'file' ? this.filePurpose : PURPOSE_OF_SOURCE[this.source];
  }

  /** What is wrong with the config, for the form; empty when it can be sent. */
  get configIssues(): Issue[] {
    return this.config ? validateTrainingConfig(this.config) : [];
  }

  get ready(): boolean {
    return this.prepared !== null && this.config !== null && this.configIssues.length === 0 && !this.preparing;
  }

  /** A plain copy of the config (the form edits a deep $state proxy). */
  configSnapshot(): TrainingConfig | null {
    return this.config ? $state.snapshot(this.config) : null;
  }

  choose(source: TrainingSourceKind): void {
    this.source = source;
    this.#clear();
  }

  useFile(file: File): void {
    this.source = 'file';
    this.file = file;
    // A file of reversed pairs can only train the backward model.
    if (/reversed/i.test(file.name)) this.filePurpose = 'backward';
    this.#clear();
  }

  /** Says what a dropped file trains; the settings go back to that model's defaults. */
  setFilePurpose(purpose: TrainingPurpose): void {
    this.filePurpose = purpose;
    if (this.source === 'file' && this.prepared) this.#defaults(this.prepared.examples);
  }

  #defaults(examples: number): void {
    const baseModel = this.config?.baseModel ?? '';
    this.config = defaultTrainingConfig({ purpose: this.purpose, examples, baseModel });
    if (this.suffix.trim() === '' || /^(backward|forward)(-|$)/.test(this.suffix)) this.suffix = `${this.purpose}-${examples}`;
  }

  #clear(): void {
    this.prepared = null;
    this.summary = null;
    this.issue = null;
  }

  /** Reads the chosen source and checks every line; sets `prepared` or `issue`. */
  async prepare(store: ProjectStore, context: DraftContext): Promise<void> {
    this.preparing = true;
    this.#clear();
    try {
      let lines: SourceLines | null = null;
      let input: Blob;
      if (this.source === 'file') {
        if (!this.file) {
          this.issue = { code: 'no-file', message: 'Drop a JSONL file (an earlier export) or choose one first.' };
          return;
        }
        input = this.file;
      } else {
        lines = this.source === 'reversed-seeds'
          ? await reversedSeedLines(store, context.backwardTemplate)
          : await curatedLines(store, context.set, { sourceTags: this.sourceTags });
        input = lines.jsonl;
      }
      const result = await prepareDataset(input);
      if (!result.ok) {
        this.issue = result.issue.code === 'empty-dataset' ? { ...result.issue, message: emptyMessage(this.source) } : result.issue;
        return;
      }
      const data = result.value;
      if (this.source === 'file' && data.sourceShape === 'reversed') this.filePurpose = 'backward';
      this.prepared = data;
      this.summary = {
        examples: data.examples, seeds: lines?.seeds ?? null, curated: lines?.curated ?? null, shape: data.sourceShape, bytes: data.bytes,
        provenance: lines?.provenance ?? null,
      };
      this.#defaults(data.examples);
    } finally {
      this.preparing = false;
    }
  }
}

function emptyMessage(source: TrainingSourceKind): string {
  if (source === 'reversed-seeds') return 'The project has no seed pairs yet. Import seed pairs in step 1, or drop an earlier export below.';
  if (source === 'curated') return 'No seed pairs and no kept pairs yet. Import seeds, generate and rate pairs — or drop an earlier export below.';
  return 'The file has no training examples.';
}
