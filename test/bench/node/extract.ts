/**
 * Main-text extraction on real web pages: every page of the development set (../shared/extract-dev,
 * or EXTRACT_EVAL_DIR with the same layout) through the corpus pipeline as ingest runs it — bytes
 * decoded as the app decodes HTML, segmented, filtered, deduplicated within the page — and the kept
 * text scored with the set's snippet scoring (test/support/extract-eval.ts). Speed is the whole
 * of that, bytes in to kept segments out, on one thread: the best of three passes after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { evalPages, evaluate, extractEvalDir, figures, keptText } from '../../support/extract-eval.ts';
import { CorpusPipeline } from '../../../src/core/corpus/pipeline.ts';
import type { BenchFigure } from '../figure.ts';

const PASSES = 3;

export async function benchExtract(): Promise<BenchFigure[]> {
  const dir = extractEvalDir();
  const pages = evalPages(dir);
  if (pages.length === 0) throw new Error(`No pages to score in ${dir}: it needs evaldata.json and pages/ (see ../shared/extract-dev/README.md).`);
  const run = evaluate(pages);
  const score = figures(run);
  const bytes = pages.map((p) => new Uint8Array(readFileSync(p.file)));
  const total = bytes.reduce((n, b) => n + b.length, 0);
  let best = Infinity;
  for (let pass = 0; pass < PASSES; pass++) {
    const pipeline = new CorpusPipeline();
    const t0 = performance.now();
    for (const b of bytes) keptText(b, pipeline);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const set = `${pages.length} pages, ${(total / 1e6).toFixed(1)} MB`;
  return [
    { name: 'extract.precision', value: score.precision, unit: `of snippets found in kept text that should be there (${set})`, better: 'higher', vs: { name: 'trafilatura 2.2 (990 pages)', value: 0.897 }, target: '≥ 0.92' },
    { name: 'extract.recall', value: score.recall, unit: `of snippets that should be kept, found (${set})`, better: 'higher', vs: { name: 'trafilatura 2.2 (990 pages)', value: 0.945 }, target: '≥ 0.93' },
    { name: 'extract.f1', value: score.f1, unit: `F1 of the snippet scoring (${set})`, better: 'higher', vs: { name: 'trafilatura 2.2 (990 pages)', value: 0.921 }, target: '≥ 0.93' },
    { name: 'extract.MB_per_s', value: total / 1e6 / best, unit: 'MB/s of HTML to kept segments, one thread', better: 'higher', vs: { name: 'trafilatura 2.2', value: 3.4 }, target: '≥ 35' },
    { name: 'extract.empty_pages', value: run.empty.length, unit: `pages with no kept text (${run.empty.join(', ') || 'none'})`, better: 'lower', target: '0 unless a page has no main text' },
  ];
}
