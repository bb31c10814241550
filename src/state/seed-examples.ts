/**
 * The k reversed seed pairs prompted mode shows the model, picked for diversity from the
 * project's imported seeds (core/seed/exemplars.ts: same seed, same examples). The stages read
 * them through an ExampleSource, so the seed step can offer its own pinned choice instead.
 */
import type { SeedPair } from '../core/records.ts';
import { exemplarsByIds, pickExemplars } from '../core/seed/exemplars.ts';
import type { Example } from '../core/stages/stage.ts';
import type { ProjectStore } from '../ports/store.ts';
import type { ProjectState } from './project.svelte.ts';
import type { ExampleSource } from './stages.svelte.ts';

export async function pickSeedExamples(store: ProjectStore, k: number, seed: number): Promise<Example[]> {
  const pairs: SeedPair[] = [];
  await store.scan<SeedPair>('seeds', (chunk) => {
    pairs.push(...chunk);
  });
  const ids = pickExemplars(pairs, { k, seed });
  return exemplarsByIds(pairs, ids).map((p) => ({ instruction: p.instruction, response: p.response }));
}

export function seedExampleSource(ps: ProjectState): ExampleSource {
  return async (k, seed) => {
    const store = await ps.open();
    return store ? pickSeedExamples(store, k, seed) : [];
  };
}
