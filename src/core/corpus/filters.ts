/**
 * Quality filters the paper applied to its web segments, each switchable and each counted
 * (before → after), because a filter whose effect cannot be seen is how earlier reproductions
 * ended up training on everything. A segment is checked against the filters in a fixed order
 * and is counted as removed by the first one that rejects it.
 */
import type { RawSegment, SegmentWindow } from './segment.ts';
import { DEFAULT_FILTERS, FILTER_LABELS, FILTERS, type FilterId, type FilterSettings } from './settings.ts';
import { remembered } from './normalise.ts';
import { ASCII_LETTER, ASCII_VISIBLE, unitKind } from './letters.ts';
import { SegmentWords, repetitionOfWords } from './words.ts';
import { isBadHeader, isBoilerplateHeader } from './header-filters.ts';

export { isBadHeader, isBoilerplateHeader };

export { DEFAULT_FILTERS, FILTER_LABELS, FILTERS, type FilterId, type FilterSettings };

// The segments of one section all carry the same headers: the checks' regexes would otherwise run
// on the same few strings thousands of times. A corpus has far more distinct headers than are worth keeping.
const boilerplateHeader = remembered(isBoilerplateHeader, 4096);
const badHeader = remembered(isBadHeader, 4096);

/** Share of word n-gram occurrences that repeat an n-gram seen earlier in the same text. */
export function repetitionRatio(text: string | SegmentWords, n = 3): number {
  return repetitionOfWords((typeof text === 'string' ? new SegmentWords(text) : text).lower(), n);
}

/** Share of letters among non-space characters (1 for text with no visible characters, which other checks catch). */
export function letterShare(text: string): number {
  let visible = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      visible += ASCII_VISIBLE[c] as number;
      letters += ASCII_LETTER[c] as number;
      continue;
    }
    const k = unitKind(c);
    if (k === 1) letters++;
    if (k !== 2) visible++;
  }
  return visible === 0 ? 1 : letters / visible;
}

/**
 * A document whose whole text is one segment shorter than the window (a short news item, a
 * product page) keeps it rather than giving nothing, down to this many characters.
 */
export const SHORT_DOCUMENT_MIN = 100;

function tooShort(segment: RawSegment, window: SegmentWindow): boolean {
  const n = segment.text.length;
  return n < window.minChars && !(segment.whole === true && n >= Math.min(SHORT_DOCUMENT_MIN, window.minChars));
}

/** The first enabled filter that rejects the segment, or null when it passes them all. */
export function rejectReason(segment: RawSegment, s: FilterSettings = DEFAULT_FILTERS, words?: SegmentWords): FilterId | null {
  const { enabled } = s;
  // Only the segment's own section is judged: a topical page is not furniture because a header above it mentions cookies.
  const own = segment.headers[segment.headers.length - 1];
  if (enabled['boilerplate-header'] && own !== undefined && boilerplateHeader(own)) return 'boilerplate-header';
  if (enabled['bad-header'] && own !== undefined && badHeader(own)) return 'bad-header';
  if (enabled.length && (tooShort(segment, s.window) || segment.text.length > s.window.maxChars)) return 'length';
  if (enabled['non-text']) {
    // The word scan counts letters as it goes, over the lower-cased text; lower-casing keeps
    // letters letters and everything else as it was, so the share is the same whenever the length is.
    const share = words && words.lowerText().length === segment.text.length ? words.letterShare() : letterShare(segment.text);
    if (share < s.minLetterShare) return 'non-text';
  }
  if (enabled.repetitive && repetitionRatio(words ?? segment.text, s.repetitionN) > s.maxRepetition) return 'repetitive';
  return null;
}

/** One row of the preview's "before → after" table. */
export interface StepCount {
  step: string;
  enabled: boolean;
  before: number;
  after: number;
}

/**
 * Counts segments through an ordered list of steps. `record(step)` says a segment was removed at
 * `step` (or kept, with null): every earlier step counts it as passing.
 */
export class StepCounter {
  readonly #steps: { step: string; enabled: boolean; before: number; after: number }[];

  constructor(steps: readonly { step: string; enabled: boolean }[]) {
    this.#steps = steps.map((s) => ({ ...s, before: 0, after: 0 }));
  }

  record(removedAt: string | null): void {
    for (const s of this.#steps) {
      s.before++;
      if (s.step === removedAt) return;
      s.after++;
    }
  }

  counts(): StepCount[] {
    return this.#steps.map((s) => ({ ...s }));
  }
}
