/**
 * JSON Lines that survive every reader. `JSON.stringify` alone is not enough:
 * - it leaves U+2028/U+2029 (and U+0085) raw, and Python's `str.splitlines()` — which many
 *   dataset loaders use — splits a line there, so one record becomes two broken ones;
 * - it writes a lone surrogate as `\udXXX`, which parses back into a string no UTF-8 encoder
 *   can write (Python's `json.loads` then `.encode()` fails, Rust's serde rejects the line).
 * So: lone surrogates become U+FFFD and are counted (the user sees how many), and the three
 * line separators are written as escapes. Everything else (emoji, ZWJ sequences, right-to-left
 * text, NUL and other control characters, quotes, backslashes) is left to `JSON.stringify`,
 * which already escapes what JSON requires; `JSON.parse` gives back the exact text.
 */

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** What `JSON.stringify` writes for a lone surrogate; a literal "\ud800" in text is written "\\ud800" and may match too (then the slow path finds nothing to replace). */
const ESCAPED_SURROGATE = /\\ud[89a-f][0-9a-f]{2}/;
const LINE_SEPARATORS = /[\u0085\u2028\u2029]/g;
const SEPARATOR_ESCAPES: Record<string, string> = { '\u0085': '\\u0085', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export const REPLACEMENT_CHARACTER = '\ufffd';

/** `text` with every lone surrogate replaced by U+FFFD, and how many were replaced. */
export function wellFormed(text: string): { text: string; replaced: number } {
  let replaced = 0;
  const out = text.replace(LONE_SURROGATE, () => {
    replaced++;
    return REPLACEMENT_CHARACTER;
  });
  return { text: out, replaced };
}

/** A deep copy of a JSON-shaped value with every string (keys too) made well-formed. */
function wellFormedValue(value: unknown, count: { replaced: number }): unknown {
  if (typeof value === 'string') {
    const w = wellFormed(value);
    count.replaced += w.replaced;
    return w.text;
  }
  if (Array.isArray(value)) return value.map((v) => wellFormedValue(v, count));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = wellFormed(k);
      count.replaced += key.replaced;
      out[key.text] = wellFormedValue(v, count);
    }
    return out;
  }
  return value;
}

export interface JsonLine {
  /** One line of JSON, without the trailing newline. */
  line: string;
  /** Lone surrogates replaced by U+FFFD in this value. */
  replaced: number;
}

/**
 * Serialises `value` as one JSON line that `JSON.parse` reads back exactly (bar replaced lone
 * surrogates). The common case costs one `JSON.stringify` and one regex test; only a value that
 * really holds a lone surrogate is walked and copied.
 */
export function toJsonLine(value: unknown): JsonLine {
  let line = JSON.stringify(value);
  if (line === undefined) throw new TypeError('toJsonLine: value has no JSON form (undefined, a function or a symbol)');
  let replaced = 0;
  if (ESCAPED_SURROGATE.test(line)) {
    const count = { replaced: 0 };
    const clean = wellFormedValue(value, count);
    if (count.replaced > 0) {
      line = JSON.stringify(clean);
      replaced = count.replaced;
    }
  }
  line = line.replace(LINE_SEPARATORS, (c) => SEPARATOR_ESCAPES[c] ?? c);
  return { line, replaced };
}

/**
 * Collects lines into text blocks for a stream and keeps the totals the export report shows.
 * Bytes are counted as UTF-8 without encoding twice: the text is encoded once, by the caller.
 */
export class JsonlBuffer {
  #parts: string[] = [];
  lines = 0;
  replaced = 0;

  add(value: unknown): void {
    const { line, replaced } = toJsonLine(value);
    this.#parts.push(line, '\n');
    this.lines++;
    this.replaced += replaced;
  }

  /** The text added since the last take (empty when nothing was added). */
  take(): string {
    const text = this.#parts.join('');
    this.#parts = [];
    return text;
  }

  get pending(): boolean {
    return this.#parts.length > 0;
  }
}

/** Splits JSONL text into parsed values; a line that does not parse is reported with its 1-based number. */
export function parseJsonl(text: string): { values: unknown[]; bad: number[] } {
  const values: unknown[] = [];
  const bad: number[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => {
    try {
      values.push(JSON.parse(l));
    } catch {
      bad.push(i + 1);
    }
  });
  return { values, bad };
}
