/**
 * The training hand-off as a user meets it, in the built app: create a project, configure an
 * OpenAI-compatible trainer (a real server on 127.0.0.1 started by this test, which wants one
 * key and echoes any wrong one in its 401), drop an earlier export because the new project has
 * no curated pairs yet, send the job, watch it finish, register its model, download the bundle
 * — and after a reload find the job, the model and the remembered key. The key must appear
 * nowhere on the page (even after the 401 that echoed it) nor in the bundle.
 */
import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { startTrainerServer, type TrainerServer } from '../support/trainer-server.ts';

const KEY = 'sk-e2e-right-key-0123456789abcdef';
const WRONG = 'sk-e2e-wrong-key-fedcba9876543210';

/** An earlier export in alpaca lines with the paper's source tags. */
const EXPORT = [
  { instruction: 'Say hi.', input: '', output: 'Hi! How can I help?', system: 'Answer in the style of an AI Assistant.' },
  { instruction: 'How do tides work?', input: '', output: 'The Moon pulls the oceans.', system: 'Answer with knowledge from web search.' },
  { instruction: 'Name a prime.', input: '', output: 'Seven.', system: 'Answer with knowledge from web search.' },
];
const CHAT = EXPORT.map((e) => ({ messages: [{ role: 'system', content: e.system }, { role: 'user', content: e.instruction }, { role: 'assistant', content: e.output }] }));

let server: TrainerServer;
test.beforeAll(async () => {
  server = await startTrainerServer({ apiKey: KEY });
});
test.afterAll(async () => {
  await server.close();
});

test('configure a trainer, send a dropped export, watch it finish, register its model, and find it all after a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Project name').fill('Training hand-off');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-title')).toHaveText('Training hand-off');
  await page.getByRole('link', { name: '6 Export / Train' }).click();
  const training = page.getByTestId('training');
  await expect(training.getByTestId('no-jobs')).toHaveText('No training jobs yet.');

  // A trainer with the wrong key first.
  await training.getByRole('button', { name: 'Add a trainer…' }).click();
  await training.getByLabel('Name', { exact: true }).fill('Test trainer');
  await training.getByLabel('API base').fill(server.openaiBase);
  await training.getByLabel('API key').fill(WRONG);
  await training.getByRole('button', { name: 'Save trainer' }).click();
  const trainer = training.getByTestId('trainer');
  await expect(trainer).toContainText(`Test trainer OpenAI-compatible fine-tuning API at ${server.openaiBase}`);
  await expect(training.getByTestId('trainer-key')).toHaveText(['key held until this page closes']);

  // No curated pairs yet: drop an earlier export.
  await training.getByRole('radio', { name: /^A JSONL file/ }).check();
  await training.getByTestId('training-file-files').setInputFiles({
    name: 'training-hand-off-alpaca.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(EXPORT.map((e) => JSON.stringify(e)).join('\n') + '\n'),
  });
  const bytes = Buffer.byteLength(CHAT.map((c) => JSON.stringify(c) + '\n').join(''));
  await expect(training.getByTestId('training-data-summary')).toHaveText(`3 examples ready (${bytes} B, converted from alpaca lines) — trains the forward model.`);
  await training.getByLabel('Base model').fill('gpt-4o-mini-2024-07-18');

  // The 401 echoes the wrong key; the page shows the error without it.
  await training.getByRole('button', { name: 'Send to the trainer' }).click();
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('Submitting the training job failed');
  await expect(notice).toContainText(
    'Test trainer did not accept the API key (HTTP 401). Check the key in the trainer settings, paste it again, and retry. The trainer said: Incorrect API key provided: [redacted].',
  );
  expect(server.requests.filter((r) => r.outcome === 401).length).toBeGreaterThan(0);
  expect(await page.locator('body').innerText()).not.toContain(WRONG);
  expect(await page.content()).not.toContain(WRONG);
  await expect(training.getByTestId('no-jobs')).toBeVisible();
  await notice.getByRole('button', { name: 'Dismiss' }).click();

  // The right key, remembered on this device.
  await training.getByRole('button', { name: 'Edit' }).click();
  await training.getByLabel('API key').fill(KEY);
  await training.getByLabel('Remember the key on this device').check();
  await training.getByRole('button', { name: 'Save trainer' }).click();
  await expect(training.getByTestId('trainer-key')).toHaveText(['key remembered on this device']);

  await training.getByRole('button', { name: 'Send to the trainer' }).click();
  const job = training.getByTestId('job');
  await expect(job).toHaveCount(1);
  // Mid-run the trainer starts refusing the key (and echoes it): following stops with plain words, and the page never shows the key.
  await expect(job.getByTestId('job-status')).toHaveText('Training', { timeout: 30_000 });
  server.setMode({ kind: 'unauthorized' });
  await expect(job.getByTestId('job-error')).toContainText('The trainer did not accept the API key', { timeout: 30_000 });
  await expect(job.getByTestId('job-error')).toContainText('Incorrect API key provided: [redacted].');
  expect(await page.locator('body').innerText()).not.toContain(KEY);
  // Reading again is safe: once the trainer takes the key again, the job is followed to the end.
  server.setMode({ kind: 'normal' });
  await job.getByRole('button', { name: 'Read again now' }).click();
  await expect(job.getByTestId('job-status')).toHaveText('Finished', { timeout: 60_000 });
  await expect(job.getByTestId('job-error')).toHaveCount(0);
  await expect(job.getByTestId('job-metrics')).toHaveText('train_loss 1.25 at step 3');
  const upload = server.requests.find((r) => r.method === 'POST' && r.path === '/v1/files' && r.outcome === 200);
  expect(upload?.files.file?.text.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(CHAT);
  const created = server.requests.find((r) => r.path === '/v1/fine_tuning/jobs' && r.outcome === 200)?.json as { model: string; suffix: string };
  expect([created.model, created.suffix]).toEqual(['gpt-4o-mini-2024-07-18', 'forward-3']);
  const model = (await job.getByTestId('job-model').innerText()).trim();
  expect(model).toMatch(/^ft:gpt-4o-mini-2024-07-18:humpback:forward-3:ftjob-\d+$/);

  // Register it as the curator for the next round.
  await job.getByLabel('Name', { exact: true }).fill('Curator v1');
  await job.getByRole('button', { name: 'Register model' }).click();
  await expect(training.getByTestId('model')).toHaveCount(1);
  await expect(training.getByTestId('model')).toContainText('Curator v1');
  await expect(training.getByTestId('model')).toContainText(`forward model (answers and rates) · endpoint model ${model} at ${server.openaiBase}`);

  // The bundle opens, holds the data and configs, and no key.
  const [download] = await Promise.all([page.waitForEvent('download'), training.getByRole('button', { name: 'Download training bundle (.zip)' }).click()]);
  expect(download.suggestedFilename()).toBe('humpback-forward-forward-3.zip');
  const files = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(Object.keys(files).sort()).toEqual([
    'README.md', 'axolotl.yaml', 'data/dataset_info.json', 'data/train.jsonl', 'humpback-training.json', 'llamafactory.yaml',
  ]);
  expect(strFromU8(files['data/train.jsonl']!).trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(CHAT);
  for (const [name, data] of Object.entries(files)) {
    expect(strFromU8(data), name).not.toContain(KEY);
    expect(strFromU8(data), name).not.toContain(WRONG);
  }
  expect(await page.locator('body').innerText()).not.toContain(KEY);

  // After a reload: the job, its model, the registered model and the remembered key are still there.
  await page.reload();
  const again = page.getByTestId('training');
  await expect(again.getByTestId('job').getByTestId('job-status')).toHaveText('Finished');
  await expect(again.getByTestId('job').getByTestId('job-model')).toHaveText(model);
  await expect(again.getByTestId('job').getByTestId('register-model')).toContainText('Registered as Curator v1.');
  await expect(again.getByTestId('model')).toHaveCount(1);
  await expect(again.getByTestId('model')).toContainText('Curator v1');
  await expect(again.getByTestId('trainer-key')).toHaveText(['key remembered on this device']);
  // Only the secrets database holds the key; every project database and the catalog are free of it.
  const stored = await page.evaluate(async () => {
    const out: Record<string, string> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const parts: unknown[] = [];
      for (const store of Array.from(db.objectStoreNames)) {
        parts.push(await new Promise((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        }));
      }
      db.close();
      out[name] = JSON.stringify(parts);
    }
    return out;
  });
  expect(Object.entries(stored).filter(([, text]) => text.includes(KEY)).map(([name]) => name)).toEqual(['humpback-secrets']);
  expect(Object.values(stored).some((text) => text.includes(WRONG))).toBe(false);
  expect(Object.values(stored).some((text) => text.includes('Curator v1'))).toBe(true);
  expect(await page.locator('body').innerText()).not.toContain(KEY);
});
