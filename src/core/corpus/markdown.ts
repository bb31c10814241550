/**
 * Markdown to blocks, line by line, so it streams like the other readers. Headers (ATX "# x"
 * and setext "x\n===") become header blocks; paragraphs lose their inline markup (emphasis,
 * links keep their words, images their alt text); fenced and indented code, lists and pipe
 * tables stay as readable lines. Not a full CommonMark parser: it is the subset that real
 * README-and-notes corpora use, read forgivingly.
 */
import type { Block } from './segment.ts';
import { decodeEntities, isSpaceCode as isSpace, tidyLines } from './normalise.ts';

// A module-local copy for the per-character loop: when tsx loads a module as CommonJS (a script
// outside this package), every use of an imported name calls two getters.
const isSpaceCode = isSpace;

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const REF_DEF = /^ {0,3}\[[^\]]+\]:\s*\S+/;

// Which markup characters a text holds, as bits: each inline rule below needs one of them to
// match, and the rules only ever remove characters, so a rule whose character is absent from the
// original text is skipped — the same result for a fraction of the regex passes.
const BACKSLASH = 1;
const BANG = 2;
const BRACKET = 4;
const ANGLE = 8;
const BACKTICK = 16;
const STAR = 32;
const UNDERSCORE = 64;
const TILDE = 128;
const PARKED_RANGE = 256;

/** Characters where escapes are parked while the emphasis rules run (see `stripInline`). */
const PARKED = /[\ue000-\ue07f]/;

/**
 * Which markup characters `text` holds, as bits. Nine native searches (includes stops at the
 * first hit) cost much less than one character loop in JS over a whole paragraph.
 */
function markupChars(text: string): number {
  let has = 0;
  if (text.includes('\\')) has |= BACKSLASH;
  if (text.includes('!')) has |= BANG;
  if (text.includes('[')) has |= BRACKET;
  if (text.includes('<')) has |= ANGLE;
  if (text.includes('`')) has |= BACKTICK;
  if (text.includes('*')) has |= STAR;
  if (text.includes('_')) has |= UNDERSCORE;
  if (text.includes('~')) has |= TILDE;
  if (PARKED.test(text)) has |= PARKED_RANGE;
  return has;
}

/** Removes inline Markdown and HTML markup, keeping the words a reader sees. */
export function stripInline(text: string): string {
  const has = markupChars(text);
  // Text with only "!" among these (most prose) has nothing to strip.
  if ((has & ~BANG) === 0) return decodeEntities(text);
  // Escaped punctuation is parked in the private-use area so the emphasis rules cannot see it.
  let t = has & BACKSLASH ? text.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, (_, c: string) => String.fromCharCode(0xe000 + c.charCodeAt(0))) : text;
  // Each rule below also first checks the text as it is by then for the characters its pattern
  // spells out literally (a link needs "](", bold "**" or "__"): an earlier rule may have removed
  // them all, and most paragraphs hold only one or two kinds of markup.
  if (has & BRACKET) {
    if (has & BANG && t.includes('![')) t = t.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1');
    if (t.includes('](')) t = stripLinks(t);
    if (t.includes('][')) t = t.replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
  }
  if (has & ANGLE) t = t.replace(/<(https?:\/\/[^>\s]+)>/g, '$1').replace(/<\/?[A-Za-z][^>]*>/g, '');
  if (has & BACKTICK) t = t.replace(/(`+)(.+?)\1/g, '$2');
  if (has & (STAR | UNDERSCORE) && (t.includes('**') || t.includes('__'))) t = stripBold(t);
  if (has & STAR && t.includes('*')) t = t.replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)/g, '$1$2');
  if (has & UNDERSCORE && t.includes('_')) t = t.replace(/(^|[^\w])_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2');
  if (has & TILDE) t = t.replace(/~~(.+?)~~/g, '$1');
  if (has & (BACKSLASH | PARKED_RANGE)) t = t.replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
  return decodeEntities(t);
}

/**
 * `t.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')`, by hand: links are in most paragraphs, and the
 * regex replace was a large part of reading them. From a "[" the text runs to the first "]",
 * which must be followed by "(" and, somewhere later, a ")"; otherwise the next "[" is tried.
 */
export function stripLinks(t: string): string {
  let out = '';
  let last = 0;
  let p = t.indexOf('[');
  while (p !== -1) {
    const q = t.indexOf(']', p + 1);
    // No "]" (or later no ")") for this "[" means none for any later one either.
    if (q === -1) break;
    if (q > p + 1 && t.charCodeAt(q + 1) === 40) {
      const r = t.indexOf(')', q + 2);
      if (r === -1) break;
      out += t.slice(last, p) + t.slice(p + 1, q);
      last = r + 1;
      p = t.indexOf('[', last);
    } else p = t.indexOf('[', p + 1);
  }
  return last === 0 ? t : out + t.slice(last);
}

/** A line terminator, which the regex `.` does not match. */
function isLineEnd(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * `t.replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')`, by hand (see `stripLinks`): from each "**"
 * or "__" followed by a non-space, the nearest same pair preceded by a non-space, with no line
 * end (which the regex dot does not cross) between. Pairs are found with indexOf, which is
 * native; a character loop over the whole paragraph was slower than the regex.
 */
export function stripBold(t: string): string {
  const n = t.length;
  let out = '';
  let last = 0;
  let stars = t.indexOf('**');
  let unders = t.indexOf('__');
  for (;;) {
    const p = stars === -1 ? unders : unders === -1 ? stars : Math.min(stars, unders);
    if (p === -1) break;
    const pair = p === stars ? '**' : '__';
    let next = p + 1;
    if (p + 2 < n && !isSpaceCode(t.charCodeAt(p + 2))) {
      const e = closingPair(t, p, pair);
      if (e >= 0) {
        out += t.slice(last, p) + t.slice(p + 2, e);
        last = next = e + 2;
      }
    }
    if (stars !== -1 && stars < next) stars = t.indexOf('**', next);
    if (unders !== -1 && unders < next) unders = t.indexOf('__', next);
  }
  return last === 0 ? t : out + t.slice(last);
}

/** Where the lazy `(.+?)(?<=\S)` group after the pair at `p` first meets the same pair, or -1. */
function closingPair(t: string, p: number, pair: string): number {
  let e = t.indexOf(pair, p + 3);
  while (e !== -1 && isSpaceCode(t.charCodeAt(e - 1))) e = t.indexOf(pair, e + 1);
  if (e === -1) return -1;
  for (let i = p + 2; i < e; i++) if (isLineEnd(t.charCodeAt(i))) return -1;
  return e;
}

/** The first character of `line` that is not white space (as `\s` means it), or -1 for a blank line. */
function firstVisible(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (!isSpaceCode(c)) return c;
  }
  return -1;
}

/** `/( {2,}|\\)$/.test(line)`: a hard line break (two spaces or a backslash at the end). */
function endsWithBreak(line: string): boolean {
  const last = line.charCodeAt(line.length - 1);
  return last === 92 || (last === 32 && line.charCodeAt(line.length - 2) === 32);
}

type ParaKind = 'prose' | 'item' | 'table' | 'indented';

export class MarkdownBlockReader {
  #partial = '';
  #base = 0;
  #lineNo = 0;
  #para: string[] = [];
  #paraOffset = 0;
  #paraKind: ParaKind = 'prose';
  #fence: { marker: string; lines: string[]; offset: number } | null = null;
  #frontMatter = false;
  #prevBlank = true;
  #out: Block[] = [];

  push(piece: string): Block[] {
    const text = this.#partial + piece;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.#line(text.charCodeAt(nl - 1) === 13 && nl > start ? text.slice(start, nl - 1) : text.slice(start, nl), this.#base + start);
      start = nl + 1;
    }
    this.#partial = text.slice(start);
    this.#base += start;
    return this.#take();
  }

  end(): Block[] {
    if (this.#partial !== '') this.#line(this.#partial.replace(/\r$/, ''), this.#base);
    this.#partial = '';
    if (this.#fence) this.#emitFence();
    this.#flush();
    return this.#take();
  }

  #take(): Block[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #line(line: string, offset: number): void {
    this.#lineNo++;
    if (this.#lineNo === 1 && /^---\s*$/.test(line)) {
      this.#frontMatter = true;
      return;
    }
    if (this.#frontMatter) {
      if (/^(---|\.\.\.)\s*$/.test(line)) this.#frontMatter = false;
      return;
    }
    if (this.#fence) {
      if (line.trimStart().startsWith(this.#fence.marker)) this.#emitFence();
      else this.#fence.lines.push(line);
      return;
    }
    // Each line rule below needs a particular first visible character; the check skips the regexes
    // that cannot match (most lines are prose).
    const first = firstVisible(line);
    const fence = first === 96 || first === 126 ? FENCE.exec(line) : null;
    if (fence) {
      this.#flush();
      this.#fence = { marker: fence[1] ?? '```', lines: [], offset };
      return;
    }
    const blank = first < 0;
    const wasBlank = this.#prevBlank;
    this.#prevBlank = blank;
    if (blank) {
      if (this.#paraKind !== 'indented') this.#flush();
      else this.#para.push('');
      return;
    }
    if (this.#paraKind === 'indented' && /^( {4}|\t)/.test(line)) {
      this.#para.push(line);
      return;
    }
    if (this.#paraKind === 'indented') this.#flush();
    const atx = first === 35 ? ATX.exec(line) : null;
    if (atx) {
      this.#flush();
      this.#out.push({ kind: 'heading', level: (atx[1] ?? '#').length, text: stripInline(atx[2] ?? '').trim(), offset });
      return;
    }
    if ((first === 61 || first === 45) && this.#para.length === 1 && this.#paraKind === 'prose' && /^ {0,3}(=+|-+)\s*$/.test(line)) {
      const text = stripInline(this.#para[0] ?? '').trim();
      this.#para = [];
      this.#out.push({ kind: 'heading', level: line.trim()[0] === '=' ? 1 : 2, text, offset: this.#paraOffset });
      return;
    }
    if (((first === 45 || first === 42 || first === 95) && /^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) || (first === 91 && REF_DEF.test(line))) {
      this.#flush();
      return;
    }
    if (wasBlank && this.#para.length === 0 && /^( {4}|\t)/.test(line)) {
      this.#start('indented', offset);
      this.#para.push(line);
      return;
    }
    const body = first === 62 ? line.replace(/^ {0,3}(>\s?)+/, '') : line;
    const lead = body === line ? first : firstVisible(body);
    const item = lead === 45 || lead === 42 || lead === 43 || (lead >= 48 && lead <= 57) ? LIST_ITEM.exec(body) : null;
    if (item) {
      this.#flush();
      this.#start('item', offset);
      const marker = /\d/.test(item[2] ?? '') ? (item[2] ?? '').replace(')', '.') : '-';
      this.#para.push(`${'  '.repeat(Math.min(4, Math.floor((item[1] ?? '').length / 2)))}${marker} ${item[3] ?? ''}`);
      return;
    }
    if (lead === 124 && /^\s*\|.*\|\s*$/.test(body)) {
      if (this.#paraKind !== 'table') this.#flush();
      if (this.#para.length === 0) this.#start('table', offset);
      if (!TABLE_RULE.test(body)) this.#para.push(body);
      return;
    }
    if (this.#paraKind === 'table') this.#flush();
    if (this.#para.length === 0) this.#start('prose', offset);
    this.#para.push(body.trimStart());
  }

  #start(kind: ParaKind, offset: number): void {
    this.#paraKind = kind;
    this.#paraOffset = offset;
  }

  #emitFence(): void {
    const f = this.#fence;
    this.#fence = null;
    if (!f) return;
    const text = tidyLines(f.lines.join('\n'));
    if (text !== '') this.#out.push({ kind: 'text', text, offset: f.offset });
  }

  #flush(): void {
    const lines = this.#para;
    const kind = this.#paraKind;
    this.#para = [];
    this.#paraKind = 'prose';
    if (lines.length === 0) return;
    if (kind === 'indented') {
      const text = tidyLines(lines.join('\n'));
      if (text !== '') this.#out.push({ kind: 'text', text, offset: this.#paraOffset });
      return;
    }
    if (kind === 'table') {
      for (const row of lines) {
        const cells = row.trim().replace(/^\||\|$/g, '').split('|').map((c) => stripInline(c).trim()).filter((c) => c !== '');
        if (cells.length > 0) this.#out.push({ kind: 'text', text: cells.join(' | '), offset: this.#paraOffset, tight: true });
      }
      return;
    }
    // Soft-wrapped lines are one paragraph; a trailing double space or backslash is a hard break.
    let breaks = false;
    for (let i = 0; i < lines.length - 1 && !breaks; i++) breaks = endsWithBreak(lines[i] as string);
    let joined: string;
    if (breaks) joined = lines.map((l, i) => (i < lines.length - 1 && endsWithBreak(l) ? l.replace(/( {2,}|\\)$/, '\n') : `${l} `)).join('');
    else {
      // The same text as the map above gives (each line and a space), built flat by one join.
      lines.push('');
      joined = lines.join(' ');
    }
    let text = stripInline(joined);
    if (text.includes('\t') || text.includes('  ')) text = text.replace(/[ \t]+/g, ' ');
    if (text.includes('\n')) text = text.replace(/ ?\n ?/g, '\n');
    text = text.trim();
    if (text !== '') this.#out.push({ kind: 'text', text, offset: this.#paraOffset, tight: kind === 'item' });
  }
}
