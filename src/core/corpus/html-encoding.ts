/**
 * Bytes of an HTML file to text, the way a browser picks the encoding: a byte order mark first,
 * then a `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the
 * first bytes, else UTF-8 — and where the bytes are not valid UTF-8 (an undeclared or wrongly
 * declared Latin-1 page), windows-1252, which is what "Latin-1" means on the web. The page is
 * held (up to `MAX_HELD_BYTES`, as the reader holds the page anyway) until the choice is made,
 * so nothing is decoded twice into the output.
 *
 * windows-1252 is decoded here rather than by `TextDecoder`: Node's decoder reads it as
 * ISO-8859-1 (0x80–0x9F as control characters), browsers' as the standard says (0x93 is “).
 */

/** The first bytes searched for a `<meta>` that names the encoding. */
export const SNIFF_BYTES = 4096;
/** Bytes held while an undeclared page might still turn out not to be UTF-8. */
export const MAX_HELD_BYTES = 4 * 1024 * 1024;

/** 0x80–0x9F in windows-1252 (the five unassigned bytes stay the control characters of that value). */
export const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Decodes windows-1252 bytes (no state: every byte is one character). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const part = bytes.subarray(i, i + 8192);
    const codes = new Array<number>(part.length);
    for (let k = 0; k < part.length; k++) {
      const b = part[k] as number;
      codes[k] = b >= 0x80 && b < 0xa0 ? WINDOWS_1252_C1.charCodeAt(b - 0x80) : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

const META = /<meta\s[^>]*>/gi;
const CHARSET_ATTR = /\bcharset\s*=\s*["']?\s*([\w.:-]+)/i;
const HTTP_EQUIV = /\bhttp-equiv\s*=\s*["']?\s*content-type/i;
const CONTENT = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** The encoding a page's first bytes declare: its BOM, else its `<meta>`, as a `TextDecoder` label; null when none (or an unknown one). */
export function declaredEncoding(head: Uint8Array): { encoding: string; bom: number } | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const text = decodeWindows1252(head.subarray(0, SNIFF_BYTES));
  META.lastIndex = 0;
  for (let m = META.exec(text); m !== null; m = META.exec(text)) {
    const tag = m[0];
    let label = /\bcharset\s*=/i.test(tag) && !/\bcontent\s*=/i.test(tag.slice(0, tag.search(/\bcharset\s*=/i))) ? CHARSET_ATTR.exec(tag)?.[1] : undefined;
    if (label === undefined && HTTP_EQUIV.test(tag)) {
      const c = CONTENT.exec(tag);
      label = CHARSET_ATTR.exec(c?.[1] ?? c?.[2] ?? c?.[3] ?? '')?.[1];
    }
    const encoding = label === undefined ? null : canonical(label);
    if (encoding !== null) return { encoding, bom: 0 };
  }
  return null;
}

/** The standard name for a label, or null for one no decoder knows. A page cannot declare UTF-16 in a `<meta>` it could be read by (the standard reads it as UTF-8). */
function canonical(label: string): string | null {
  try {
    const encoding = new TextDecoder(label).encoding;
    return encoding.startsWith('utf-16') ? 'utf-8' : encoding;
  } catch {
    return label.toLowerCase() === 'x-user-defined' ? 'windows-1252' : null;
  }
}

/** Whether UTF-8 reading of these bytes is wrong: more invalid sequences than valid non-ASCII characters (a Latin-1 page), not a stray bad byte in a UTF-8 one. */
function notUtf8(text: string): boolean {
  if (!text.includes('\uFFFD')) return false;
  let bad = 0;
  let good = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c === 0xfffd) bad++;
    else good++;
  }
  return bad > 0 && bad >= good;
}

/** Decodes an HTML file's bytes piece by piece; `push` returns '' while the encoding is still open. */
export class HtmlByteDecoder {
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  #declared: { encoding: string; bom: number } | null | undefined;
  #decoder: TextDecoder | null = null;
  #latin = false;
  readonly #limit: number;

  constructor(limit = MAX_HELD_BYTES) {
    this.#limit = limit;
  }

  /** The encoding chosen, once chosen. */
  get encoding(): string | null {
    return this.#latin ? 'windows-1252' : (this.#decoder?.encoding ?? null);
  }

  push(bytes: Uint8Array): string {
    if (this.#latin) return decodeWindows1252(bytes);
    if (this.#decoder) return this.#decoder.decode(bytes, { stream: true });
    this.#held.push(bytes);
    this.#heldBytes += bytes.length;
    if (this.#declared === undefined && this.#heldBytes >= SNIFF_BYTES) this.#declared = declaredEncoding(this.#joined());
    const utf8 = this.#declared === undefined || this.#declared === null || (this.#declared.encoding === 'utf-8' && this.#declared.bom === 0);
    if (utf8 && this.#heldBytes <= this.#limit) return '';
    return this.#decide(false);
  }

  end(): string {
    if (this.#latin) return '';
    if (this.#decoder) return this.#decoder.decode();
    if (this.#declared === undefined) this.#declared = declaredEncoding(this.#joined());
    return this.#decide(true);
  }

  #joined(): Uint8Array {
    if (this.#held.length === 1) return this.#held[0] as Uint8Array;
    const all = new Uint8Array(this.#heldBytes);
    let at = 0;
    for (const b of this.#held) {
      all.set(b, at);
      at += b.length;
    }
    this.#held = [all];
    return all;
  }

  /** Chooses the encoding for the held bytes (all of the file when `final`) and decodes them. */
  #decide(final: boolean): string {
    const bytes = this.#joined();
    this.#held = [];
    const declared = this.#declared ?? null;
    const encoding = declared?.encoding ?? 'utf-8';
    const body = declared ? bytes.subarray(declared.bom) : bytes;
    if (encoding === 'windows-1252') {
      this.#latin = true;
      return decodeWindows1252(body);
    }
    this.#decoder = new TextDecoder(encoding, { ignoreBOM: true });
    const text = this.#decoder.decode(body, { stream: !final });
    if (encoding !== 'utf-8' || (declared !== null && declared.bom > 0) || !notUtf8(text)) return text;
    this.#decoder = null;
    this.#latin = true;
    return decodeWindows1252(body);
  }
}

/** A whole file's bytes decoded as ingest decodes them, fed `pieceBytes` at a time. */
export function* decodeHtmlBytes(bytes: Uint8Array, pieceBytes = 64 * 1024): Generator<string> {
  const decoder = new HtmlByteDecoder();
  for (let i = 0; i < bytes.length; i += pieceBytes) {
    const text = decoder.push(bytes.subarray(i, i + pieceBytes));
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}
