/** Projects for the corpus tests in this page's IndexedDB: made on demand, all deleted after the file's tests. */
import { afterAll } from 'vitest';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { newProject } from '../../../src/core/records.ts';

export const catalog = new IdbCatalog();

/** Returns a function that makes a fresh project and gives its id. */
export function testProjects(name: string): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    for (const id of made) await catalog.deleteProject(id);
  });
  return async () => {
    const p = newProject(name);
    await catalog.putProject(p);
    made.push(p.id);
    return p.id;
  };
}
