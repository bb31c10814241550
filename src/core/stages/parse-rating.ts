/**
 * Reads a score out of what a rating model really wrote. The rule (METHOD.md): a rating is either
 * parsed exactly or kept as unparsed with its raw text — never guessed, never a crash.
 *
 * What counts as the score: the LAST line that STARTS with a score label — "Score: N", also
 * "Rating: N", "Final score - N"; separators `:` `=` `-` `–` `—`; markdown (`#`, `*`, `_`, `>`,
 * a list bullet) before and around the label ignored — whose value starts with a number, outside
 * any `<think>…</think>` block. A label in the middle of prose ("the rubric says a score: 5
 * requires…") is not a score line. Labels whose value is not a number ("Score: <a whole
 * number>") are skipped. A reply that is nothing but a number ("4", "4/5") is a score too (fast
 * mode), and so is a reply that is one JSON object with a "score" (or "rating") member.
 * Decided, and tested in the parser table (test/unit/stages/parse-rating.test.ts):
 * - "Score: 10" is out of range, not 1; "Score: 0" too.
 * - "Score: 4.", "Score: 4/5", "Score: 4 out of 5", "Score: 4.0", "Score: 4,0", "Score: four" → 4.
 * - Fractions in any spelling — "4.5", "4,5", "4½", "4 and a half", "four and a half",
 *   "4 point 5" — are not whole scores ('not-integer'); "8/10" is on the wrong scale; "3-4" and
 *   "3 or 4" are ambiguous: all unparsed, with their own code.
 * - "Rating: 5" counts (unambiguous); "I would give it a 4" and "… clear. Score: 4" do not
 *   (no label at the start of a line).
 */
import type { ParseStatus } from '../records.ts';

export type RatingCode = 'ok' | 'empty' | 'no-score' | 'out-of-range' | 'not-integer' | 'wrong-scale' | 'ambiguous';

export interface ParsedRating {
  score: number | null;
  parse: ParseStatus;
  code: RatingCode;
  /** The model's reasoning: the text before the score line, thinking removed. */
  reason: string;
  /** Where the score's first character sits in the raw text (for matching logprob tokens), or -1. */
  scoreAt: number;
}

const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };

/** A score label at the start of a line, after optional markup (heading, emphasis, quote, bullet). */
const LABEL = /^[ \t]*(?:(?:[>#*_]+|[-•+]|\d+[.)])[ \t]*)*((?:final\s+|overall\s+)?(?:score|rating))["'\s*_]*(?::|=|-|–|—)/gimu;
/** A number with a decimal point or comma in any locale ("4.5", "4,5"), or a word. */
const VALUE =
  /^[\s*_`"'[(]*(\d+(?:[.,]\d+)?|one|two|three|four|five)(?![\p{L}\p{Nd}])[ \t*_`"'\])]*(?:(?:\/|out\s+of)[ \t]*(\d+(?:[.,]\d+)?))?[ \t*_`\])]*/iu;
const RANGE_TAIL = /^[ \t]*(?:-|–|—|to|or|and)\s*\d/i;
/** A fraction written after the whole number: "4½", "4 and a half", "four point five". */
const FRACTION_TAIL = /^[ \t]*(?:[½¼¾⅓⅔]|and\s+(?:a\s+)?(?:half|quarter|third|three[\s-]quarters)|(?:point|comma)\s+(?:\d|one|two|three|four|five|six|seven|eight|nine))/i;

/**
 * Where `<think>…</think>` blocks sit, as [start, end) spans. An unclosed `<think>` runs to the
 * end; a lone `</think>` (templates that open the block in the prompt) covers everything before it.
 */
export function thinkingSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const lone = /^((?:(?!<think>)[\s\S])*?)<\/think>/i.exec(text);
  if (lone) spans.push([0, lone[0].length]);
  for (const m of text.slice(lone ? lone[0].length : 0).matchAll(/<think>[\s\S]*?(?:<\/think>|$)/gi)) {
    const at = (m.index ?? 0) + (lone ? lone[0].length : 0);
    spans.push([at, at + m[0].length]);
  }
  return spans;
}

/** Masks thinking blocks with spaces, keeping offsets. */
export function maskThinking(text: string): string {
  let out = text;
  for (const [a, b] of thinkingSpans(text)) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
  return out;
}

/** Reads `text` from `at` as a score value; null when it does not start with a number. */
function readValue(text: string, at: number): { score: number | null; code: RatingCode; numberAt: number; end: number } | null {
  const m = VALUE.exec(text.slice(at));
  if (!m) return null;
  const word = (m[1] ?? '').toLowerCase();
  const value = WORDS[word] ?? Number(word.replace(',', '.'));
  const numberAt = at + m[0].indexOf(m[1] ?? '');
  const end = at + m[0].length;
  const result = (score: number | null, code: RatingCode) => ({ score, code, numberAt, end });
  // The fraction check looks right after the number, before VALUE's trailing-markup skip.
  if (FRACTION_TAIL.test(text.slice(numberAt + (m[1] ?? '').length))) return result(null, 'not-integer');
  if (RANGE_TAIL.test(text.slice(end))) return result(null, 'ambiguous');
  if (m[2] !== undefined && Number(m[2].replace(',', '.')) !== 5) return result(null, 'wrong-scale');
  if (!Number.isInteger(value)) return result(null, 'not-integer');
  if (value < 1 || value > 5) return result(null, 'out-of-range');
  return result(value, 'ok');
}

const unparsed = (code: RatingCode, reason: string): ParsedRating => ({ score: null, parse: 'unparsed', code, reason, scoreAt: -1 });

export function parseRating(raw: string | null | undefined): ParsedRating {
  const text = typeof raw === 'string' ? raw : '';
  const visible = maskThinking(text);
  if (visible.trim() === '') return unparsed('empty', '');

  let last: { labelAt: number; valueAt: number } | undefined;
  for (const m of visible.matchAll(LABEL)) {
    const at = m.index ?? 0;
    const valueAt = at + m[0].length;
    if (VALUE.test(visible.slice(valueAt))) last = { labelAt: at + m[0].indexOf(m[1] ?? ''), valueAt };
  }
  if (last) {
    const v = readValue(visible, last.valueAt);
    const reason = cleanReason(visible.slice(0, last.labelAt));
    if (v && v.score !== null) return { score: v.score, parse: 'parsed', code: 'ok', reason, scoreAt: v.numberAt };
    if (v) return unparsed(v.code, reason);
  }
  const json = jsonScore(visible);
  if (json) return json;
  // A bare number is a score only when it is the whole reply (fast mode: "4", "4/5", "4.").
  const start = visible.search(/\S/);
  const bare = readValue(visible, start);
  if (bare && (bare.code === 'ambiguous' || visible.slice(bare.end).replace(/[.!]+\s*$/, '').trim() === '')) {
    if (bare.score !== null) return { score: bare.score, parse: 'parsed', code: 'ok', reason: '', scoreAt: bare.numberAt };
    return unparsed(bare.code, '');
  }
  return unparsed('no-score', cleanReason(visible));
}

/** A reply that is one JSON object (optionally in a ```json fence) with a "score" or "rating" member. */
function jsonScore(visible: string): ParsedRating | null {
  const body = visible.trim().replace(/^```(?:json)?\s*\n([\s\S]*)\n```$/i, '$1').trim();
  if (!body.startsWith('{') || !body.endsWith('}')) return null;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const obj = value as Record<string, unknown>;
  const key = Object.keys(obj).find((k) => /^(?:final_?|overall_?)?(?:score|rating)$/i.test(k));
  const score = key === undefined ? undefined : obj[key];
  if (typeof score !== 'number' && typeof score !== 'string') return null;
  const reason = typeof obj.reason === 'string' ? obj.reason : typeof obj.explanation === 'string' ? obj.explanation : '';
  const v = readValue(String(score), 0);
  if (!v || String(score).slice(v.end).trim() !== '') return unparsed('no-score', reason);
  if (v.score === null) return unparsed(v.code, reason);
  const raw = JSON.stringify(score);
  const at = visible.lastIndexOf(raw);
  return { score: v.score, parse: 'parsed', code: 'ok', reason, scoreAt: at < 0 ? -1 : at + (typeof score === 'string' ? 1 : 0) };
}

/** The reasoning as the user reads it: thinking gone, trailing markdown of the label gone. */
function cleanReason(text: string): string {
  return text.replace(/[\s*_#>`-]+$/u, '').replace(/^\s+/, '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n');
}
