/**
 * Text clean-up shared by every format: HTML entities, whitespace, and the normal form used for
 * exact dedup hashing. Kept separate because the segmenters, the filters and dedup all need the
 * same definition of "the same text" — two copies of a page that differ only in spacing or case
 * must hash alike.
 */
import { LEGACY_ENTITIES, NAMED_ENTITIES } from './html-entities.ts';

/** Numeric references to C1 controls mean the windows-1252 character in that place (the HTML standard's table). */
const C1 = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

const ENTITY = /&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*)(;?)/g;
/** The longest name that browsers decode without a ";" ("frac34"). */
const LONGEST_LEGACY = 6;

/**
 * Replaces character references as a browser does in text: every HTML5 name (html-entities.ts),
 * numeric ones (C1 controls read as windows-1252, invalid ones as U+FFFD), the legacy names with
 * no ";" too ("&copy 2024", "&eacutet" → "ét"); unknown names stay as written. Soft hyphens and
 * zero-width characters a reference stands for are dropped (see `stripInvisible`).
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, body: string, semi: string) => {
    if (body.charCodeAt(0) === 35) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const digits = body.slice(hex ? 2 : 1);
      const code = digits.length > 8 ? Infinity : parseInt(digits, hex ? 16 : 10);
      // Invalid or surrogate code points become the replacement character, as browsers do.
      if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      if (code >= 0x80 && code <= 0x9f) return C1[code - 0x80] as string;
      return invisible(code) ? '' : String.fromCodePoint(code);
    }
    if (semi !== '') {
      const value = NAMED_ENTITIES.get(body);
      if (value !== undefined) return value.length === 1 && invisible(value.charCodeAt(0)) ? '' : value;
    }
    for (let n = Math.min(body.length, LONGEST_LEGACY); n >= 2; n--) {
      const name = body.slice(0, n);
      if (LEGACY_ENTITIES.has(name)) return (name === 'shy' ? '' : (NAMED_ENTITIES.get(name) as string)) + body.slice(n) + semi;
    }
    return whole;
  });
}

/** Soft hyphen, zero-width space/joiners, word joiner, BOM: characters with no glyph that split words for search and dedup. */
function invisible(c: number): boolean {
  return c === 0xad || (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff;
}

const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/** Removes soft hyphens and zero-width characters written as themselves. */
export function stripInvisible(text: string): string {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text) ? text.replace(INVISIBLE, '') : text;
}

/** JavaScript's white space and line terminators: exactly what `\s` matches and `trim()` removes. */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Collapses runs of spaces/tabs/newlines into one space and trims (for prose): the same as
 * `text.replace(/\s+/g, ' ').trim()`, in one pass that returns already-tidy text untouched.
 */
export function collapseSpaces(text: string): string {
  const n = text.length;
  let tidy = true;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 ? i === 0 || i === n - 1 || text.charCodeAt(i + 1) === 32 || isSpaceCode(text.charCodeAt(i + 1)) : isSpaceCode(c)) {
      tidy = false;
      break;
    }
  }
  if (tidy) return text;
  let out = '';
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const space = i === n || isSpaceCode(text.charCodeAt(i));
    if (!space) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out += out.length > 0 ? ' ' + text.slice(start, i) : text.slice(start, i);
      start = -1;
    }
  }
  return out;
}

/**
 * Normalises a multi-line block while keeping its lines: tabs become spaces, trailing spaces go,
 * runs of blank lines become one, leading/trailing blank lines go, common indentation is removed.
 * Used for code blocks and for plain-text paragraphs whose line breaks carry meaning.
 */
export function tidyLines(text: string): string {
  return tidyLineList(text).join('\n');
}

/** `tidyLines(text).split('\n')`, without joining lines only to split them again. */
function tidyLineList(text: string): string[] {
  // `includes` first: most blocks have none of these, and a scan is cheaper than a regex replace.
  let t = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  if (t.includes('\t')) t = t.replaceAll('\t', '    ');
  if (t.includes('\u00a0')) t = t.replaceAll('\u00a0', ' ');
  const lines = t.split('\n').map((l) => l.trimEnd());
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let indent = Infinity;
  for (const l of lines) if (l !== '') indent = Math.min(indent, l.length - l.trimStart().length);
  const out: string[] = [];
  for (const l of lines) {
    if (l === '' && out[out.length - 1] === '') continue;
    out.push(indent === Infinity ? l : l.slice(indent));
  }
  return out;
}

/** Lines drawn in columns (ASCII tables, diagrams): their breaks and spacing carry the layout. */
const LAID_OUT = /^\s*[|+]|\S {3,}\S|[|+]\s*$/;
const LIST_MARKER = /^\s*(?:[-*+•–]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s+/;

/**
 * Re-flows a hard-wrapped plain-text paragraph: a line joins the previous one unless it starts a
 * list item or the previous line was clearly short (a deliberate break, like a code line or a
 * heading). Keeps code and lists readable while prose wrapped at 70 columns becomes one line, so
 * the text of a .txt book matches the text of its HTML edition.
 */
export function unwrapParagraph(text: string): string {
  const lines = tidyLineList(text);
  // `split` gives one empty line for empty text, where the list is empty.
  if (lines.length === 0) lines.push('');
  const width = lines.reduce((m, l) => Math.max(m, l.length), 0);
  const out: string[] = [];
  /** Whether each `out` line is laid out, or null when it was joined and must be asked again. */
  const laidOut: (boolean | null)[] = [];
  let prevLen = 0;
  let prevLaidOut = false;
  for (const line of lines) {
    const last = out.length - 1;
    const lineLaidOut = isLaidOut(line);
    const listItem = mayStartList(line) && LIST_MARKER.test(line);
    const continues = last >= 0 && prevLen >= Math.max(40, width * 0.6) && !listItem && !lineLaidOut && !prevLaidOut;
    if (continues) {
      out[last] = `${out[last]} ${line.trim()}`;
      laidOut[last] = null;
    } else {
      // Trimming does not change the laid-out test: its patterns allow any outer white space.
      out.push(listItem ? line.trim() : line.trimEnd());
      laidOut.push(lineLaidOut);
    }
    prevLen = line.length;
    prevLaidOut = lineLaidOut;
  }
  for (let i = 0; i < out.length; i++) {
    const l = out[i] as string;
    if (l.includes('  ') && !(laidOut[i] ?? isLaidOut(l))) out[i] = l.replace(/(\S) {2,}(?=\S)/g, '$1 ');
  }
  return out.join('\n');
}

/**
 * False when `LIST_MARKER` cannot match: a line opening with two ASCII letters (most prose) has
 * no room for a marker, which would be a bullet, a number or one letter followed by "." or ")".
 */
function mayStartList(line: string): boolean {
  return !(isAsciiLetter(line.charCodeAt(0)) && isAsciiLetter(line.charCodeAt(1)));
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `LAID_OUT.test`, skipping the regex for the many lines with no pipe, plus or run of three spaces. */
function isLaidOut(line: string): boolean {
  return (line.includes('   ') || line.includes('|') || line.includes('+')) && LAID_OUT.test(line);
}

/** The form two texts share when they are "the same text": lower case, letters and digits only, single spaces. */
export function normaliseForHash(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A copy of `text` that does not keep the string it was cut from alive. Engines make a short
 * slice of a long string a view onto it, so remembering one header cut from a 64 KB piece would
 * keep the whole piece in memory; caches that outlive a piece store keys through this.
 */
export function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}

/**
 * A pure function of a string, its answers remembered: for checks that meet the same few strings
 * over and over (a section's headers, a site's class names). Bounded — cleared once it holds
 * `bound` answers — and keyed by own copies, so a key never pins the piece it was cut from.
 */
export function remembered<T>(fn: (key: string) => T, bound: number): (key: string) => T {
  const answers = new Map<string, T>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = fn(key);
      if (answers.size >= bound) answers.clear();
      answers.set(ownCopy(key), answer);
    }
    return answer;
  };
}

/** Counts U+FFFD, which a decoder puts where the input was not valid UTF-8. */
export function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}
