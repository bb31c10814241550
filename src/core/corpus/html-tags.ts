/**
 * Reading one HTML tag and the questions the block reader asks of it — by hand rather than with
 * regexes or sets of names, because on tag-dense pages these run for every "<" and were the
 * tokenizer's cost. The reader works on offsets into its buffer: a tag's name is looked up in a
 * small perfect-hash table straight from the buffer's character codes, so a tag costs no
 * string at all. Each gives exactly what the regex or set it replaced gave (see
 * test/unit/corpus/fast-paths.test.ts).
 */
import { isSpaceCode } from './normalise.ts';

// When tsx loads a module as CommonJS (from a script outside this package), every use of an
// imported name calls two getters; a module-local copy keeps the per-tag path free of them.
const isSpace = isSpaceCode;

/**
 * A tag at `lt`, read as the pattern `<(\/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>=]|=\s*"[^"]*"|=\s*'[^']*'|=(?!\s*["']))*)>`
 * would read it: a quote opens a value only right after "=" (and spaces), as in a browser, so a
 * stray quote (`height="63""`) is just a character; quoted values may hold ">"; an unclosed
 * quoted value means no tag.
 */
export function readTag(buf: string, lt: number): { closing: boolean; name: string; attrs: string; end: number } | null {
  const closing = buf.charCodeAt(lt + 1) === 47; // '/'
  const nameStart = closing ? lt + 2 : lt + 1;
  const nameEnd = tagNameEnd(buf, nameStart);
  if (nameEnd === -1) return null;
  const gt = tagClose(buf, nameEnd);
  if (gt === -1) return null;
  return { closing, name: buf.slice(nameStart, nameEnd), attrs: buf.slice(nameEnd, gt), end: gt + 1 };
}

/** Where a tag name starting at `from` ends (`[A-Za-z][A-Za-z0-9:-]*`), or -1 when no letter starts it. */
export function tagNameEnd(buf: string, from: number): number {
  if (!isAsciiLetter(buf.charCodeAt(from))) return -1;
  let i = from + 1;
  for (; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (!(isAsciiLetter(c) || (c >= 48 && c <= 58) || c === 45)) break; // letters, digits, ':', '-'
  }
  return i;
}

/** The index of the ">" that closes a tag whose attributes start at `from` (skipping quoted values), or -1. */
export function tagClose(buf: string, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c === 62) return i;
    if (c === 61) {
      i = quotedValueEnd(buf, i + 1);
      if (i === -1) return -1;
    }
  }
  return -1;
}

/**
 * After an "=" at `from - 1`: when a quoted value follows (after spaces), the index of its
 * closing quote (-1 when it has none); otherwise `from - 1`, so the scan goes on from the "=".
 */
export function quotedValueEnd(buf: string, from: number): number {
  let k = from;
  while (k < buf.length && isSpace(buf.charCodeAt(k))) k++;
  const q = buf.charCodeAt(k);
  if (q !== 34 && q !== 39) return from - 1;
  return buf.indexOf(q === 34 ? '"' : "'", k + 1);
}

/** `attrs.trimEnd().endsWith('/')` without the copy. */
export function endsWithSlash(attrs: string): boolean {
  return slashBefore(attrs, 0, attrs.length);
}

/** `endsWithSlash(buf.slice(from, to))` without the slice. */
export function slashBefore(buf: string, from: number, to: number): boolean {
  let i = to - 1;
  while (i >= from && isSpace(buf.charCodeAt(i))) i--;
  return i >= from && buf.charCodeAt(i) === 47;
}

/** 1–6 for h1–h6, else 0. */
export function headingLevel(name: string): number {
  if (name.length !== 2 || name.charCodeAt(0) !== 104) return 0;
  const d = name.charCodeAt(1) - 48;
  return d >= 1 && d <= 6 ? d : 0;
}

export const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Where `</name` next starts at or after `from`, in any letter case (the tag names are ASCII). */
export function findRawEnd(buf: string, rawEnd: string, from: number): number {
  // ASCII case only: "</SCRİPT" is no end of a script (lower-casing the buffer would shift every
  // index after an "İ"; asking whether the buffer holds one cost a scan of the page per script).
  let re = RAW_END.get(rawEnd);
  if (!re) {
    re = new RegExp(rawEnd.replace('/', '\\/'), 'gi');
    RAW_END.set(rawEnd, re);
  }
  re.lastIndex = from;
  return re.exec(buf)?.index ?? -1;
}
const RAW_END = new Map<string, RegExp>();

/** Tag names in one table: each gets an id (its index + 1), looked up from a name's characters without a string. */
export class TagNames {
  /** Lower-case names by id (index 0 is the unknown name). */
  readonly names: readonly string[];
  /** Id by `slotOf(nameHash(name))`; 0 for a slot no name has. */
  readonly slots = new Uint8Array(SLOT_MASK + 1);
  /** The hash multiplier that gives every name its own slot. */
  readonly mul: number;
  readonly longest: number;

  constructor(names: readonly string[]) {
    if (names.length > 255) throw new RangeError('TagNames holds at most 255 names');
    this.names = ['', ...names];
    this.longest = Math.max(...names.map((n) => n.length));
    let mul = 0x9e3779b1 | 0;
    while (new Set(names.map((n) => slotOf(nameHash(n, 0, n.length, mul)))).size !== names.length) mul = (mul + 0x6a09e667) | 0;
    this.mul = mul;
    names.forEach((n, i) => (this.slots[slotOf(nameHash(n, 0, n.length, mul))] = i + 1));
  }
}

/**
 * Reads tags out of a buffer by offsets: what `readTag` gives, as fields of this reusable
 * scratch record instead of a new object and two strings per tag. One function body on purpose:
 * it runs for every tag, and the engine stops inlining small calls once a hot loop has inlined
 * enough of them.
 */
export class TagReader {
  closing = false;
  nameStart = 0;
  nameEnd = 0;
  /** Index of the ">" that ends the tag. */
  gt = 0;
  /** The name's id in `table`, 0 for any other name. */
  id = 0;
  /** Whether an opening tag ends in "/>" (`endsWithSlash` of its attributes). */
  selfClosing = false;
  readonly table: TagNames;

  constructor(table: TagNames) {
    this.table = table;
  }

  /** Reads the tag at `lt` (ending before `end`); false where `readTag` gives null (no tag name, no ">" yet, an unclosed quote). */
  read(buf: string, lt: number, end = buf.length): boolean {
    const closing = buf.charCodeAt(lt + 1) === 47; // '/'
    const nameStart = closing ? lt + 2 : lt + 1;
    let c = buf.charCodeAt(nameStart) | 32;
    if (c < 97 || c > 122) return false;
    // The name's end (see `tagNameEnd`) and `nameHash` of it in one pass.
    const table = this.table;
    const mul = table.mul;
    let h = Math.imul(c, mul);
    let i = nameStart + 1;
    const n = Math.min(end, buf.length);
    for (; i < n; i++) {
      c = buf.charCodeAt(i);
      const lower = c | 32;
      if (!((lower >= 97 && lower <= 122) || (c >= 48 && c <= 58) || c === 45)) break;
      h = Math.imul(h ^ lower, mul);
    }
    const nameEnd = i;
    // The closing ">" (see `tagClose`).
    for (; i < n; i++) {
      c = buf.charCodeAt(i);
      if (c === 62) break;
      if (c === 61) {
        i = quotedValueEnd(buf, i + 1);
        if (i === -1 || i >= n) return false;
      }
    }
    if (i >= n) return false;
    this.closing = closing;
    this.nameStart = nameStart;
    this.nameEnd = nameEnd;
    this.gt = i;
    let id = 0;
    if (nameEnd - nameStart <= table.longest) {
      id = table.slots[slotOf(h)] as number;
      if (id !== 0 && !sameName(buf, nameStart, nameEnd, table.names[id] as string)) id = 0;
    }
    this.id = id;
    if (!closing) {
      let k = i - 1;
      while (k >= nameEnd && ((c = buf.charCodeAt(k)) <= 32 ? c === 32 || (c >= 9 && c <= 13) : c >= 0xa0 && isSpace(c))) k--;
      this.selfClosing = k >= nameEnd && buf.charCodeAt(k) === 47;
    }
    return true;
  }

  /** Whether the tag just read has attributes. */
  hasAttributes(): boolean {
    return this.gt > this.nameEnd;
  }

  /** The name of the tag just read, in lower case (its letters are ASCII). */
  lowerName(buf: string): string {
    return buf.slice(this.nameStart, this.nameEnd).toLowerCase();
  }

  /** Whether the tag just read is named `lower` (an ASCII lower-case name) in any letter case. */
  isNamed(buf: string, lower: string): boolean {
    return sameName(buf, this.nameStart, this.nameEnd, lower);
  }
}

/** Hash of the lower-cased characters of a tag name. Tag names are ASCII letters, digits, ':' and '-', and `| 32` lower-cases exactly the letters among those. */
function nameHash(buf: string, from: number, to: number, mul: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ (buf.charCodeAt(i) | 32), mul);
  return h;
}
const SLOT_MASK = 511;
const slotOf = (h: number) => (h ^ (h >>> 15)) & SLOT_MASK;

/** Whether buf[from, to) is `lower` in any letter case (`lower` being an ASCII lower-case tag name). */
function sameName(buf: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((buf.charCodeAt(from + i) | 32) !== lower.charCodeAt(i)) return false;
  return true;
}
