/**
 * Whether a tag's attributes name a boilerplate container (a table of contents, a cookie
 * banner, a "navheader"), read straight from the reader's buffer. The definition is the
 * attribute regex `isBoilerplate` applies; `attrsNameBoilerplate` walks the attributes the way
 * that regex's matches step through them, with no copy of the attribute string, because
 * DocBook and web pages put attributes on most tags and many are unique (ids, links), so a cache
 * by attribute string missed while the regex ran for every one.
 */
import { isSpaceCode } from './normalise.ts';

// When tsx loads a module as CommonJS (from a script outside this package), every use of an
// imported name calls two getters; a module-local copy keeps the per-character loops free of them.
const isSpace = isSpaceCode;

/**
 * class / id / role words that mark boilerplate containers. Not "sidebar": a file this reader
 * streams (over 4 Mi characters) is a book or a dump, not a web page with a side column, and in
 * a DocBook book a `div.sidebar` is a boxed note inside the text (page mode tells them apart:
 * html-vocab.ts, html-main.ts).
 */
const BOILERPLATE_NAME =
  /^(?:nav|navbar|navheader|navfooter|navigation|menu|menubar|toc|breadcrumbs?|cookies?|cookie-banner|cookie-notice|consent|footer|site-footer|header|site-header|masthead|advert|advertisement|ads?|ad-banner|sponsored|share|social|skip-link|pagination)$/i;
const BOILERPLATE_ROLE = /^(?:navigation|banner|contentinfo|complementary|search)$/i;

const ATTR = /([^\s"'>/=]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** The definition: any class or id word, or the role, names boilerplate. */
export function isBoilerplate(attrs: string): boolean {
  if (!/\b(?:class|id|role)\s*=/i.test(attrs)) return false;
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(attrs); m !== null; m = ATTR.exec(attrs)) {
    const name = (m[1] ?? '').toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    if (name === 'role' && BOILERPLATE_ROLE.test(value.trim())) return true;
    if ((name === 'class' || name === 'id') && value.split(/\s+/).some((w) => BOILERPLATE_NAME.test(w))) return true;
  }
  return false;
}

/** Every word BOILERPLATE_NAME accepts, in lower case. */
const BOILERPLATE_WORDS = new Set(BOILERPLATE_NAME.source.slice(4, -2).split('|').flatMap((w) => (w.endsWith('s?') ? [w.slice(0, -2), w.slice(0, -1)] : [w])));
/**
 * Their (length, first letter, last letter) shapes: a word of another shape cannot match, which
 * rules out nearly every class name ("literal", "section") without copying it. All the words
 * begin and end with a letter, which `| 32` lower-cases.
 */
const WORD_SHAPES = new Set([...BOILERPLATE_WORDS].map((w) => wordShape(w, 0, w.length)));
function wordShape(s: string, from: number, to: number): number {
  return ((to - from) << 16) | ((s.charCodeAt(from) | 32) << 8) | (s.charCodeAt(to - 1) | 32);
}

/** Where one attribute lies in the buffer: what one match of ATTR covers (an empty value when it has none). */
export class AttrSpan {
  nameStart = 0;
  nameEnd = 0;
  valueStart = 0;
  valueEnd = 0;
}

/**
 * Reads the next attribute at or after `i` in buf[.., to) into `span`, as the next match of
 * ATTR would: the longest name, spaces, then "=" and a value when one follows. Returns the index
 * after it, or -1 when no attribute is left.
 */
export function nextAttr(buf: string, i: number, to: number, span: AttrSpan): number {
  while (i < to && !isAttrNameCode(buf.charCodeAt(i))) i++;
  if (i >= to) return -1;
  const nameStart = i;
  while (i < to && isAttrNameCode(buf.charCodeAt(i))) i++;
  const nameEnd = i;
  while (i < to && isSpace(buf.charCodeAt(i))) i++;
  let valueStart = i;
  let valueEnd = i;
  if (i < to && buf.charCodeAt(i) === 61) {
    let k = i + 1;
    while (k < to && isSpace(buf.charCodeAt(k))) k++;
    const q = buf.charCodeAt(k);
    if (k < to && (q === 34 || q === 39)) {
      const close = buf.indexOf(q === 34 ? '"' : "'", k + 1);
      if (close !== -1 && close < to) {
        valueStart = k + 1;
        valueEnd = close;
        i = close + 1;
      }
    } else if (k < to && isUnquotedValueCode(q)) {
      let e = k + 1;
      while (e < to && isUnquotedValueCode(buf.charCodeAt(e))) e++;
      valueStart = k;
      valueEnd = e;
      i = e;
    }
  }
  span.nameStart = nameStart;
  span.nameEnd = nameEnd;
  span.valueStart = valueStart;
  span.valueEnd = valueEnd;
  return i;
}

/** Which of class, id and role an attribute name is (any ASCII letter case): 1, 2, 3, or 0 for another name. */
export function attrKind(buf: string, span: AttrSpan): number {
  const n = span.nameEnd - span.nameStart;
  if (n === 5 && asciiIs(buf, span.nameStart, 'class')) return 1;
  if (n === 2 && asciiIs(buf, span.nameStart, 'id')) return 2;
  if (n === 4 && asciiIs(buf, span.nameStart, 'role')) return 3;
  return 0;
}

const SPAN = new AttrSpan();

/** `isBoilerplate(buf.slice(from, to))`, without the slice. */
export function attrsNameBoilerplate(buf: string, from: number, to: number): boolean {
  const span = SPAN;
  for (let i = nextAttr(buf, from, to, span); i !== -1; i = nextAttr(buf, i, to, span)) {
    const kind = attrKind(buf, span);
    if (kind === 3) {
      if (BOILERPLATE_ROLE.test(buf.slice(span.valueStart, span.valueEnd).trim())) return true;
    } else if (kind !== 0 && hasBoilerplateWord(buf, span.valueStart, span.valueEnd)) return true;
  }
  return false;
}

/** `value.split(/\s+/).some((w) => BOILERPLATE_NAME.test(w))` for value = buf[from, to). */
function hasBoilerplateWord(buf: string, from: number, to: number): boolean {
  let i = from;
  while (i < to) {
    while (i < to && isSpace(buf.charCodeAt(i))) i++;
    const start = i;
    while (i < to && !isSpace(buf.charCodeAt(i))) i++;
    if (i > start && WORD_SHAPES.has(wordShape(buf, start, i))) {
      const word = buf.slice(start, i);
      // The regex ignores ASCII case only (no "u" flag), so a word with an upper-case letter asks it.
      if (BOILERPLATE_WORDS.has(word) || (hasAsciiUpper(word) && BOILERPLATE_NAME.test(word))) return true;
    }
  }
  return false;
}

/** `[^\s"'>/=]`: a character an attribute name may hold. */
function isAttrNameCode(c: number): boolean {
  return c !== 34 && c !== 39 && c !== 62 && c !== 47 && c !== 61 && !isSpace(c);
}

/** `[^\s"'=<>\`]`: a character an unquoted value may hold. */
function isUnquotedValueCode(c: number): boolean {
  return c !== 34 && c !== 39 && c !== 61 && c !== 60 && c !== 62 && c !== 96 && !isSpace(c);
}

/** Whether buf at `at` spells `lower` in any ASCII letter case (what `toLowerCase() === lower` asks of a name). */
function asciiIs(buf: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((buf.charCodeAt(at + i) | 32) !== lower.charCodeAt(i)) return false;
  return true;
}

function hasAsciiUpper(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}
