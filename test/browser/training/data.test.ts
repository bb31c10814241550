/**
 * What the Train panel trains on, in real Chromium on real IndexedDB: forward data from the
 * project's curated set (the rule and the person's decisions chosen in Rate, Review or Export —
 * the Train step has no rule of its own), a dropped file whose broken line is named, and a model
 * registered by hand (trained from the bundle).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TrainerSecrets } from '../../../src/adapters/trainer/secrets.ts';
import { A5_RULE } from '../../../src/core/curation/curated-set.ts';
import { newProject, newRun, SCHEMA_VERSION, type HumanDecision } from '../../../src/core/records.ts';
import { saveChoice } from '../../../src/state/review/curation.ts';
import { TrainingState } from '../../../src/state/training/training.svelte.ts';
import { button, byTestId, catalog, cleanup, click, field, openProject, runCleanup, seed, show, text, type } from './panel-dom.ts';

afterAll(runCleanup);

describe('Train panel data', () => {
  it('forward data is the curated set, rule and decisions included; a bad dropped file says which line; a model registers by hand', async () => {
    const p = newProject('panel-data');
    await catalog.putProject(p);
    cleanup.push(() => catalog.deleteProject(p.id));
    const ps = await openProject(p.id);
    const store = ps.store!;
    await store.put('seeds', [seed(0, 'Say hi.', 'Hi there.')]);
    const augment = { ...newRun('augment', 1, {}, 1000), id: 'r_aug' };
    const curate = { ...newRun('curate', 1, { augmentRunId: 'r_aug', config: { round: 0 } }, 2000), id: 'r_cur', round: 0 };
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
    await expect.poll(() => text(byTestId(root, 'training-data-summary')[0])).toMatch(
      /^3 examples ready \(\d+ B\): 1 seed pairs, 2 curated pairs — trains the forward model\. From the curated set: latest rated generation run, latest round \(M0\), A4 \(score ≥ 4\), seed pairs included\.$/,
    );
    expect(text(byTestId(root, 'training-curation')[0])).toContain('latest round (M0), A4 (score ≥ 4), seed pairs included (the default).');
    expect(training.draft.config?.purpose).toBe('forward');
    expect(training.draft.config?.lora.r).toBe(16);
    const contents = async () => (await training.draft.prepared!.blob.text()).trim().split('\n').map((l) => (JSON.parse(l) as { messages: { content: string }[] }).messages.map((m) => m.content));
    expect(await contents()).toEqual([
      ['Answer in the style of an AI Assistant.', 'Say hi.', 'Hi there.'],
      ['Answer with knowledge from web search.', 'Question 0?', 'Segment 0.'],
      ['Answer with knowledge from web search.', 'Question 1?', 'Segment 1.'],
    ]);
    expect(() => field(root, 'Keep pairs with')).toThrow('no field'); // no rule of its own any more
    // A5 chosen elsewhere (Rate or Export) keeps only the 4.8 pair here too, on the next read.
    await saveChoice(ps, training.set!, { rule: A5_RULE });
    // The panel names the changed set at once, before anything is prepared again.
    await expect.poll(() => text(byTestId(root, 'training-curation')[0])).toContain('A5 (expected score ≥ 4.5)');
    click(button(root, 'Prepare the data'));
    await expect.poll(() => text(byTestId(root, 'training-data-summary')[0])).toMatch(
      /: 1 seed pairs, 1 curated pairs — trains the forward model\. From the curated set: latest rated generation run, latest round \(M0\), A5 \(expected score ≥ 4\.5\), seed pairs included\.$/,
    );
    // A person's reject of pair 0 and accept of pair 1 (as Review saves them) decide over the rule.
    const decision = (seq: number, verdict: 'accept' | 'reject'): HumanDecision => ({ schemaVersion: SCHEMA_VERSION, seq, augmentRunId: 'r_aug', verdict, decidedAt: 3, round: 0 });
    await store.put('decisions:r_aug', [decision(0, 'reject'), decision(1, 'accept')]);
    click(button(root, 'Prepare the data'));
    await expect.poll(async () => training.draft.prepared ? (await contents()).map((m) => m[1]) : []).toEqual(['Say hi.', 'Question 1?']);

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
