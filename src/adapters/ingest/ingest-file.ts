/**
 * One dropped file through the corpus pipeline: pick the reader for its format, feed the text
 * (or PDF pages, or parquet rows) to a `FileIngest`, and hand finished segments to `onSegments`
 * as they come so the caller can write them in batches. Bad input comes back as an issue that
 * skips the file; a read failure (the file vanished) is a thrown `FileReadError`.
 */
import { binaryFile, emptyFile } from '../../core/corpus/formats.ts';
import type { FileIngest } from '../../core/corpus/pipeline.ts';
import type { Segment } from '../../core/records.ts';
import type { Issue } from '../../core/result.ts';
import { readParquetRows } from './parquet.ts';
import { readPdfPages } from './pdf.ts';
import { FileReadError, readTextPieces } from './read-text.ts';

export interface FileRun {
  file: Blob;
  path: string;
  gzip: boolean;
  /** The user's choice of text field for records files. */
  field?: string;
  ingest: FileIngest;
  signal: AbortSignal;
  onBytes: (bytes: number) => void;
  /** Receives segments as the file produces them; awaited, so a slow store slows the reader (back-pressure). */
  onSegments: (segments: Segment[]) => Promise<void>;
}

/** Reads the whole file; resolves to the issue that made it be skipped, or undefined when it was read. */
export async function ingestFile(run: FileRun): Promise<Issue | undefined> {
  const { ingest, file, path } = run;
  if (file.size === 0) return emptyFile(path);
  const format = ingest.source.format;
  if ((format === 'pdf' || format === 'parquet') && run.gzip) {
    // Both need random access, so a gzipped one is inflated into a Blob first (which the browser may keep on disk).
    try {
      const inflated = await new Response(file.stream().pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)).blob();
      return ingestFile({ ...run, file: inflated, gzip: false });
    } catch (err) {
      throw new FileReadError(path, `not a readable .gz file: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  }
  if (format === 'pdf') return ingestPdf(run);
  if (format === 'parquet') {
    const pending: Segment[] = [];
    const result = await readParquetRows(file, (row, text) => void pending.push(...ingest.pushRow(row, text)), {
      field: run.field,
      signal: run.signal,
      onBytes: run.onBytes,
    }).catch((err: unknown) => {
      throw new FileReadError(path, `not a readable Parquet file: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    });
    if ('issue' in result) return result.issue;
    await run.onSegments([...pending, ...ingest.end()]);
    return undefined;
  }
  let sawText = false;
  for await (const piece of readTextPieces(file, path, { gzip: run.gzip, signal: run.signal, onBytes: run.onBytes })) {
    if (typeof piece !== 'string') return binaryFile(path);
    if (piece.trim() !== '') sawText = true;
    const out = ingest.pushText(piece);
    if (ingest.fatal) return ingest.fatal;
    if (out.length > 0) await run.onSegments(out);
  }
  const last = ingest.end();
  if (ingest.fatal) return ingest.fatal;
  if (!sawText) return emptyFile(path);
  if (last.length > 0) await run.onSegments(last);
  return undefined;
}

async function ingestPdf(run: FileRun): Promise<Issue | undefined> {
  const { ingest, path } = run;
  let data: ArrayBuffer;
  try {
    data = await run.file.arrayBuffer();
  } catch (err) {
    throw new FileReadError(path, (err as Error)?.message ?? String(err), { cause: err });
  }
  run.onBytes(data.byteLength);
  const pending: Segment[] = [];
  let result: { pages: number; withText: number };
  try {
    result = await readPdfPages(data, (page, text) => void pending.push(...ingest.pushPage(page, text)), run.signal);
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    return { code: 'unreadable-pdf', message: `"${path}" could not be opened as a PDF (${(err as Error)?.message ?? String(err)}).` };
  }
  if (result.withText === 0) {
    return { code: 'no-text-layer', message: `"${path}" has no text layer (${result.pages} pages, probably scanned images). Run it through OCR first, then drop the result.` };
  }
  await run.onSegments([...pending, ...ingest.end()]);
  return undefined;
}
