/**
 * Few-shot examples from the seed step, saved in project settings and read back by
 * `loadExemplars` (what the augment stage calls): the seeded pick, pin, swap, shuffle, unpin, and
 * the choice surviving a reload and the deletion of a chosen pair's file.
 */
import { afterEach, expect, test } from 'vitest';
import type { PickedFile } from '../../../src/adapters/file-drop.ts';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { newProject } from '../../../src/core/records.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';
import { EXEMPLARS_SETTING, type ExemplarSetting } from '../../../src/state/seed/seed-exemplars.svelte.ts';
import { SeedState, loadExemplars } from '../../../src/state/seed/seeds.svelte.ts';

const made: string[] = [];
const catalog = new IdbCatalog();

afterEach(async () => {
  for (const id of made.splice(0)) await catalog.deleteProject(id);
});

async function fixture(name: string, as = name): Promise<PickedFile> {
  const res = await fetch(`/test/fixtures/seed/${name}`);
  return { file: new File([await res.blob()], as), path: as };
}

test('picks k seeded examples, pins, swaps, shuffles and unpins, saved where the augment stage reads them', async () => {
  const project = newProject('Exemplars');
  await catalog.putProject(project);
  made.push(project.id);
  const ps = new ProjectState(project, catalog, new Notices());
  const seeds = ps.part('seeds', (p) => new SeedState(p));
  await seeds.load();
  await seeds.importFiles([await fixture('alpaca-long.jsonl')]);

  // Row numbers stand for the pairs: 1 egg, 2 sky, 3 sleep, 4 weather, 5 thank-you, 6 bicycle, 7 dinner.
  const row = (id: string) => seeds.pairs.find((p) => p.id === id)?.source.row;
  const idOf = (r: number) => seeds.pairs.find((p) => p.source.row === r)?.id ?? '';
  const saved = () => ps.project.settings[EXEMPLARS_SETTING] as ExemplarSetting;
  const savedRows = () => saved().chosen.map(row);
  const instructions = async (state: ProjectState) => (await loadExemplars(state)).map((e) => e.instruction);

  expect(seeds.exemplars.eligible).toBe(7);
  expect(savedRows()).toEqual([4, 5, 1, 6]);
  expect(saved()).toMatchObject({ k: 4, seed: 42, pinned: [], excluded: [] });
  expect(await instructions(ps)).toEqual([
    'What is the difference between weather and climate?',
    'Write a short thank-you note to a neighbour who watered my plants.',
    'How do I boil an egg?',
    'How does a bicycle stay upright when it moves?',
  ]);
  expect((await loadExemplars(ps))[2]?.response).toBe('Place the egg in boiling water for about nine minutes, then cool it in cold water.');

  await seeds.exemplars.pin(idOf(5));
  await seeds.exemplars.swap(idOf(1));
  expect(savedRows()).toEqual([4, 5, 7, 6]);
  expect(saved().pinned.map(row)).toEqual([5]);
  expect(saved().excluded.map(row)).toEqual([1]);

  // Swapping a pinned example unpins it; the one swapped away is not offered again.
  await seeds.exemplars.swap(idOf(5));
  expect(savedRows()).toEqual([4, 3, 7, 6]);
  expect(saved().excluded.map(row)).toEqual([1, 5]);
  expect(saved().pinned).toEqual([]);

  await seeds.exemplars.pin(idOf(6));
  await seeds.exemplars.shuffle();
  expect(saved().seed).toBe(43);
  expect(savedRows()).toEqual([6, 2, 3, 1]);
  expect(saved().excluded).toEqual([]);

  // A pair from the list pinned while all k are shown takes the last unpinned place.
  await seeds.exemplars.pin(idOf(7));
  expect(savedRows()).toEqual([6, 2, 3, 7]);

  await seeds.exemplars.setK(2);
  expect(savedRows()).toEqual([6, 7]);
  await seeds.exemplars.unpin(idOf(6));
  expect(saved().pinned.map(row)).toEqual([7]);

  // After a reload the same examples come back; deleting the file leaves none and says so.
  await ps.store?.close();
  const again = new ProjectState((await catalog.getProject(project.id)) ?? project, new IdbCatalog(), new Notices());
  const seeds2 = again.part('seeds', (p) => new SeedState(p));
  await seeds2.load();
  expect(seeds2.exemplars.chosen.map((p) => p.source.row)).toEqual([6, 7]);
  expect(await instructions(again)).toEqual(['How does a bicycle stay upright when it moves?', 'Suggest a simple dinner I can cook with rice, beans and tomatoes.']);
  await seeds2.removeFile(seeds2.files[0]?.doc.id ?? '');
  expect(await loadExemplars(again)).toEqual([]);
  expect((again.project.settings[EXEMPLARS_SETTING] as ExemplarSetting).chosen).toEqual([]);
});
