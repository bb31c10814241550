/**
 * The export step in real Chromium over real IndexedDB: the panel's options reach the file, a
 * person's decisions and edits from review are in it, a seeds-only project exports its seeds,
 * cancel leaves no file, and the dataset card counts what the options would write. The rule and
 * "seeds in" are the curated set's: changing them here saves the project's curation choice.
 * Files are caught at the save seam: a real download target whose finished Blob is handed to the test.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterAll, describe, expect, it } from 'vitest';
import { downloadTarget, type SaveTarget } from '../../../src/adapters/export/save-target.ts';
import { SOURCE_TAGS } from '../../../src/core/export/writers.ts';
import { SCHEMA_VERSION, type HumanDecision, type Rating } from '../../../src/core/records.ts';
import { ExportState } from '../../../src/state/export/export.svelte.ts';
import { savedChoice } from '../../../src/state/review/curation.ts';
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

    await exp.setIncludeSeeds(false);
    expect(savedChoice(g.ps)).toEqual({ rule: { by: 'score', threshold: 4 }, includeSeeds: false });
    await exp.run();
    expect(f.saved.length).toBe(1);
    expect(g.notices.items.map((n) => [n.kind, n.title])).toEqual([['info', 'Nothing to export']]);
  });

  it('writes the kept pairs with the person\'s decisions and edits, at the chosen threshold', async () => {
    const g = await generatedProject(2000, { seeds: 2, saveSelection: true });
    const store = g.ps.store;
    if (!store) throw new Error('no store');
    // As review saves them: seq 1 (kept) rejected, seq 0 (rejected) accepted, seq 6 edited and
    // accepted, seq 11 (kept) edited after its rating and not accepted: it waits for a rating.
    const d = (seq: number, extra: Partial<HumanDecision>): HumanDecision => ({ schemaVersion: SCHEMA_VERSION, seq, augmentRunId: g.augment.id, round: 1, ...extra });
    await store.put(`decisions:${g.augment.id}`, [
      d(0, { verdict: 'accept', decidedAt: 5000 }),
      d(1, { verdict: 'reject', decidedAt: 5000 }),
      d(6, { verdict: 'accept', decidedAt: 5000, instruction: 'Edited by a person?', editedAt: 5000 }),
      d(11, { instruction: 'Edited, not rated yet?', editedAt: 5000 }),
    ]);
    // A decision left on a rating by schema 1 decides nothing now (the migration moves them when a project opens).
    const [r2] = await store.get<Rating>(`ratings:${g.round1.id}`, [2]);
    await store.put(`ratings:${g.round1.id}`, [{ ...(r2 as Rating), decision: 'accept' }]);

    const f = files();
    const exp = new ExportState(g.ps, f.open);
    await exp.load();
    expect(exp.set).toMatchObject({ rule: { by: 'score', threshold: 4 }, decidingRunId: g.round1.id, includeSeeds: true }); // the saved choice
    await exp.run();
    expect(score1(11)).toBeGreaterThanOrEqual(4);
    const kept = [0, ...Array.from({ length: 1950 }, (_, i) => i).filter((i) => i !== 1 && i !== 0 && i !== 11 && i % 50 !== 3 && (score1(i) >= 4 || i === 6))];
    const want = [
      msg('Seed question 0?', 'Seed answer 0 🐋.'),
      msg('Seed question 1?', 'Seed answer 1 🐋.'),
      ...kept.map((i) => msg(i === 6 ? 'Edited by a person?' : instructionOf(i), textOf(i))),
    ];
    expect(lines(await (f.saved[0] as { text: () => Promise<string> }).text())).toEqual(want);
    expect(exp.last?.report.tally.humanDecisions).toBe(3);
    expect(exp.last?.report.tally.edited).toBe(2);
    expect(exp.last?.report.tally.byStatus.unrated).toBe(50 + 1);

    // Threshold 5 by integer score; reversed pairs, no seeds — saved as the project's choice.
    await exp.setRule({ by: 'score', threshold: 5 });
    await exp.setIncludeSeeds(false);
    exp.format = 'reversed';
    expect(savedChoice(g.ps)).toEqual({ augmentRunId: g.augment.id, curateRunId: g.round1.id, rule: { by: 'score', threshold: 5 }, includeSeeds: false });
    await exp.run();
    const five = [0, 6, ...Array.from({ length: 1950 }, (_, i) => i).filter((i) => i !== 0 && i !== 1 && i !== 6 && i !== 11 && i % 50 !== 3 && score1(i) === 5)].sort((a, b) => a - b);
    expect(f.saved[1]?.name).toBe('review-test-reversed.jsonl');
    expect(lines(await (f.saved[1] as { text: () => Promise<string> }).text())).toEqual(five.map((i) => ({ input: textOf(i), target: i === 6 ? 'Edited by a person?' : instructionOf(i) })));

    // The card, for the options now set (counted, not written) — then for the export just made.
    await exp.saveCard();
    const card = await (f.saved[2] as { text: () => Promise<string> }).text();
    expect(f.saved[2]?.name).toBe('README.md');
    expect(card).toContain(`\n| rows | ${five.length} (0 seed, ${five.length} generated) |\n`);
    expect(card).toContain('A generated pair is kept when its score in round 1 is at least 5.');
    expect(card).toContain('Curated set: generation run of 1970-01-01 00:00 UTC, round (M1), score ≥ 5, seed pairs left out.');
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
    // The panel shows the curated set (read on mount); the seeds box saves the project's choice.
    await until(() => {
      flushSync();
      return target.querySelector('[data-testid="export-curation"]')?.textContent?.includes('round (M1), A4 (score ≥ 4), seed pairs included') === true;
    }, 'the curated set');
    const seeds = target.querySelector('[data-testid="export-seeds"]') as HTMLInputElement;
    expect(seeds.checked).toBe(true);
    seeds.click();
    await until(() => savedChoice(g.ps)?.includeSeeds === false, 'the saved choice');
    const threshold = target.querySelector<HTMLInputElement>('[data-testid="export-threshold"]') as HTMLInputElement;
    expect(threshold.value).toBe('4');
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
