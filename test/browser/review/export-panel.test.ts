/**
 * The export step in real Chromium over real IndexedDB: the panel's options reach the file, a
 * person's decisions and edits from review are in it, a seeds-only project exports its seeds,
 * cancel leaves no file, and the dataset card counts what the options would write. Files are
 * caught at the save seam: a real download target whose finished Blob is handed to the test.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterAll, describe, expect, it } from 'vitest';
import { downloadTarget, type SaveTarget } from '../../../src/adapters/export/save-target.ts';
import { SOURCE_TAGS } from '../../../src/core/export/writers.ts';
import type { Candidate, Rating } from '../../../src/core/records.ts';
import { ExportState } from '../../../src/state/export/export.svelte.ts';
import ExportPanel from '../../../src/ui/export/ExportPanel.svelte';
import { closeAll, generatedProject, instructionOf, score1, textOf, until } from './fixture.ts';

afterAll(closeAll);

/** A save seam that keeps every finished file. */
function files(): { open: (name: string, type: string) => Promise<SaveTarget>; saved: { name: string; type: string; text: () => Promise<string> }[] } {
  const saved: { name: string; type: string; text: () => Promise<string> }[] = [];
  return {
    saved,
    open: async (name, type) => downloadTarget(name, type, (blob, n) => saved.push({ name: n, type: blob.type, text: () => blob.text() })),
  };
}
const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
const msg = (instruction: string, response: string, tag?: string) => ({
  messages: [...(tag ? [{ role: 'system', content: tag }] : []), { role: 'user', content: instruction }, { role: 'assistant', content: response }],
});

describe('export step', () => {
  it('exports the seed pairs alone when nothing was generated, and says so when they are left out', async () => {
    const g = await generatedProject(0, { seeds: 3 });
    const f = files();
    const exp = new ExportState(g.ps, f.open);
    exp.sourceTags = true;
    await exp.run();
    expect(f.saved.map((s) => s.name)).toEqual(['review-test-messages.jsonl']);
    expect(lines(await (f.saved[0] as { text: () => Promise<string> }).text())).toEqual(
      [0, 1, 2].map((i) => msg(`Seed question ${i}?`, `Seed answer ${i} 🐋.`, SOURCE_TAGS.seed)),
    );
    expect(exp.last?.report.lines).toBe(3);

    exp.includeSeeds = false;
    await exp.run();
    expect(f.saved.length).toBe(1);
    expect(g.notices.items.map((n) => [n.kind, n.title])).toEqual([['info', 'Nothing to export']]);
  });

  it('writes the kept pairs with the person\'s decisions and edits, at the chosen threshold', async () => {
    const g = await generatedProject(2000, { seeds: 2, saveSelection: true });
    const store = g.ps.store;
    if (!store) throw new Error('no store');
    // As review saves them: seq 1 (kept) rejected, seq 0 (rejected) accepted, seq 6 edited.
    const [r0, r1] = await store.get<Rating>(`ratings:${g.round1.id}`, [0, 1]);
    await store.put(`ratings:${g.round1.id}`, [{ ...(r0 as Rating), decision: 'accept' }, { ...(r1 as Rating), decision: 'reject' }]);
    const [c6] = await store.get<Candidate>(`candidates:${g.augment.id}`, [6]);
    await store.put(`candidates:${g.augment.id}`, [{ ...(c6 as Candidate), instruction: 'Edited by a person?', edited: true }]);

    const f = files();
    const exp = new ExportState(g.ps, f.open);
    expect([exp.minScore, exp.useExpected]).toEqual([4, false]); // from the saved selection
    await exp.run();
    const kept = [0, ...Array.from({ length: 1950 }, (_, i) => i).filter((i) => i !== 1 && i !== 0 && i % 50 !== 3 && score1(i) >= 4)];
    const want = [
      msg('Seed question 0?', 'Seed answer 0 🐋.'),
      msg('Seed question 1?', 'Seed answer 1 🐋.'),
      ...kept.map((i) => msg(i === 6 ? 'Edited by a person?' : instructionOf(i), textOf(i))),
    ];
    expect(lines(await (f.saved[0] as { text: () => Promise<string> }).text())).toEqual(want);
    expect(exp.last?.report.tally.humanDecisions).toBe(2);
    expect(exp.last?.report.tally.edited).toBe(1);

    // Threshold 5 by integer score; reversed pairs, no seeds.
    exp.minScore = 5;
    exp.format = 'reversed';
    exp.includeSeeds = false;
    await exp.run();
    const five = [0, ...Array.from({ length: 1950 }, (_, i) => i).filter((i) => i !== 0 && i % 50 !== 3 && score1(i) === 5)];
    expect(f.saved[1]?.name).toBe('review-test-reversed.jsonl');
    expect(lines(await (f.saved[1] as { text: () => Promise<string> }).text())).toEqual(five.map((i) => ({ input: textOf(i), target: instructionOf(i) })));

    // The card, for the options now set (counted, not written) — then for the export just made.
    await exp.saveCard();
    const card = await (f.saved[2] as { text: () => Promise<string> }).text();
    expect(f.saved[2]?.name).toBe('README.md');
    expect(card).toContain(`\n| rows | ${five.length} (0 seed, ${five.length} generated) |\n`);
    expect(card).toContain('A generated pair is kept when its score in round 1 is at least 5.');
    expect(f.saved.length).toBe(3);
    expect(g.notices.items).toEqual([]);
  });

  it('leaves no file when cancelled, and tells the user', async () => {
    const g = await generatedProject(3000, { saveSelection: true });
    let writes = 0;
    let closed = false;
    let aborted = false;
    const exp = new ExportState(g.ps, async (name) => ({
      kind: 'download',
      name,
      // A real stream whose first write is where the user presses Cancel.
      stream: new WritableStream<Uint8Array>({ write: () => void (writes++, exp.cancel()), close: () => void (closed = true), abort: () => void (aborted = true) }),
    }));
    await exp.run();
    expect([writes, closed, aborted]).toEqual([1, false, true]);
    expect(exp.last).toBeNull();
    expect(exp.running).toBeNull();
    expect(g.notices.items.map((n) => [n.kind, n.title])).toEqual([['info', 'Export cancelled']]);
  });

  it('runs from the panel: options, progress, summary', async () => {
    const g = await generatedProject(1500, { saveSelection: true });
    const f = files();
    g.ps.part('export', (p) => new ExportState(p, f.open));
    const target = document.createElement('div');
    document.body.append(target);
    const app = mount(ExportPanel, { target, props: { ps: g.ps } });
    flushSync();
    const format = target.querySelector<HTMLSelectElement>('[data-testid="export-format"]') as HTMLSelectElement;
    format.value = 'alpaca';
    format.dispatchEvent(new Event('change', { bubbles: true }));
    (target.querySelector('[data-testid="export-tags"]') as HTMLInputElement).click();
    (target.querySelector('[data-testid="export-seeds"]') as HTMLInputElement).click();
    flushSync();
    const button = target.querySelector<HTMLButtonElement>('[data-testid="export-run"]') as HTMLButtonElement;
    expect(button.textContent?.trim()).toBe('Export review-test-alpaca.jsonl');
    button.click();
    await until(() => {
      flushSync();
      return target.querySelector('[data-testid="export-summary"]') !== null;
    }, 'the summary');
    const kept = Array.from({ length: 1463 }, (_, i) => i).filter((i) => i % 50 !== 3 && score1(i) >= 4);
    expect(target.querySelector('[data-testid="export-lines"]')?.textContent).toBe(kept.length.toLocaleString('en-US'));
    expect(lines(await (f.saved[0] as { text: () => Promise<string> }).text())).toEqual(
      kept.map((i) => ({ instruction: instructionOf(i), input: '', output: textOf(i), system: SOURCE_TAGS.generated })),
    );
    await unmount(app);
    target.remove();
  });
});
