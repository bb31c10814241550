/**
 * Building a block's text while it is read, already tidy. The HTML reader used to append every
 * text run to a string and collapse its white space when the block ended; on indented, tag-dense
 * pages that meant a long chain of small strings and a second pass copying it word by word. Here
 * each run is copied in as few slices as its spacing allows, with white space collapsed on the
 * way in, so the block's text is ready when it ends.
 *
 * The text is exactly what `collapseSpaces` gives for the whole run (and, when line breaks are
 * kept, what collapsing each U+2028-separated line and joining the non-empty ones with "\n"
 * gives): a white-space run between two words becomes "\n" if it holds a U+2028 and line breaks
 * are kept, else one space; white space at either end goes.
 */
import { isSpaceCode } from './normalise.ts';

// When tsx loads a module as CommonJS (from a script outside this package), every use of an
// imported name calls two getters; a module-local copy keeps the per-character loop free of them.
const isSpace = isSpaceCode;

export const LINE_BREAK = '\u2028';
/** Runs of 0 to 128 spaces. */
const INDENTS = Array.from({ length: 129 }, (_, k) => ' '.repeat(k));

export class CollapsedText {
  /** The text so far, without the white space after its last word. */
  text = '';
  /** White space seen since the last word: 0 none, 1 a space, 2 a line break. */
  #gap = 0;
  readonly #lineBreaks: boolean;

  /** `lineBreaks`: whether U+2028 becomes "\n" (paragraphs) or a space like any other (headings, cells). */
  constructor(lineBreaks: boolean) {
    this.#lineBreaks = lineBreaks;
  }

  /** Appends s[from, to); returns whether it held anything but white space. */
  add(s: string, from: number, to: number): boolean {
    const n = to - from;
    // Most runs between the tags of an indented page are a newline and spaces: one native compare.
    if (n <= INDENTS.length && s.charCodeAt(from) === 10 && s.startsWith(INDENTS[n - 1] as string, from + 1)) {
      if (this.#gap === 0) this.#gap = 1;
      return false;
    }
    let gap = this.#gap;
    let text = this.text;
    let words = false;
    let i = from;
    while (i < to) {
      let c = s.charCodeAt(i);
      if (c <= 32 ? c === 32 || (c >= 9 && c <= 13) : c >= 0xa0 && isSpace(c)) {
        if (c === 0x2028 && this.#lineBreaks) gap = 2;
        else if (gap === 0) gap = 1;
        i++;
        continue;
      }
      // The longest stretch that is already tidy: words joined by single spaces.
      const start = i;
      for (i++; i < to; i++) {
        c = s.charCodeAt(i);
        if (c > 32 ? c < 0xa0 || !isSpace(c) : c !== 32 && (c < 9 || c > 13)) continue;
        if (c === 32 && i + 1 < to) {
          const d = s.charCodeAt(i + 1);
          if (d > 32 ? d < 0xa0 || !isSpace(d) : d !== 32 && (d < 9 || d > 13)) {
            i++;
            continue;
          }
        }
        break;
      }
      if (text === '') text = start === 0 && i === s.length ? s : s.slice(start, i);
      else if (gap === 0) text += s.slice(start, i);
      // A single space before the stretch is the separator: one copy instead of two.
      else if (gap === 1 && start > from && s.charCodeAt(start - 1) === 32) text += s.slice(start - 1, i);
      else text += (gap === 2 ? '\n' : ' ') + s.slice(start, i);
      gap = 0;
      words = true;
    }
    this.#gap = gap;
    this.text = text;
    return words;
  }

  /** A `<br>`: a line break where they are kept, else a space. */
  addLineBreak(): void {
    if (this.#lineBreaks) this.#gap = 2;
    else if (this.#gap === 0) this.#gap = 1;
  }

  addSpace(): void {
    if (this.#gap === 0) this.#gap = 1;
  }

  /**
   * Whether the text is a bare list marker ("-" or "12."): what `/^\s*(?:-|\d+\.)\s*$/` says
   * of the text before collapsing, since collapsing only removes the white space around it.
   */
  isBareMarker(): boolean {
    const text = this.text;
    const n = text.length;
    if (n === 1) return text.charCodeAt(0) === 45;
    if (n < 2 || text.charCodeAt(n - 1) !== 46) return false;
    for (let i = 0; i < n - 1; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    return true;
  }

  /** The text, leaving this empty. */
  take(): string {
    const text = this.text;
    this.text = '';
    this.#gap = 0;
    return text;
  }
}

/** Whether s[from, to) holds anything but white space: `s.slice(from, to).trim() !== ''`. */
export function hasWords(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(s.charCodeAt(i))) return true;
  return false;
}


