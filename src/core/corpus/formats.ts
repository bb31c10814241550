/**
 * Which reader a dropped file needs, from its name (and, for binaries, its first bytes). A file
 * we cannot read is skipped with a message that says what would make it readable, never
 * guessed at: a wrongly decoded file would pollute the corpus with garbage segments.
 */
import type { DocumentFormat } from '../records.ts';
import type { Issue } from '../result.ts';

const EXTENSIONS: Record<string, DocumentFormat> = {
  txt: 'txt', text: 'txt', md: 'md', markdown: 'md', html: 'html', htm: 'html', xhtml: 'html',
  jsonl: 'jsonl', ndjson: 'jsonl', json: 'json', csv: 'csv', tsv: 'tsv', pdf: 'pdf', parquet: 'parquet',
};

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

export function detectFormat(name: string): { format: DocumentFormat; gzip: boolean } {
  let lower = name.toLowerCase();
  const gzip = lower.endsWith('.gz');
  if (gzip) lower = lower.slice(0, -3);
  const dot = lower.lastIndexOf('.');
  const ext = dot === -1 ? '' : lower.slice(dot + 1);
  return { format: EXTENSIONS[ext] ?? 'unknown', gzip };
}

export function unknownFormat(name: string): Issue {
  return {
    code: 'unknown-format',
    message: `"${name}" has an extension this app cannot read. Supported: ${SUPPORTED_EXTENSIONS.map((e) => '.' + e).join(', ')} (and .gz of any). Rename it if it is one of these.`,
  };
}

/**
 * True when the first bytes look like a binary file rather than text: a NUL byte (UTF-16 and
 * binaries have them, UTF-8 text never does), or many control characters.
 */
export function looksBinary(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  }
  return control / head.length > 0.1;
}

export function binaryFile(name: string): Issue {
  return { code: 'binary', message: `"${name}" looks like a binary file, not text. Export it as text, Markdown, HTML or PDF first.` };
}

export const emptyFile = (name: string): Issue => ({ code: 'empty', message: `"${name}" is empty.` });
