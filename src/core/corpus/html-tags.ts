/**
 * Reading one HTML tag and the questions the block reader asks of it — by hand rather than with
 * regexes, because on tag-dense pages these run for every "<" and were the tokenizer's cost.
 * Each gives exactly what the regex it replaced gave (see test/unit/corpus/fast-paths.test.ts).
 */
import { isSpaceCode, ownCopy } from './normalise.ts';

/** class / id / role words that mark boilerplate containers. */
const BOILERPLATE_NAME =
  /^(?:nav|navbar|navheader|navfooter|navigation|menu|menubar|toc|sidebar|breadcrumbs?|cookies?|cookie-banner|cookie-notice|consent|footer|site-footer|header|site-header|masthead|advert|advertisement|ads?|ad-banner|sponsored|share|social|skip-link|pagination)$/i;
const BOILERPLATE_ROLE = /^(?:navigation|banner|contentinfo|complementary|search)$/i;

const ATTR = /([^\s"'>/=]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * A tag at `lt`, read as the pattern `<(\/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`
 * would read it (quoted values may hold ">"; an unclosed quote means no tag), by hand because
 * that regex was the tokenizer's hottest line.
 */
export function readTag(buf: string, lt: number): { closing: boolean; name: string; attrs: string; end: number } | null {
  let i = lt + 1;
  const closing = buf.charCodeAt(i) === 47; // '/'
  if (closing) i++;
  const nameStart = i;
  if (!isAsciiLetter(buf.charCodeAt(i))) return null;
  for (i++; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (!(isAsciiLetter(c) || (c >= 48 && c <= 58) || c === 45)) break; // letters, digits, ':', '-'
  }
  const nameEnd = i;
  for (; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c === 62) return { closing, name: buf.slice(nameStart, nameEnd), attrs: buf.slice(nameEnd, i), end: i + 1 };
    if (c === 34 || c === 39) {
      const close = buf.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close === -1) return null;
      i = close;
    }
  }
  return null;
}

/** `attrs.trimEnd().endsWith('/')` without the copy. */
export function endsWithSlash(attrs: string): boolean {
  let i = attrs.length - 1;
  while (i >= 0 && isSpaceCode(attrs.charCodeAt(i))) i--;
  return i >= 0 && attrs.charCodeAt(i) === 47;
}

/** 1–6 for h1–h6, else 0. */
export function headingLevel(name: string): number {
  if (name.length !== 2 || name.charCodeAt(0) !== 104) return 0;
  const d = name.charCodeAt(1) - 48;
  return d >= 1 && d <= 6 ? d : 0;
}

export const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Answers for attribute strings seen before: real pages repeat the same few class lists thousands of times. */
const boilerplateAttrs = new Map<string, boolean>();

export function isBoilerplateCached(attrs: string): boolean {
  let answer = boilerplateAttrs.get(attrs);
  if (answer === undefined) {
    answer = isBoilerplate(attrs);
    if (boilerplateAttrs.size >= 4096) boilerplateAttrs.clear();
    boilerplateAttrs.set(ownCopy(attrs), answer);
  }
  return answer;
}

/** Where `</name` next starts at or after `from`, in any letter case (the tag names are ASCII). */
export function findRawEnd(buf: string, rawEnd: string, from: number): number {
  // Lower-casing the buffer would do the same unless it held a character whose lower case is
  // longer ("İ"), which shifts every later index; keep that old reading for such buffers.
  if (buf.includes('\u0130')) return buf.toLowerCase().indexOf(rawEnd, from);
  let re = RAW_END.get(rawEnd);
  if (!re) {
    re = new RegExp(rawEnd.replace('/', '\\/'), 'gi');
    RAW_END.set(rawEnd, re);
  }
  re.lastIndex = from;
  return re.exec(buf)?.index ?? -1;
}
const RAW_END = new Map<string, RegExp>();

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
