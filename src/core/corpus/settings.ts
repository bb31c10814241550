/**
 * What the corpus step lets a user set, and the defaults — split from the readers and filters so
 * the page can show and edit them without loading the whole pipeline (its HTML entity table
 * alone is ~80 kB). The readers, filters and dedup import their defaults from here.
 */

export interface SegmentWindow {
  minChars: number;
  maxChars: number;
}

/** The paper reports segments of ≈600–3,000 characters. */
export const DEFAULT_WINDOW: SegmentWindow = { minChars: 600, maxChars: 3000 };

export const FILTERS = ['boilerplate-header', 'bad-header', 'length', 'non-text', 'repetitive'] as const;
export type FilterId = (typeof FILTERS)[number];

export interface FilterSettings {
  enabled: Record<FilterId, boolean>;
  window: SegmentWindow;
  /** Word n-gram size for the repetition check. */
  repetitionN: number;
  /** Share of n-gram occurrences that repeat an earlier one, above which a segment is repetitive. */
  maxRepetition: number;
  /** Minimum share of letters among non-space characters. */
  minLetterShare: number;
}

export const DEFAULT_FILTERS: FilterSettings = {
  enabled: { 'boilerplate-header': true, 'bad-header': true, length: true, 'non-text': true, repetitive: true },
  window: DEFAULT_WINDOW,
  repetitionN: 3,
  maxRepetition: 0.3,
  minLetterShare: 0.5,
};

/** What each filter means, in the words the preview shows. */
export const FILTER_LABELS: Record<FilterId, string> = {
  'boilerplate-header': 'navigation or boilerplate header',
  'bad-header': 'empty or all-capitals header',
  length: 'outside the length window',
  'non-text': 'mostly symbols or numbers',
  repetitive: 'repetitive text',
};

export interface NearDupSettings {
  /** Jaccard similarity at or above which two segments are near-duplicates. */
  threshold: number;
  seed: number;
  /** Words per shingle. */
  shingle: number;
  /** bands × rows = signature length. */
  bands: number;
  rows: number;
}

export const DEFAULT_NEAR_DUP: NearDupSettings = { threshold: 0.8, seed: 42, shingle: 5, bands: 16, rows: 4 };

export interface CorpusSettings {
  window: SegmentWindow;
  filters: Omit<FilterSettings, 'window'>;
  exactDedup: boolean;
  nearDedup: boolean;
  nearDup: NearDupSettings;
  /** Text field/column for records files; detected when absent. */
  textField?: string;
}

export const DEFAULT_CORPUS_SETTINGS: CorpusSettings = {
  window: DEFAULT_WINDOW,
  filters: { enabled: DEFAULT_FILTERS.enabled, repetitionN: DEFAULT_FILTERS.repetitionN, maxRepetition: DEFAULT_FILTERS.maxRepetition, minLetterShare: DEFAULT_FILTERS.minLetterShare },
  exactDedup: true,
  nearDedup: true,
  nearDup: DEFAULT_NEAR_DUP,
};

/** Steps in the order a segment meets them; each appears in the before → after counts. */
export const STEPS = [...FILTERS, 'exact-duplicate', 'near-duplicate'] as const;
export type StepId = (typeof STEPS)[number];
