/**
 * The corpus pipeline for one ingest: decoded text (or rows, or PDF pages) goes in per file,
 * finished `Segment` records come out — segmented, filtered, deduplicated across all files, and
 * numbered. Pure and incremental: the adapter that reads files decides how to get text, this
 * decides what becomes a segment, and every removal is counted per step, per file and overall.
 *
 * Two halves: `FileParse` (file-parse.ts) reads, segments and assesses one file on its own —
 * on another thread if the adapter likes — and `CorpusPipeline.admit` deduplicates and numbers
 * what it produced, one file after another in ingest order, so parallel parsing keeps exactly
 * the segments a sequential one would.
 */
import { SCHEMA_VERSION, type DocumentFormat, type Segment } from '../records.ts';
import type { Issue } from '../result.ts';
import { SegmentAssessor, type Assessed } from './assess.ts';
import { ExactDedup, NearDedup } from './dedup.ts';
import { FileParse, MAX_JSON_DOCUMENT_CHARS, type FileIssues } from './file-parse.ts';
import { StepCounter, type StepCount } from './filters.ts';
import type { RawSegment } from './segment.ts';
import { DEFAULT_CORPUS_SETTINGS, STEPS, type CorpusSettings, type StepId } from './settings.ts';

export { MAX_JSON_DOCUMENT_CHARS, type Assessed, type FileIssues };

export { DEFAULT_CORPUS_SETTINGS, STEPS, type CorpusSettings, type StepId };

export interface FileSource {
  docId: string;
  path: string;
  format: DocumentFormat;
}

export class CorpusPipeline {
  readonly settings: CorpusSettings;
  readonly #exact = new ExactDedup();
  readonly #near: NearDedup | null;
  readonly #total: StepCounter;
  readonly #assessor: SegmentAssessor;
  nextSeq: number;

  constructor(settings: CorpusSettings = DEFAULT_CORPUS_SETTINGS, nextSeq = 0) {
    this.settings = settings;
    this.#near = settings.nearDedup ? new NearDedup(settings.nearDup) : null;
    this.#assessor = new SegmentAssessor(settings);
    this.#total = this.newCounter();
    this.nextSeq = nextSeq;
  }

  newCounter(): StepCounter {
    const s = this.settings;
    return new StepCounter(
      STEPS.map((step) => ({
        step,
        enabled: step === 'exact-duplicate' ? s.exactDedup : step === 'near-duplicate' ? s.nearDedup : s.filters.enabled[step],
      })),
    );
  }

  openFile(source: FileSource): FileIngest {
    return new FileIngest(this, source, new FileParse(source.format, this.settings, this.#assessor));
  }

  /** Re-registers a segment stored by an earlier session, so dedup spans the whole corpus after a reload. */
  remember(segment: Pick<Segment, 'hash' | 'text'>): void {
    if (this.settings.exactDedup) this.#exact.add(segment.hash);
    this.#near?.add(segment.text);
  }

  counts(): StepCount[] {
    return this.#total.counts();
  }

  /** Runs one raw segment through filters and dedup; returns its hash when kept, else the step that removed it. */
  judge(raw: RawSegment, fileCounter: StepCounter): { kept: true; hash: string } | { kept: false; step: StepId } {
    return this.admit(this.#assessor.assess(raw), fileCounter);
  }

  /** Dedups an assessed segment against everything admitted before it and counts the outcome. */
  admit(a: Assessed, fileCounter: StepCounter): { kept: true; hash: string } | { kept: false; step: StepId } {
    let removed: StepId | null = a.removed;
    if (removed === null && this.settings.exactDedup && !this.#exact.add(a.hash)) removed = 'exact-duplicate';
    if (removed === null && this.#near && !this.#near.addSignature(a.sig ?? this.#missingSignature())) removed = 'near-duplicate';
    fileCounter.record(removed);
    this.#total.record(removed);
    return removed === null ? { kept: true, hash: a.hash } : { kept: false, step: removed };
  }

  #missingSignature(): never {
    throw new Error('An assessed segment has no MinHash signature although near-duplicate removal is on: it was assessed with other settings than this ingest.');
  }
}

/** One file of an ingest: its parse, admitted into the corpus as it goes. */
export class FileIngest {
  readonly source: FileSource;
  readonly #pipeline: CorpusPipeline;
  readonly #counter: StepCounter;
  readonly #parse: FileParse;
  /** Segments this file produced (kept). */
  produced = 0;

  constructor(pipeline: CorpusPipeline, source: FileSource, parse: FileParse) {
    this.#pipeline = pipeline;
    this.source = source;
    this.#counter = pipeline.newCounter();
    this.#parse = parse;
  }

  get issueCounts(): Record<string, number> {
    return this.#parse.issueCounts;
  }

  get issues(): Issue[] {
    return this.#parse.issues;
  }

  /** Set when the file cannot be ingested at all; no further input is read. */
  get fatal(): Issue | undefined {
    return this.#parse.fatal;
  }

  counts(): StepCount[] {
    return this.#counter.counts();
  }

  /** Feeds decoded text of txt/md/html/jsonl/json/csv/tsv files. */
  pushText(piece: string): Segment[] {
    return this.admit(this.#parse.pushText(piece));
  }

  /** Feeds one record's text (parquet rows, or rows read elsewhere); each row is its own document. */
  pushRow(row: number, text: string): Segment[] {
    return this.admit(this.#parse.pushRow(row, text));
  }

  /** Feeds one PDF page's text; paragraphs pack across pages. */
  pushPage(page: number, text: string): Segment[] {
    return this.admit(this.#parse.pushPage(page, text));
  }

  end(): Segment[] {
    return this.admit(this.#parse.end());
  }

  /** Takes the issues a parse of this file on another thread reported. */
  absorb(report: FileIssues): void {
    this.#parse.absorb(report);
  }

  /** Admits segments of this file assessed here or elsewhere, in file order; returns those kept. */
  admit(batch: readonly Assessed[]): Segment[] {
    const out: Segment[] = [];
    for (const a of batch) {
      const verdict = this.#pipeline.admit(a, this.#counter);
      if (!verdict.kept) continue;
      const segment: Segment = {
        schemaVersion: SCHEMA_VERSION,
        seq: this.#pipeline.nextSeq++,
        id: `${this.source.docId}-${this.produced}`,
        text: a.text,
        chars: a.text.length,
        hash: verdict.hash,
        provenance: { docId: this.source.docId, path: this.source.path, headers: a.headers, offset: a.offset },
      };
      if (a.row !== undefined) segment.provenance.row = a.row;
      if (a.page !== undefined) segment.provenance.page = a.page;
      this.produced++;
      out.push(segment);
    }
    return out;
  }
}
