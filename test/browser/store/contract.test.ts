import { afterAll } from 'vitest';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { newProject } from '../../../src/core/records.ts';
import { storeContract } from '../../support/store-contract.ts';

const catalog = new IdbCatalog();
const ids: string[] = [];
storeContract('IndexedDB', async () => {
  const p = newProject('contract');
  ids.push(p.id);
  await catalog.putProject(p);
  return catalog.openProject(p.id);
});
afterAll(async () => {
  for (const id of ids) await catalog.deleteProject(id);
});
