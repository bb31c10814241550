/**
 * One seed file from rows to seed pairs: detect the format from the first rows (unless the user
 * chose one), run its importer over every row, count what was skipped and why, then filter.
 * `SeedRowImport` takes rows one at a time so a reader can stream a large file through it;
 * `importSeedRows`, `importSeedRowsAsync` and `importSeedText` are the usual ways in.
 */
import { SCHEMA_VERSION, newId, type SeedPair } from '../records.ts';
import { filterSeeds, type FilterStep, type SeedFilterOptions } from './filters.ts';
import { DETECT_ROWS, detectSeedFormat, importerFor, type Detection } from './formats.ts';
import { rowsFromText } from './rows.ts';
import { seedStats, type SeedStats } from './stats.ts';
import type { FormatImporter, ImportedSeed, SeedCandidate, SeedFormat, SeedRowIssue, SeedRowIssueCode, SeedSink, SourceRow } from './types.ts';

export interface SeedImportOptions {
  /** A format the user chose, or 'auto' (the default) to detect it from the first rows. */
  format?: SeedFormat | 'auto';
  filters?: Partial<SeedFilterOptions>;
  /** Skipped rows kept as examples for the UI (all are counted). */
  maxIssueExamples?: number;
}

/** What the importer made of a file's rows, before filtering. */
export interface SeedRowsResult {
  path: string;
  format: SeedFormat | null;
  /** Set when the format was detected rather than chosen. */
  detection: Detection | null;
  rows: number;
  candidates: SeedCandidate[];
  /** Skipped rows by reason code. */
  issues: Partial<Record<SeedRowIssueCode, number>>;
  examples: SeedRowIssue[];
}

/** Everything the seed view shows for one file. */
export interface SeedFileReport {
  path: string;
  format: SeedFormat | null;
  detection: Detection | null;
  rows: number;
  candidates: number;
  issues: Partial<Record<SeedRowIssueCode, number>>;
  examples: SeedRowIssue[];
  steps: FilterStep[];
  kept: number;
  stats: SeedStats;
  /** Set when the file produced nothing, saying what to do. */
  message?: string;
}

export class SeedRowImport implements SeedSink {
  readonly #path: string;
  readonly #maxExamples: number;
  #format: SeedFormat | null;
  #detection: Detection | null = null;
  #importer: FormatImporter | null = null;
  #pending: SourceRow[] = [];
  #rows = 0;
  #candidates: SeedCandidate[] = [];
  #issues: Partial<Record<SeedRowIssueCode, number>> = {};
  #examples: SeedRowIssue[] = [];

  constructor(path: string, format: SeedFormat | 'auto' = 'auto', maxIssueExamples = 100) {
    this.#path = path;
    this.#format = format === 'auto' ? null : format;
    this.#maxExamples = maxIssueExamples;
    if (this.#format) this.#importer = importerFor(this.#format, path);
  }

  candidate(c: SeedCandidate): void {
    this.#candidates.push(c);
  }

  issue(row: number, code: SeedRowIssueCode, message: string): void {
    this.#issues[code] = (this.#issues[code] ?? 0) + 1;
    if (this.#examples.length < this.#maxExamples) this.#examples.push({ code, message, row });
  }

  push(row: SourceRow): void {
    this.#rows += 1;
    if (this.#importer || this.#detection) this.#feed(this.#importer, row);
    else {
      this.#pending.push(row);
      if (this.#pending.length >= DETECT_ROWS) this.#detect();
    }
  }

  end(): SeedRowsResult {
    if (!this.#importer && this.#detection === null) this.#detect();
    this.#importer?.finish(this);
    return {
      path: this.#path,
      format: this.#format,
      detection: this.#detection,
      rows: this.#rows,
      candidates: this.#candidates,
      issues: this.#issues,
      examples: [...this.#examples].sort((a, b) => a.row - b.row),
    };
  }

  #detect(): void {
    this.#detection = detectSeedFormat(this.#pending);
    this.#format = this.#detection.format;
    if (this.#format) this.#importer = importerFor(this.#format, this.#path);
    for (const r of this.#pending) this.#feed(this.#importer, r);
    this.#pending = [];
  }

  /** With no importer (format unknown) only unparsable rows are counted. */
  #feed(importer: FormatImporter | null, r: SourceRow): void {
    if ('error' in r) this.issue(r.row, 'malformed-json', `not JSON: ${r.error}`);
    else importer?.add(r.value, r.row, this);
  }
}

export function importSeedRows(rows: Iterable<SourceRow>, path: string, format: SeedFormat | 'auto' = 'auto', maxIssueExamples?: number): SeedRowsResult {
  const imp = new SeedRowImport(path, format, maxIssueExamples);
  for (const r of rows) imp.push(r);
  return imp.end();
}

export async function importSeedRowsAsync(rows: AsyncIterable<SourceRow>, path: string, format: SeedFormat | 'auto' = 'auto', maxIssueExamples?: number): Promise<SeedRowsResult> {
  const imp = new SeedRowImport(path, format, maxIssueExamples);
  for await (const r of rows) imp.push(r);
  return imp.end();
}

/** Filters one file's candidates and builds its report. */
export function finishSeedFile(result: SeedRowsResult, filters: Partial<SeedFilterOptions> = {}): { report: SeedFileReport; seeds: ImportedSeed[] } {
  const { kept, steps } = filterSeeds(result.candidates, filters);
  const report: SeedFileReport = {
    path: result.path,
    format: result.format,
    detection: result.detection,
    rows: result.rows,
    candidates: result.candidates.length,
    issues: result.issues,
    examples: result.examples,
    steps,
    kept: kept.length,
    stats: seedStats(kept),
  };
  if (result.rows === 0) report.message = 'The file has no rows. Seed files are JSON Lines (one record per line) or a JSON array.';
  else if (result.format === null) {
    report.message = 'No row looks like a seed format this app reads. Choose the format by hand, or check the file is the one you meant.';
  } else if (kept.length === 0) {
    report.message = 'No pair survived import and filtering; see the counts above for why, and switch off a filter if it does not suit this file.';
  }
  return { report, seeds: kept };
}

/** A whole seed file's text (JSON Lines or a JSON array) to a report and its seed pairs. */
export function importSeedText(text: string, path: string, options: SeedImportOptions = {}): { report: SeedFileReport; seeds: ImportedSeed[] } {
  const result = importSeedRows(rowsFromText(text), path, options.format ?? 'auto', options.maxIssueExamples);
  return finishSeedFile(result, options.filters);
}

/** The stored record for an imported seed. */
export function toSeedPair(seed: ImportedSeed, docId: string, seq: number, id: string = newId('s_')): SeedPair {
  return {
    schemaVersion: SCHEMA_VERSION,
    seq,
    id,
    instruction: seed.instruction,
    response: seed.response,
    source: { docId, path: seed.source.path, format: seed.source.format, row: seed.source.row },
    lang: seed.lang,
  };
}
