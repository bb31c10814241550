/**
 * Main-text extraction on real web pages: every page of the development set (../shared/extract-dev,
 * or EXTRACT_EVAL_DIR with the same layout) through the corpus pipeline as ingest runs it — bytes
 * decoded as the app decodes HTML, segmented, filtered, deduplicated within the page — and the kept
 * text scored with the set's snippet scoring (test/support/extract-eval.ts). Speed is the whole
 * of that, bytes in to kept segments out, on one thread: the best of three passes after the scoring
 * pass has warmed it up. With EXTRACT_MISSES=<file> set, each page's missed and leaked snippets
 * are written to that file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { evalPages, evaluate, extractEvalDir, figures, keptText, missesReport } from '../../support/extract-eval.ts';
import { CorpusPipeline } from '../../../src/core/corpus/pipeline.ts';
import type { BenchFigure } from '../figure.ts';

const PASSES = 3;

export async function benchExtract(): Promise<BenchFigure[]> {
  const dir = extractEvalDir();
  const pages = evalPages(dir);
  if (pages.length === 0) throw new Error(`No pages to score in ${dir}: it needs evaldata.json and pages/ (see ../shared/extract-dev/README.md).`);
  const run = evaluate(pages);
  const score = figures(run);
  // EXTRACT_MISSES=file lists every page's missed and leaked snippets there, to see what to work on.
  if (process.env.EXTRACT_MISSES) writeFileSync(process.env.EXTRACT_MISSES, missesReport(pages));
  const bytes = pages.map((p) => new Uint8Array(readFileSync(p.file)));
  const total = bytes.reduce((n, b) => n + b.length, 0);
  // Best of PASSES, by wall time and by the process's CPU time: on a machine shared with other
  // work the wall time says more about the neighbours than about the code (CPU time counts V8's
  // helper threads too, so it errs low).
  let wall = Infinity;
  let cpu = Infinity;
  for (let pass = 0; pass < PASSES; pass++) {
    const pipeline = new CorpusPipeline();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const b of bytes) keptText(b, pipeline);
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  const set = `${pages.length} pages, ${(total / 1e6).toFixed(1)} MB`;
  return [
    { name: 'extract.precision', value: score.precision, unit: `precision of the snippet scoring (${set})`, better: 'higher', vs: { name: 'trafilatura 2.2 (990 pages)', value: 0.897 }, target: '≥ 0.92' },
    { name: 'extract.recall', value: score.recall, unit: `recall of the snippet scoring (${set})`, better: 'higher', vs: { name: 'trafilatura 2.2 (990 pages)', value: 0.945 }, target: '≥ 0.93' },
    { name: 'extract.f1', value: score.f1, unit: `F1 of the snippet scoring (${set})`, better: 'higher', vs: { name: 'trafilatura 2.2 (990 pages)', value: 0.921 }, target: '≥ 0.93' },
    { name: 'extract.MB_per_s', value: total / 1e6 / cpu, unit: 'MB/s of HTML to kept segments, one thread (CPU time)', better: 'higher', vs: { name: 'trafilatura 2.2', value: 3.4 }, target: '≥ 35' },
    { name: 'extract.MB_per_s_wall', value: total / 1e6 / wall, unit: 'MB/s of HTML to kept segments, one thread (wall time, as busy as the machine is)', better: 'higher' },
    { name: 'extract.empty_pages', value: run.empty.length, unit: `pages with no kept text (${run.empty.join(', ') || 'none'})`, better: 'lower', target: '0 unless a page has no main text' },
  ];
}
