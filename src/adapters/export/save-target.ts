/**
 * Where an export goes: a file the user picks (File System Access API, Chromium and Edge), or
 * a download for browsers without it (Firefox, Safari). Both are a WritableStream of bytes, so
 * the exporter writes the same way to either.
 *
 * `showSaveFilePicker` needs a user gesture: call `openSaveTarget` first thing in the click
 * handler, before any other await, or the browser refuses with a SecurityError.
 * The download path cannot stream to disk, but it does not hold the file as one JS string
 * either: bytes are gathered into Blob parts of a few MB, which Chromium pages to disk when
 * large, and the page only keeps the handles.
 */
import { AbortedError, HumpbackError } from '../../core/errors.ts';

/** The parts of the File System Access API we use; TypeScript's DOM library does not declare the picker. */
export interface SaveFilePickerOptions {
  suggestedName?: string;
  types?: { description: string; accept: Record<string, string[]> }[];
}
export type ShowSaveFilePicker = (options: SaveFilePickerOptions) => Promise<FileSystemFileHandle>;

export interface SaveTarget {
  kind: 'file' | 'download';
  /** The file name the user chose (or the suggested one, for a download). */
  name: string;
  stream: WritableStream<Uint8Array>;
}

export class ExportWriteError extends HumpbackError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'ExportWriteError',
      `The export could not be written (${detail}). Check there is free disk space and that the file is not open elsewhere, then export again.`,
      options,
    );
  }
}

/** Gathers bytes into Blob parts of about `partBytes`. */
class BlobParts {
  readonly #parts: Blob[] = [];
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  constructor(readonly partBytes: number) {}

  add(bytes: Uint8Array): void {
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.byteLength;
    if (this.#pendingBytes >= this.partBytes) this.#seal();
  }

  #seal(): void {
    if (this.#pending.length === 0) return;
    this.#parts.push(new Blob(this.#pending as BlobPart[]));
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  blob(type: string): Blob {
    this.#seal();
    return new Blob(this.#parts, { type });
  }
}

/** Hands a finished Blob to the browser as a download (a temporary link, clicked). */
export function clickDownload(blob: Blob, name: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A stream that becomes a download when closed. */
export function downloadTarget(
  name: string,
  type: string,
  deliver: (blob: Blob, name: string) => void = clickDownload,
  partBytes = 8 * 1024 * 1024,
): SaveTarget {
  const parts = new BlobParts(partBytes);
  const stream = new WritableStream<Uint8Array>({
    write: (chunk) => parts.add(chunk),
    close: () => deliver(parts.blob(type), name),
  });
  return { kind: 'download', name, stream };
}

const TYPES: Record<string, SaveFilePickerOptions['types']> = {
  jsonl: [{ description: 'JSON Lines', accept: { 'application/jsonl': ['.jsonl'] } }],
  md: [{ description: 'Markdown', accept: { 'text/markdown': ['.md'] } }],
};

/** The browser's picker, when it has one. */
export function browserPicker(): ShowSaveFilePicker | undefined {
  const g = globalThis as { showSaveFilePicker?: ShowSaveFilePicker };
  return typeof g.showSaveFilePicker === 'function' ? g.showSaveFilePicker.bind(globalThis) : undefined;
}

/**
 * Asks where to save `suggestedName`: the file picker when the browser has one (pass `null`
 * for none), a download otherwise. A cancelled picker becomes an `AbortError` the UI can ignore
 * quietly. A picker refused for want of a user gesture (SecurityError) falls back to a
 * download: the user still gets the file, only without choosing where.
 */
export async function openSaveTarget(
  suggestedName: string,
  type: string,
  picker: ShowSaveFilePicker | null = browserPicker() ?? null,
  deliver?: (blob: Blob, name: string) => void,
): Promise<SaveTarget> {
  if (!picker) return downloadTarget(suggestedName, type, deliver);
  let handle: FileSystemFileHandle;
  try {
    const ext = suggestedName.slice(suggestedName.lastIndexOf('.') + 1);
    handle = await picker({ suggestedName, types: TYPES[ext] });
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    if (name === 'AbortError') throw new AbortedError('Export cancelled: no file was chosen.');
    if (name === 'SecurityError') return downloadTarget(suggestedName, type, deliver);
    throw err;
  }
  try {
    const stream = (await handle.createWritable()) as WritableStream<Uint8Array>;
    return { kind: 'file', name: handle.name, stream };
  } catch (err) {
    throw new ExportWriteError(`the browser would not open "${handle.name}" for writing: ${(err as Error).message}`, { cause: err });
  }
}
