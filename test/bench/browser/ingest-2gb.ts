/**
 * The "a 2 GB JSONL must ingest with bounded memory", measured on the app's own path: a
 * 2 GB JSON Lines file on disk, handed to the page as a disk-backed `File` (as a drop gives one),
 * read by the real ingest worker and its parse workers into IndexedDB with the default settings
 * (exact and near-duplicate dedup on). The runner samples the resident memory of every browser
 * process meanwhile (run.ts, node/process-memory.ts). Every record is a distinct note, so the
 * dedup state grows with each kept segment; the figures say how much of the memory that is.
 */
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { IngestClient } from '../../../src/adapters/ingest/ingest-client.ts';
import { newProject } from '../../../src/core/records.ts';
import type { BenchFigure } from '../figure.ts';

const MB = 1e6;

export default async function run(): Promise<BenchFigure[]> {
  const file = document.querySelector<HTMLInputElement>('#bench-files')?.files?.[0];
  if (!file) throw new Error('The runner gives this bench its file through #bench-files.');
  const catalog = new IdbCatalog();
  const project = newProject('2 GB JSONL bench');
  await catalog.putProject(project);
  const client = new IngestClient();
  try {
    const t = performance.now();
    const summary = await client.ingest(project.id, [{ file, path: file.name }]);
    const seconds = (performance.now() - t) / 1000;
    const store = await catalog.openProject(project.id);
    const stored = (await store.info('segments')).count;
    const doc = (await store.listDocs())[0];
    const gb = `${(file.size / 1e9).toFixed(2)} GB`;
    return [
      { name: 'ingest.big_jsonl.mbps', value: file.size / MB / seconds, unit: `MB/s, a ${gb} JSONL dropped → segments in IndexedDB (the app's ingest: ingest worker, parse workers, default settings with near-dup)`, better: 'higher' },
      { name: 'ingest.big_jsonl.segments', value: stored, unit: `segments stored from it (status "${doc?.status ?? 'missing'}", ${summary.segments.toLocaleString('en-US')} reported, ${(seconds / 60).toFixed(1)} min)`, better: 'higher' },
    ];
  } finally {
    client.terminate();
    await catalog.deleteProject(project.id);
  }
}
