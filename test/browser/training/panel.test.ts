/**
 * The Train panel in real Chromium, on real IndexedDB, against the real trainer server the
 * browser project's global setup starts: configure a generic trainer through the form, prepare
 * the reversed seed pairs, send the job, watch it finish, register its model — then "reload"
 * (new state over the same database) and find the job and the model again. The bundle is
 * captured at the download seam and unzipped.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { flushSync } from 'svelte';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { TrainerSecrets } from '../../../src/adapters/trainer/secrets.ts';
import { newProject } from '../../../src/core/records.ts';
import { fillTemplate } from '../../../src/core/stages/prompts.ts';
import { BACKWARD_PROMPT } from '../../../src/core/seed/reverse.ts';
import type { RegisteredModel } from '../../../src/core/training/registered-model.ts';
import { TrainingState } from '../../../src/state/training/training.svelte.ts';
import { button, byTestId, catalog, cleanup, click, field, openProject, runCleanup, seed, show, text, type } from './panel-dom.ts';

const trainerUrl = inject('trainerServerUrl');
afterAll(runCleanup);

describe('Train panel', () => {
  it('sends reversed seeds to a generic trainer, follows the job to the end, registers its model, and finds both after a reload', async () => {
    const p = newProject('panel');
    await catalog.putProject(p);
    cleanup.push(() => catalog.deleteProject(p.id));
    const ps = await openProject(p.id);
    await ps.store?.put('seeds', [seed(0, 'Name a tide.', 'Spring tide.'), seed(1, 'Say hi.', 'Hi there.')]);
    await ps.refresh();

    const secrets = new TrainerSecrets(null);
    const downloads: { blob: Blob; name: string }[] = [];
    const training = new TrainingState(ps, { secrets, intervalMs: 20, download: (blob, name) => downloads.push({ blob, name }) });
    const root = show(training);
    await training.open();
    flushSync();
    expect(text(byTestId(root, 'no-jobs')[0])).toBe('No training jobs yet.');

    // A generic trainer through the form; its token stays in memory.
    click(button(root, 'Add a trainer…'));
    type(field(root, 'Kind'), 'generic');
    type(field(root, 'Name'), 'Test box');
    type(field(root, 'API base'), `${trainerUrl}/api`);
    type(field(root, 'API key'), 'box-token-123456');
    click(button(root, 'Save trainer'));
    await expect.poll(() => byTestId(root, 'trainer').map(text)).toEqual([
      `Test box Generic HTTP trainer (humpback-trainer/1) at ${trainerUrl}/api key held until this page closes Edit Forget key Remove`,
    ]);
    expect(ps.setting('trainers', [])).toEqual([
      { id: training.trainers[0]?.id, kind: 'generic', label: 'Test box', baseUrl: `${trainerUrl}/api`, secretId: `trainer:${training.trainers[0]?.id}` },
    ]);
    expect(await secrets.get(`trainer:${training.trainers[0]?.id}`)).toBe('box-token-123456');

    // Reversed seeds, checked and counted.
    const reversed = [
      { messages: [{ role: 'system', content: BACKWARD_PROMPT.system }, { role: 'user', content: fillTemplate(BACKWARD_PROMPT.user, { segment: 'Spring tide.' }) }, { role: 'assistant', content: 'Name a tide.' }] },
      { messages: [{ role: 'system', content: BACKWARD_PROMPT.system }, { role: 'user', content: fillTemplate(BACKWARD_PROMPT.user, { segment: 'Hi there.' }) }, { role: 'assistant', content: 'Say hi.' }] },
    ];
    const bytes = new TextEncoder().encode(reversed.map((l) => JSON.stringify(l) + '\n').join('')).length;
    click(button(root, 'Prepare the data'));
    await expect.poll(() => text(byTestId(root, 'training-data-summary')[0])).toBe(
      `2 examples ready (${bytes} B): 2 seed pairs, 0 curated pairs — trains the backward model. ` +
        'From the seed pairs reversed, worded with the fine-tuned generation template "augment-finetuned" version 1.',
    );
    expect(text(byTestId(root, 'training-config-issues')[0])).toBe('Name the base model to fine-tune (a Hugging Face id or the trainer\'s model name).');
    expect(button(root, 'Send to the trainer').disabled).toBe(true);
    type(field(root, 'Base model'), 'meta-llama/Llama-3.1-8B');
    expect(byTestId(root, 'training-config-issues')).toHaveLength(0);
    expect(field(root, 'Run name').value).toBe('backward-2');

    // The learning rate says where it comes from and follows the method until the user sets one.
    const rate = () => text(byTestId(root, 'learning-rate-source')[0]);
    expect(rate()).toBe('Learning rate 0.0002: QLoRA recipe (Dettmers et al. 2023) for models up to 13B (8B parameters): constant, 3 % warm-up');
    type(field(root, 'Method'), 'full');
    expect(rate()).toBe('Learning rate 0.00001: the paper (full fine-tuning): 1e-5 decaying linearly to 9e-6');
    type(field(root, 'Method'), 'lora');
    expect(rate()).toBe('Learning rate 0.0002: QLoRA recipe (Dettmers et al. 2023) for models up to 13B (8B parameters): constant, 3 % warm-up');
    // A GPU without bf16: the bundle's configs train in fp16.
    const bf16 = byTestId(root, 'gpu-bf16')[0] as HTMLInputElement;
    expect(bf16.checked).toBe(true);
    click(bf16);
    expect(training.draft.config?.gpuSupportsBf16).toBe(false);

    // The bundle holds exactly the reversed pairs.
    click(button(root, 'Download training bundle (.zip)'));
    await expect.poll(() => downloads.length).toBe(1);
    expect(downloads[0]?.name).toBe('humpback-backward-backward-2.zip');
    const files = unzipSync(new Uint8Array(await downloads[0]!.blob.arrayBuffer()));
    const train = strFromU8(files['data/train.jsonl']!).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(train).toEqual(reversed);
    for (const [name, bytes] of Object.entries(files)) expect(strFromU8(bytes), name).not.toContain('box-token-123456');
    const factory = parse(strFromU8(files['llamafactory.yaml']!)) as Record<string, unknown>;
    expect([factory.fp16, factory.bf16, factory.learning_rate]).toEqual([true, undefined, 0.0002]);
    const axolotl = parse(strFromU8(files['axolotl.yaml']!)) as Record<string, unknown>;
    expect([axolotl.chat_template, axolotl.special_tokens, axolotl.bf16, axolotl.fp16]).toEqual(['chatml', { eos_token: '<|im_end|>' }, false, true]);

    // Send, and follow to the end.
    click(button(root, 'Send to the trainer'));
    await expect.poll(() => byTestId(root, 'job-status').map(text), { timeout: 20_000 }).toEqual(['Finished']);
    const job = training.jobs[0]!;
    expect([job.status, job.progress, job.purpose, job.dataset.examples]).toEqual(['succeeded', { step: 3, totalSteps: 3 }, 'backward', 2]);
    const card = byTestId(root, 'job')[0]!;
    expect(text(byTestId(card, 'job-metrics')[0])).toBe('loss 1.25 at step 3');
    expect(text(byTestId(card, 'job-model')[0])).toBe(`backward-2-${job.remoteId}`);
    expect(byTestId(card, 'job-logs')[0]?.textContent?.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual([
      'Job accepted', 'Job is preparing', 'Fine-tuning job started',
      'Step 1/3: training loss=1.75', 'Step 2/3: training loss=1.5', 'Step 3/3: training loss=1.25',
      `New fine-tuned model created: backward-2-${job.remoteId}`, 'The job has successfully completed',
    ]);
    expect(byTestId(card, 'job-error')).toHaveLength(0);

    // Register the served model (the first choice: the endpoint the trainer named).
    const choices = [...card.querySelectorAll('[data-testid="register-model"] label.choice')].map(text);
    expect(choices).toEqual([
      `endpoint model backward-2-${job.remoteId} at ${trainerUrl}/v1`,
      `web-llm build backward-2-${job.remoteId} (weights ${trainerUrl}/files/${job.remoteId}/mlc/, library ${trainerUrl}/files/${job.remoteId}/model-webgpu.wasm)`,
      `GGUF file ${trainerUrl}/files/${job.remoteId}/model-q4_k_m.gguf`,
    ]);
    type(field(card, 'Name'), 'Backward v1');
    click(button(card, 'Register model'));
    await expect.poll(() => byTestId(root, 'model').map(text)).toEqual([
      `Backward v1 backward model (writes instructions) · endpoint model backward-2-${job.remoteId} at ${trainerUrl}/v1 Remove`,
    ]);
    const models = ps.setting<RegisteredModel[]>('models', []);
    expect(models.map((m) => [m.label, m.purpose, m.jobId, m.engine])).toEqual([
      ['Backward v1', 'backward', job.id, { engine: 'openai', model: `backward-2-${job.remoteId}`, baseUrl: `${trainerUrl}/v1` }],
    ]);

    // "Reload": new project state and training state over the same databases.
    training.close();
    const ps2 = await openProject(p.id);
    const again = new TrainingState(ps2, { secrets: new TrainerSecrets(null), intervalMs: 20 });
    const root2 = show(again);
    await again.open();
    flushSync();
    expect(byTestId(root2, 'job-status').map(text)).toEqual(['Finished']);
    expect(text(byTestId(root2, 'job-model')[0])).toBe(`backward-2-${job.remoteId}`);
    expect(byTestId(root2, 'model').map((m) => text(m).split(' ·')[0])).toEqual(['Backward v1 backward model (writes instructions)']);
    // The key was not remembered: a fresh secret store has none.
    expect(byTestId(root2, 'trainer-key').map(text)).toEqual(['no API key on this device']);
  });

  it('a job left running is followed again after a reload — once its key is entered — and cancel stops another', async () => {
    const p = newProject('panel-resume');
    await catalog.putProject(p);
    cleanup.push(() => catalog.deleteProject(p.id));
    const ps = await openProject(p.id);
    await ps.store?.put('seeds', [seed(0, 'Q', 'A')]);

    // Slow polling: the first read moves the job to "preparing", then the page "closes".
    const first = new TrainingState(ps, { secrets: new TrainerSecrets(null), intervalMs: 60_000 });
    await first.open();
    expect(await first.saveTrainer({ kind: 'openai', label: 'Mirror', baseUrl: `${trainerUrl}/v1` }, 'sk-mirror-key-0123456789', false)).toEqual([]);
    const trainerId = first.trainers[0]!.id;
    await first.prepare();
    first.draft.config!.baseModel = 'gpt-4o-mini-2024-07-18';
    const sent = await first.submit(trainerId);
    const other = await first.submit(trainerId);
    expect([sent?.status, other?.status]).toEqual(['validating', 'validating']);
    await expect.poll(() => first.jobs.find((j) => j.id === sent!.id)?.status).toBe('queued');

    // Cancel one through its card.
    const root1 = show(first);
    const otherCard = byTestId(root1, 'job').find((c) => c.getAttribute('aria-label') === `Training job ${other!.remoteId}`)!;
    click(button(otherCard, 'Cancel job'));
    await expect.poll(() => first.jobs.find((j) => j.id === other!.id)?.status).toBe('cancelled');
    expect(text(byTestId(otherCard, 'job-status')[0])).toBe('Cancelled');
    first.close();

    // Reload without the key (it was not remembered): the job says what to do.
    const ps2 = await openProject(p.id);
    const again = new TrainingState(ps2, { secrets: new TrainerSecrets(null), intervalMs: 20 });
    const root = show(again);
    await again.open();
    flushSync();
    const card = () => byTestId(root, 'job').find((c) => c.getAttribute('aria-label') === `Training job ${sent!.remoteId}`)!;
    expect(text(byTestId(card(), 'job-status')[0])).toBe('Waiting for the trainer');
    expect(text(byTestId(card(), 'job-error')[0])).toBe(
      'The API key is needed to follow this job This job is still running at the trainer, but its API key is not on this device. Enter the key in the trainer settings to follow it again.',
    );
    expect(byTestId(root, 'trainer-key').map(text)).toEqual(['no API key on this device']);

    // Entering the key through the trainer form follows it again, to the end.
    click(button(root, 'Edit'));
    type(field(root, 'API key'), 'sk-mirror-key-0123456789');
    click(button(root, 'Save trainer'));
    await expect.poll(() => text(byTestId(card(), 'job-status')[0]), { timeout: 20_000 }).toBe('Finished');
    expect(byTestId(card(), 'job-error')).toHaveLength(0);
    expect(text(byTestId(card(), 'job-model')[0])).toBe(`ft:gpt-4o-mini-2024-07-18:humpback:backward-1:${sent!.remoteId}`);
    expect([...card().querySelectorAll('[data-testid="register-model"] label.choice')].map(text)).toEqual([
      `endpoint model ft:gpt-4o-mini-2024-07-18:humpback:backward-1:${sent!.remoteId} at ${trainerUrl}/v1`,
    ]);
    expect(again.jobs.map((j) => j.status).sort()).toEqual(['cancelled', 'succeeded']);
  });
});
