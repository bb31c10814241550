/**
 * Walks a project's pairs a stored chunk at a time and writes the chosen ones as JSONL bytes.
 * Memory stays bounded by two chunks (1,000 segments each, with their candidates and ratings),
 * however many rows the project holds: nothing is collected, each chunk is joined, written, and
 * dropped, while the next one is being read.
 * Pure apart from the store port and the `write` sink, so it runs in node against the memory
 * store and in the browser against IndexedDB unchanged.
 */
import { AbortedError } from '../errors.ts';
import type { Candidate, Collection, ItemFailure, Rating, Run, Segment, SeedPair } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { JsonlBuffer } from './jsonl.ts';
import { joinPairs, type PairStatus, type Selection } from './pairs.ts';
import { emptyTally, tallyPair, tallyWritten, type PairTally } from './tally.ts';
import { exampleOf, exportRecord, type ExportFormat, type ExportRow } from './writers.ts';

/** The collections that hold one project's pairs. */
export interface PairSource {
  candidates: Collection;
  /** Rating collections, oldest run first (a later run of the same round wins). */
  ratings: Collection[];
  /** Failure collections of the augment and curate runs. */
  failures: Collection[];
}

export interface ExportOptions {
  format: ExportFormat;
  /** Write the seed pairs first (tagged as seed when `sourceTags`). */
  includeSeeds: boolean;
  sourceTags: boolean;
  selection: Selection;
  /** Which pairs to write; kept only, unless asked (the full format is often wanted for all). */
  statuses: readonly PairStatus[];
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
  lines: number;
  bytes: number;
  /** Lone surrogates replaced by U+FFFD across the file. */
  replaced: number;
  tally: PairTally;
}

export interface ExportControl {
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

/** The latest augment run and every curate run after it, from the project's runs; undefined when nothing was generated. */
export function pairSourceOf(runs: readonly Run[]): PairSource | undefined {
  const augments = runs.filter((r) => r.stage === 'augment').sort((a, b) => a.createdAt - b.createdAt);
  const augment = augments[augments.length - 1];
  if (!augment) return undefined;
  const curates = runs.filter((r) => r.stage === 'curate' && r.createdAt >= augment.createdAt).sort((a, b) => a.createdAt - b.createdAt);
  return {
    candidates: `candidates:${augment.id}`,
    ratings: curates.map((r) => `ratings:${r.id}` as const),
    failures: [`failures:${augment.id}`, ...curates.map((r) => `failures:${r.id}` as const)],
  };
}

/** Last failure per seq across the failure collections (later collections win). */
function mergeFailures(perRun: readonly (readonly (ItemFailure | undefined)[])[], n: number): (ItemFailure | undefined)[] {
  const out: (ItemFailure | undefined)[] = new Array<ItemFailure | undefined>(n).fill(undefined);
  for (const run of perRun) run.forEach((f, i) => void (f && (out[i] = f)));
  return out;
}

/**
 * Writes the export through `write` (called with UTF-8 bytes, awaited, so a slow disk holds the
 * walk back) and returns what was written with the counts for the dataset card.
 */
export async function writeExport(
  store: ProjectStore,
  source: PairSource | undefined,
  options: ExportOptions,
  write: (bytes: Uint8Array) => Promise<void>,
  control: ExportControl = {},
): Promise<ExportReport> {
  const { signal, onProgress } = control;
  const encoder = new TextEncoder();
  const buffer = new JsonlBuffer();
  const tally = emptyTally();
  const wanted = new Set(options.statuses);
  const writerOpts = { sourceTags: options.sourceTags, selection: options.selection };
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
    const fetch = (seqs: number[]) =>
      Promise.all([
        store.get<Candidate>(source.candidates, seqs),
        Promise.all(source.ratings.map((c) => store.get<Rating>(c, seqs))),
        Promise.all(source.failures.map((c) => store.get<ItemFailure>(c, seqs))),
      ]);
    // Two chunks in flight: while one is joined and written, the next one's records are read.
    // The scan waits for the previous chunk's write, so memory stays at about two chunks.
    let pending: Promise<void> = Promise.resolve();
    await store.scan<Segment>('segments', async (segments) => {
      const previous = pending;
      pending = (async () => {
        const seqs = segments.map((s) => s.seq);
        const [candidates, ratings, failures] = await fetch(seqs);
        await previous;
        const pairs = joinPairs(segments, candidates, ratings, mergeFailures(failures, seqs.length), options.selection);
        for (const pair of pairs) {
          tallyPair(tally, pair);
          if (wanted.has(pair.status)) add({ origin: 'generated', pair });
        }
        done += segments.length;
        await flush('pairs');
      })();
      // Marked as observed here; a failure still surfaces through the awaits of `pending` below.
      pending.catch(() => undefined);
      await previous;
    });
    await pending;
  }
  await flush(source ? 'pairs' : 'seeds');
  return { format: options.format, lines: buffer.lines, bytes, replaced: buffer.replaced, tally };
}
