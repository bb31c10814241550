/**
 * A word diff of a response and its rewrite for Review's side-by-side view: each side's words
 * (with the spaces after them) marked as kept or changed, from the longest common subsequence of
 * the two word lists. Segments are at most a few thousand characters, so the quadratic table is
 * small; beyond `maxWords` per side the diff is not worked out and every word shows unmarked.
 */
export interface DiffPart {
  text: string;
  /** In both texts (false: only in this one). */
  same: boolean;
}

export interface WordDiff {
  original: DiffPart[];
  rewrite: DiffPart[];
  /** False when the texts were too long to compare. */
  compared: boolean;
}

const tokens = (text: string): string[] => text.match(/\S+\s*/g) ?? [];
const key = (t: string): string => t.trim().toLowerCase().replace(/[.,;:!?)"'’”]+$/, '');

/** Joins neighbouring parts of the same kind, so the view renders few elements. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (last && last.same === p.same) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

export function wordDiff(original: string, rewrite: string, maxWords = 2500): WordDiff {
  const a = tokens(original);
  const b = tokens(rewrite);
  if (a.length > maxWords || b.length > maxWords) {
    return { original: [{ text: original, same: true }], rewrite: [{ text: rewrite, same: true }], compared: false };
  }
  const ka = a.map(key);
  const kb = b.map(key);
  const w = b.length + 1;
  // lcs[i][j] = common subsequence length of a[i..] and b[j..], row-major in one array.
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = ka[i] === kb[j] ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
    }
  }
  const left: DiffPart[] = [];
  const right: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (ka[i] === kb[j]) {
      left.push({ text: a[i++] ?? '', same: true });
      right.push({ text: b[j++] ?? '', same: true });
    } else if ((lcs[(i + 1) * w + j] ?? 0) >= (lcs[i * w + j + 1] ?? 0)) left.push({ text: a[i++] ?? '', same: false });
    else right.push({ text: b[j++] ?? '', same: false });
  }
  while (i < a.length) left.push({ text: a[i++] ?? '', same: false });
  while (j < b.length) right.push({ text: b[j++] ?? '', same: false });
  return { original: merge(left), rewrite: merge(right), compared: true };
}
