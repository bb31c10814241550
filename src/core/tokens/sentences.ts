/**
 * Where a text may be cut without leaving half a sentence: after `.`, `!`, `?` or `…` (with any
 * closing quotes or brackets) followed by white space, and at paragraph breaks. A segment that
 * would overflow the context window is cut at the last of these that fits, so the model never
 * sees a sentence that stops mid-way (the curation rubric scores cut-off text 1).
 */
const SENTENCE_END = /[.!?…]["'”’)\]]*(?=\s|$)|\n[ \t]*\n/g;

/** Offsets (exclusive) where a sentence or paragraph ends, ascending, without trailing space. */
export function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (const m of text.matchAll(SENTENCE_END)) {
    // A paragraph break ends the text before it; punctuation ends after itself.
    let end = m[0].startsWith('\n') ? m.index : m.index + m[0].length;
    while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
    if (end > 0 && ends[ends.length - 1] !== end) ends.push(end);
  }
  return ends;
}
