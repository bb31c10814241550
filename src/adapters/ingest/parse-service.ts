/**
 * Reading one text file (txt, md, html, jsonl, json, csv, tsv, and .gz of them) through its
 * `FileParse`: decode, segment, filter, hash and sign — everything about a file that needs no
 * other file. The ingest worker runs several of these in parse workers at once, one file each,
 * and admits what they send back in file order (ingest-service.ts); the same class runs
 * in-process where there are no workers. Assessed segments go to the connected sink in batches,
 * and each batch is awaited, so a coordinator that is still busy with an earlier file holds
 * this one back instead of letting it pile up in memory.
 */
import { binaryFile, emptyFile } from '../../core/corpus/formats.ts';
import { FileParse, type FileIssues } from '../../core/corpus/file-parse.ts';
import type { Assessed, CorpusSettings } from '../../core/corpus/pipeline.ts';
import type { DocumentFormat } from '../../core/records.ts';
import type { Issue } from '../../core/result.ts';
import { readTextPieces } from './read-text.ts';

export interface ParseRequest {
  /** Chosen by the caller; names this parse in sink calls and `cancel`. */
  id: number;
  file: Blob;
  path: string;
  format: DocumentFormat;
  gzip: boolean;
  settings: CorpusSettings;
}

export interface ParseOutcome {
  /** Why the whole file is skipped (binary, empty, a fatal format problem); its batches are void then. */
  skipped?: Issue;
  report: FileIssues;
}

/** Where a parse sends its output. `batch` may take its time: that is the back-pressure. */
export interface ParseSink {
  batch(id: number, items: Assessed[]): Promise<void> | void;
  /** Raw bytes read so far (compressed bytes, for .gz). */
  bytes(id: number, bytes: number): void;
}

/** Assessed segments per sink call: big enough that a call's round trip between threads is noise. */
export const PARSE_BATCH = 400;

export class ParseService {
  #sink: ParseSink | null = null;
  readonly #aborts = new Map<number, AbortController>();

  connect(sink: ParseSink): void {
    this.#sink = sink;
  }

  /** Stops the parse `id` at its next piece; its `parse` call then rejects with an AbortedError. */
  cancel(id: number): void {
    this.#aborts.get(id)?.abort();
  }

  async parse(req: ParseRequest): Promise<ParseOutcome> {
    const sink = this.#sink;
    if (!sink) throw new Error('ParseService.parse was called before connect(sink).');
    const abort = new AbortController();
    this.#aborts.set(req.id, abort);
    const parse = new FileParse(req.format, req.settings);
    let pending: Assessed[] = [];
    const flush = async (force: boolean) => {
      if (pending.length === 0 || (!force && pending.length < PARSE_BATCH)) return;
      const items = pending;
      pending = [];
      await sink.batch(req.id, items);
    };
    const skip = (issue: Issue): ParseOutcome => ({ skipped: issue, report: parse.report() });
    try {
      if (req.file.size === 0) return skip(emptyFile(req.path));
      let sawText = false;
      const pieces = readTextPieces(req.file, req.path, { gzip: req.gzip, html: req.format === 'html', signal: abort.signal, onBytes: (n) => sink.bytes(req.id, n) });
      for await (const piece of pieces) {
        if (typeof piece !== 'string') return skip(binaryFile(req.path));
        if (!sawText && piece.trim() !== '') sawText = true;
        for (const a of parse.pushText(piece)) pending.push(a);
        if (parse.fatal) return skip(parse.fatal);
        await flush(false);
      }
      for (const a of parse.end()) pending.push(a);
      if (parse.fatal) return skip(parse.fatal);
      if (!sawText) return skip(emptyFile(req.path));
      await flush(true);
      return { report: parse.report() };
    } finally {
      this.#aborts.delete(req.id);
    }
  }
}
