/**
 * Reads a seed file the user dropped into rows for the seed importers, as a stream: bytes →
 * (gunzip, when the name ends in .gz or the first bytes are the gzip magic) → UTF-8 text →
 * JSON Lines rows, so a large OpenAssistant export never sits in memory twice. A JSON array file
 * (first character `[`) has to be parsed whole, and so does one pretty-printed object (first line
 * `{` alone); `sniffSeedText` decides from the first line.
 * Bytes that are not UTF-8 become U+FFFD (TextDecoderStream's default) rather than failing the file.
 */
import { AbortedError, HumpbackError } from '../core/errors.ts';
import { finishSeedFile, importSeedRowsAsync, type SeedFileReport, type SeedImportOptions } from '../core/seed/import.ts';
import { JsonlRowReader, jsonArrayRows, sniffSeedText } from '../core/seed/rows.ts';
import type { ImportedSeed, SourceRow } from '../core/seed/types.ts';

/** The file could not be read to the end (moved or changed since it was dropped, or a broken .gz). */
export class SeedFileReadError extends HumpbackError {
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super('SeedFileReadError', `Could not read ${path}: ${detail}`, options);
  }
}

export interface SeedReadProgress {
  /** Bytes of the file read so far (compressed bytes for a .gz). */
  bytes: number;
  total: number;
}

export interface SeedReadOptions {
  signal?: AbortSignal;
  onProgress?: (p: SeedReadProgress) => void;
}

async function isGzip(file: Blob, name: string): Promise<boolean> {
  if (/\.gz$/i.test(name)) return true;
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** The file's text in chunks, as it is read. */
async function* textChunks(file: Blob, path: string, options: SeedReadOptions): AsyncGenerator<string> {
  let bytes = 0;
  const counter = new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      options.onProgress?.({ bytes, total: file.size });
      controller.enqueue(chunk);
    },
  });
  const gzip = await isGzip(file, path);
  let stream: ReadableStream<Uint8Array<ArrayBuffer>> = file.stream().pipeThrough(counter);
  if (gzip) stream = stream.pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.pipeThrough(new TextDecoderStream('utf-8')).getReader();
  try {
    for (;;) {
      if (options.signal?.aborted) throw new AbortedError(`Reading ${path} was cancelled.`);
      let next: ReadableStreamReadResult<string>;
      try {
        next = await reader.read();
      } catch (err) {
        const detail = gzip
          ? 'it is not a complete gzip file. Check it decompresses on your computer (or drop the uncompressed file), then try again.'
          : 'the browser could not read it, perhaps because it was moved or changed after it was dropped. Drop it again.';
        throw new SeedFileReadError(path, detail, { cause: err });
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Stops the pipe (and the file read) when the consumer stops early or an error ends the loop.
    await reader.cancel().catch(() => {});
  }
}

/** The rows of a dropped seed file (JSON Lines, a JSON array, either gzip-compressed). */
export async function* readSeedRows(file: Blob, path: string, options: SeedReadOptions = {}): AsyncGenerator<SourceRow> {
  const lines = new JsonlRowReader();
  let mode: 'whole' | 'lines' | null = null;
  let head = '';
  const whole: string[] = [];
  for await (const chunk of textChunks(file, path, options)) {
    if (mode === null) {
      head += chunk;
      mode = sniffSeedText(head, false);
      if (mode === null) continue;
      if (mode === 'whole') whole.push(head);
      else yield* lines.push(head);
      head = '';
    } else if (mode === 'whole') whole.push(chunk);
    else yield* lines.push(chunk);
  }
  if (mode === null) mode = sniffSeedText(head, true);
  if (mode === 'whole') {
    yield* jsonArrayRows(whole.join('') + head);
    return;
  }
  yield* lines.push(head);
  yield* lines.end();
}

/** Reads, imports and filters one dropped seed file: the report the seed view shows and the kept pairs. */
export async function importSeedFile(
  file: Blob,
  path: string,
  options: SeedImportOptions & SeedReadOptions = {},
): Promise<{ report: SeedFileReport; seeds: ImportedSeed[] }> {
  const result = await importSeedRowsAsync(readSeedRows(file, path, options), path, options.format ?? 'auto', options.maxIssueExamples);
  return finishSeedFile(result, options.filters);
}
