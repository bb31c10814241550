/**
 * A dropped PDF or Parquet file through the corpus pipeline, in the ingest worker: feed its PDF
 * pages or parquet rows to a `FileIngest`, and hand finished segments to `onSegments` so the
 * caller can write them in batches. (Text formats go to the parse workers: parse-service.ts.)
 * Bad input comes back as an issue that skips the file; a read failure (the file vanished) is a
 * thrown `FileReadError`.
 */
import { emptyFile } from '../../core/corpus/formats.ts';
import type { FileIngest } from '../../core/corpus/pipeline.ts';
import type { Segment } from '../../core/records.ts';
import type { Issue } from '../../core/result.ts';
import { readParquetRows } from './parquet.ts';
import { readPdfPages } from './pdf.ts';
import { FileReadError } from './read-text.ts';

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
  throw new Error(`ingestFile reads PDF and Parquet files; "${path}" is ${format}, which the parse workers read (parse-service.ts).`);
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
