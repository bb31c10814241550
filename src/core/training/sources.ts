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
import { DEFAULT_SELECTION, type Selection } from '../export/pairs.ts';
import { pairSourceOf, writeExport } from '../export/stream.ts';
import { BACKWARD_PROMPT, exportReversedJsonl, type BackwardPrompt } from '../seed/reverse.ts';
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
}

/** Every seed pair, reversed, as chat lines (system → user: the response → assistant: the instruction). */
export async function reversedSeedLines(store: ProjectStore, prompt: BackwardPrompt = BACKWARD_PROMPT): Promise<SourceLines> {
  const parts: string[] = [];
  let lines = 0;
  await store.scan<SeedPair>('seeds', (seeds) => {
    const chunk = exportReversedJsonl(seeds, { shape: 'messages' }, prompt);
    parts.push(chunk.text);
    lines += chunk.lines;
  });
  return { jsonl: new Blob(parts, { type: 'application/jsonl' }), lines, seeds: lines, curated: 0 };
}

export interface CuratedOptions {
  selection?: Selection;
  /** Write the seed pairs too (the paper trains on seed + A_k). */
  includeSeeds?: boolean;
  /** The paper's source tags as system prompts (worth ~4–7 win-rate points, Table 8). */
  sourceTags?: boolean;
  signal?: AbortSignal;
}

/** Seed pairs and the kept curated pairs as tagged chat lines, through the export's own walk. */
export async function curatedLines(store: ProjectStore, options: CuratedOptions = {}): Promise<SourceLines> {
  const includeSeeds = options.includeSeeds ?? true;
  const parts: Uint8Array[] = [];
  const source = pairSourceOf(await store.listRuns());
  const report = await writeExport(
    store,
    source,
    {
      format: 'messages',
      includeSeeds,
      sourceTags: options.sourceTags ?? true,
      selection: options.selection ?? DEFAULT_SELECTION,
      statuses: ['kept'],
    },
    async (bytes) => {
      parts.push(bytes);
    },
    { signal: options.signal },
  );
  const { seed, generated } = report.tally.written;
  return { jsonl: new Blob(parts as BlobPart[], { type: 'application/jsonl' }), lines: report.lines, seeds: seed, curated: generated };
}
