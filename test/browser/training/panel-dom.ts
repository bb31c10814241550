/**
 * Shared bits of the Train panel's browser tests: projects on real IndexedDB, mounting the
 * panel's view into the page, and small DOM helpers (no testing-library here: plain queries
 * and events, then `flushSync`).
 */
import { flushSync, mount, unmount } from 'svelte';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { SCHEMA_VERSION, type SeedPair } from '../../../src/core/records.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';
import type { TrainingState } from '../../../src/state/training/training.svelte.ts';
import TrainingView from '../../../src/ui/training/TrainingView.svelte';

export const catalog = new IdbCatalog();
/** Run in reverse order by the test file's afterAll. */
export const cleanup: (() => Promise<void> | void)[] = [];

export async function runCleanup(): Promise<void> {
  for (const c of cleanup.reverse()) await c();
  cleanup.length = 0;
}

export const seed = (seq: number, instruction: string, response: string): SeedPair => ({
  schemaVersion: SCHEMA_VERSION, seq, id: `seed${seq}`, instruction, response,
  source: { docId: 'd', path: 'seed.jsonl', format: 'jsonl', row: seq + 1 },
});

export async function openProject(id: string, notices = new Notices()): Promise<ProjectState> {
  const project = await catalog.getProject(id);
  if (!project) throw new Error('project missing');
  const ps = new ProjectState(project, catalog, notices);
  await ps.open();
  cleanup.push(() => ps.store?.close());
  return ps;
}

/** Mounts the panel for a state and returns the container. */
export function show(training: TrainingState): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  const app = mount(TrainingView, { target, props: { training } });
  flushSync();
  cleanup.push(() => {
    training.close();
    void unmount(app);
    target.remove();
  });
  return target;
}

export const byTestId = (root: ParentNode, id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
export function button(root: ParentNode, name: string): HTMLButtonElement {
  const b = [...root.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button "${name}"`);
  return b;
}
export function field(root: ParentNode, label: string): HTMLInputElement | HTMLSelectElement {
  const l = [...root.querySelectorAll('label')].find((x) => x.firstChild?.textContent?.trim() === label);
  const input = l?.querySelector('input, select');
  if (!input) throw new Error(`no field "${label}"`);
  return input as HTMLInputElement | HTMLSelectElement;
}
export function type(el: HTMLInputElement | HTMLSelectElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  flushSync();
}
export function click(el: HTMLElement): void {
  el.click();
  flushSync();
}
export const text = (el: Element | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

