/**
 * Where a training set comes from, read from the project store as JSON Lines that
 * `prepareDataset` then checks and converts. The paper trains two models (METHOD.md):
 * - the **backward** model M_yx on the seed pairs *reversed* — the response is the input, the
 *   instruction the target — worded with the same prompt the augmentation stage asks it with;
 * - the **forward** model on seed pairs plus the curated set A_k, each example tagged by source
 *   with the paper's system prompts. These lines are the export's own (`writeExport`), so what
 *   the user exports and what the trainer receives can never drift apart.
 * A third source, a JSONL file the user drops (an earlier export), needs no store and goes to
 * `prepareDataset` as it is.
 */
import type { SeedPair } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { CuratedSet } from '../curation/curated-set.ts';
import { writeExport } from '../export/stream.ts';
import { exportReversedJsonl } from '../seed/reverse.ts';
import type { PromptTemplate } from '../stages/prompts.ts';
import type { TrainingPurpose } from './config.ts';

export type TrainingSourceKind = 'reversed-seeds' | 'curated' | 'file';

/** Which model each store-backed source trains. */
export const PURPOSE_OF_SOURCE: Readonly<Record<Exclude<TrainingSourceKind, 'file'>, TrainingPurpose>> = {
  'reversed-seeds': 'backward',
  curated: 'forward',
};

export interface SourceLines {
  jsonl: Blob;
  lines: number;
  /** Seed pairs among the lines. */
  seeds: number;
  /** Curated (generated) pairs among the lines. */
  curated: number;
  /** Where the lines came from, in words, for the bundle README ("the curated set: …", "template … v3"). */
  provenance: string;
}

/**
 * Every seed pair, reversed, as chat lines (system → user: the response → assistant: the
 * instruction), worded with the project's current fine-tuned augmentation template — the words
 * generation will ask the trained model with. Pass `TemplateBook.get('augment-finetuned')`.
 */
export async function reversedSeedLines(store: ProjectStore, template: PromptTemplate): Promise<SourceLines> {
  const parts: string[] = [];
  let lines = 0;
  const prompt = { system: template.system, user: template.user };
  await store.scan<SeedPair>('seeds', (seeds) => {
    const chunk = exportReversedJsonl(seeds, { shape: 'messages' }, prompt);
    parts.push(chunk.text);
    lines += chunk.lines;
  });
  const provenance = `the seed pairs reversed, worded with the fine-tuned generation template "${template.id}" version ${template.version}`;
  return { jsonl: new Blob(parts, { type: 'application/jsonl' }), lines, seeds: lines, curated: 0, provenance };
}

export interface CuratedOptions {
  /** The paper's source tags as system prompts (worth ~4–7 win-rate points, Table 8). */
  sourceTags?: boolean;
  signal?: AbortSignal;
}

/**
 * The curated set (seed pairs when it includes them, then the kept pairs) as tagged chat lines,
 * through the export's own walk: the trainer receives exactly the lines a messages export holds.
 */
export async function curatedLines(store: ProjectStore, set: CuratedSet, options: CuratedOptions = {}): Promise<SourceLines> {
  const parts: Uint8Array[] = [];
  const report = await writeExport(
    store,
    set,
    { format: 'messages', sourceTags: options.sourceTags ?? true, statuses: ['kept'] },
    async (bytes) => {
      parts.push(bytes);
    },
    { signal: options.signal },
  );
  const { seed, generated } = report.tally.written;
  return { jsonl: new Blob(parts as BlobPart[], { type: 'application/jsonl' }), lines: report.lines, seeds: seed, curated: generated, provenance: `the curated set: ${set.label}` };
}
