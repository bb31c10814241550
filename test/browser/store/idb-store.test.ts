/**
 * The IndexedDB store on real IndexedDB in real Chromium: durability across close/reopen,
 * paging, atomic batches, resuming a half-written ingest, and the quota-exceeded path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IdbCatalog, IdbProjectStore, PROJECT_DB_PREFIX } from '../../../src/adapters/idb-store.ts';
import { SCHEMA_VERSION, newProject, newRun, type Segment } from '../../../src/core/records.ts';
import type { ProjectStore } from '../../../src/ports/store.ts';

function segment(seq: number, text = `Passage number ${seq}.`): Segment {
  return {
    schemaVersion: SCHEMA_VERSION,
    seq,
    id: `s${seq}`,
    text,
    chars: text.length,
    hash: `h${seq}`,
    provenance: { docId: 'd1', path: 'book.html', headers: ['Chapter', `Section ${seq}`], offset: seq * 100 },
  };
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const opened: ProjectStore[] = [];
const catalog = new IdbCatalog();
async function freshProject(name: string) {
  const p = newProject(name);
  await catalog.putProject(p);
  const store = await catalog.openProject(p.id);
  opened.push(store);
  return { p, store };
}

afterEach(async () => {
  for (const p of await catalog.listProjects()) await catalog.deleteProject(p.id);
  opened.length = 0;
});

describe('IdbProjectStore', () => {
  it('writes, closes, reopens and pages through 25,000 segments', async () => {
    const { p, store } = await freshProject('durable');
    for (let from = 0; from < 25_000; from += 5_000) await store.put('segments', range(from, from + 5_000).map((s) => segment(s)));
    await store.close();

    const again = new IdbProjectStore(p.id);
    expect(await again.info('segments')).toEqual({ collection: 'segments', count: 25_000, maxSeq: 24_999 });
    const page = await again.page<Segment>('segments', 12_345, 50);
    expect(page.map((s) => s.seq)).toEqual(range(12_345, 12_395));
    expect(page[0]?.provenance.headers).toEqual(['Chapter', 'Section 12345']);
    const across = await again.page<Segment>('segments', 999, 3);
    expect(across.map((s) => s.seq)).toEqual([999, 1000, 1001]);
    const some = await again.get<Segment>('segments', [24_999, 0, 30_000, 7_001]);
    expect(some.map((s) => s?.text)).toEqual(['Passage number 24999.', 'Passage number 0.', undefined, 'Passage number 7001.']);
    let seen = 0;
    let last = -1;
    await again.scan<Segment>('segments', (recs) => {
      for (const r of recs) {
        expect(r.seq).toBe(last + 1);
        last = r.seq;
      }
      seen += recs.length;
    });
    expect(seen).toBe(25_000);
    await again.close();
  });

  it('upserts sparse records without double counting', async () => {
    const { store } = await freshProject('sparse');
    await store.put('ratings:r1', [{ seq: 5 }, { seq: 1500 }, { seq: 7 }]);
    await store.put('ratings:r1', [{ seq: 7, v: 2 }, { seq: 3000 }]);
    expect(await store.info('ratings:r1')).toEqual({ collection: 'ratings:r1', count: 4, maxSeq: 3000 });
    expect(await store.page('ratings:r1', 6, 10)).toEqual([{ seq: 7, v: 2 }, { seq: 1500 }, { seq: 3000 }]);
    expect((await store.collections()).map((c) => c.collection)).toEqual(['ratings:r1']);
  });

  it('rolls back a batch that fails part-way, with its run record', async () => {
    const { store } = await freshProject('atomic');
    const run = newRun('ingest', 1, {});
    await store.put('segments', range(0, 10).map((s) => segment(s)), { runs: [{ ...run, progress: { ...run.progress, done: 10 } }] });
    // A function cannot be structured-cloned: the put throws inside the transaction.
    const poisoned = [...range(10, 20).map((s) => segment(s)), { ...segment(20), bad: () => 1 }];
    await expect(store.put('segments', poisoned, { runs: [{ ...run, progress: { ...run.progress, done: 21 } }] })).rejects.toThrow();
    expect(await store.info('segments')).toMatchObject({ count: 10, maxSeq: 9 });
    expect((await store.getRun(run.id))?.progress.done).toBe(10);
  });

  it('resumes a half-written file: drop its partial segments and write it again without duplicates', async () => {
    const { p, store } = await freshProject('resume');
    const doc = { schemaVersion: SCHEMA_VERSION, id: 'd1', path: 'a.txt', format: 'txt' as const, gzip: false, bytes: 1, status: 'reading' as const, produced: 0, issues: {}, addedAt: 1, firstSeq: 0 };
    await store.put('segments', range(0, 1500).map((s) => segment(s)), { docs: [{ ...doc, produced: 1500 }] });
    await store.put('segments', range(1500, 2300).map((s) => segment(s)), { docs: [{ ...doc, produced: 2300 }] });
    await store.close(); // the tab closes mid-file

    const reopened = new IdbProjectStore(p.id);
    const [unfinished] = await reopened.listDocs();
    expect(unfinished?.status).toBe('reading');
    expect(unfinished?.produced).toBe(2300);
    await reopened.deleteRange('segments', unfinished?.firstSeq ?? 0, Infinity, { docs: [{ ...doc, produced: 0 }] });
    expect(await reopened.info('segments')).toEqual({ collection: 'segments', count: 0, maxSeq: -1 });
    for (let from = 0; from < 3000; from += 1000) {
      await reopened.put('segments', range(from, from + 1000).map((s) => segment(s)), { docs: [{ ...doc, produced: from + 1000, status: from + 1000 === 3000 ? 'done' : 'reading' }] });
    }
    expect(await reopened.info('segments')).toEqual({ collection: 'segments', count: 3000, maxSeq: 2999 });
    expect((await reopened.listDocs())[0]).toMatchObject({ status: 'done', produced: 3000 });
    const seqs = new Set<number>();
    await reopened.scan<Segment>('segments', (recs) => void recs.forEach((r) => seqs.add(r.seq)));
    expect(seqs.size).toBe(3000);
    await reopened.close();
  });

  it('deletes a range inside one chunk and recomputes the highest seq', async () => {
    const { store } = await freshProject('ranges');
    await store.put('segments', range(0, 2500).map((s) => segment(s)));
    await store.deleteRange('segments', 2400, 2500);
    expect(await store.info('segments')).toMatchObject({ count: 2400, maxSeq: 2399 });
    await store.deleteRange('segments', 10, 20);
    expect(await store.info('segments')).toMatchObject({ count: 2390, maxSeq: 2399 });
    expect((await store.page<Segment>('segments', 8, 4)).map((s) => s.seq)).toEqual([8, 9, 20, 21]);
    await store.deleteCollection('segments');
    expect(await store.info('segments')).toMatchObject({ count: 0, maxSeq: -1 });
    expect(await store.page('segments', 0, 10)).toEqual([]);
  });
});

describe('IdbCatalog', () => {
  it('keeps projects side by side and deletes one with all its data', async () => {
    const a = await freshProject('Alpha');
    const b = await freshProject('Beta');
    await a.store.put('segments', range(0, 10).map((s) => segment(s)));
    await b.store.put('segments', range(0, 3).map((s) => segment(s)));
    expect((await catalog.listProjects()).map((p) => p.name).sort()).toEqual(['Alpha', 'Beta']);
    await catalog.deleteProject(a.p.id);
    expect((await catalog.listProjects()).map((p) => p.name)).toEqual(['Beta']);
    const dbs = (await indexedDB.databases()).map((d) => d.name);
    expect(dbs).not.toContain(PROJECT_DB_PREFIX + a.p.id);
    expect(dbs).toContain(PROJECT_DB_PREFIX + b.p.id);
    expect((await (await catalog.openProject(b.p.id)).info('segments')).count).toBe(3);
  });

  it('reports storage use and answers the persistence request', async () => {
    const r = await catalog.report();
    expect(typeof r.usage).toBe('number');
    expect(r.quota).toBeGreaterThan(0);
    expect(typeof (await catalog.requestPersistence())).toBe('boolean');
  });
});
