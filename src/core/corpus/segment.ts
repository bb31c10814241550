/**
 * Packing blocks into segments, the way the Humpback paper cut its web corpus: a segment is the
 * text under one header together with its sub-headers, sized to a length window (600–3,000
 * characters by default). Sections are true: a segment never runs past a header at or above the
 * level of the section it started in, so its header path names where all of its text came from,
 * and its leading heading is the first line of its text. A section that fits the window stays
 * whole; a section too long is cut at sub-header boundaries first and paragraph boundaries next;
 * a segment's header path is the smallest section holding all of it; a section too short joins only its own
 * sub-sections, never a sibling or a parent, and is left to the length filter (which counts it)
 * — unless it is all the document has. Plain text is the same with no headers: paragraphs
 * packed into the window.
 *
 * The packer is incremental — blocks go in one at a time and finished segments come out — and
 * never holds more than about one window of text, so a 2 GB file segments in bounded memory.
 */

import { evenCut, render } from './segment-render.ts';

import { DEFAULT_WINDOW, type SegmentWindow } from './settings.ts';

export { DEFAULT_WINDOW, type SegmentWindow };

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
  /**
   * The longest segment of a document none of whose segments reaches the window's minimum: kept
   * even though it is short, so a short page still gives its text (filters.ts, `SHORT_DOCUMENT_MIN`).
   */
  whole?: boolean;
}

/** A header path: the headers' texts, and numbers that tell apart two sections of the same title. */
export interface HeaderPath {
  texts: string[];
  ids: number[];
}

export interface Item {
  text: string;
  offset: number;
  headers: HeaderPath;
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

/**
 * The most characters per piece for cutting a paragraph longer than `max` into about equal
 * pieces (a tenth of slack for finding a sentence end), so no piece is a scrap too short to
 * stand as a segment.
 */
export function evenPieces(length: number, max: number): number {
  if (length <= max) return max;
  const pieces = Math.ceil(length / max);
  return Math.min(max, Math.ceil((length / pieces) * 1.1));
}

/** Short segments held back per document while it might have none in the window. */
const MAX_HELD = 64;

export class SectionPacker {
  readonly #window: SegmentWindow;
  #items: Item[] = [];
  /** Rendered length of items[0..i]. */
  #ends: number[] = [];
  /** Level of the section the pending segment belongs to (0: the document itself). */
  #startLevel = 0;
  #path: { level: number; text: string; id: number }[] = [];
  #pathRef: HeaderPath | null = null;
  #headingCount = 0;
  /**
   * While no segment of the current document has reached the window's minimum: its segments so
   * far, held back (a bounded number) until one does or the document ends; null once one has.
   */
  #held: RawSegment[] | null = [];
  /** The last piece cut from a section, held until the next piece says whether they should be cut again more evenly. */
  #cutItems: Item[] | null = null;
  #heldChars = 0;

  constructor(window: SegmentWindow = DEFAULT_WINDOW) {
    if (!(window.minChars >= 0 && window.maxChars >= Math.max(1, window.minChars))) {
      throw new RangeError(`segment window must have 0 ≤ min ≤ max, got ${window.minChars}–${window.maxChars}`);
    }
    this.#window = window;
  }

  /** Adds one block; returns the segments it completed. */
  add(block: Block, out: RawSegment[] = []): RawSegment[] {
    const { maxChars } = this.#window;
    if (block.kind === 'heading') {
      while (this.#path.length > 0 && (this.#path[this.#path.length - 1]?.level ?? 0) >= block.level) this.#path.pop();
      this.#path.push({ level: block.level, text: block.text, id: ++this.#headingCount });
      this.#pathRef = null;
      // A header with nothing under it before a header of its level or above: an empty section, not text.
      const last = this.#items[this.#items.length - 1];
      if (last?.heading !== undefined && last.heading >= block.level) {
        this.#items.pop();
        this.#ends.pop();
      }
      // A header at or above the pending section's level ends it, whatever its length.
      if (this.#items.length > 0 && block.level <= this.#startLevel) this.#emit(this.#items.length, out);
      if (this.#items.length === 0) this.#start(block.level);
      this.#push({ text: block.text, offset: block.offset, headers: this.#headers(), heading: block.level, depth: block.level, tight: false, page: block.page });
      while (this.#len() > maxChars) this.#cut(out);
      return out;
    }
    const depth = this.#path[this.#path.length - 1]?.level ?? 0;
    const headers = this.#headers();
    for (const piece of splitLong(block.text, evenPieces(block.text.length, maxChars))) {
      if (this.#items.length === 0) this.#start(depth);
      this.#push({ text: piece, offset: block.offset, headers, depth, tight: block.tight === true, page: block.page });
      while (this.#len() > maxChars) this.#cut(out);
    }
    return out;
  }

  /** Flushes what is left at the end of a document. */
  end(out: RawSegment[] = []): RawSegment[] {
    if (this.#items.length > 0 || this.#cutItems) this.#emit(this.#items.length, out);
    const held = this.#held;
    if (held !== null && held.length > 0) {
      const longest = held.reduce((a, b) => (b.text.length > a.text.length ? b : a));
      longest.whole = true;
      for (const segment of held) out.push(segment);
    }
    this.#held = [];
    this.#heldChars = 0;
    this.#path = [];
    this.#pathRef = null;
    this.#startLevel = 0;
    return out;
  }

  /** A new segment starts in the section at `level` (the innermost header's, or 0). */
  #start(level: number): void {
    this.#startLevel = level;
  }

  /** The current header path, one object per section so items of one section share it. */
  #headers(): HeaderPath {
    this.#pathRef ??= { texts: this.#path.map((h) => h.text), ids: this.#path.map((h) => h.id) };
    return this.#pathRef;
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
    if (i === 0) return item.text.length;
    const prev = this.#items[i - 1] as Item;
    return prevEnd + (prev.tight && item.tight ? 1 : 2) + item.text.length;
  }

  /**
   * Cuts the pending items in two where the first part best fits the window. A rest that starts
   * at a sub-header is that sub-section's own segment from then on (so it takes its own
   * sub-sections, not its siblings); a rest cut at a paragraph goes on in the section it is in.
   */
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
      fits = i;
      if (len >= minChars) {
        inWindow = i;
        if (this.#items[i]?.heading !== undefined) atHeader = i;
      }
    }
    if (fits < 0 && this.#splitAfterHeadings(maxChars)) return;
    const at = atHeader > 0 ? atHeader : inWindow > 0 ? inWindow : fits > 0 ? fits : this.#items.length;
    this.#emit(at, out, true);
  }

  /**
   * Leading headings and a paragraph too long to follow them in one segment: the paragraph is
   * split again where the headings leave room, so they open a segment of at most `maxChars`.
   */
  #splitAfterHeadings(maxChars: number): boolean {
    const k = this.#items.findIndex((item) => item.heading === undefined);
    if (k <= 0) return false;
    const item = this.#items[k] as Item;
    const room = maxChars - ((this.#ends[k - 1] ?? 0) + 2);
    const pieces = room > 0 ? splitLong(item.text, room) : [];
    if (pieces.length < 2) return false;
    const items = [...this.#items.slice(0, k), ...pieces.map((text) => ({ ...item, text })), ...this.#items.slice(k + 1)];
    this.#items = [];
    this.#ends = [];
    for (const it of items) this.#push(it);
    return true;
  }

  /**
   * Emits the first `count` pending items. A piece `cut` from a section that goes on is held back
   * until the next: when that turns out to be a scrap too short for the window (a section's last
   * paragraph), the two are cut again about evenly.
   */
  #emit(count: number, out: RawSegment[], cut = false): void {
    const items = this.#items.slice(0, count);
    const rest = this.#items.slice(count);
    // A header with nothing under it yet belongs to the next segment.
    while (items.length > 0 && items[items.length - 1]?.heading !== undefined && rest.length > 0) rest.unshift(items.pop() as Item);
    const before = this.#cutItems;
    this.#cutItems = null;
    const pieces = before ? evenCut(before, items, this.#window) : [items];
    if (cut) this.#cutItems = pieces.pop() ?? null;
    for (const piece of pieces) this.#output(render(piece), out);
    this.#items = [];
    this.#ends = [];
    const first = rest[0];
    if (first) this.#startLevel = first.heading ?? first.depth;
    for (const item of rest) this.#push(item);
  }

  /** A rendered segment out, or held back while the document has none in the window yet. */
  #output(segment: RawSegment | undefined, out: RawSegment[]): void {
    if (segment) {
      const held = this.#held;
      if (held === null) out.push(segment);
      else if (segment.text.length < this.#window.minChars && held.length < MAX_HELD && this.#heldChars < this.#window.maxChars * MAX_HELD) {
        held.push(segment);
        this.#heldChars += segment.text.length;
      } else {
        // The document has a segment in the window (or too many short ones to wait on): no exception is needed.
        for (const h of held) out.push(h);
        out.push(segment);
        this.#held = null;
      }
    }
  }
}

