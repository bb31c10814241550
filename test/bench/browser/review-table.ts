/**
 * The review table over N stored pairs in real IndexedDB (default 500,000): time until the first
 * rows show, time to index every pair, the index's memory, and the latency of what the user does
 * next — filter by status, sort by score, read the texts of one screen of rows, search the texts.
 * Run with `npm run bench -- --filter review-table` once registered in test/bench/run.ts
 * (input `{ corpus, count }`; both optional).
 */
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { SCHEMA_VERSION, newProject, newRun, type Candidate, type Rating, type Segment } from '../../../src/core/records.ts';
import type { ProjectStore } from '../../../src/ports/store.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';
import { ReviewState } from '../../../src/state/review/review.svelte.ts';
import type { BenchFigure } from '../figure.ts';

interface Input {
  corpus?: string;
  count?: number;
}

const BATCH = 10_000;
const FALLBACK_TEXT = 'Humpback whales sing long, complex songs that change from year to year. ענן «¿Qué?» 🐋 ';
const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;

async function fill(store: ProjectStore, corpus: string, count: number, augment: string, curate: string): Promise<void> {
  for (let from = 0; from < count; from += BATCH) {
    const segments: Segment[] = [];
    const candidates: Candidate[] = [];
    const ratings: Rating[] = [];
    for (let seq = from; seq < Math.min(count, from + BATCH); seq++) {
      const len = 600 + ((seq * 104_729) % 1_400);
      const off = (seq * 7_919) % Math.max(1, corpus.length - len);
      const text = corpus.slice(off, off + len);
      const score = (seq % 5) + 1;
      segments.push({ schemaVersion: SCHEMA_VERSION, seq, id: `s${seq}`, text, chars: text.length, hash: String(seq), provenance: { docId: 'b', path: `file-${seq % 50}.txt`, headers: [], offset: off } });
      candidates.push({
        schemaVersion: SCHEMA_VERSION, seq, segmentId: `s${seq}`, runId: augment, instruction: `Explain part ${seq % 97}: ${text.slice(0, 80)}?`, raw: '', status: 'ok',
        provenance: { model: { engine: 'scripted', model: 'bench' }, promptVersion: 1, stageVersion: 1, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 128 }, mode: 'prompted' },
        createdAt: 0,
      });
      ratings.push({
        schemaVersion: SCHEMA_VERSION, seq, segmentId: `s${seq}`, runId: curate, round: 0, score, reason: 'On topic.', raw: `On topic.\nScore: ${score}`, parse: 'parsed',
        curator: { model: { engine: 'scripted', model: 'bench' }, promptVersion: 1, stageVersion: 1, mode: 'reasoned' }, createdAt: 0,
      });
    }
    await store.put('segments', segments);
    await store.put(`candidates:${augment}`, candidates);
    await store.put(`ratings:${curate}`, ratings);
  }
}

const ms = async (f: () => Promise<unknown> | unknown): Promise<number> => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
}

export default async function reviewTableBench({ corpus = FALLBACK_TEXT.repeat(200), count = 500_000 }: Input = {}): Promise<BenchFigure[]> {
  const catalog = new IdbCatalog();
  const project = newProject('review bench');
  await catalog.putProject(project);
  const ps = new ProjectState(project, catalog, new Notices());
  const store = await ps.open();
  if (!store) throw new Error('the bench project did not open');
  try {
    const augment = { ...newRun('augment', 1, {}, 1), status: 'done' as const };
    const curate = { ...newRun('curate', 1, { augmentRunId: augment.id }, 2), round: 0, status: 'done' as const };
    await store.putRun(augment);
    await store.putRun(curate);
    await fill(store, corpus, count, augment.id, curate.id);

    const review = new ReviewState(ps);
    const heap0 = heap();
    const t0 = performance.now();
    const opened = review.open();
    await until(() => review.view.length > 0);
    const firstRows = performance.now() - t0;
    await opened;
    const indexed = performance.now() - t0;
    const indexHeap = heap() - heap0;

    const filter = await ms(() => review.setFilters({ statuses: ['kept'] }));
    const sort = await ms(() => review.setSort({ key: 'score', dir: 'desc' }));
    const page = await ms(async () => {
      review.rowsIn(200_000 % Math.max(1, review.view.length), (200_000 % Math.max(1, review.view.length)) + 25);
      await until(() => review.rowsIn(200_000 % Math.max(1, review.view.length), (200_000 % Math.max(1, review.view.length)) + 25).every((r) => r.pair !== undefined));
    });
    const search = await ms(() => review.setFilters({ search: '"part 42:"' }));
    const n = count.toLocaleString('en-US');
    return [
      { name: `review.first_rows_ms.${count}`, value: firstRows, unit: `ms until rows show, ${n} pairs`, better: 'lower' },
      { name: `review.index_s.${count}`, value: indexed / 1000, unit: `s to index ${n} pairs`, better: 'lower' },
      { name: 'review.index_heap_MB', value: Math.max(0, indexHeap) / 1e6, unit: 'MB', better: 'lower' },
      { name: 'review.filter_status_ms', value: filter, unit: 'ms', better: 'lower' },
      { name: 'review.sort_score_ms', value: sort, unit: 'ms', better: 'lower' },
      { name: 'review.page_of_texts_ms', value: page, unit: 'ms for 25 rows spread over the store', better: 'lower' },
      { name: 'review.search_scan_s', value: search / 1000, unit: `s to search the texts of ${n} pairs`, better: 'lower' },
    ];
  } finally {
    await store.close();
    await catalog.deleteProject(project.id);
  }
}
