/**
 * Scoring main-text extraction on the development set (../shared/extract-dev, or the folder
 * EXTRACT_EVAL_DIR names; same layout): every page through the corpus pipeline as ingest runs
 * it (bytes decoded as the app decodes them, pieces of 64 KB, filters on), its kept segments
 * joined, and each page's snippets looked for in that text — exactly the scoring the set's
 * README describes, so figures compare with trafilatura's. Shared by the `extract` bench and
 * the unit test that pins the F1 reached.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CorpusPipeline } from '../../src/core/corpus/pipeline.ts';
import { decodeHtmlBytes } from '../../src/core/corpus/html-encoding.ts';

export const EXTRACT_DEV_DIR = resolve(import.meta.dirname, '../../../shared/extract-dev');

export function extractEvalDir(): string {
  return process.env.EXTRACT_EVAL_DIR ? resolve(process.env.EXTRACT_EVAL_DIR) : EXTRACT_DEV_DIR;
}

export interface EvalPage {
  url: string;
  file: string;
  with: string[];
  without: string[];
}

export function evalPages(dir = extractEvalDir()): EvalPage[] {
  const data = JSON.parse(readFileSync(join(dir, 'evaldata.json'), 'utf8')) as Record<string, { file: string; with?: string[]; without?: string[] }>;
  return Object.entries(data)
    .filter(([, v]) => existsSync(join(dir, 'pages', v.file)))
    .map(([url, v]) => ({ url, file: join(dir, 'pages', v.file), with: v.with ?? [], without: v.without ?? [] }));
}

/**
 * The text ingest keeps from one HTML page: its kept segments, in order. Scoring gives each page
 * a pipeline of its own (no dedup across pages); the speed figure runs all pages through one, as
 * an ingest does.
 */
export function keptText(bytes: Uint8Array, pipeline = new CorpusPipeline(), pieceBytes = 64 * 1024): string {
  const file = pipeline.openFile({ docId: 'page', path: 'page.html', format: 'html' });
  const texts: string[] = [];
  for (const piece of decodeHtmlBytes(bytes, pieceBytes)) for (const s of file.pushText(piece)) texts.push(s.text);
  for (const s of file.end()) texts.push(s.text);
  return texts.join('\n');
}

export interface Counts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Whether a snippet is in a page's text, both squeezed (an empty text holds nothing). */
const found = (squeezedText: string, snippet: string) => squeezedText !== '' && squeezedText.includes(squeeze(snippet));

/** The set's scoring for one page: `with` snippets found are true positives, `without` ones found are false positives. */
export function scorePage(text: string, page: Pick<EvalPage, 'with' | 'without'>, into: Counts = { tp: 0, fp: 0, tn: 0, fn: 0 }): Counts {
  const t = squeeze(text);
  for (const s of page.with) {
    if (found(t, s)) into.tp++;
    else into.fn++;
  }
  for (const s of page.without) {
    if (found(t, s)) into.fp++;
    else into.tn++;
  }
  return into;
}

export function figures(c: Counts): { precision: number; recall: number; f1: number; accuracy: number } {
  const precision = c.tp / (c.tp + c.fp);
  const recall = c.tp / (c.tp + c.fn);
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall), accuracy: (c.tp + c.tn) / (c.tp + c.fp + c.tn + c.fn) };
}

export interface EvalRun extends Counts {
  pages: number;
  bytes: number;
  seconds: number;
  /** Pages that kept no text at all. */
  empty: string[];
}

/** Scores every page; `seconds` is the time spent decoding and extracting only. */
export function evaluate(pages: readonly EvalPage[] = evalPages()): EvalRun {
  const run: EvalRun = { tp: 0, fp: 0, tn: 0, fn: 0, pages: pages.length, bytes: 0, seconds: 0, empty: [] };
  for (const page of pages) {
    const bytes = new Uint8Array(readFileSync(page.file));
    const t0 = performance.now();
    const text = keptText(bytes);
    run.seconds += (performance.now() - t0) / 1000;
    run.bytes += bytes.length;
    if (text.trim() === '') run.empty.push(page.url);
    scorePage(text, page, run);
  }
  return run;
}

/**
 * Each page's misses, for reading rather than scoring: the `with` snippets its kept text lacks
 * and the `without` snippets it holds, one block per page that has any (the bench writes this to
 * the file EXTRACT_MISSES names).
 */
export function missesReport(pages: readonly EvalPage[]): string {
  const out: string[] = [];
  for (const page of pages) {
    const t = squeeze(keptText(new Uint8Array(readFileSync(page.file))));
    const missed = page.with.filter((s) => !found(t, s));
    const leaked = page.without.filter((s) => found(t, s));
    if (missed.length === 0 && leaked.length === 0) continue;
    out.push(`${page.file} (${page.url}), ${t.length} characters kept`);
    for (const s of missed) out.push(`  missed: ${squeeze(s)}`);
    for (const s of leaked) out.push(`  leaked: ${squeeze(s)}`);
  }
  return out.join('\n') + '\n';
}
