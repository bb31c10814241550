/**
 * Records files (JSONL, JSON, CSV, TSV) to text rows. Each row's text field becomes one
 * document for the paragraph packer. The field is detected (`text`, `content`, `output`,
 * `response`) or chosen by the user. A malformed line is an issue with its line number, not a
 * failure: the rest of the file goes on. Streams line by line, so a 2 GB JSONL stays bounded.
 */
import type { Issue } from '../result.ts';

export const TEXT_FIELDS = ['text', 'content', 'output', 'response'] as const;

export interface TextRow {
  /** 1-based line (JSONL) or record (CSV, JSON array) number. */
  row: number;
  text: string;
}

/** The field to read: the user's choice if present, else the first known text field, matched case-insensitively. */
export function pickTextField(fields: readonly string[], preferred?: string): string | undefined {
  if (preferred !== undefined && preferred !== '') return fields.includes(preferred) ? preferred : undefined;
  for (const want of TEXT_FIELDS) {
    const hit = fields.find((f) => f.toLowerCase() === want);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Raised (as data) when a file has no usable text field: the whole file is skipped with this message. */
export function noTextField(fields: readonly string[], preferred?: string): Issue {
  const have = fields.length > 0 ? fields.slice(0, 12).join(', ') : 'none';
  const wanted = preferred ? `"${preferred}"` : TEXT_FIELDS.map((f) => `"${f}"`).join(', ');
  return { code: 'no-text-field', message: `No text field found (looked for ${wanted}; fields are: ${have}). Choose the text field for this file and ingest it again.` };
}

export interface RowBatch {
  rows: TextRow[];
  issues: Issue[];
  /** Set when the file cannot be read at all (no text field); stop reading it. */
  fatal?: Issue;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Reads one parsed record; decides the field on the first object seen. */
class FieldReader {
  field: string | undefined;
  readonly #preferred: string | undefined;

  constructor(preferred?: string) {
    this.#preferred = preferred;
  }

  read(value: unknown, row: number, out: RowBatch): void {
    if (typeof value === 'string') {
      out.rows.push({ row, text: value });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.issues.push({ code: 'not-a-record', message: 'Row is not an object or a string.', at: `line ${row}` });
      return;
    }
    const obj = value as Record<string, unknown>;
    if (this.field === undefined) {
      this.field = pickTextField(Object.keys(obj), this.#preferred);
      if (this.field === undefined) {
        out.fatal = noTextField(Object.keys(obj), this.#preferred);
        return;
      }
    }
    const text = textOf(obj[this.field]);
    if (text === undefined) out.issues.push({ code: 'missing-field', message: `Row has no text in "${this.field}".`, at: `line ${row}` });
    else out.rows.push({ row, text });
  }
}

export class JsonlRowReader {
  #partial = '';
  #line = 0;
  readonly #fields: FieldReader;

  constructor(preferredField?: string) {
    this.#fields = new FieldReader(preferredField);
  }

  get field(): string | undefined {
    return this.#fields.field;
  }

  push(piece: string): RowBatch {
    const out: RowBatch = { rows: [], issues: [] };
    const text = this.#partial + piece;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1 && !out.fatal; nl = text.indexOf('\n', start)) {
      this.#one(text.slice(start, nl), out);
      start = nl + 1;
    }
    this.#partial = out.fatal ? '' : text.slice(start);
    return out;
  }

  end(): RowBatch {
    const out: RowBatch = { rows: [], issues: [] };
    if (this.#partial !== '') this.#one(this.#partial, out);
    this.#partial = '';
    return out;
  }

  #one(raw: string, out: RowBatch): void {
    this.#line++;
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      out.issues.push({ code: 'malformed-line', message: `Not valid JSON: ${(err as Error).message}`, at: `line ${this.#line}` });
      return;
    }
    this.#fields.read(value, this.#line, out);
  }
}

/**
 * A whole .json document: an array of records, or an object holding one (`{"data": [...]}`).
 * Returns null when the text is not one JSON value (then it is read as JSONL).
 */
export function readJsonDocument(text: string, preferredField?: string): RowBatch | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const out: RowBatch = { rows: [], issues: [] };
  let records: unknown[] | undefined = Array.isArray(value) ? value : undefined;
  if (!records && typeof value === 'object' && value !== null) {
    records = Object.values(value).find((v): v is unknown[] => Array.isArray(v) && v.length > 0);
    if (!records) records = [value];
  }
  if (!records) {
    out.fatal = { code: 'no-records', message: 'This JSON file holds a single value, not records. Use a JSON array of objects or JSON Lines.' };
    return out;
  }
  const fields = new FieldReader(preferredField);
  for (let i = 0; i < records.length && !out.fatal; i++) fields.read(records[i], i + 1, out);
  return out;
}

/** RFC 4180 records (quoted fields may hold delimiters, quotes and newlines), streamed. */
export class DelimitedRowReader {
  readonly #delim: string;
  readonly #preferred: string | undefined;
  #partial = '';
  #header: string[] | null = null;
  #column = -1;
  #record = 0;

  constructor(delimiter: ',' | '\t', preferredField?: string) {
    this.#delim = delimiter;
    this.#preferred = preferredField;
  }

  get field(): string | undefined {
    return this.#header?.[this.#column];
  }

  push(piece: string): RowBatch {
    this.#partial += piece;
    return this.#drain(false);
  }

  end(): RowBatch {
    return this.#drain(true);
  }

  #drain(final: boolean): RowBatch {
    const out: RowBatch = { rows: [], issues: [] };
    const s = this.#partial;
    let i = 0;
    while (i < s.length && !out.fatal) {
      const parsed = this.#parseRecord(s, i, final);
      if (!parsed) break;
      i = parsed.next;
      this.#onRecord(parsed.cells, out);
    }
    this.#partial = out.fatal ? '' : s.slice(i);
    return out;
  }

  /** One record from `start`, or null when it is not complete yet. */
  #parseRecord(s: string, start: number, final: boolean): { cells: string[]; next: number } | null {
    const cells: string[] = [];
    let i = start;
    for (;;) {
      if (s[i] === '"') {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = s.indexOf('"', j);
          if (q === -1) {
            if (!final) return null;
            value += s.slice(j);
            j = s.length;
            break;
          }
          value += s.slice(j, q);
          if (s[q + 1] === '"') {
            value += '"';
            j = q + 2;
          } else {
            j = q + 1;
            break;
          }
          if (j >= s.length && !final) return null;
        }
        // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
        const stop = this.#fieldEnd(s, j);
        if (stop === -1 && !final) return null;
        cells.push(value + s.slice(j, stop === -1 ? s.length : stop));
        i = stop === -1 ? s.length : stop;
      } else {
        const stop = this.#fieldEnd(s, i);
        if (stop === -1 && !final) return null;
        cells.push(s.slice(i, stop === -1 ? s.length : stop).replace(/\r$/, ''));
        i = stop === -1 ? s.length : stop;
      }
      if (i >= s.length) return { cells, next: s.length };
      if (s[i] === this.#delim) {
        i++;
        continue;
      }
      return { cells, next: i + 1 }; // newline
    }
  }

  #fieldEnd(s: string, from: number): number {
    const d = s.indexOf(this.#delim, from);
    const n = s.indexOf('\n', from);
    if (d === -1) return n;
    if (n === -1) return d;
    return Math.min(d, n);
  }

  #onRecord(cells: string[], out: RowBatch): void {
    if (cells.length === 1 && (cells[0] ?? '').trim() === '') return;
    if (this.#header === null) {
      this.#header = cells.map((c) => c.trim());
      const field = pickTextField(this.#header, this.#preferred);
      if (field === undefined) out.fatal = noTextField(this.#header, this.#preferred);
      else this.#column = this.#header.indexOf(field);
      return;
    }
    this.#record++;
    const text = cells[this.#column];
    if (text === undefined) out.issues.push({ code: 'missing-field', message: `Record has ${cells.length} fields, fewer than the header.`, at: `record ${this.#record}` });
    else out.rows.push({ row: this.#record, text });
  }
}
