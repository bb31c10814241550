import { expect, it } from 'vitest';
import { MemoryProjectStore } from '../../src/adapters/memory-store.ts';
import { storeContract } from '../support/store-contract.ts';

storeContract('memory', async () => new MemoryProjectStore());

it('aborts a write entirely when beforeWrite throws (a crash between writes)', async () => {
  const s = new MemoryProjectStore();
  await s.put('segments', [{ seq: 0 }]);
  s.beforeWrite = () => {
    throw new Error('tab closed');
  };
  await expect(s.put('segments', [{ seq: 1 }], { meta: { cursor: 2 } })).rejects.toThrow('tab closed');
  s.beforeWrite = undefined;
  expect(await s.info('segments')).toEqual({ collection: 'segments', count: 1, maxSeq: 0 });
  expect(await s.getMeta('cursor')).toBeUndefined();
  expect(s.writes).toBe(1);
});
