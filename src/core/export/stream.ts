/**
 * Walks a project's pairs a stored chunk at a time and writes the chosen ones as JSONL bytes.
 * Memory stays bounded by two chunks (1,000 segments each, with their candidates and ratings),
 * however many rows the project holds: nothing is collected, each chunk is joined, written, and
 * dropped, while the next one is being read.
 * Pure apart from the store port and the `write` sink, so it runs in node against the memory
 * store and in the browser against IndexedDB unchanged.
 */
import { AbortedError } from '../errors.ts';
import type { SeedPair } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { CuratedSet } from '../curation/curated-set.ts';
import { selectionOf, type PairStatus, type Selection } from '../curation/pair.ts';
import { emptyRewriteCounts, responsesFor, type ResponseChoice, type RewriteCounts } from '../curation/rewrite-use.ts';
import { walkPairs } from '../curation/walk.ts';
import { JsonlBuffer } from './jsonl.ts';
import { emptyTally, tallyPair, tallyWritten, type PairTally } from './tally.ts';
import { exampleOf, exportRecord, type ExportFormat, type ExportRow } from './writers.ts';

/** What the user picks on the Export step; the pairs themselves are the curated set's. */
export interface ExportChoice {
  format: ExportFormat;
  sourceTags: boolean;
  /** Which pairs to write; kept only, unless asked (the full format is often wanted for all). */
  statuses: readonly PairStatus[];
}

/** Everything that decided a file's contents, as the dataset card states it. */
export interface ExportOptions extends ExportChoice {
  /** The seed pairs come first (tagged as seed when `sourceTags`): the curated set says whether. */
  includeSeeds: boolean;
  /** The curated set's rule and round. */
  selection: Selection;
  /** The curated set's choice of responses once rewritten; absent means the original responses. */
  responses?: ResponseChoice;
}

/** The options an export of `set` with `choice` runs with (the one place they are put together). */
export function exportOptionsOf(set: CuratedSet, choice: ExportChoice): ExportOptions {
  const out: ExportOptions = { ...choice, statuses: [...choice.statuses], includeSeeds: set.includeSeeds, selection: selectionOf(set) };
  if (set.responses !== 'original') out.responses = set.responses;
  return out;
}
export interface ExportProgress {
  phase: 'seeds' | 'pairs';
  /** Seeds plus segments walked so far, of `total`. */
  done: number;
  total: number;
  lines: number;
  bytes: number;
}

export interface ExportReport {
  format: ExportFormat;
  /** What decided the contents (for the dataset card). */
  options: ExportOptions;
  lines: number;
  bytes: number;
  /** Lone surrogates replaced by U+FFFD across the file. */
  replaced: number;
  tally: PairTally;
  /** Where the set has a rewrite run: the kept pairs by what became of their rewrite, and the rewritten examples written. */
  rewrites?: { kept: RewriteCounts; written: number };
}

export interface ExportControl {
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

/**
 * Writes the export through `write` (called with UTF-8 bytes, awaited, so a slow disk holds the
 * walk back) and returns what was written with the counts for the dataset card.
 */
export async function writeExport(
  store: ProjectStore,
  set: CuratedSet,
  choice: ExportChoice,
  write: (bytes: Uint8Array) => Promise<void>,
  control: ExportControl = {},
): Promise<ExportReport> {
  const { signal, onProgress } = control;
  const options = exportOptionsOf(set, choice);
  const source = set.source;
  const encoder = new TextEncoder();
  const buffer = new JsonlBuffer();
  const tally = emptyTally();
  const wanted = new Set(options.statuses);
  const writerOpts = { sourceTags: options.sourceTags, selection: options.selection };
  const responses = options.responses ?? 'original';
  const rewrites = set.rewriteRunId ? { kept: emptyRewriteCounts(), written: 0 } : undefined;
  let bytes = 0;
  let done = 0;

  const [seedInfo, segmentInfo] = await Promise.all([store.info('seeds'), store.info('segments')]);
  const total = (options.includeSeeds ? seedInfo.count : 0) + (source ? segmentInfo.count : 0);

  const flush = async (phase: ExportProgress['phase']): Promise<void> => {
    if (signal?.aborted) throw new AbortedError('Export cancelled; the file holds only the rows written so far.');
    if (buffer.pending) {
      const chunk = encoder.encode(buffer.take());
      bytes += chunk.byteLength;
      await write(chunk);
    }
    onProgress?.({ phase, done, total, lines: buffer.lines, bytes });
  };
  const add = (row: ExportRow): void => {
    buffer.add(exportRecord(options.format, row, writerOpts));
    tallyWritten(tally, exampleOf(row));
  };

  if (options.includeSeeds) {
    await store.scan<SeedPair>('seeds', async (seeds) => {
      for (const seed of seeds) add({ origin: 'seed', seed });
      done += seeds.length;
      await flush('seeds');
    });
  }

  if (source) {
    await walkPairs(store, set, async (pairs) => {
      for (const pair of pairs) {
        tallyPair(tally, pair);
        if (rewrites && pair.status === 'kept') rewrites.kept[pair.rewriteVerdict]++;
        if (!wanted.has(pair.status)) continue;
        for (const { rewritten } of responsesFor(responses, pair.rewriteVerdict)) {
          add({ origin: 'generated', pair, rewritten });
          if (rewritten && rewrites) rewrites.written++;
        }
      }
      done += pairs.length;
      await flush('pairs');
    }, signal);
  }
  await flush(source ? 'pairs' : 'seeds');
  const report: ExportReport = { format: options.format, options, lines: buffer.lines, bytes, replaced: buffer.replaced, tally };
  if (rewrites) report.rewrites = rewrites;
  return report;
}
