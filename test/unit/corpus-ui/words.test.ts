import { describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS_SETTINGS } from '../../../src/core/corpus/pipeline.ts';
import { SCHEMA_VERSION, type DocumentRecord } from '../../../src/core/records.ts';
import { fieldsOffered, firstPlaces, issueLines, needsTextField, sampleProblem, settingsProblem, statusLine, stepLabel } from '../../../src/state/corpus/corpus-words.ts';

const doc = (over: Partial<DocumentRecord>): DocumentRecord => ({
  schemaVersion: SCHEMA_VERSION, id: 'd1', path: 'a.jsonl', format: 'jsonl', gzip: false, bytes: 10, status: 'done', produced: 0, issues: {}, addedAt: 0, ...over,
});

describe('corpus words', () => {
  it('reads where each issue first happened from the worker message', () => {
    expect(firstPlaces('3 × malformed-line (line 12, line 40, line 41); 1 × missing-field (line 5)')).toEqual({ 'malformed-line': 'line 12', 'missing-field': 'line 5' });
    expect(firstPlaces('2 × invalid-utf8')).toEqual({});
    expect(firstPlaces(undefined)).toEqual({});
  });

  it('says each issue count in words, with where it first happened', () => {
    const d = doc({ issues: { 'malformed-line': 3, 'invalid-utf8': 1, 'missing-field': 1 }, message: '3 × malformed-line (line 12, line 40, line 41); 1 × invalid-utf8; 1 × missing-field (record 7)' });
    expect(issueLines(d)).toEqual(['3 malformed lines (first at line 12)', '1 byte that was not UTF-8 (replaced)', '1 record without the text field (at record 7)']);
    // A code that skipped the whole file is in the status line, not repeated as a count.
    expect(issueLines(doc({ status: 'skipped', issues: { 'no-text-field': 1 }, message: 'No text field found' }))).toEqual([]);
    expect(issueLines(doc({ issues: { 'odd-thing': 1200 } }))).toEqual(['1,200 odd-thing']);
  });

  it('gives each status a line the user can act on', () => {
    expect(statusLine(doc({ produced: 1 }), 'held')).toBe('Done: 1 segment');
    expect(statusLine(doc({ produced: 12345 }), 'gone')).toBe('Done: 12,345 segments');
    expect(statusLine(doc({ status: 'queued' }), 'held')).toBe('Queued');
    expect(statusLine(doc({ status: 'queued' }), 'gone')).toBe('Waiting: drop the file again to read it.');
    expect(statusLine(doc({ status: 'queued', message: 'Cancelled; it will be read again next time.' }), 'held')).toBe('Cancelled: not read yet.');
    expect(statusLine(doc({ status: 'queued', message: 'Cancelled; it will be read again next time.' }), 'gone')).toBe('Cancelled: drop the file again to read it.');
    // A handle from an earlier visit can find it again ("Read the waiting files" does).
    expect(statusLine(doc({ status: 'queued' }), 'findable')).toBe('Waiting: not read yet.');
    expect(statusLine(doc({ status: 'queued', message: 'Cancelled; it will be read again next time.' }), 'findable')).toBe('Cancelled: not read yet.');
    // It was looked for and could not be read: the reason says what to do.
    expect(statusLine(doc({ status: 'queued' }), 'findable', 'it is no longer in "docs" on disk; drop it again to read it')).toBe('Waiting: it is no longer in "docs" on disk; drop it again to read it.');
    expect(statusLine(doc({ status: 'reading', produced: 2000 }), 'held')).toBe('Reading… 2,000 segments so far');
    expect(statusLine(doc({ status: 'skipped', message: '"x.txt" is empty.' }), 'held')).toBe('Skipped: "x.txt" is empty.');
    expect(statusLine(doc({ status: 'failed', message: 'Could not read "x".' }), 'held')).toBe('Failed: Could not read "x".');
  });

  it('offers the fields a "no text field" message lists', () => {
    const message = 'No text field found (looked for "text", "content"; fields are: id, body, meta). Choose the text field for this file and ingest it again.';
    expect(fieldsOffered(message)).toEqual(['id', 'body', 'meta']);
    expect(fieldsOffered('No text field found (looked for "x"; fields are: none). Choose the text field for this file and ingest it again.')).toEqual([]);
    expect(needsTextField(doc({ status: 'skipped', issues: { 'no-text-field': 1 }, message }))).toBe(true);
    expect(needsTextField(doc({ status: 'done', issues: {} }))).toBe(false);
  });

  it('checks typed settings and sample choices', () => {
    expect(settingsProblem(DEFAULT_CORPUS_SETTINGS)).toBeNull();
    expect(settingsProblem({ ...DEFAULT_CORPUS_SETTINGS, window: { minChars: 700, maxChars: 500 } })).toBe('The longest segment must be a whole number at least as large as the shortest.');
    expect(settingsProblem({ ...DEFAULT_CORPUS_SETTINGS, window: { minChars: -1, maxChars: 500 } })).toBe('The shortest segment must be a whole number of characters, 0 or more.');
    expect(settingsProblem({ ...DEFAULT_CORPUS_SETTINGS, nearDup: { ...DEFAULT_CORPUS_SETTINGS.nearDup, threshold: 0 } })).toBe('The near-duplicate threshold must be above 0 and at most 1 (0.8 is the default).');
    expect(settingsProblem({ ...DEFAULT_CORPUS_SETTINGS, nearDup: { ...DEFAULT_CORPUS_SETTINGS.nearDup, seed: 1.5 } })).toBe('The near-duplicate seed must be a whole number.');
    expect(sampleProblem({ mode: 'all' })).toBeNull();
    expect(sampleProblem({ mode: 'random', n: 150, seed: 42 })).toBeNull();
    expect(sampleProblem({ mode: 'random', n: -1, seed: 42 })).toBe('The number of segments to sample must be a whole number, 0 or more.');
    expect(sampleProblem({ mode: 'percentile', from: 50, to: 25 })).toBe('The percentile band must run from a lower to a higher percentile between 0 and 100.');
    expect(sampleProblem({ mode: 'percentile', from: 25, to: 50, n: 150, seed: 1 })).toBeNull();
  });

  it('names the steps in words', () => {
    expect(stepLabel('repetitive')).toBe('repetitive text');
    expect(stepLabel('near-duplicate')).toBe('near duplicate');
  });
});
