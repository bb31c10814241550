/**
 * Which characters count as letters, and which as visible, for the non-text filter's letter
 * share: per UTF-16 code unit (a surrogate half is one visible non-letter), answers cached.
 * Shared by `letterShare` (filters.ts) and the word scan (words.ts), which counts them as it goes.
 */

/** For `letterShare`'s count, per ASCII code: a letter (A–Z, a–z), and visible (not space, tab, CR or LF). */
export const ASCII_LETTER = new Uint8Array(128);
export const ASCII_VISIBLE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_LETTER[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
  ASCII_VISIBLE[c] = c === 32 || c === 10 || c === 9 || c === 13 ? 0 : 1;
}

/** Per UTF-16 code unit above ASCII: 0 = not asked yet, 1 = letter, 2 = white space, 3 = other. */
const UNIT_KIND = new Uint8Array(0x10000);

/** A code unit as `letterShare` sees it: 1 = letter, 2 = white space, 3 = other. */
export function unitKind(c: number): number {
  let k = UNIT_KIND[c] as number;
  if (k === 0) {
    // Each code unit on its own, so surrogate halves count as one visible character each.
    const ch = String.fromCharCode(c);
    k = /\p{L}/u.test(ch) ? 1 : /\s/.test(ch) ? 2 : 3;
    UNIT_KIND[c] = k;
  }
  return k;
}

