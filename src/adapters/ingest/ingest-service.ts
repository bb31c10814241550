/**
 * The ingest service the worker exposes: files in, segments out into the project's IndexedDB in
 * batches, with progress, per-file status and cancel. Each batch is written in one transaction
 * together with its file's DocumentRecord (status, produced, firstSeq) and step counts, so after
 * a reload the store says exactly how far every file got. A file left "reading" is rolled back
 * (its segments deleted from firstSeq) and read again from the start: no duplicates, nothing
 * from finished files lost. Dedup state is rebuilt from the stored segments, so it spans
 * sessions.
 *
 * Text files are parsed by a pool of parse workers, several files at once (parse-pool.ts), and
 * admitted here one file after another in the order given, so the stored corpus is the same as
 * a one-thread ingest would make. PDF and Parquet files are read here, in their turn.
 */
import { AbortedError, describeError } from '../../core/errors.ts';
import { detectFormat, unknownFormat } from '../../core/corpus/formats.ts';
import { CorpusPipeline, DEFAULT_CORPUS_SETTINGS, type CorpusSettings, type FileIngest } from '../../core/corpus/pipeline.ts';
import type { StepCount } from '../../core/corpus/filters.ts';
import type { SampleSpec } from '../../core/corpus/sample.ts';
import { SCHEMA_VERSION, isCorpusDoc, newId, type DocumentRecord, type Segment } from '../../core/records.ts';
import type { Issue } from '../../core/result.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { IdbProjectStore } from '../idb-store.ts';
import { ingestFile } from './ingest-file.ts';
import { ParsePool, defaultParsers, type ParsedFile, type TextParser } from './parse-pool.ts';
import { SegmentWriter } from './segment-writer.ts';
import { CHUNK_SIZE } from '../../core/chunks.ts';
import { corpusPreview, countsKey, loadCounts, type CorpusPreview } from './preview.ts';
import { describeIssues, rollBackUnfinished } from './ingest-docs.ts';

export { rollBackUnfinished };

export interface IngestInput {
  file: Blob & { name?: string };
  /** Path inside a dropped folder; the file name otherwise. */
  path?: string;
}

export interface IngestProgress {
  bytesDone: number;
  bytesTotal: number;
  /** Segments kept so far in this run. */
  segments: number;
  filesDone: number;
  filesTotal: number;
  mbPerSec: number;
  /** Seconds left at the current rate; null until there is a rate. */
  etaSeconds: number | null;
  currentPath: string | null;
}

export type IngestEvent = { type: 'file'; doc: DocumentRecord; counts: StepCount[] } | { type: 'progress'; progress: IngestProgress };

export interface IngestSummary {
  cancelled: boolean;
  docs: DocumentRecord[];
  /** Before → after per step, over the whole corpus (this run and earlier ones). */
  counts: StepCount[];
  /** Segments kept by this run. */
  segments: number;
  /** Files rolled back and re-read because an earlier session stopped in the middle of them. */
  restarted: string[];
}

/** Formats the parse workers read; PDF (pdf.js) and Parquet (random access) are read in the ingest worker. */
const PARSED_FORMATS = new Set<string>(['txt', 'md', 'html', 'jsonl', 'json', 'csv', 'tsv']);

/** Segments per IndexedDB write: one of the store's chunks, filled across file boundaries (segment-writer.ts). */
export const BATCH = CHUNK_SIZE;
const PROGRESS_EVERY_MS = 200;

export class IngestService {
  #abort: AbortController | null = null;
  readonly #open: (projectId: string) => ProjectStore;
  readonly #makeParsers: () => TextParser[];
  #pool: ParsePool | null = null;

  /** `parsers` makes the parse pool on first use: by default one worker per core, or in-process where workers cannot start. */
  constructor(open: (projectId: string) => ProjectStore = (id) => new IdbProjectStore(id), parsers: () => TextParser[] = defaultParsers) {
    this.#open = open;
    this.#makeParsers = parsers;
  }

  /** Stops the parse workers (a later ingest starts new ones). */
  dispose(): void {
    this.#pool?.dispose();
    this.#pool = null;
  }

  /** Stops the running ingest after the current piece; the file in progress is rolled back. */
  cancel(): void {
    this.#abort?.abort();
  }

  async preview(projectId: string, spec?: SampleSpec, page?: { offset: number; limit: number }, settings?: Partial<CorpusSettings>): Promise<CorpusPreview> {
    const store = this.#open(projectId);
    try {
      return await corpusPreview(store, spec, page, { ...DEFAULT_CORPUS_SETTINGS, ...settings }.window);
    } finally {
      await store.close();
    }
  }

  async ingest(projectId: string, inputs: readonly IngestInput[], settings: Partial<CorpusSettings> = {}, onEvent: (e: IngestEvent) => void = () => undefined): Promise<IngestSummary> {
    if (this.#abort) throw new Error('An ingest is already running in this worker; cancel it or wait for it to finish.');
    const abort = (this.#abort = new AbortController());
    const store = this.#open(projectId);
    try {
      return await this.#run(store, inputs, { ...DEFAULT_CORPUS_SETTINGS, ...settings }, abort.signal, onEvent);
    } finally {
      this.#abort = null;
      await store.close();
    }
  }

  async #run(store: ProjectStore, inputs: readonly IngestInput[], settings: CorpusSettings, signal: AbortSignal, onEvent: (e: IngestEvent) => void): Promise<IngestSummary> {
    const restarted = await rollBackUnfinished(store);
    const info = await store.info('segments');
    const pipeline = new CorpusPipeline(settings, info.maxSeq + 1);
    await store.scan<Segment>('segments', (chunk) => {
      for (const s of chunk) pipeline.remember(s);
    });

    // Match inputs to stored documents by path and size: finished files are not read twice.
    const known = (await store.listDocs()).filter(isCorpusDoc);
    const now = Date.now();
    const jobs = inputs.map((input) => {
      const path = input.path || input.file.name || 'untitled';
      const old = known.find((d) => d.path === path && d.bytes === input.file.size);
      const { format, gzip } = detectFormat(path);
      const doc: DocumentRecord = old ?? { schemaVersion: SCHEMA_VERSION, id: newId('d_'), path, format, gzip, bytes: input.file.size, status: 'queued', produced: 0, issues: {}, addedAt: now };
      return { input, doc, path };
    });
    // Finished files are kept; skipped or failed ones are tried again (the user may have fixed the cause).
    const fresh = jobs.filter((j) => j.doc.status !== 'done');
    await store.putDocs(fresh.map((j) => j.doc));
    for (const j of jobs) onEvent({ type: 'file', doc: j.doc, counts: [] });

    const progress: IngestProgress = { bytesDone: 0, bytesTotal: fresh.reduce((n, j) => n + j.doc.bytes, 0), segments: 0, filesDone: 0, filesTotal: fresh.length, mbPerSec: 0, etaSeconds: null, currentPath: null };
    // Bytes read per fresh file: parse workers read ahead of the file being admitted.
    const read = fresh.map(() => 0);
    const setRead = (j: number, bytes: number) => {
      const size = fresh[j]?.doc.bytes ?? 0;
      const now = Math.min(bytes, size);
      progress.bytesDone += now - (read[j] ?? 0);
      read[j] = now;
    };
    const started = performance.now();
    let lastReport = 0;
    const report = (force = false) => {
      const t = performance.now();
      if (!force && t - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = t;
      const secs = (t - started) / 1000;
      progress.mbPerSec = secs > 0 ? progress.bytesDone / 1e6 / secs : 0;
      progress.etaSeconds = progress.bytesDone > 0 ? ((progress.bytesTotal - progress.bytesDone) / progress.bytesDone) * secs : null;
      onEvent({ type: 'progress', progress: { ...progress } });
    };

    // Text files go to the parse pool, all requested now and parsed as workers free up.
    const parsedIndex = fresh.map(() => -1);
    /** Fresh-file index of each parse request. */
    const textJobs: number[] = [];
    const requests = fresh.flatMap((j, i) => {
      if (!PARSED_FORMATS.has(j.doc.format)) return [];
      parsedIndex[i] = textJobs.length;
      textJobs.push(i);
      return [{ file: j.input.file, path: j.path, format: j.doc.format, gzip: j.doc.gzip, settings }];
    });
    this.#pool ??= new ParsePool(this.#makeParsers());
    const run = this.#pool.run(requests, (k, bytes) => {
      setRead(textJobs[k] as number, bytes);
      report();
    });
    const stopOnAbort = () => void run.stop();
    signal.addEventListener('abort', stopOnAbort);

    const writer = new SegmentWriter(store, BATCH);
    let cancelled = false;
    try {
      for (const [i, job] of fresh.entries()) {
        if (signal.aborted) {
          cancelled = true;
          break;
        }
        progress.currentPath = job.path;
        const k = parsedIndex[i] as number;
        const outcome = await this.#file(store, writer, pipeline, k >= 0 ? run.file(k) : job.input.file, job.doc, settings, signal, (bytes) => {
          setRead(i, bytes);
          report();
        }, (n) => {
          progress.segments += n;
          report();
        }, onEvent);
        setRead(i, job.doc.bytes);
        if (outcome === 'cancelled') {
          cancelled = true;
          break;
        }
        progress.filesDone++;
        report(true);
      }
      await writer.flush();
    } finally {
      signal.removeEventListener('abort', stopOnAbort);
      await run.stop();
    }
    const docs = (await store.listDocs()).filter(isCorpusDoc);
    return { cancelled, docs, counts: await loadCounts(store, docs), segments: progress.segments, restarted };
  }

  /** Ingests one file — read here, or parsed by the pool — writing its segments in batches. */
  async #file(
    store: ProjectStore,
    writer: SegmentWriter,
    pipeline: CorpusPipeline,
    file: Blob | ParsedFile,
    start: DocumentRecord,
    settings: CorpusSettings,
    signal: AbortSignal,
    onBytes: (bytes: number) => void,
    onKept: (n: number) => void,
    onEvent: (e: IngestEvent) => void,
  ): Promise<'done' | 'skipped' | 'failed' | 'cancelled'> {
    let doc: DocumentRecord = { ...start, status: 'reading', produced: 0, issues: {}, message: undefined, firstSeq: undefined };
    const firstSeq = pipeline.nextSeq;
    let ingest: FileIngest | null = null;
    const counts = () => ingest?.counts() ?? [];
    const emit = () => onEvent({ type: 'file', doc, counts: counts() });
    const meta = () => ({ [countsKey(doc.id)]: counts() });
    const write = async (batch: Segment[], next: Partial<DocumentRecord>) => {
      doc = { ...doc, ...next, issues: { ...(ingest?.issueCounts ?? {}) } };
      if (batch.length > 0) {
        doc.firstSeq ??= batch[0]?.seq;
        doc.produced += batch.length;
      }
      await writer.add(doc, batch, meta());
      onKept(batch.length);
      emit();
    };
    const rollBack = async (next: Partial<DocumentRecord>) => {
      doc = { ...doc, ...next, produced: 0, firstSeq: undefined, issues: { ...(ingest?.issueCounts ?? {}) } };
      const m = { [countsKey(doc.id)]: next.status === 'queued' ? [] : counts() };
      writer.drop(doc.id, firstSeq);
      if (writer.stored(doc.id) > 0) {
        // Some of its segments are stored: write what came before it (this file still "reading"),
        // then delete them together with its new state, so a crash in between rolls it back.
        await writer.flush();
        await store.deleteRange('segments', firstSeq, pipeline.nextSeq, { docs: [doc], meta: m });
      }
      writer.update(doc, m);
      emit();
    };

    writer.update(doc);
    emit();
    if (doc.format === 'unknown') {
      await rollBack({ status: 'skipped', message: unknownFormat(doc.path).message, issues: {} });
      return 'skipped';
    }
    ingest = pipeline.openFile({ docId: doc.id, path: doc.path, format: doc.format });
    let skipped: Issue | undefined;
    const onSegments = (segments: Segment[]) => write(segments, {});
    try {
      if (file instanceof Blob) skipped = await ingestFile({ file, path: doc.path, gzip: doc.gzip, field: settings.textField, ingest, signal, onBytes, onSegments });
      else {
        for (let batch = await file.next(); batch; batch = await file.next()) {
          if (signal.aborted) throw new AbortedError();
          await onSegments(ingest.admit(batch));
        }
        ingest.absorb(file.outcome.report);
        skipped = file.outcome.skipped;
      }
    } catch (err) {
      const { name, message } = describeError(err);
      if (name === 'AbortError' || err instanceof AbortedError) {
        await rollBack({ status: 'queued', message: 'Cancelled; it will be read again next time.' });
        return 'cancelled';
      }
      if (name === 'StorageFullError') throw err;
      await rollBack({ status: 'failed', message });
      return 'failed';
    }
    if (skipped) {
      await rollBack({ status: 'skipped', message: skipped.message });
      return 'skipped';
    }
    const fileIssues = ingest.issues.length > 0 ? describeIssues(ingest) : undefined;
    await write([], { status: 'done', message: fileIssues });
    return 'done';
  }
}
