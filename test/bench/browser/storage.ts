/**
 * IndexedDB write and read of N segment records through our store adapter, side by side with
 * Dexie's bulkPut / toArray on the very same records, in the same page.
 * Both sides write in batches of 10,000 (one transaction each): the comparison is chunked
 * values vs one key per record, not batching vs no batching.
 */
import Dexie from 'dexie';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { SCHEMA_VERSION, newProject, type Segment } from '../../../src/core/records.ts';
import type { BenchFigure } from '../figure.ts';

interface Input {
  corpus: string;
  count: number;
}

const BATCH = 10_000;

function makeSegment(corpus: string, seq: number): Segment {
  // Lengths 600–2,000 characters from the real corpus: the paper's segments are 600–3,000.
  const len = 600 + ((seq * 104_729) % 1_400);
  const off = (seq * 7_919) % (corpus.length - len);
  const text = corpus.slice(off, off + len);
  return {
    schemaVersion: SCHEMA_VERSION,
    seq,
    id: `s${seq}`,
    text,
    chars: text.length,
    hash: (seq * 2_654_435_761 >>> 0).toString(16),
    provenance: { docId: 'bench', path: 'debian-reference.en.txt', headers: ['Chapter', `Part ${seq % 97}`], offset: off },
  };
}

function batches(corpus: string, count: number): Segment[][] {
  const out: Segment[][] = [];
  for (let from = 0; from < count; from += BATCH) {
    out.push(Array.from({ length: Math.min(BATCH, count - from) }, (_, i) => makeSegment(corpus, from + i)));
  }
  return out;
}

const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;

export default async function storageBench({ corpus, count }: Input): Promise<BenchFigure[]> {
  const data = batches(corpus, count);
  const mb = data.flat().reduce((n, s) => n + s.text.length, 0) / 1e6;

  // Ours.
  const catalog = new IdbCatalog();
  const project = newProject('bench');
  await catalog.putProject(project);
  const store = await catalog.openProject(project.id);
  let t = performance.now();
  for (const b of data) await store.put('segments', b);
  const oursWrite = (performance.now() - t) / 1000;
  await store.close();
  const reopened = await catalog.openProject(project.id);
  t = performance.now();
  let readOurs = 0;
  let peakOurs = heap();
  await reopened.scan<Segment>('segments', (recs) => {
    readOurs += recs.length;
    peakOurs = Math.max(peakOurs, heap());
  });
  const oursRead = (performance.now() - t) / 1000;
  if (readOurs !== count) throw new Error(`read back ${readOurs} of ${count}`);
  await catalog.deleteProject(project.id);

  // Dexie, same records.
  const db = new Dexie(`bench-dexie-${Date.now()}`);
  db.version(1).stores({ segments: 'seq' });
  const table = db.table<Segment, number>('segments');
  t = performance.now();
  for (const b of data) await table.bulkPut(b);
  const dexieWrite = (performance.now() - t) / 1000;
  t = performance.now();
  const all = await table.toArray();
  const dexieRead = (performance.now() - t) / 1000;
  if (all.length !== count) throw new Error(`Dexie read back ${all.length} of ${count}`);
  await db.delete();

  const n = count.toLocaleString('en-US');
  return [
    { name: `storage.write.${count}.seconds`, value: oursWrite, unit: 's', better: 'lower', vs: { name: 'dexie.bulkPut', value: dexieWrite }, target: '< 20 s and ≤ Dexie' },
    { name: `storage.write.${count}.records_per_s`, value: count / oursWrite, unit: 'records/s', better: 'higher', vs: { name: 'dexie.bulkPut', value: count / dexieWrite } },
    { name: `storage.write.MB_per_s`, value: mb / oursWrite, unit: 'MB/s', better: 'higher', vs: { name: 'dexie.bulkPut', value: mb / dexieWrite } },
    { name: `storage.read.${count}.seconds`, value: oursRead, unit: 's', better: 'lower', vs: { name: 'dexie.toArray', value: dexieRead } },
    { name: `storage.read.heap_peak_MB`, value: peakOurs / 1e6, unit: 'MB', better: 'lower' },
    { name: `storage.corpus_text_MB`, value: mb, unit: `MB in ${n} segments`, better: 'lower' },
  ];
}
