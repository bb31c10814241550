import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, looksBinary } from '../../../src/core/corpus/formats.ts';
import { CorpusPipeline, DEFAULT_CORPUS_SETTINGS, type CorpusSettings, type FileIngest } from '../../../src/core/corpus/pipeline.ts';
import type { Segment } from '../../../src/core/records.ts';

const UGLY = 'test/fixtures/corpus/ugly/';

/** What the worker does per file, minus the browser: sniff, decode in pieces, feed, end. */
function ingest(pipeline: CorpusPipeline, path: string, name = path.split('/').pop() ?? path, pieceSize = 4096): { file: FileIngest | null; segments: Segment[]; skipped?: string } {
  const bytes = new Uint8Array(readFileSync(path));
  const { format } = detectFormat(name);
  if (format === 'unknown') return { file: null, segments: [], skipped: 'unknown-format' };
  if (bytes.length === 0) return { file: null, segments: [], skipped: 'empty' };
  if (looksBinary(bytes.subarray(0, 4096))) return { file: null, segments: [], skipped: 'binary' };
  const file = pipeline.openFile({ docId: name, path: name, format });
  const decoder = new TextDecoder();
  const segments: Segment[] = [];
  for (let i = 0; i < bytes.length; i += pieceSize) segments.push(...file.pushText(decoder.decode(bytes.subarray(i, i + pieceSize), { stream: true })));
  segments.push(...file.pushText(decoder.decode()));
  segments.push(...file.end());
  return { file, segments };
}

describe('ugly files', () => {
  it('skips unknown, empty and binary files with a reason', () => {
    const p = new CorpusPipeline();
    expect(ingest(p, UGLY + 'notes.xyz').skipped).toBe('unknown-format');
    expect(ingest(p, UGLY + 'empty.txt').skipped).toBe('empty');
    expect(ingest(p, UGLY + 'binary.txt').skipped).toBe('binary');
  });

  it('replaces and counts invalid UTF-8, even when a piece boundary splits a character', () => {
    const p = new CorpusPipeline();
    const { file, segments } = ingest(p, UGLY + 'invalid-utf8.txt', undefined, 5);
    expect(file?.issueCounts).toEqual({ 'invalid-utf8': 2 });
    expect(segments.length).toBe(1);
    expect(segments[0]?.text).toContain('caf\uFFFD and \uFFFD bytes');
  });

  it('skips a malformed JSONL line with its line number and goes on', () => {
    const p = new CorpusPipeline();
    const { file, segments } = ingest(p, UGLY + 'malformed.jsonl', undefined, 100);
    expect(segments.map((s) => s.provenance.row)).toEqual([1, 2, 6]);
    expect(file?.issueCounts).toEqual({ 'malformed-line': 1, 'missing-field': 1 });
    expect(file?.issues.map((i) => [i.code, i.at])).toEqual([
      ['malformed-line', 'line 3'],
      ['missing-field', 'line 5'],
    ]);
    expect(file?.fatal).toBe(undefined);
  });

  it('refuses a JSON file with no text field, saying which fields it has', () => {
    const { file, segments } = ingest(new CorpusPipeline(), UGLY + 'no-text-field.json');
    expect(segments).toEqual([]);
    expect(file?.fatal?.code).toBe('no-text-field');
    expect(file?.fatal?.message).toContain('fields are: title, body');
  });

  it('reads records from a JSON object holding an array, and a chosen field', () => {
    const { segments } = ingest(new CorpusPipeline(), UGLY + 'records.json');
    expect(segments.map((s) => [s.provenance.row, s.text.slice(0, 7)])).toEqual([
      [1, 'Note 7.'],
      [2, 'Note 8.'],
    ]);
    const chosen = new CorpusPipeline({ ...DEFAULT_CORPUS_SETTINGS, textField: 'body' });
    const res = ingest(chosen, UGLY + 'no-text-field.json');
    expect(res.file?.fatal).toBe(undefined);
    expect(res.file?.counts()[0]?.before).toBe(2); // two rows segmented ("b", "d"), both too short
  });

  it('reads quoted CSV fields with doubled quotes and newlines', () => {
    const { file, segments } = ingest(new CorpusPipeline(), UGLY + 'table.csv', undefined, 13);
    expect(file?.issueCounts).toEqual({});
    expect(segments.map((s) => s.provenance.row)).toEqual([1, 2]);
    expect(segments[0]?.text).toContain('"package manager"');
    // A short first line keeps its break (the plain-text rule for code and addresses).
    expect(segments[1]?.text.startsWith('multi\nline Note 10.')).toBe(true);
  });
});

describe('pipeline', () => {
  it('numbers kept segments across files and deduplicates across files', () => {
    const p = new CorpusPipeline(DEFAULT_CORPUS_SETTINGS, 100);
    const a = ingest(p, UGLY + 'records.json', 'a.json');
    const b = ingest(p, UGLY + 'records.json', 'b.json');
    expect(a.segments.map((s) => [s.seq, s.id])).toEqual([
      [100, 'a.json-0'],
      [101, 'a.json-1'],
    ]);
    expect(b.segments).toEqual([]);
    expect(b.file?.counts().find((c) => c.step === 'exact-duplicate')).toEqual({ step: 'exact-duplicate', enabled: true, before: 2, after: 0 });
    expect(p.counts().at(-1)).toEqual({ step: 'near-duplicate', enabled: true, before: 2, after: 2 });
  });

  it('catches a near-duplicate when exact dedup is off, and remembers stored segments', () => {
    const settings: CorpusSettings = { ...DEFAULT_CORPUS_SETTINGS, exactDedup: false };
    const first = ingest(new CorpusPipeline(settings), UGLY + 'records.json');
    const p = new CorpusPipeline(settings);
    for (const s of first.segments) p.remember(s);
    const again = ingest(p, UGLY + 'records.json');
    expect(again.segments).toEqual([]);
    expect(again.file?.counts().find((c) => c.step === 'near-duplicate')).toEqual({ step: 'near-duplicate', enabled: true, before: 2, after: 0 });
  });

  it('gives the same segments whatever the piece size', () => {
    const html = 'test/fixtures/corpus/debian-ch08.en.html';
    const texts = (size: number) => ingest(new CorpusPipeline(), html, 'ch08.html', size).segments.map((s) => [s.text, s.provenance.headers, s.provenance.offset]);
    const whole = texts(1 << 20);
    expect(whole.length).toBe(9);
    expect(texts(97)).toEqual(whole);
  });
});

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
function shingles(text: string, n = 5): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  for (let i = 0; i + n <= w.length; i++) out.add(w.slice(i, i + n).join(' '));
  return out;
}
/** Share of `segment`'s 5-word shingles found anywhere in `other`. */
function coverage(segment: string, other: Set<string>): number {
  const g = shingles(segment);
  let hit = 0;
  for (const s of g) if (other.has(s)) hit++;
  return g.size === 0 ? 1 : hit / g.size;
}
const isTable = (text: string) => text.split('\n').filter((l) => l.includes(' | ') || /^[|+]/.test(l)).length >= 3;
const noFilters: CorpusSettings = {
  ...DEFAULT_CORPUS_SETTINGS,
  filters: { ...DEFAULT_CORPUS_SETTINGS.filters, enabled: { 'boilerplate-header': false, 'bad-header': false, length: false, 'non-text': false, repetitive: false } },
};

describe('the same book as HTML and as text', () => {
  it('chapter 8 yields closely matching segments from its HTML and its plain text', () => {
    const html = ingest(new CorpusPipeline(noFilters), 'test/fixtures/corpus/debian-ch08.en.html').segments;
    const txt = ingest(new CorpusPipeline(noFilters), 'test/fixtures/corpus/debian-ch08.en.txt').segments;
    const txtShingles = new Set(txt.flatMap((s) => [...shingles(s.text)]));
    const htmlShingles = new Set(html.flatMap((s) => [...shingles(s.text)]));
    // The text edition draws tables in ASCII art (cells wrapped across lines), so compare prose segments.
    const fromHtml = html.filter((s) => !isTable(s.text)).map((s) => coverage(s.text, txtShingles));
    const fromTxt = txt.filter((s) => !isTable(s.text)).map((s) => coverage(s.text, htmlShingles));
    expect([html.length, fromHtml.length, txt.length, fromTxt.length]).toEqual([11, 10, 7, 5]);
    expect(Math.min(...fromHtml)).toBeGreaterThan(0.9);
    expect(Math.min(...fromTxt)).toBeGreaterThan(0.9);
    // The text edition has no header markup, so its paragraphs pack into fewer, longer segments of the same text.
    // Same amount of words overall (ASCII-art tables only add rules and padding).
    const wordCount = (ss: Segment[]) => ss.reduce((n, s) => n + words(s.text).length, 0);
    expect(wordCount(txt) / wordCount(html)).toBeGreaterThan(0.95);
    expect(wordCount(txt) / wordCount(html)).toBeLessThan(1.1);
  });

  // The real corpus sits beside the repository (../shared), as it does for CI.
  const shared = '../shared/corpora/debian-reference/';
  it('the whole book: most HTML prose segments are found in the text edition', () => {
    const p = new CorpusPipeline(noFilters);
    const html = readdirSync(shared)
      .filter((f) => f.endsWith('.html'))
      .sort()
      .flatMap((f) => ingest(p, shared + f).segments);
    const txt = ingest(new CorpusPipeline(noFilters), shared + 'debian-reference.en.txt').segments;
    const txtShingles = new Set(txt.flatMap((s) => [...shingles(s.text)]));
    // Tables are drawn with ASCII art in the text edition, so compare segments that are mostly prose.
    const prose = html.filter((s) => !isTable(s.text));
    const covered = prose.filter((s) => coverage(s.text, txtShingles) >= 0.8).length;
    expect(prose.length).toBeGreaterThan(150);
    expect(covered / prose.length).toBeGreaterThan(0.9);
  });
});
