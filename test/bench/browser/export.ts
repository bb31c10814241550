/**
 * Export throughput from real IndexedDB: N segments with a candidate and a rating each (about
 * 2 in 5 kept, as A4 keeps on web text), exported as chat `messages` JSONL through a real
 * FileSystemWritableFileStream (the picked-file path; the file lives in the origin private file
 * system because a benchmark cannot click the native picker), then again through the Blob
 * download path. Heap is sampled at every progress call: it should stay flat, not grow with N.
 * Run with `npm run bench -- --filter export` (input `{ corpus, count }`; both optional).
 */
import { exportToTarget, JSONL_TYPE } from '../../../src/adapters/export/export-file.ts';
import { downloadTarget } from '../../../src/adapters/export/save-target.ts';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { curatedSetOf, DEFAULT_RULE, type CuratedSet } from '../../../src/core/curation/curated-set.ts';
import type { ExportChoice, ExportReport } from '../../../src/core/export/stream.ts';
import { SCHEMA_VERSION, newProject, newRun, type Candidate, type Rating, type Segment } from '../../../src/core/records.ts';
import type { ProjectStore } from '../../../src/ports/store.ts';
import type { BenchFigure } from '../figure.ts';

interface Input {
  corpus?: string;
  count?: number;
}

const BATCH = 10_000;
const FALLBACK_TEXT = 'Humpback whales sing long, complex songs that change from year to year. ענן «¿Qué?» 🐋\u2028 ';

const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;

function records(corpus: string, seq: number): { s: Segment; c: Candidate; r: Rating } {
  // Lengths 600–2,000 characters, as the storage bench and the paper's segments.
  const len = 600 + ((seq * 104_729) % 1_400);
  const off = (seq * 7_919) % Math.max(1, corpus.length - len);
  const text = corpus.slice(off, off + len);
  const score = (seq % 5) + 1;
  return {
    s: {
      schemaVersion: SCHEMA_VERSION, seq, id: `s${seq}`, text, chars: text.length, hash: (seq * 2_654_435_761 >>> 0).toString(16),
      provenance: { docId: 'bench', path: 'corpus.txt', headers: ['Chapter', `Part ${seq % 97}`], offset: off },
    },
    c: {
      schemaVersion: SCHEMA_VERSION, seq, segmentId: `s${seq}`, runId: 'bench', instruction: `Explain part ${seq % 97}: ${text.slice(0, 80)}?`, raw: '', status: 'ok',
      provenance: { model: { engine: 'scripted', model: 'bench' }, promptVersion: 1, stageVersion: 1, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 128 }, mode: 'fewshot' },
      createdAt: 0,
    },
    r: {
      schemaVersion: SCHEMA_VERSION, seq, segmentId: `s${seq}`, runId: 'bench-rate', round: 0, score, reason: 'The answer is complete and on topic.', raw: `Reasoning.\nScore: ${score}`,
      parse: 'parsed', curator: { model: { engine: 'scripted', model: 'bench' }, promptVersion: 1, stageVersion: 1, mode: 'text' }, createdAt: 0,
    },
  };
}

async function fill(store: ProjectStore, corpus: string, count: number): Promise<void> {
  for (let from = 0; from < count; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - from) }, (_, i) => records(corpus, from + i));
    await store.put('segments', batch.map((b) => b.s));
    await store.put('candidates:bench', batch.map((b) => b.c));
    await store.put('ratings:bench-rate', batch.map((b) => b.r));
  }
}

interface Timed {
  report: ExportReport;
  seconds: number;
  firstWriteMs: number;
  peakHeap: number;
}

async function timedExport(store: ProjectStore, stream: WritableStream<Uint8Array>, set: CuratedSet, choice: ExportChoice): Promise<Timed> {
  let first = 0;
  const t0 = performance.now();
  // Wraps the real stream only to note when the first bytes arrive.
  const writer = stream.getWriter();
  const watched = new WritableStream<Uint8Array>({
    write: async (chunk) => {
      if (first === 0) first = performance.now() - t0;
      await writer.write(chunk);
    },
    close: () => writer.close(),
    abort: (e) => writer.abort(e),
  });
  let peakHeap = heap();
  const report = await exportToTarget(store, set, choice, { kind: 'file', name: 'bench.jsonl', stream: watched }, {
    onProgress: () => void (peakHeap = Math.max(peakHeap, heap())),
  });
  return { report, seconds: (performance.now() - t0) / 1000, firstWriteMs: first, peakHeap };
}

export default async function exportBench({ corpus = FALLBACK_TEXT.repeat(200), count = 500_000 }: Input = {}): Promise<BenchFigure[]> {
  const catalog = new IdbCatalog();
  const project = newProject('export bench');
  await catalog.putProject(project);
  const store = await catalog.openProject(project.id);
  const dir = await navigator.storage.getDirectory();
  const fileName = `export-bench-${project.id}.jsonl`;
  try {
    await fill(store, corpus, count);
    // Generation run 'bench' rated by 'bench-rate': the curated set A4, seeds left out.
    const runs = [{ ...newRun('augment', 1, {}, 1), id: 'bench' }, { ...newRun('curate', 1, { augmentRunId: 'bench', config: { round: 0 } }, 2), id: 'bench-rate', round: 0 }];
    const set = curatedSetOf(runs, { rule: DEFAULT_RULE, includeSeeds: false });
    const choice: ExportChoice = { format: 'messages', sourceTags: true, statuses: ['kept'] };
    const baseHeap = heap();

    const handle = await dir.getFileHandle(fileName, { create: true });
    const file = await timedExport(store, (await handle.createWritable()) as WritableStream<Uint8Array>, set, choice);
    const written = (await handle.getFile()).size;
    if (written !== file.report.bytes) throw new Error(`file holds ${written} bytes, export reported ${file.report.bytes}`);

    let blobSize = 0;
    const download = await timedExport(store, downloadTarget('bench.jsonl', JSONL_TYPE, (b) => void (blobSize = b.size)).stream, set, choice);
    if (blobSize !== download.report.bytes) throw new Error(`blob holds ${blobSize} bytes, export reported ${download.report.bytes}`);

    const mb = file.report.bytes / 1e6;
    const n = count.toLocaleString('en-US');
    return [
      { name: `export.file.${count}.seconds`, value: file.seconds, unit: `s for ${n} pairs`, better: 'lower' },
      { name: 'export.file.MB_per_s', value: mb / file.seconds, unit: 'MB/s', better: 'higher' },
      { name: 'export.file.rows_per_s', value: count / file.seconds, unit: 'pairs read/s', better: 'higher' },
      { name: 'export.file.lines_per_s', value: file.report.lines / file.seconds, unit: 'lines written/s', better: 'higher' },
      { name: 'export.file.first_write_ms', value: file.firstWriteMs, unit: 'ms', better: 'lower' },
      { name: 'export.file.heap_peak_over_start_MB', value: Math.max(0, file.peakHeap - baseHeap) / 1e6, unit: 'MB', better: 'lower', target: 'flat in N' },
      { name: 'export.download.MB_per_s', value: download.report.bytes / 1e6 / download.seconds, unit: 'MB/s', better: 'higher' },
      { name: 'export.download.heap_peak_over_start_MB', value: Math.max(0, download.peakHeap - baseHeap) / 1e6, unit: 'MB', better: 'lower' },
      { name: 'export.output_MB', value: mb, unit: `MB in ${file.report.lines.toLocaleString('en-US')} lines`, better: 'lower' },
    ];
  } finally {
    await dir.removeEntry(fileName).catch(() => undefined);
    await catalog.deleteProject(project.id);
  }
}
