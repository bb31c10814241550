/**
 * Seed files arrive as JSON Lines (one record per line) or as one JSON array. Both become
 * numbered `SourceRow`s so every later message can say "line 12": JSONL rows are numbered by
 * their 1-based line in the file (blank lines are skipped but still counted), JSON array rows by
 * their 1-based position in the array. A line that is not JSON is a row with an `error`, not an
 * exception. `JsonlRowReader` takes text in arbitrary chunks so a file can be read as a stream.
 */
import type { SourceRow } from './types.ts';

const BOM = '\uFEFF';

function parseLine(line: string, row: number): SourceRow | null {
  const trimmed = line.trim();
  if (trimmed === '') return null;
  try {
    return { row, value: JSON.parse(trimmed) as unknown };
  } catch (err) {
    return { row, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Splits JSON Lines text given in chunks of any size (a line may span chunks). */
export class JsonlRowReader {
  #rest = '';
  #line = 0;

  push(chunk: string): SourceRow[] {
    let text = this.#rest + chunk;
    if (this.#line === 0 && this.#rest === '' && text.startsWith(BOM)) text = text.slice(1);
    const rows: SourceRow[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.#line += 1;
      const parsed = parseLine(text.slice(start, nl), this.#line);
      if (parsed) rows.push(parsed);
      start = nl + 1;
    }
    this.#rest = text.slice(start);
    return rows;
  }

  /** Flushes the last line (files often end without a newline). */
  end(): SourceRow[] {
    const rest = this.#rest;
    this.#rest = '';
    if (rest.trim() === '') return [];
    this.#line += 1;
    const parsed = parseLine(rest, this.#line);
    return parsed ? [parsed] : [];
  }
}

/** The rows of a whole JSON Lines text. */
export function jsonlRows(text: string): SourceRow[] {
  const reader = new JsonlRowReader();
  return [...reader.push(text), ...reader.end()];
}

/**
 * The rows of a JSON file: each item of a top-level array, or the single top-level object as
 * row 1. A file that does not parse is one row with the parser's message.
 */
export function jsonArrayRows(text: string): SourceRow[] {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return [{ row: 1, error: `the file is not valid JSON: ${err instanceof Error ? err.message : String(err)}` }];
  }
  if (Array.isArray(value)) return value.map((v, i) => ({ row: i + 1, value: v as unknown }));
  return [{ row: 1, value }];
}

/**
 * How a file's text must be read, judged from its beginning: `whole` for a JSON array (first
 * character `[`) or one pretty-printed object (first line is `{` alone, which no JSON Lines row
 * is), `lines` for JSON Lines, or null when `head` is too short to tell and more text is coming.
 */
export function sniffSeedText(head: string, complete: boolean): 'whole' | 'lines' | null {
  const m = /^\uFEFF?\s*(\S)/.exec(head);
  if (!m) return complete ? 'lines' : null;
  if (m[1] === '[') return 'whole';
  if (m[1] !== '{') return 'lines';
  const rest = head.slice(m.index + m[0].length);
  const nl = rest.indexOf('\n');
  if (nl === -1) return complete ? (rest.trim() === '' ? 'whole' : 'lines') : null;
  return rest.slice(0, nl).trim() === '' ? 'whole' : 'lines';
}

/** The rows of a seed file's whole text: JSON Lines, a JSON array, or one pretty-printed object. */
export function rowsFromText(text: string): SourceRow[] {
  return sniffSeedText(text, true) === 'whole' ? jsonArrayRows(text) : jsonlRows(text);
}
