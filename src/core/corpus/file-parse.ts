/**
 * One file's text through its format reader, the packer and the per-segment assessment: decoded
 * text (or rows, or PDF pages) goes in, assessed segments come out in file order. This is the
 * part of ingest that needs nothing from other files, so it can run on a thread of its own;
 * `FileIngest` (pipeline.ts) admits what it produces into the corpus.
 */
import type { DocumentFormat } from '../records.ts';
import type { Issue } from '../result.ts';
import { SegmentAssessor, type Assessed } from './assess.ts';
import { HtmlPageReader } from './html-whole.ts';
import { MarkdownBlockReader } from './markdown.ts';
import { countReplacements } from './normalise.ts';
import { ParagraphReader } from './plaintext.ts';
import type { CorpusSettings } from './pipeline.ts';
import { SectionPacker, type Block, type RawSegment } from './segment.ts';
import { DelimitedRowReader, JsonlRowReader, readJsonDocument, type RowBatch } from './tabular.ts';

/** A .json file bigger than this cannot be parsed whole; it must be JSON Lines. */
export const MAX_JSON_DOCUMENT_CHARS = 256 * 1024 * 1024;
/** Issues kept with their line numbers per file (counts are always complete). */
const KEEP_ISSUES = 50;

type Reader = { push(piece: string): Block[]; end(): Block[] };

/** What a file said about itself beyond its segments: counted issues, and why it could not be read. */
export interface FileIssues {
  issueCounts: Record<string, number>;
  issues: Issue[];
  fatal?: Issue;
}

export class FileParse {
  readonly format: DocumentFormat;
  readonly #settings: CorpusSettings;
  readonly #assessor: SegmentAssessor;
  readonly #packer: SectionPacker;
  #reader: Reader | null = null;
  #rows: JsonlRowReader | DelimitedRowReader | null = null;
  #json: { text: string; decided: boolean } | null = null;
  #pageOffset = 0;
  readonly issueCounts: Record<string, number> = {};
  readonly issues: Issue[] = [];
  /** Set when the file cannot be ingested at all; no further input is read. */
  fatal: Issue | undefined;

  constructor(format: DocumentFormat, settings: CorpusSettings, assessor: SegmentAssessor = new SegmentAssessor(settings)) {
    this.format = format;
    this.#settings = settings;
    this.#assessor = assessor;
    this.#packer = new SectionPacker(settings.window);
    const field = settings.textField;
    switch (format) {
      case 'html':
        this.#reader = new HtmlPageReader();
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
        this.#rows = new DelimitedRowReader(format === 'csv' ? ',' : '\t', field);
        break;
      default:
        this.#reader = new ParagraphReader();
    }
  }

  /** Feeds decoded text of txt/md/html/jsonl/json/csv/tsv files. */
  pushText(piece: string): Assessed[] {
    const out: Assessed[] = [];
    if (this.fatal) return out;
    const bad = countReplacements(piece);
    if (bad > 0) this.#issue({ code: 'invalid-utf8', message: `${bad} bytes were not valid UTF-8 and were replaced.` }, bad);
    if (this.#json) return this.#pushJson(piece, out);
    if (this.#rows) this.#onRows(this.#rows.push(piece), out);
    else if (this.#reader) for (const b of this.#reader.push(piece)) this.#block(b, out);
    return out;
  }

  /** Feeds one record's text (parquet rows, or rows read elsewhere); each row is its own document. */
  pushRow(row: number, text: string, out: Assessed[] = []): Assessed[] {
    if (this.fatal) return out;
    const reader = new ParagraphReader();
    const packer = new SectionPacker(this.#settings.window);
    const raws: RawSegment[] = [];
    for (const b of reader.push(text)) packer.add(b, raws);
    for (const b of reader.end()) packer.add(b, raws);
    packer.end(raws);
    for (const raw of raws) out.push(this.#assessor.assess(raw, row));
    return out;
  }

  /** Feeds one PDF page's text; paragraphs pack across pages. */
  pushPage(page: number, text: string): Assessed[] {
    const out: Assessed[] = [];
    if (this.fatal) return out;
    const reader = new ParagraphReader(page);
    const blocks = [...reader.push(text), ...reader.end()];
    for (const b of blocks) this.#block({ ...b, offset: b.offset + this.#pageOffset }, out);
    this.#pageOffset += text.length + 1;
    return out;
  }

  end(): Assessed[] {
    const out: Assessed[] = [];
    if (this.fatal) return out;
    if (this.#json) {
      const doc = readJsonDocument(this.#json.text, this.#settings.textField);
      const text = this.#json.text;
      this.#json = null;
      if (doc) this.#onRows(doc, out);
      else {
        this.#rows = new JsonlRowReader(this.#settings.textField);
        this.#onRows(this.#rows.push(text), out);
      }
    }
    if (this.#rows) this.#onRows(this.#rows.end(), out);
    if (this.#reader) for (const b of this.#reader.end()) this.#block(b, out);
    const raws: RawSegment[] = [];
    this.#packer.end(raws);
    for (const raw of raws) out.push(this.#assessor.assess(raw));
    return out;
  }

  /** Counted issues and the fatal one, as plain data (they cross threads). */
  report(): FileIssues {
    const r: FileIssues = { issueCounts: { ...this.issueCounts }, issues: [...this.issues] };
    if (this.fatal) r.fatal = this.fatal;
    return r;
  }

  /** Takes over what a parse of this file elsewhere reported, as if it had happened here. */
  absorb(report: FileIssues): void {
    for (const [code, n] of Object.entries(report.issueCounts)) this.issueCounts[code] = (this.issueCounts[code] ?? 0) + n;
    for (const issue of report.issues) if (this.issues.length < KEEP_ISSUES) this.issues.push(issue);
    if (report.fatal) this.fatal = report.fatal;
  }

  #pushJson(piece: string, out: Assessed[]): Assessed[] {
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
        this.#rows = new JsonlRowReader(this.#settings.textField);
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

  #onRows(batch: RowBatch, out: Assessed[]): void {
    for (const issue of batch.issues) this.#issue(issue);
    for (const r of batch.rows) this.pushRow(r.row, r.text, out);
    if (batch.fatal) this.#fail(batch.fatal);
  }

  #block(block: Block, out: Assessed[]): void {
    for (const raw of this.#packer.add(block)) out.push(this.#assessor.assess(raw));
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
