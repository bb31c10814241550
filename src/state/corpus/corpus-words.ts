/**
 * The corpus step's words: a file's status line, its issue counts ("3 malformed lines (first at
 * line 12)"), the name of each filter step, and checks of the settings a user types. Plain
 * functions, so the wording is tested once and every component says the same thing.
 */
import { FILTER_LABELS, type FilterId } from '../../core/corpus/settings.ts';
import type { StepCount } from '../../core/corpus/filters.ts';
import type { CorpusSettings } from '../../core/corpus/pipeline.ts';
import type { SampleSpec } from '../../core/corpus/sample.ts';
import { formatCount } from '../../core/progress.ts';
import type { DocumentRecord } from '../../core/records.ts';

const STEP_LABELS: Record<string, string> = {
  ...FILTER_LABELS,
  'exact-duplicate': 'exact duplicate',
  'near-duplicate': 'near duplicate',
};

/** What removes a segment at this step, in words ("repetitive text"). */
export function stepLabel(step: string): string {
  return STEP_LABELS[step] ?? step;
}

/** Singular and plural noun for each per-file issue code. */
const ISSUE_NOUNS: Record<string, [string, string]> = {
  'malformed-line': ['malformed line', 'malformed lines'],
  'missing-field': ['record without the text field', 'records without the text field'],
  'not-a-record': ['row that is not a record', 'rows that are not records'],
  'invalid-utf8': ['byte that was not UTF-8 (replaced)', 'bytes that were not UTF-8 (replaced)'],
};

/** Codes that stop a whole file; its message already says it all, so they are not listed as counts. */
const FATAL = new Set(['no-text-field', 'no-records', 'json-too-large', 'binary', 'empty', 'unknown-format', 'no-text-layer', 'unreadable-pdf']);

/**
 * Where each issue code first happened, read from the worker's per-file message
 * ("2 × malformed-line (line 3, line 9); 1 × missing-field (line 5)").
 */
export function firstPlaces(message: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (message ?? '').split('; ')) {
    const m = /^\d+ × ([\w-]+) \(([^,)]+)/.exec(part);
    if (m?.[1] && m[2]) out[m[1]] = m[2];
  }
  return out;
}

/** "3 malformed lines (first at line 12)", one entry per issue code the file had. */
export function issueLines(doc: Pick<DocumentRecord, 'issues' | 'message'>): string[] {
  const places = firstPlaces(doc.message);
  return Object.entries(doc.issues)
    .filter(([code, n]) => n > 0 && !FATAL.has(code))
    .map(([code, n]) => {
      const [one, many] = ISSUE_NOUNS[code] ?? [code, code];
      const at = places[code];
      return `${formatCount(n)} ${n === 1 ? one : many}${at ? ` (${n === 1 ? 'at' : 'first at'} ${at})` : ''}`;
    });
}

/**
 * Whether this page can read a file now: `held` (picked this session), `findable` (a handle from
 * an earlier visit can find it again; see adapters/file-roots.ts), or `gone` (it must be dropped again).
 */
export type FileAccess = 'held' | 'findable' | 'gone';

/** The status column of the file list. `lost` says why a file could not be found again, when that was tried. */
export function statusLine(doc: DocumentRecord, access: FileAccess, lost?: string): string {
  switch (doc.status) {
    case 'queued': {
      const word = doc.message?.startsWith('Cancelled') ? 'Cancelled' : 'Waiting';
      if (lost) return `${word}: ${lost}.`;
      if (access === 'held') return word === 'Cancelled' ? 'Cancelled: not read yet.' : 'Queued';
      if (access === 'findable') return `${word}: not read yet.`;
      return `${word}: drop the file again to read it.`;
    }
    case 'reading':
      return `Reading… ${formatCount(doc.produced)} segments so far`;
    case 'done':
      return `Done: ${formatCount(doc.produced)} ${doc.produced === 1 ? 'segment' : 'segments'}`;
    case 'skipped':
      return `Skipped: ${doc.message ?? 'no reason given'}`;
    case 'failed':
      return `Failed: ${doc.message ?? 'no reason given'}`;
  }
}

/** The fields a "no text field" message lists, so the user can pick one instead of typing it. */
export function fieldsOffered(message: string | undefined): string[] {
  const m = /fields are: (.*?)\)\. /.exec(message ?? '');
  if (!m?.[1] || m[1] === 'none') return [];
  return m[1].split(', ').filter((f) => f !== '');
}

/** True when a file was skipped because its records have no text field the app recognised. */
export function needsTextField(doc: DocumentRecord): boolean {
  return doc.status === 'skipped' && (doc.issues['no-text-field'] ?? 0) > 0;
}

/** What is wrong with typed settings, in words; null when they can be used. */
export function settingsProblem(s: CorpusSettings): string | null {
  const { minChars, maxChars } = s.window;
  if (!Number.isInteger(minChars) || minChars < 0) return 'The shortest segment must be a whole number of characters, 0 or more.';
  if (!Number.isInteger(maxChars) || maxChars < Math.max(1, minChars)) return 'The longest segment must be a whole number at least as large as the shortest.';
  const t = s.nearDup.threshold;
  if (!(t > 0 && t <= 1)) return 'The near-duplicate threshold must be above 0 and at most 1 (0.8 is the default).';
  if (!Number.isInteger(s.nearDup.seed)) return 'The near-duplicate seed must be a whole number.';
  return null;
}

/** What is wrong with a sample choice, in words; null when it can be used. */
export function sampleProblem(spec: SampleSpec): string | null {
  if (spec.mode === 'random') {
    if (!Number.isInteger(spec.n) || spec.n < 0) return 'The number of segments to sample must be a whole number, 0 or more.';
    if (!Number.isInteger(spec.seed)) return 'The sampling seed must be a whole number.';
  }
  if (spec.mode === 'percentile') {
    if (!(spec.from >= 0 && spec.to <= 100 && spec.from <= spec.to)) return 'The percentile band must run from a lower to a higher percentile between 0 and 100.';
    if (spec.n !== undefined && (!Number.isInteger(spec.n) || spec.n < 0)) return 'The number of segments to sample must be a whole number, 0 or more.';
  }
  return null;
}

/** Segments each step removed, for the "before → after" table. */
export function removedAt(c: StepCount): number {
  return c.before - c.after;
}

export const FILTER_IDS = Object.keys(FILTER_LABELS) as FilterId[];
