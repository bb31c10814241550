/**
 * A dropped file as a stream of text pieces: bytes → (gunzip for .gz) → UTF-8 text, never the
 * whole file in memory, so a 2 GB JSONL reads in bounded memory. The first bytes are checked for
 * binary content before anything is decoded. Bytes that are not UTF-8 become U+FFFD (the
 * decoder's default) and the pipeline counts them, rather than failing the file. HTML is
 * decoded as browsers decode it (BOM, `<meta charset>`, windows-1252 for a page that is not
 * UTF-8): see core/corpus/html-encoding.ts.
 */
import { AbortedError, HumpbackError } from '../../core/errors.ts';
import { looksBinary } from '../../core/corpus/formats.ts';
import { HtmlByteDecoder } from '../../core/corpus/html-encoding.ts';

/** The file could not be read to the end: moved, deleted or changed since it was dropped, or a broken .gz. */
export class FileReadError extends HumpbackError {
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super('FileReadError', `Could not read "${path}" (${detail}). If it was moved, changed or deleted, drop it again.`, options);
  }
}

export interface ReadOptions {
  gzip: boolean;
  /** An HTML file: its encoding is read from the page. */
  html?: boolean;
  signal?: AbortSignal;
  /** Called with the count of raw (compressed, for .gz) bytes read so far. */
  onBytes?: (bytes: number) => void;
}

/** Yields decoded text pieces; yields `{ binary: true }` first and stops when the content is not text. */
export async function* readTextPieces(file: Blob, path: string, opts: ReadOptions): AsyncGenerator<string | { binary: true }> {
  let raw = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctl) {
      raw += chunk.byteLength;
      opts.onBytes?.(raw);
      ctl.enqueue(chunk);
    },
  });
  let stream: ReadableStream<Uint8Array> = file.stream().pipeThrough(counter);
  if (opts.gzip) stream = stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  const reader = stream.getReader();
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: false });
  const decoder = opts.html ? new HtmlByteDecoder() : { push: (b: Uint8Array) => utf8.decode(b, { stream: true }), end: () => utf8.decode() };
  let first = true;
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new AbortedError();
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        throw new FileReadError(path, (err as Error)?.message || String(err), { cause: err });
      }
      if (next.done) break;
      if (first && next.value.byteLength > 0) {
        first = false;
        if (looksBinary(next.value.subarray(0, 4096)) && !(opts.html && hasUtf16Bom(next.value))) {
          yield { binary: true };
          return;
        }
      }
      const text = decoder.push(next.value);
      if (text.length > 0) yield text;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** UTF-16 text is full of NUL bytes; an HTML page that says it is UTF-16 by its BOM is still text. */
function hasUtf16Bom(b: Uint8Array): boolean {
  return (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
}
