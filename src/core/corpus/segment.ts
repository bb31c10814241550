/**
 * Packing blocks into segments, the way the Humpback paper cut its web corpus: a segment is the
 * text under one header together with its sub-headers, sized to a length window (600–3,000
 * characters by default). A section that fits the window stays whole; a section too long is cut
 * at sub-header boundaries first and paragraph boundaries next; sections too short are packed
 * with what follows. Plain text is the same with no headers: paragraphs packed into the window.
 *
 * The packer is incremental — blocks go in one at a time and finished segments come out — and
 * never holds more than about one window of text, so a 2 GB file segments in bounded memory.
 */

export interface SegmentWindow {
  minChars: number;
  maxChars: number;
}

export const DEFAULT_WINDOW: SegmentWindow = { minChars: 600, maxChars: 3000 };

/** What the format readers produce: a header, or a paragraph-like run of text. */
export type Block =
  | { kind: 'heading'; level: number; text: string; offset: number; page?: number }
  | {
      kind: 'text';
      text: string;
      offset: number;
      /** List items and table rows: joined to a neighbouring tight block by one newline, not a blank line. */
      tight?: boolean;
      page?: number;
    };

/** A segment before filters and dedup: its text and where it came from inside the file. */
export interface RawSegment {
  text: string;
  headers: string[];
  offset: number;
  page?: number;
}

interface Item {
  text: string;
  offset: number;
  headers: string[];
  /** Heading level for header items; undefined for text. */
  heading?: number;
  /** Level of the innermost header this item sits under (0 for none). */
  depth: number;
  tight: boolean;
  page?: number;
}

/** Splits text longer than `max` at line, then sentence, then word boundaries (hard cut as a last resort). */
export function splitLong(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n');
    if (cut < max / 3) {
      const sentence = /[.!?。！？]["')\]]?\s+/g;
      cut = -1;
      for (let m = sentence.exec(window); m !== null; m = sentence.exec(window)) if (m.index + m[0].length <= max) cut = m.index + m[0].length - 1;
    }
    if (cut < max / 3) cut = window.lastIndexOf(' ');
    if (cut < max / 3) cut = max;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) out.push(rest);
  return out.filter((p) => p.length > 0);
}

export class SectionPacker {
  readonly #window: SegmentWindow;
  #items: Item[] = [];
  /** Rendered length of items[0..i]. */
  #ends: number[] = [];
  /** Level of the section the pending segment belongs to. */
  #startLevel = 0;
  #path: { level: number; text: string }[] = [];

  constructor(window: SegmentWindow = DEFAULT_WINDOW) {
    if (!(window.minChars >= 0 && window.maxChars >= Math.max(1, window.minChars))) {
      throw new RangeError(`segment window must have 0 ≤ min ≤ max, got ${window.minChars}–${window.maxChars}`);
    }
    this.#window = window;
  }

  /** Adds one block; returns the segments it completed. */
  add(block: Block, out: RawSegment[] = []): RawSegment[] {
    const { minChars, maxChars } = this.#window;
    if (block.kind === 'heading') {
      while (this.#path.length > 0 && (this.#path[this.#path.length - 1]?.level ?? 0) >= block.level) this.#path.pop();
      this.#path.push({ level: block.level, text: block.text });
      const pendingLen = this.#len();
      if (this.#items.length > 0 && block.level <= this.#startLevel && pendingLen >= minChars) this.#emit(this.#items.length, out);
      if (this.#items.length === 0 || block.level < this.#startLevel) this.#startLevel = block.level;
      this.#push({ text: block.text, offset: block.offset, headers: this.#headers(), heading: block.level, depth: block.level, tight: false, page: block.page });
      return out;
    }
    const depth = this.#path[this.#path.length - 1]?.level ?? 0;
    const headers = this.#headers();
    for (const piece of splitLong(block.text, maxChars)) {
      if (this.#items.length === 0) this.#startLevel = depth;
      this.#push({ text: piece, offset: block.offset, headers, depth, tight: block.tight === true, page: block.page });
      while (this.#len() > maxChars) this.#cut(out);
    }
    return out;
  }

  /** Flushes what is left at the end of a document. */
  end(out: RawSegment[] = []): RawSegment[] {
    if (this.#items.length > 0) this.#emit(this.#items.length, out);
    this.#path = [];
    this.#startLevel = 0;
    return out;
  }

  #headers(): string[] {
    return this.#path.map((h) => h.text);
  }

  #len(): number {
    return this.#ends[this.#ends.length - 1] ?? 0;
  }

  #push(item: Item): void {
    const i = this.#items.length;
    this.#items.push(item);
    this.#ends.push(this.#endAfter(i));
  }

  #endAfter(i: number): number {
    const item = this.#items[i] as Item;
    const prevEnd = i > 0 ? (this.#ends[i - 1] ?? 0) : 0;
    // A segment's leading header is its provenance, not part of its text.
    if (i === 0 && item.heading !== undefined) return 0;
    if (prevEnd === 0) return item.text.length;
    const prev = this.#items[i - 1] as Item;
    return prevEnd + (prev.tight && item.tight ? 1 : 2) + item.text.length;
  }

  /** Cuts the pending items in two where the first part best fits the window. */
  #cut(out: RawSegment[]): void {
    const { minChars, maxChars } = this.#window;
    let atHeader = -1;
    let inWindow = -1;
    let fits = -1;
    let hasText = false;
    for (let i = 1; i < this.#items.length; i++) {
      const len = this.#ends[i - 1] ?? 0;
      if (len > maxChars) break;
      // A prefix of headers alone would be handed back to the rest: not a cut.
      if (this.#items[i - 1]?.heading === undefined) hasText = true;
      if (!hasText) continue;
      if (len > 0) fits = i;
      if (len >= minChars) {
        inWindow = i;
        if (this.#items[i]?.heading !== undefined) atHeader = i;
      }
    }
    const at = atHeader > 0 ? atHeader : inWindow > 0 ? inWindow : fits > 0 ? fits : this.#items.length;
    this.#emit(at, out);
  }

  #emit(count: number, out: RawSegment[]): void {
    const items = this.#items.slice(0, count);
    const rest = this.#items.slice(count);
    // A header with nothing under it yet belongs to the next segment.
    while (items.length > 0 && items[items.length - 1]?.heading !== undefined && rest.length > 0) rest.unshift(items.pop() as Item);
    const segment = render(items);
    if (segment) out.push(segment);
    this.#items = [];
    this.#ends = [];
    const first = rest[0];
    if (first) this.#startLevel = first.heading ?? first.depth;
    for (const item of rest) this.#push(item);
  }
}

function render(items: Item[]): RawSegment | undefined {
  const first = items[0];
  if (!first) return undefined;
  let text = '';
  let prev: Item | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item;
    if (i === 0 && item.heading !== undefined) continue;
    if (text.length > 0) text += prev?.tight && item.tight ? '\n' : '\n\n';
    text += item.text;
    prev = item;
  }
  // Trailing headers with no text under them add nothing a reader needs.
  while (items.length > 1 && items[items.length - 1]?.heading !== undefined) {
    const last = items.pop() as Item;
    text = text.slice(0, Math.max(0, text.length - last.text.length)).trimEnd();
  }
  if (text.length === 0) return undefined;
  const segment: RawSegment = { text, headers: first.headers, offset: first.offset };
  if (first.page !== undefined) segment.page = first.page;
  return segment;
}
