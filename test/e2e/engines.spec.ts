/**
 * The engine panels on the built app, as a user meets them: llama.cpp with the tiny GGUF dropped
 * as a file (the preview server serves dist/ only, so no fixture URL), a real OpenAI-compatible
 * server started here (its models, a reply, a key kept in memory only, a CORS refusal explained),
 * and the web-llm picker on this SwiftShader adapter (q4f32 and why; offline, a clear download
 * error).
 */
import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { startChatServer, type ChatServer } from '../support/chat-server.ts';
import { humpbackReply } from '../support/humpback-replies.ts';
import { isCapabilityProbe } from '../support/server-flavors.ts';

const TINY_GGUF = fileURLToPath(new URL('../fixtures/tiny-llama.gguf', import.meta.url));
const servers: ChatServer[] = [];

test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function newProject(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-title')).toHaveText(name);
}

async function step(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: title }).click();
}

test('llama.cpp: the tiny GGUF dropped as a file loads and "Try it" produces tokens', async ({ page }) => {
  await newProject(page, 'Engines: llama.cpp');
  await step(page, '3 Generate instructions');
  const panel = page.getByTestId('engine-panel-backward');
  await expect(panel.getByRole('heading', { name: 'Model that writes instructions' })).toBeVisible();
  await expect(panel.getByTestId('engine-recommendation')).toContainText('Suggested: llama.cpp on the CPU. WebGPU here is a software adapter');
  await expect(panel.getByRole('radio', { name: 'llama.cpp on the CPU' })).toBeChecked();

  await panel.getByTestId('gguf-drop-backward-files').setInputFiles(TINY_GGUF);
  await expect(panel.getByTestId('engine-describe')).toHaveText('wllama · tiny-llama.gguf (CPU)');
  await panel.getByRole('button', { name: 'Load the model' }).click();
  await expect(panel.getByTestId('engine-state')).toHaveText('ready', { timeout: 60_000 });

  await panel.getByTestId('section-try-it-backward').locator('summary').click(); // "Try it" starts collapsed
  await panel.getByLabel('Prompt').fill('How can you be good?');
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByTestId('try-usage')).toHaveText(/^\d+ prompt tokens · [1-9]\d* reply tokens · (finished|stopped at the length limit)$/, { timeout: 60_000 });
  expect((await panel.getByTestId('try-reply').textContent())?.trim().length).toBeGreaterThan(0);
  await expect(page.getByTestId('notice')).toHaveCount(0);
});

test('an endpoint: its models listed, a reply, the key kept in memory only, and CORS explained', async ({ page }) => {
  const server = await startChatServer({ reply: humpbackReply, apiKey: 'sk-e2e-key' });
  servers.push(server);
  await newProject(page, 'Engines: endpoint');
  await step(page, '4 Rate');
  const panel = page.getByTestId('engine-panel-curator');
  await panel.getByRole('radio', { name: 'OpenAI-compatible endpoint' }).check();
  await panel.getByLabel('Base URL').fill(server.url);
  await panel.getByLabel('API key').fill('sk-e2e-key');
  await expect(panel.getByLabel('Requests at once')).toHaveValue('8');
  await panel.getByRole('button', { name: 'List models' }).click();
  await expect(panel.getByTestId('endpoint-models').locator('option')).toHaveText(['test-model (2,048 tokens)']);
  await panel.getByRole('button', { name: 'Use this endpoint' }).click();
  await expect(panel.getByTestId('engine-describe')).toHaveText(`endpoint · test-model at ${server.url}`);

  const prompt = 'Whales breathe air through a blowhole.';
  await panel.getByTestId('section-try-it-curator').locator('summary').click();
  await panel.getByLabel('Prompt').fill(prompt);
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByTestId('try-reply')).toHaveText(humpbackReply({ model: 'test-model', messages: [{ role: 'user', content: prompt }] }));
  await expect(panel.getByTestId('try-usage')).toHaveText(/^\d+ prompt tokens · [1-9]\d* reply tokens · finished$/);
  // the load's logprobs check (a generic server gets no grammar check), then the prompt: both with the key
  const posts = server.stats().chatRequests.filter((r) => r.method === 'POST');
  expect(posts.map((r) => [r.authorization, isCapabilityProbe(r.body)])).toEqual([
    ['Bearer sk-e2e-key', true],
    ['Bearer sk-e2e-key', false],
  ]);
  await expect(panel.getByTestId('engine-levers')).toContainText('generic OpenAI-compatible · ratings not constrained');

  // After a reload the choice is still there, the key is not (it was not remembered).
  await page.reload();
  await expect(panel.getByTestId('engine-describe')).toHaveText(`endpoint · test-model at ${server.url}`);
  await expect(panel.getByLabel('API key')).toHaveValue('');
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('notice')).toContainText('refused the request (HTTP 401). Check the API key');

  // A server that does not allow this page: the browser blocks it, and the form says what to send.
  const closed = await startChatServer({ cors: false });
  servers.push(closed);
  await panel.getByLabel('Base URL').fill(closed.url);
  await panel.getByRole('button', { name: 'List models' }).click();
  await expect(panel.getByTestId('endpoint-error')).toContainText('the browser blocked the reply');
  await expect(panel.getByTestId('endpoint-error')).toContainText('Access-Control-Allow-Origin: http://127.0.0.1:');
});

test('web-llm: q4f32 is chosen on this adapter and says why; offline, loading gives a clear download error', async ({ page }) => {
  await newProject(page, 'Engines: web-llm');
  await step(page, '3 Generate instructions');
  const panel = page.getByTestId('engine-panel-backward');
  await panel.getByRole('radio', { name: 'web-llm on the GPU' }).check();
  const row = panel.locator('[data-testid="webllm-row"][data-model="Llama-3.2-1B-Instruct"]');
  await expect(row.getByRole('combobox', { name: 'Build of Llama-3.2-1B-Instruct' })).toHaveValue('Llama-3.2-1B-Instruct-q4f32_1-MLC', { timeout: 60_000 });
  await expect(row.getByTestId('webllm-reason')).toContainText('does not offer 16-bit floats in shaders (no shader-f16), so the q4f32 build is used');
  await expect(row).toContainText('software GPU');
  await expect(panel.getByTestId('webllm-row').first()).toHaveAttribute('data-model', /Llama/);
  await expect(panel.getByTestId('webllm-cached')).toHaveText('None yet: a model is downloaded the first time it loads.');

  await row.getByRole('button', { name: 'Use Llama-3.2-1B-Instruct' }).click();
  await expect(panel.getByTestId('engine-describe')).toHaveText('web-llm · Llama-3.2-1B-Instruct-q4f32_1-MLC (WebGPU)');
  await panel.getByRole('button', { name: 'Load the model' }).click();
  await expect(panel.getByTestId('engine-state')).toHaveText('failed', { timeout: 90_000 });
  await expect(panel.getByTestId('engine-error')).toContainText('Downloading the model "Llama-3.2-1B-Instruct-q4f32_1-MLC" failed');
  await expect(panel.getByTestId('engine-error')).toContainText('Check your connection');
  await expect(page.getByTestId('notice')).toContainText('Loading web-llm · Llama-3.2-1B-Instruct-q4f32_1-MLC (WebGPU) failed');
  await expect(panel.getByRole('button', { name: 'Try loading again' })).toBeEnabled();
});
