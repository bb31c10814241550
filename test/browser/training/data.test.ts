/**
 * What the Train panel trains on, in real Chromium on real IndexedDB: forward data from stored
 * curated pairs under the keep rule the user picks, a dropped file whose broken line is named,
 * and a model registered by hand (trained from the bundle).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TrainerSecrets } from '../../../src/adapters/trainer/secrets.ts';
import { newProject, newRun, SCHEMA_VERSION } from '../../../src/core/records.ts';
import { TrainingState } from '../../../src/state/training/training.svelte.ts';
import { button, byTestId, catalog, cleanup, click, field, openProject, runCleanup, seed, show, text, type } from './panel-dom.ts';

afterAll(runCleanup);

describe('Train panel data', () => {
  it('forward data from the curated pairs follows the keep rule; a bad dropped file says which line; a model registers by hand', async () => {
    const p = newProject('panel-data');
    await catalog.putProject(p);
    cleanup.push(() => catalog.deleteProject(p.id));
    const ps = await openProject(p.id);
    const store = ps.store!;
    await store.put('seeds', [seed(0, 'Say hi.', 'Hi there.')]);
    const augment = { ...newRun('augment', 1, {}, 1000), id: 'r_aug' };
    const curate = { ...newRun('curate', 1, {}, 2000), id: 'r_cur' };
    await store.put('segments', [0, 1].map((i) => ({
      schemaVersion: SCHEMA_VERSION, seq: i, id: `s${i}`, text: `Segment ${i}.`, chars: 11, hash: `h${i}`,
      provenance: { docId: 'd', path: 'a.md', headers: [], offset: 0 },
    })), { runs: [augment, curate] });
    await store.put('candidates:r_aug', [0, 1].map((i) => ({
      schemaVersion: SCHEMA_VERSION, seq: i, segmentId: `s${i}`, runId: 'r_aug', instruction: `Question ${i}?`, raw: '', status: 'ok' as const,
      provenance: { model: { engine: 'scripted' as const, model: 'b' }, promptVersion: 1, stageVersion: 1, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 }, mode: 'fewshot' },
      createdAt: 1,
    })));
    await store.put('ratings:r_cur', [[0, 5, 4.8], [1, 4, 4.1]].map(([seq, score, expected]) => ({
      schemaVersion: SCHEMA_VERSION, seq: seq!, segmentId: `s${seq}`, runId: 'r_cur', round: 0, score: score!, expectedScore: expected!, reason: '', raw: `Score: ${score}`,
      parse: 'parsed' as const, curator: { model: { engine: 'scripted' as const, model: 'f' }, promptVersion: 1, stageVersion: 1, mode: 'text' }, createdAt: 2,
    })));

    const training = new TrainingState(ps, { secrets: new TrainerSecrets(null) });
    const root = show(training);
    await training.open();
    click(root.querySelectorAll<HTMLInputElement>('input[name="training-source"]')[1]!);
    click(button(root, 'Prepare the data'));
    await expect.poll(() => text(byTestId(root, 'training-data-summary')[0])).toMatch(/^3 examples ready \(\d+ B\): 1 seed pairs, 2 curated pairs — trains the forward model\.$/);
    expect(training.draft.config?.purpose).toBe('forward');
    expect(training.draft.config?.lora.r).toBe(16);
    expect((await training.draft.prepared!.blob.text()).trim().split('\n').map((l) => (JSON.parse(l) as { messages: { content: string }[] }).messages.map((m) => m.content))).toEqual([
      ['Answer in the style of an AI Assistant.', 'Say hi.', 'Hi there.'],
      ['Answer with knowledge from web search.', 'Question 0?', 'Segment 0.'],
      ['Answer with knowledge from web search.', 'Question 1?', 'Segment 1.'],
    ]);
    // A5 by expected score keeps only the 4.8 pair; changing the rule asks for a new read.
    type(field(root, 'Keep pairs with'), 'a5');
    expect(byTestId(root, 'training-data-summary')).toHaveLength(0);
    click(button(root, 'Prepare the data'));
    await expect.poll(() => text(byTestId(root, 'training-data-summary')[0])).toMatch(/: 1 seed pairs, 1 curated pairs — trains the forward model\.$/);

    // A dropped file with a broken line: nothing is prepared, and the line is named.
    click(root.querySelectorAll<HTMLInputElement>('input[name="training-source"]')[2]!);
    const input = byTestId(root, 'training-file-files')[0] as HTMLInputElement;
    const dt = new DataTransfer();
    dt.items.add(new File(['{"input":"A response.","target":"Its question?"}\n{"input": broken\n'], 'old-reversed.jsonl'));
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.poll(() => text(byTestId(root, 'training-data-issue')[0])).toBe('Line 2 of the training data is not valid JSON. Export the data again.');
    expect([training.draft.prepared, training.draft.filePurpose]).toEqual([null, 'backward']);

    // A model trained by hand from the bundle, registered with its GGUF address.
    click(button(root, 'Register a model by hand…'));
    type(field(root, 'Served as'), 'wllama');
    type(field(root, 'GGUF URL'), 'https://example.org/models/backward-q4.gguf');
    click(button(root, 'Register'));
    await expect.poll(() => byTestId(root, 'model').map(text)).toEqual([
      'backward-q4.gguf (backward) backward model (writes instructions) · GGUF file https://example.org/models/backward-q4.gguf Remove',
    ]);
    click(button(byTestId(root, 'model')[0]!, 'Remove'));
    await expect.poll(() => ps.setting('models', ['not yet'])).toEqual([]);
  });
});
