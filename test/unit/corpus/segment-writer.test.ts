/**
 * The ingest's segment writer against the real in-memory store: chunks are written whole across
 * file boundaries, and after every single write the stored documents agree with the stored
 * segments — "done" only with all of its segments, "reading" while some are still queued.
 */
import { describe, expect, it } from 'vitest';
import { SegmentWriter } from '../../../src/adapters/ingest/segment-writer.ts';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { SCHEMA_VERSION, type DocumentRecord, type Segment } from '../../../src/core/records.ts';

const CHUNK = 100;

function docOf(id: string, over: Partial<DocumentRecord> = {}): DocumentRecord {
  return { schemaVersion: SCHEMA_VERSION, id, path: `${id}.txt`, format: 'txt', gzip: false, bytes: 1, status: 'reading', produced: 0, issues: {}, addedAt: 0, ...over };
}

function segments(docId: string, from: number, n: number): Segment[] {
  return Array.from({ length: n }, (_, i) => ({
    schemaVersion: SCHEMA_VERSION, seq: from + i, id: `${docId}-${i}`, text: `text ${from + i}`, chars: 8, hash: String(from + i),
    provenance: { docId, path: `${docId}.txt`, headers: [], offset: 0 },
  }));
}

/** The store after each write: which seqs it holds and what each document says. */
class Watched extends MemoryProjectStore {
  log: { seqs: number[]; docs: DocumentRecord[] }[] = [];
  readonly #invariant: () => Promise<void>;
  constructor(check: (store: Watched) => Promise<void>) {
    super('writer-test');
    this.#invariant = () => check(this);
  }
  override async put<T extends { seq: number }>(collection: 'segments', records: readonly T[], extras?: { docs?: DocumentRecord[] }): Promise<void> {
    await super.put(collection, records as never, extras as never);
    this.log.push({ seqs: records.map((r) => r.seq), docs: extras?.docs ?? [] });
    await this.#invariant();
  }
}

async function consistent(store: Watched): Promise<void> {
  const stored: Segment[] = [];
  await store.scan<Segment>('segments', (chunk) => void stored.push(...chunk));
  for (const d of await store.listDocs()) {
    const mine = stored.filter((s) => s.provenance.docId === d.id).length;
    if (d.status === 'done') expect(mine, `${d.id} is done`).toBe(d.produced);
    else if (mine > 0) expect(d.status, `${d.id} has ${mine} stored`).toBe('reading');
  }
}

describe('segment writer', () => {
  it('writes whole chunks across small files, each document consistent with its segments after every write', async () => {
    const store = new Watched(consistent);
    const writer = new SegmentWriter(store, CHUNK);
    let seq = 0;
    for (let f = 0; f < 7; f++) {
      const id = `d${f}`;
      let doc = docOf(id, { firstSeq: seq });
      writer.update(doc);
      for (const n of [20, 15]) {
        doc = { ...doc, produced: doc.produced + n };
        await writer.add(doc, segments(id, seq, n));
        seq += n;
      }
      await writer.add({ ...doc, status: 'done' }, []);
    }
    await writer.flush();
    // 245 segments in chunks of 100: two full chunks, then the rest once at the end.
    expect(store.log.map((w) => [w.seqs[0], w.seqs.length])).toEqual([[0, 100], [100, 100], [200, 45]]);
    // d2 (seq 70–104) spans the first write: stored as being read, then done with its last segment.
    expect(store.log[0]?.docs.find((d) => d.id === 'd2')).toMatchObject({ status: 'reading', produced: 30 });
    expect(store.log[1]?.docs.find((d) => d.id === 'd2')).toMatchObject({ status: 'done', produced: 35 });
    const docs = await store.listDocs();
    expect(docs.map((d) => [d.id, d.status, d.produced])).toEqual(Array.from({ length: 7 }, (_, f) => [`d${f}`, 'done', 35]));
    expect((await store.info('segments')).count).toBe(245);
  });

  it('drops a rolled-back file\'s queued segments and keeps the files before it', async () => {
    const store = new Watched(consistent);
    const writer = new SegmentWriter(store, CHUNK);
    await writer.add(docOf('a', { firstSeq: 0, produced: 30, status: 'done' }), segments('a', 0, 30));
    await writer.add(docOf('b', { firstSeq: 30, produced: 40 }), segments('b', 30, 40));
    expect(writer.stored('b')).toBe(0);
    writer.drop('b', 30);
    writer.update(docOf('b', { status: 'queued' }));
    // The next file's seqs go on after the gap; its chunk is written once it reaches the boundary.
    await writer.add(docOf('c', { firstSeq: 70, produced: 30, status: 'done' }), segments('c', 70, 30));
    await writer.flush();
    expect(store.log.map((w) => w.seqs.length)).toEqual([60]);
    expect((await store.listDocs()).map((d) => [d.id, d.status])).toEqual([['a', 'done'], ['b', 'queued'], ['c', 'done']]);
  });
});
