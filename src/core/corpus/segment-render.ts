/**
 * Turning packed items into a segment: the text (items joined by a blank line, tight ones by a
 * newline; trailing headings with nothing under them dropped) and the header path of the smallest
 * section holding all of it; and cutting two pieces of one section again when the second is a
 * scrap too short for the window.
 */
import type { Item, RawSegment, SegmentWindow } from './segment.ts';

/** The separator before `item` after `prev`: one newline between tight blocks, else a blank line. */
const gap = (prev: Item, item: Item) => (prev.tight && item.tight ? 1 : 2);

/**
 * Two consecutive pieces of a section, the second shorter than the window's minimum: cut again
 * at the paragraph or header boundary that leaves both about equal and both in the window; one
 * segment when they fit together; as they were when neither is possible.
 */
export function evenCut(a: Item[], b: Item[], { minChars, maxChars }: SegmentWindow): Item[][] {
  if (b.length === 0 || a.length === 0) return [a, b].filter((p) => p.length > 0);
  const all = [...a, ...b];
  const ends: number[] = [];
  let len = 0;
  all.forEach((item, i) => (ends[i] = len = i === 0 ? item.text.length : len + gap(all[i - 1] as Item, item) + item.text.length));
  const total = len;
  const second = total - (ends[a.length - 1] as number) - gap(a[a.length - 1] as Item, b[0] as Item);
  if (second >= minChars) return [a, b];
  if (total <= maxChars) return [all];
  let best = -1;
  let bestDiff = Infinity;
  for (let k = 1; k < all.length; k++) {
    if ((all[k - 1] as Item).heading !== undefined) continue;
    const first = ends[k - 1] as number;
    const rest = total - first - gap(all[k - 1] as Item, all[k] as Item);
    if (first < minChars || rest < minChars || first > maxChars || rest > maxChars) continue;
    const diff = Math.abs(first - rest);
    if (diff < bestDiff) {
      best = k;
      bestDiff = diff;
    }
  }
  return best < 0 ? [a, b] : [all.slice(0, best), all.slice(best)];
}

/** The smallest section holding every item: the longest start their header paths share. */
function commonSection(items: readonly Item[]): string[] {
  const first = (items[0] as Item).headers;
  let n = first.ids.length;
  for (const item of items) {
    const ids = item.headers.ids;
    if (ids === first.ids) continue;
    let k = 0;
    while (k < n && k < ids.length && ids[k] === first.ids[k]) k++;
    n = k;
  }
  return first.texts.slice(0, n);
}

export function render(items: Item[]): RawSegment | undefined {
  // Trailing headers with no text under them add nothing a reader needs.
  while (items.length > 0 && items[items.length - 1]?.heading !== undefined) items.pop();
  const first = items[0];
  if (!first) return undefined;
  let text = '';
  let prev: Item | undefined;
  for (const item of items) {
    if (text.length > 0) text += prev?.tight && item.tight ? '\n' : '\n\n';
    text += item.text;
    prev = item;
  }
  if (text.length === 0) return undefined;
  const segment: RawSegment = { text, headers: commonSection(items), offset: first.offset };
  if (first.page !== undefined) segment.page = first.page;
  return segment;
}
