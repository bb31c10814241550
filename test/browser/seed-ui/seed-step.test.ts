/**
 * The seed step mounted in real Chromium on a real IndexedDB project: files given to the drop
 * zone's file input, then what the user reads — counts per step, per-file skipped reasons with
 * lines, stats — and what the controls do (format override, remove).
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, expect, test, vi } from 'vitest';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { newProject } from '../../../src/core/records.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';
import SeedStep from '../../../src/ui/steps/SeedStep.svelte';

const catalog = new IdbCatalog();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function fixtureFile(name: string): Promise<File> {
  return new File([await (await fetch(`/test/fixtures/seed/${name}`)).blob()], name);
}

function q(root: ParentNode, testid: string): HTMLElement {
  const el = root.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no element with data-testid ${testid}`);
  return el;
}

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const cells = (row: Element | null | undefined) => [...(row?.querySelectorAll('td') ?? [])].map(text);
const card = (root: ParentNode, path: string) => root.querySelector(`[data-testid="seed-file"][data-path="${path}"]`);

test('drop two files, read the counts and skipped reasons, change a format, remove a file', async () => {
  const project = newProject('Seed UI');
  await catalog.putProject(project);
  const ps = new ProjectState(project, catalog, new Notices());
  await ps.open();
  const target = document.body.appendChild(document.createElement('div'));
  const app = mount(SeedStep, { target, props: { ps } });
  cleanup.push(async () => {
    await unmount(app);
    target.remove();
    await catalog.deleteProject(project.id);
  });

  await vi.waitFor(() => expect(ps.part<{ loaded: boolean }>('seeds', () => ({ loaded: false })).loaded).toBe(true));
  const input = q(target, 'seed-dropzone-files') as HTMLInputElement;
  const dt = new DataTransfer();
  dt.items.add(await fixtureFile('alpaca-long.jsonl'));
  dt.items.add(await fixtureFile('oasst-flat.jsonl'));
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));

  await vi.waitFor(() => expect(text(q(target, 'seed-total-across-files').querySelector('[data-testid="count"]'))).toBe('8 → 7'), { timeout: 10_000 });
  const count = (id: string) => text(q(target, `seed-total-${id}`).querySelector('[data-testid="count"]'));
  expect(['rows', 'single-turn', 'language', 'top-rank', 'empty', 'duplicate'].map(count)).toEqual(['31 → 13', '13 → 12', '12 → 10', '10 → 8', '8 → 8', '8 → 8']);
  expect(text(q(target, 'seed-total-top-rank').querySelector('[data-testid="removed"]'))).toBe('1 not the top-ranked reply, 1 reply not ranked');
  expect(text(q(target, 'seed-languages'))).toBe('Languages (declared or guessed): English 7');

  const alpaca = card(target, 'alpaca-long.jsonl');
  expect(text(alpaca?.querySelector('[data-testid="seed-file-flow"]'))).toBe('10 rows → 8 exchanges → 7 kept by the filters → 7 added');
  expect(cells(alpaca?.querySelector('[data-testid="seed-skip-missing-field"]'))).toEqual(['A field the format needs is missing', '1', '9']);
  expect(cells(alpaca?.querySelector('[data-testid="seed-skip-malformed-json"]'))).toEqual(['Not valid JSON', '1', '10']);
  const oasst = card(target, 'oasst-flat.jsonl');
  expect(text(oasst?.querySelector('[data-testid="seed-file-flow"]'))).toBe('21 rows → 5 exchanges → 1 kept by the filters → 0 added (1 already in the project)');
  expect(cells(oasst?.querySelector('[data-testid="seed-skip-wrong-order"]'))).toEqual(['Turns are not question then answer', '2', '11, 14']);
  expect([...(oasst?.querySelectorAll('[data-testid^="seed-skip-"]') ?? [])].map((r) => cells(r)[1])).toEqual(['1', '1', '1', '1', '1', '1', '2', '1']);
  expect(text(oasst?.querySelector('[data-testid="seed-format-note"]'))).toBe('detected from 19 of the first 20 rows');
  expect(text(q(target, 'seed-page'))).toBe('Pairs 1–7 of 7');
  expect(target.querySelectorAll('[data-testid="seed-example"]')).toHaveLength(4);

  // Reading the OpenAssistant file as ShareGPT finds nothing in it.
  const select = oasst?.querySelector<HTMLSelectElement>('[data-testid="seed-format"]');
  if (!select) throw new Error('no format select');
  select.value = 'sharegpt';
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await vi.waitFor(() => expect(text(card(target, 'oasst-flat.jsonl')?.querySelector('[data-testid="seed-format-note"]'))).toBe('chosen by you'));
  expect(text(card(target, 'oasst-flat.jsonl')?.querySelector('[data-testid="seed-file-flow"]'))).toBe('21 rows → 0 exchanges → 0 kept by the filters → 0 added');

  // Remove asks first, then takes the file's pairs out.
  const remove = card(target, 'alpaca-long.jsonl')?.querySelector<HTMLButtonElement>('button[aria-label="Remove alpaca-long.jsonl"]');
  remove?.click();
  flushSync();
  const confirm = [...(card(target, 'alpaca-long.jsonl')?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Remove');
  confirm?.click();
  await vi.waitFor(() => expect(card(target, 'alpaca-long.jsonl')).toBeNull());
  expect(count('across-files')).toBe('0 → 0');
  await vi.waitFor(() => expect(ps.count('seeds')).toBe(0));
  expect(ps.notices.items).toEqual([]);
});
