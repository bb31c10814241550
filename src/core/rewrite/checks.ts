/**
 * The checks stored with every rewrite (issue 19, "back-and-forth translation"): a model that
 * rewrites a web text as an assistant's reply may shorten it to nothing, pad it, drop the facts or
 * add some of its own. None of that can be proven from text alone, but the cheap signs can be
 * counted, and a rewrite that shows one is flagged — the original is then kept for the pair unless
 * a person accepts the rewrite (core/curation/pair.ts).
 * - length ratio: rewrite characters / original characters;
 * - content words kept: the share of the original's distinct content words found in the rewrite;
 * - numbers, URLs and fenced code blocks of the original missing from the rewrite, and those in
 *   the rewrite that the original does not have (invented).
 * Pure; the limits are data, stored with the result, so a record says what it was judged against.
 */

export interface RewriteLimits {
  /** Flag when rewrite/original characters is below this … */
  minLengthRatio: number;
  /** … or above this. */
  maxLengthRatio: number;
  /** Flag when fewer than this share of the original's content words survive. */
  minContentKept: number;
}

export const DEFAULT_REWRITE_LIMITS: Readonly<RewriteLimits> = Object.freeze({ minLengthRatio: 0.3, maxLengthRatio: 2.5, minContentKept: 0.4 });

export interface FactDiff {
  /** In the original, not in the rewrite. */
  missing: string[];
  /** In the rewrite, not in the original. */
  invented: string[];
}

export type RewriteFlag =
  | 'too-short'
  | 'too-long'
  | 'content-dropped'
  | 'numbers-missing'
  | 'numbers-invented'
  | 'urls-missing'
  | 'urls-invented'
  | 'code-missing'
  | 'code-invented';

export interface RewriteChecks {
  lengthRatio: number;
  /** 0..1; 1 when the original has no content words. */
  contentKept: number;
  numbers: FactDiff;
  urls: FactDiff;
  /** Code blocks, each shown by its first line. */
  code: FactDiff;
  limits: RewriteLimits;
  /** Every check that failed; empty means the rewrite passed. */
  flags: RewriteFlag[];
}

export const FLAG_WORDS: Readonly<Record<RewriteFlag, string>> = {
  'too-short': 'much shorter than the original',
  'too-long': 'much longer than the original',
  'content-dropped': 'dropped most of the original’s content words',
  'numbers-missing': 'numbers of the original are missing',
  'numbers-invented': 'numbers that are not in the original',
  'urls-missing': 'links of the original are missing',
  'urls-invented': 'links that are not in the original',
  'code-missing': 'code blocks of the original are missing',
  'code-invented': 'code blocks that are not in the original',
};

const FENCE = /```[^\n]*\n([\s\S]*?)```/g;
const URL = /\bhttps?:\/\/[^\s<>()[\]{}"'`]+/gi;
// A number: digits with optional thousands separators and decimals ("1,024", "3.5", "2024").
const NUMBER = /(?<![\w.])\d+(?:[.,]\d+)*(?![\w])/g;
// A list marker at the start of a line ("1.", "2)") is layout, not a fact a rewrite invents.
const LIST_MARKER = /^[ \t]*\d{1,3}[.)][ \t]/gm;

/** Fenced code blocks' bodies, whitespace-normalised. */
export function codeBlocksOf(text: string): string[] {
  return [...text.matchAll(FENCE)].map((m) => normaliseSpace(m[1] ?? '')).filter((b) => b !== '');
}

const normaliseSpace = (s: string): string => s.replace(/\s+/g, ' ').trim();
const withoutCode = (text: string): string => text.replace(FENCE, ' ');

/** URLs with trailing sentence punctuation removed, lower-cased scheme and host. */
export function urlsOf(text: string): string[] {
  return unique([...withoutCode(text).matchAll(URL)].map((m) => m[0].replace(/[.,;:!?]+$/, '').replace(/\/$/, '')));
}

/** Numbers as written, thousands separators removed ("1,024" and "1024" are the same fact). */
export function numbersOf(text: string): string[] {
  const plain = withoutCode(text).replace(URL, ' ').replace(LIST_MARKER, ' ');
  return unique([...plain.matchAll(NUMBER)].map((m) => m[0].replace(/,(?=\d{3}(?:\D|$))/g, '')));
}

const STOP = new Set(
  ('about above after again against also although among another because been before being below between both cannot could ' +
    'does doing down during each either else even ever every from further have having here hers herself himself however into ' +
    'itself just least less like made make many more most much must myself neither never other others ought ours ourselves over ' +
    'perhaps quite rather really same shall should since some such than that their theirs them themselves then there these they ' +
    'this those though through thus under until upon very was were what whatever when where whether which while whom whose why ' +
    'will with within without would yours yourself yourselves still your can may might our only well')
    .split(' '),
);

// Word separators: spaces, digits, ASCII punctuation but the apostrophe and hyphen, Latin-1
// symbols, general punctuation, arrows, maths and box-drawing symbols, CJK punctuation. Anything
// else is read as a letter — an approximation of \p{L}, which was a third of this speed and the
// checks' main cost (npm run bench -- --filter stages). On the sample corpus 36 of 221,895
// distinct words per segment differ from the \p{L} reading (a leading hyphen, as in "-user").
const SEPARATORS = /[\s\d!"#$%&()*+,./:;<=>?@[\\\]^_`{|}~\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2190-\u23ff\u2500-\u27bf\u3000-\u303f]+/;

/** Distinct lower-case words of four letters or more that are not function words. */
export function contentWordsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of withoutCode(text).replace(URL, ' ').toLowerCase().split(SEPARATORS)) {
    const w = raw.replace(/^['’-]+|['’-]+$/g, '');
    if (w.length >= 4 && !STOP.has(w)) out.add(w);
  }
  return out;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function diff(original: readonly string[], rewrite: readonly string[], same: (a: string, b: string) => boolean = (a, b) => a === b): FactDiff {
  return {
    missing: original.filter((o) => !rewrite.some((r) => same(o, r))),
    invented: rewrite.filter((r) => !original.some((o) => same(o, r))),
  };
}

// A code block survives when its body is found inside one of the other side's blocks (a rewrite
// may join two blocks or add a line of comment around one).
const sameCode = (a: string, b: string): boolean => a.includes(b) || b.includes(a);
const firstLine = (block: string): string => (block.length > 60 ? `${block.slice(0, 57)}…` : block);

/** Runs every check of `rewrite` against `original`. */
export function checkRewrite(original: string, rewrite: string, limits: RewriteLimits = DEFAULT_REWRITE_LIMITS): RewriteChecks {
  const lengthRatio = original.length === 0 ? 0 : rewrite.length / original.length;
  const words = contentWordsOf(original);
  const kept = contentWordsOf(rewrite);
  let hits = 0;
  for (const w of words) if (kept.has(w)) hits++;
  const contentKept = words.size === 0 ? 1 : hits / words.size;
  const numbers = diff(numbersOf(original), numbersOf(rewrite));
  const urls = diff(urlsOf(original), urlsOf(rewrite), (a, b) => a.toLowerCase() === b.toLowerCase());
  const codeDiff = diff(codeBlocksOf(original), codeBlocksOf(rewrite), sameCode);
  const code = { missing: codeDiff.missing.map(firstLine), invented: codeDiff.invented.map(firstLine) };
  const flags: RewriteFlag[] = [];
  if (lengthRatio < limits.minLengthRatio) flags.push('too-short');
  if (lengthRatio > limits.maxLengthRatio) flags.push('too-long');
  if (contentKept < limits.minContentKept) flags.push('content-dropped');
  if (numbers.missing.length > 0) flags.push('numbers-missing');
  if (numbers.invented.length > 0) flags.push('numbers-invented');
  if (urls.missing.length > 0) flags.push('urls-missing');
  if (urls.invented.length > 0) flags.push('urls-invented');
  if (code.missing.length > 0) flags.push('code-missing');
  if (code.invented.length > 0) flags.push('code-invented');
  return { lengthRatio, contentKept, numbers, urls, code, limits: { ...limits }, flags };
}
