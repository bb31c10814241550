/**
 * The ProjectStore contract, run against every adapter: the memory store in node, the
 * IndexedDB store in real Chromium. Same expectations, so the memory store can stand in for
 * IndexedDB in node tests of core logic without being a mock.
 */
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, newRun } from '../../src/core/records.ts';
import type { ProjectStore } from '../../src/ports/store.ts';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

export function storeContract(name: string, open: () => Promise<ProjectStore>): void {
  describe(`ProjectStore contract: ${name}`, () => {
    it('upserts by seq and counts distinct records', async () => {
      const s = await open();
      await s.put('segments', range(0, 2500).map((seq) => ({ seq, v: 1 })));
      await s.put('segments', [{ seq: 5, v: 2 }, { seq: 2500, v: 1 }]);
      expect(await s.info('segments')).toEqual({ collection: 'segments', count: 2501, maxSeq: 2500 });
      expect(await s.get('segments', [5, 6, 9999])).toEqual([{ seq: 5, v: 2 }, { seq: 6, v: 1 }, undefined]);
      expect((await s.page('segments', 2498, 10)).map((r) => r.seq)).toEqual([2498, 2499, 2500]);
    });

    it('pages sparse collections in seq order', async () => {
      const s = await open();
      await s.put('candidates:r1', [{ seq: 4000 }, { seq: 3 }, { seq: 1999 }]);
      expect(await s.page('candidates:r1', 0, 2)).toEqual([{ seq: 3 }, { seq: 1999 }]);
      expect(await s.page('candidates:r1', 4, 5)).toEqual([{ seq: 1999 }, { seq: 4000 }]);
      const seen: number[] = [];
      await s.scan<{ seq: number }>('candidates:r1', (recs) => void seen.push(...recs.map((r) => r.seq)));
      expect(seen).toEqual([3, 1999, 4000]);
    });

    it('stops a scan when the callback returns false', async () => {
      const s = await open();
      await s.put('segments', range(0, 5000).map((seq) => ({ seq })));
      let calls = 0;
      await s.scan('segments', () => {
        calls++;
        return false;
      });
      expect(calls).toBe(1);
    });

    it('writes extras with the batch and deletes ranges', async () => {
      const s = await open();
      const run = newRun('augment', 2, { temperature: 0.7 });
      const doc = { schemaVersion: SCHEMA_VERSION, id: 'd1', path: 'x.md', format: 'md' as const, gzip: false, bytes: 10, status: 'done' as const, produced: 3, issues: { empty: 1 }, addedAt: 5 };
      await s.put('segments', [{ seq: 0 }, { seq: 1 }, { seq: 2 }], { runs: [run], docs: [doc], meta: { cursor: 3 } });
      expect(await s.getRun(run.id)).toEqual(run);
      expect(await s.listDocs()).toEqual([doc]);
      expect(await s.getMeta('cursor')).toBe(3);
      await s.deleteRange('segments', 1, 2);
      expect(await s.info('segments')).toEqual({ collection: 'segments', count: 2, maxSeq: 2 });
      await s.deleteRange('segments', 2, Infinity);
      expect(await s.info('segments')).toEqual({ collection: 'segments', count: 1, maxSeq: 0 });
      await s.deleteDoc('d1');
      expect(await s.listDocs()).toEqual([]);
      expect((await s.listRuns()).map((r) => r.id)).toEqual([run.id]);
    });

    it('returns copies: mutating what was read or written does not change what is stored', async () => {
      const s = await open();
      const rec = { seq: 1, tags: ['a'] };
      await s.put('seeds', [rec]);
      rec.tags.push('b');
      const [read] = await s.get<{ seq: number; tags: string[] }>('seeds', [1]);
      read?.tags.push('c');
      expect(await s.get('seeds', [1])).toEqual([{ seq: 1, tags: ['a'] }]);
    });

    it('rejects records without a valid seq and writes nothing', async () => {
      const s = await open();
      await expect(s.put('segments', [{ seq: 0 }, { seq: -3 }])).rejects.toThrow(RangeError);
      expect((await s.info('segments')).count).toBe(0);
    });
  });
}
