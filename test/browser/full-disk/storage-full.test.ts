/**
 * Runs with Chromium's profile on a 48 MB filesystem (browser-full-disk project): the disk
 * really fills up and IndexedDB really refuses. The store must name the error, keep every
 * batch that committed before it, and work again once space is freed.
 */
import { expect, it } from 'vitest';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { SCHEMA_VERSION, newProject, type Segment } from '../../../src/core/records.ts';

function noise(n: number): string {
  // Chromium compresses IndexedDB values: random text keeps them full size.
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(33 + Math.floor(Math.random() * 90));
  return s;
}

const seg = (seq: number, text: string): Segment => ({
  schemaVersion: SCHEMA_VERSION, seq, id: `s${seq}`, text, chars: text.length, hash: `h${seq}`,
  provenance: { docId: 'd', path: 'big.txt', headers: [], offset: seq },
});

it('raises StorageFullError on a full disk, keeps committed batches, recovers after freeing space', async () => {
  const catalog = new IdbCatalog();
  const project = newProject('fills the disk');
  await catalog.putProject(project);
  const store = await catalog.openProject(project.id);
  const text = noise(10_000);
  let committed = 0;
  let failure: Error | null = null;
  // 1,000 segments of 10 kB per batch ≈ 10 MB; the disk holds 48 MB in all.
  for (let batch = 0; batch < 20 && !failure; batch++) {
    const records = Array.from({ length: 1000 }, (_, i) => seg(batch * 1000 + i, text.slice(i % 50) + i));
    try {
      await store.put('segments', records, { meta: { lastBatch: batch } });
      committed = batch + 1;
    } catch (err) {
      failure = err as Error;
    }
  }
  expect(failure?.name).toBe('StorageFullError');
  expect(failure?.message).toMatch(/Nothing from this batch was saved/);
  expect(committed).toBeGreaterThan(0);
  // Exactly the committed batches are there, with their checkpoint, and readable.
  expect(await store.info('segments')).toEqual({ collection: 'segments', count: committed * 1000, maxSeq: committed * 1000 - 1 });
  expect(await store.getMeta('lastBatch')).toBe(committed - 1);
  const last = (await store.get<Segment>('segments', [committed * 1000 - 1]))[0];
  expect(last?.text.endsWith('999')).toBe(true);

  // Free space by dropping half, then the next batch goes in.
  await store.deleteRange('segments', 0, Math.floor(committed / 2) * 1000);
  await store.put('segments', [seg(committed * 1000, 'after freeing space')]);
  expect((await store.get<Segment>('segments', [committed * 1000]))[0]?.text).toBe('after freeing space');
  await catalog.deleteProject(project.id);
});
