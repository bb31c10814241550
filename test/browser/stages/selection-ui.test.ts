/**
 * The Rate step's run list and selection panel, mounted in real Chromium over real IndexedDB
 * after two real rating rounds through the endpoint engine: round 0 reasoned (every score read),
 * round 1 fast without a grammar (the server's prose cut at 4 tokens: every reply kept as
 * unparsed with its code). The outcome counts, the funnel and the rounds matrix show exactly that.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { OpenAiEndpoint } from '../../../src/adapters/openai/client.ts';
import type { Rating, Run } from '../../../src/core/records.ts';
import { StagesState } from '../../../src/state/stages/stages.svelte.ts';
import RunPanel from '../../../src/ui/stages/RunPanel.svelte';
import SelectionPanel from '../../../src/ui/stages/SelectionPanel.svelte';
import { all, cleanup, makeProject } from './helpers.ts';

afterAll(cleanup);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  flushSync();
}

describe('rate step panels', () => {
  it('show outcome codes, the funnel and how scores moved between rounds', async () => {
    const t = await makeProject(6);
    const llm = new OpenAiEndpoint({ baseUrl: inject('chatServerUrl') });
    await llm.load('test-model');
    const stages = t.ps.part('stages', (p) => new StagesState(p, { engine: async () => ({ llm, model: { engine: 'openai', model: 'test-model' } }), exemplars: async () => [] }));
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    const aug = (await stages.startAugment()) as Run;
    const round0 = (await stages.startCurate()) as Run;
    stages.curateForm.values = { mode: 'fast', round: 1 };
    const round1 = (await stages.startCurate()) as Run;
    expect(round1.progress.outcomes).toEqual({ 'unparsed:no-score': 6 });
    const scores = (await all<Rating>(t.store, `ratings:${round0.id}`)).map((r) => r.score ?? 0);

    const target = document.body.appendChild(document.createElement('div'));
    const runs = mount(RunPanel, { target, props: { stages, stage: 'curate' } });
    const selection = mount(SelectionPanel, { target, props: { ps: t.ps, stages } });
    try {
      flushSync();
      const row = target.querySelector(`[data-testid="run-${round1.id}"]`);
      expect(row?.querySelector('[data-testid="run-status"]')?.textContent).toBe('done');
      expect(row?.querySelector(`[data-testid="run-outcomes-${round1.id}-unparsed:no-score"]`)?.textContent?.trim()).toBe(
        '6 unparsed:no-score — no "Score: N" line in the reply (kept with its text)',
      );
      expect([...target.querySelectorAll('[data-testid^="run-r_"] td:nth-child(4)')].map((td) => td.textContent)).toEqual(['M1', 'M0']);

      await until(() => target.querySelector('[data-testid="rounds"]') !== null);
      const funnel = [...target.querySelectorAll('[data-testid="funnel"] li')].map((li) => li.textContent?.trim());
      expect(funnel).toEqual(['6 Segments', '6 Instructions written', '6 Usable instructions', '6 Rated', '0 Score read', '0 Kept']);
      // Looking saves nothing: until the user chooses, the latest round decides, and the panel says so.
      expect(t.ps.setting('selection', null)).toBeNull();
      expect(target.querySelector('[data-testid="curation-label"]')?.textContent).toContain(
        'latest rated generation run, latest round (M1), A4 (score ≥ 4), seed pairs included — the default, until you choose',
      );
      const decidingRun = target.querySelector<HTMLSelectElement>('[data-testid="deciding-run"]') as HTMLSelectElement;
      expect(decidingRun.value).toBe(round1.id);

      // Rows are round 0's scores, columns round 1's: every pair moved to "unparsed" (the last column).
      const cells = [...target.querySelectorAll('[data-testid="rounds"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent)));
      const expected = [1, 2, 3, 4, 5, 0].map((a) => [0, 0, 0, 0, 0, a === 0 ? 0 : scores.filter((s) => s === a).length]);
      expect(cells).toEqual(expected);
      expect(target.querySelector('[data-testid="rounds-mean"]')?.textContent).toBe('—');
      expect(target.querySelector('[data-testid="rounds"] p')?.textContent).toContain('6 pairs rated in both rounds: 0 up, 0 the same, 0 down.');

      // Choosing round 0 pins it for every step; the funnel counts its scores.
      decidingRun.value = round0.id;
      decidingRun.dispatchEvent(new Event('change', { bubbles: true }));
      await until(() => t.ps.setting('selection', null) !== null);
      expect(t.ps.setting('selection', null)).toEqual({ augmentRunId: aug.id, curateRunId: round0.id, rule: { by: 'score', threshold: 4 }, includeSeeds: true });
      const kept0 = scores.filter((x) => x >= 4).length;
      await until(() => target.querySelector('[data-testid="funnel-kept"]')?.textContent?.trim() === `${kept0} Kept`);
      expect([...target.querySelectorAll('[data-testid="funnel"] li')].map((li) => li.textContent?.trim())).toEqual([
        '6 Segments', '6 Instructions written', '6 Usable instructions', '6 Rated', '6 Score read', `${kept0} Kept`,
      ]);
      expect(target.querySelector('[data-testid="curation-label"]')?.textContent).toContain('round (M0), A4 (score ≥ 4)');
      // The comparison follows: round 0 is now compared with round 1, never with itself (the same matrix as before).
      await until(() => [...target.querySelectorAll('[data-testid="rounds"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))).flat().join() === expected.flat().join());
      expect(target.querySelector('[data-testid="rounds"] p')?.textContent).toContain('6 pairs rated in both rounds: 0 up, 0 the same, 0 down.');
    } finally {
      unmount(selection);
      unmount(runs);
      target.remove();
    }
  });
});
