/**
 * A real open project for the engine UI tests: IndexedDB catalog, ProjectState, notices, and an
 * EngineState whose API keys go to a test-only secrets database (so nothing touches the app's).
 */
import { clear, createStore } from 'idb-keyval';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { idbSecretPersistence, TrainerSecrets } from '../../../src/adapters/trainer/secrets.ts';
import { newProject } from '../../../src/core/records.ts';
import { EngineState, type EngineStateOptions } from '../../../src/state/engines/engines.svelte.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';

export const TINY_GGUF_URL = '/test/fixtures/tiny-llama.gguf';
export const secretsDb = createStore('humpback-secrets-engines-test', 'keys');
export const catalog = new IdbCatalog(createStore('humpback-catalog-engines-test', 'projects'));

export async function tinyGgufFile(name = 'tiny-llama.gguf'): Promise<File> {
  return new File([await (await fetch(TINY_GGUF_URL)).blob()], name);
}

export interface OpenProject {
  ps: ProjectState;
  engines: EngineState;
  secrets: TrainerSecrets;
}

const made: EngineState[] = [];

export async function openProject(options: EngineStateOptions = {}, existing?: ProjectState): Promise<OpenProject> {
  let ps = existing;
  if (!ps) {
    const project = newProject('engines');
    await catalog.putProject(project);
    ps = new ProjectState(project, catalog, new Notices());
  }
  const secrets = new TrainerSecrets(idbSecretPersistence(secretsDb));
  const engines = new EngineState(ps, { secrets, wllamaContextSize: 512, ...options });
  made.push(engines);
  return { ps, engines, secrets };
}

export async function cleanUp(): Promise<void> {
  await Promise.all(made.splice(0).map((e) => e.dispose()));
  for (const p of await catalog.listProjects()) await catalog.deleteProject(p.id);
  await clear(secretsDb);
}
