/**
 * The corpus pipeline for one ingest: decoded text (or rows, or PDF pages) goes in per file,
 * finished `Segment` records come out — segmented, filtered, deduplicated across all files, and
 * numbered. Pure and incremental: the adapter that reads files decides how to get text, this
 * decides what becomes a segment, and every removal is counted per step, per file and overall.
 */
import { SCHEMA_VERSION, type DocumentFormat, type Segment } from '../records.ts';
import type { Issue } from '../result.ts';
import { ExactDedup, NearDedup, DEFAULT_NEAR_DUP, segmentHash, type NearDupSettings } from './dedup.ts';
import { DEFAULT_FILTERS, FILTERS, StepCounter, rejectReason, type FilterSettings, type StepCount } from './filters.ts';
import { HtmlBlockReader } from './html.ts';
import { MarkdownBlockReader } from './markdown.ts';
import { countReplacements } from './normalise.ts';
import { ParagraphReader } from './plaintext.ts';
import { SegmentWords } from './words.ts';
import { DEFAULT_WINDOW, SectionPacker, type Block, type RawSegment, type SegmentWindow } from './segment.ts';
import { DelimitedRowReader, JsonlRowReader, readJsonDocument, type RowBatch } from './tabular.ts';

export interface CorpusSettings {
  window: SegmentWindow;
  filters: Omit<FilterSettings, 'window'>;
  exactDedup: boolean;
  nearDedup: boolean;
  nearDup: NearDupSettings;
  /** Text field/column for records files; detected when absent. */
  textField?: string;
}

export const DEFAULT_CORPUS_SETTINGS: CorpusSettings = {
  window: DEFAULT_WINDOW,
  filters: { enabled: DEFAULT_FILTERS.enabled, repetitionN: DEFAULT_FILTERS.repetitionN, maxRepetition: DEFAULT_FILTERS.maxRepetition, minLetterShare: DEFAULT_FILTERS.minLetterShare },
  exactDedup: true,
  nearDedup: true,
  nearDup: DEFAULT_NEAR_DUP,
};

/** Steps in the order a segment meets them; each appears in the before → after counts. */
export const STEPS = [...FILTERS, 'exact-duplicate', 'near-duplicate'] as const;
export type StepId = (typeof STEPS)[number];

export interface FileSource {
  docId: string;
  path: string;
  format: DocumentFormat;
}

/** A .json file bigger than this cannot be parsed whole; it must be JSON Lines. */
export const MAX_JSON_DOCUMENT_CHARS = 256 * 1024 * 1024;
/** Issues kept with their line numbers per file (counts are always complete). */
const KEEP_ISSUES = 50;

export class CorpusPipeline {
  readonly settings: CorpusSettings;
  readonly #filters: FilterSettings;
  readonly #exact = new ExactDedup();
  readonly #near: NearDedup | null;
  readonly #total: StepCounter;
  /** Reused for every segment judged: its word buffers are allocated once. */
  readonly #words = new SegmentWords();
  nextSeq: number;

  constructor(settings: CorpusSettings = DEFAULT_CORPUS_SETTINGS, nextSeq = 0) {
    this.settings = settings;
    this.#filters = { ...settings.filters, window: settings.window };
    this.#near = settings.nearDedup ? new NearDedup(settings.nearDup) : null;
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
    return new FileIngest(this, source);
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
    // The words are scanned once, on first use, for the repetition filter, the hash and MinHash alike.
    const words = this.#words.reset(raw.text);
    let removed: StepId | null = rejectReason(raw, this.#filters, words);
    // A removed segment's hash is never used, so it is only computed for survivors.
    const hash = removed === null ? segmentHash(words) : '';
    if (removed === null && this.settings.exactDedup && !this.#exact.add(hash)) removed = 'exact-duplicate';
    if (removed === null && this.#near && !this.#near.add(words)) removed = 'near-duplicate';
    fileCounter.record(removed);
    this.#total.record(removed);
    return removed === null ? { kept: true, hash } : { kept: false, step: removed };
  }
}

type Reader = { push(piece: string): Block[]; end(): Block[] };

export class FileIngest {
  readonly source: FileSource;
  readonly #pipeline: CorpusPipeline;
  readonly #counter: StepCounter;
  readonly #packer: SectionPacker;
  #reader: Reader | null = null;
  #rows: JsonlRowReader | DelimitedRowReader | null = null;
  #json: { text: string; decided: boolean } | null = null;
  #pageOffset = 0;
  /** Segments this file produced (kept). */
  produced = 0;
  readonly issueCounts: Record<string, number> = {};
  readonly issues: Issue[] = [];
  /** Set when the file cannot be ingested at all; no further input is read. */
  fatal: Issue | undefined;

  constructor(pipeline: CorpusPipeline, source: FileSource) {
    this.#pipeline = pipeline;
    this.source = source;
    this.#counter = pipeline.newCounter();
    this.#packer = new SectionPacker(pipeline.settings.window);
    const field = pipeline.settings.textField;
    switch (source.format) {
      case 'html':
        this.#reader = new HtmlBlockReader();
        break;
      case 'md':
        this.#reader = new MarkdownBlockReader();
        break;
      case 'jsonl':
        this.#rows = new JsonlRowReader(field);
        break;
      case 'json':
        this.#json = { text: '', decided: false };
        break;
      case 'csv':
      case 'tsv':
        this.#rows = new DelimitedRowReader(source.format === 'csv' ? ',' : '\t', field);
        break;
      default:
        this.#reader = new ParagraphReader();
    }
  }

  counts(): StepCount[] {
    return this.#counter.counts();
  }

  /** Feeds decoded text of txt/md/html/jsonl/json/csv/tsv files. */
  pushText(piece: string): Segment[] {
    const out: Segment[] = [];
    if (this.fatal) return out;
    const bad = countReplacements(piece);
    if (bad > 0) this.#issue({ code: 'invalid-utf8', message: `${bad} bytes were not valid UTF-8 and were replaced.` }, bad);
    if (this.#json) return this.#pushJson(piece, out);
    if (this.#rows) this.#onRows(this.#rows.push(piece), out);
    else if (this.#reader) for (const b of this.#reader.push(piece)) this.#block(b, out);
    return out;
  }

  /** Feeds one record's text (parquet rows, or rows read elsewhere); each row is its own document. */
  pushRow(row: number, text: string): Segment[] {
    const out: Segment[] = [];
    if (this.fatal) return out;
    const reader = new ParagraphReader();
    const packer = new SectionPacker(this.#pipeline.settings.window);
    const raws: RawSegment[] = [];
    for (const b of reader.push(text)) packer.add(b, raws);
    for (const b of reader.end()) packer.add(b, raws);
    packer.end(raws);
    for (const raw of raws) this.#judge(raw, out, row);
    return out;
  }

  /** Feeds one PDF page's text; paragraphs pack across pages. */
  pushPage(page: number, text: string): Segment[] {
    const out: Segment[] = [];
    if (this.fatal) return out;
    const reader = new ParagraphReader(page);
    const blocks = [...reader.push(text), ...reader.end()];
    for (const b of blocks) this.#block({ ...b, offset: b.offset + this.#pageOffset }, out);
    this.#pageOffset += text.length + 1;
    return out;
  }

  end(): Segment[] {
    const out: Segment[] = [];
    if (this.fatal) return out;
    if (this.#json) {
      const doc = readJsonDocument(this.#json.text, this.#pipeline.settings.textField);
      const text = this.#json.text;
      this.#json = null;
      if (doc) this.#onRows(doc, out);
      else {
        this.#rows = new JsonlRowReader(this.#pipeline.settings.textField);
        this.#onRows(this.#rows.push(text), out);
      }
    }
    if (this.#rows) this.#onRows(this.#rows.end(), out);
    if (this.#reader) for (const b of this.#reader.end()) this.#block(b, out);
    const raws: RawSegment[] = [];
    this.#packer.end(raws);
    for (const raw of raws) this.#judge(raw, out);
    return out;
  }

  #pushJson(piece: string, out: Segment[]): Segment[] {
    const json = this.#json as { text: string; decided: boolean };
    json.text += piece;
    if (!json.decided) {
      const nl = json.text.indexOf('\n');
      if (nl === -1 && json.text.length < 1024 * 1024) return out;
      json.decided = true;
      const first = nl === -1 ? json.text : json.text.slice(0, nl);
      // One complete JSON value on the first line means JSON Lines: stream it.
      let isLines = false;
      try {
        JSON.parse(first);
        isLines = first.trim() !== '' && nl !== -1;
      } catch {
        isLines = false;
      }
      if (isLines) {
        this.#rows = new JsonlRowReader(this.#pipeline.settings.textField);
        const text = json.text;
        this.#json = null;
        this.#onRows(this.#rows.push(text), out);
        return out;
      }
    }
    if (json.text.length > MAX_JSON_DOCUMENT_CHARS) {
      this.#json = null;
      this.#fail({ code: 'json-too-large', message: 'This JSON file is too large to read as one document. Save it as JSON Lines (one record per line, .jsonl) and ingest that instead.' });
    }
    return out;
  }

  #onRows(batch: RowBatch, out: Segment[]): void {
    for (const issue of batch.issues) this.#issue(issue);
    for (const r of batch.rows) out.push(...this.pushRow(r.row, r.text));
    if (batch.fatal) this.#fail(batch.fatal);
  }

  #block(block: Block, out: Segment[]): void {
    const raws = this.#packer.add(block);
    for (const raw of raws) this.#judge(raw, out);
  }

  #judge(raw: RawSegment, out: Segment[], row?: number): void {
    const verdict = this.#pipeline.judge(raw, this.#counter);
    if (!verdict.kept) return;
    const seq = this.#pipeline.nextSeq++;
    const segment: Segment = {
      schemaVersion: SCHEMA_VERSION,
      seq,
      id: `${this.source.docId}-${this.produced}`,
      text: raw.text,
      chars: raw.text.length,
      hash: verdict.hash,
      provenance: { docId: this.source.docId, path: this.source.path, headers: raw.headers, offset: raw.offset },
    };
    if (row !== undefined) segment.provenance.row = row;
    if (raw.page !== undefined) segment.provenance.page = raw.page;
    this.produced++;
    out.push(segment);
  }

  #issue(issue: Issue, count = 1): void {
    this.issueCounts[issue.code] = (this.issueCounts[issue.code] ?? 0) + count;
    if (this.issues.length < KEEP_ISSUES) this.issues.push(issue);
  }

  #fail(issue: Issue): void {
    this.fatal = issue;
    this.#issue(issue);
  }
}
