/**
 * What several end-to-end tests do on the way to the part they test: walk to a step, point a
 * role at the test's chat server, and the seed pairs long enough to be few-shot examples.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChatServer, type ChatBody, type ChatServer } from '../support/chat-server.ts';
import { humpbackReply } from '../support/humpback-replies.ts';

/** A Debian Reference chapter, from the real corpus beside the repository. */
export const CHAPTER = fileURLToPath(new URL('../../../shared/corpora/debian-reference/ch12.en.html', import.meta.url));

/** Alpaca-shaped seed pairs long enough to serve as few-shot examples (80–1,500-character answers). */
export const DEBIAN_SEEDS = [
  { instruction: 'How do I find which package installed a given file on Debian?', input: '', output: 'Run dpkg -S with the full path of the file, for example dpkg -S /usr/bin/less. It prints the package name followed by the path.' },
  { instruction: 'Explain what a swap partition is for.', input: '', output: 'Swap is disk space the kernel uses as overflow for memory. Pages that have not been used for a while are moved there, freeing RAM for active programs.' },
  { instruction: 'Write a short guide to keeping a Debian system up to date.', input: '', output: 'Run apt update to refresh the package lists, then apt upgrade to install newer versions. Read the messages before agreeing, and reboot after a kernel update.' },
  { instruction: 'What does the sudo command do?', input: '', output: 'sudo runs one command with the rights of another user, usually root, after checking that you are allowed to. Every use is logged, which makes it safer than logging in as root.' },
];

/** A rating request carries the rating template's pair (an instruction request never does). */
export const isRating = (body: ChatBody | undefined): boolean => !!body && body.messages.some((m) => m.content.includes('\nCandidate answer:\n'));

export async function step(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: title }).click();
}

/** Chooses the OpenAI-compatible endpoint at `url` for a role; `requestsAtOnce` overrides the default concurrency. */
export async function useEndpoint(page: Page, role: 'backward' | 'curator' | 'rewriter', url: string, requestsAtOnce?: number): Promise<void> {
  const panel = page.getByTestId(`engine-panel-${role}`);
  await panel.getByRole('radio', { name: 'OpenAI-compatible endpoint' }).check();
  await panel.getByLabel('Base URL').fill(url);
  await panel.getByRole('button', { name: 'List models' }).click();
  await expect(panel.getByTestId('endpoint-models').locator('option')).toHaveText(['test-model (2,048 tokens)']);
  if (requestsAtOnce !== undefined) await panel.getByLabel('Requests at once').fill(String(requestsAtOnce));
  await panel.getByRole('button', { name: 'Use this endpoint' }).click();
  await expect(panel.getByTestId('engine-describe')).toHaveText(`endpoint · test-model at ${url}`);
}

/** From the project list to a corpus: a new project named `name`, the seed file (4 pairs), the Debian chapter. */
export async function createProject(page: Page, name: string, seedFile: string): Promise<void> {
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/#\/p\/p_[0-9a-f]+\/seed$/);
  await page.getByTestId('seed-dropzone-files').setInputFiles(seedFile);
  await expect(page.getByRole('heading', { name: /^Seed set: 4 pairs from 1 files?$/ })).toBeVisible({ timeout: 30_000 });
  await step(page, '2 Corpus');
  await page.getByTestId('corpus-dropzone-files').setInputFiles(CHAPTER);
  await expect(page.locator('[data-testid="corpus-file"][data-path="ch12.en.html"]')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
}

/** From the project list to rated pairs: `createProject`, then instructions and ratings written by the chat server at `url`. */
export async function createRatedProject(page: Page, name: string, seedFile: string, url: string): Promise<void> {
  await createProject(page, name, seedFile);
  await step(page, '3 Generate instructions');
  await useEndpoint(page, 'backward', url);
  await page.getByRole('button', { name: 'Generate instructions' }).click();
  await expect(page.getByTestId('augment-runs').getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await step(page, '4 Rate');
  await useEndpoint(page, 'curator', url);
  await page.getByRole('button', { name: 'Rate pairs' }).click();
  await expect(page.getByTestId('curate-runs').getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
}

/**
 * For a spec file: a chat server answering as the method's two models, and a seed file of
 * `DEBIAN_SEEDS` in a temporary folder, started before the file's tests and removed after them.
 */
export function useHumpbackServer(): { readonly server: ChatServer; readonly seedFile: string } {
  let server: ChatServer | undefined;
  let dir = '';
  test.beforeAll(async () => {
    server = await startChatServer({ reply: humpbackReply });
    dir = mkdtempSync(join(tmpdir(), 'humpback-e2e-'));
    writeFileSync(join(dir, 'seeds.json'), JSON.stringify(DEBIAN_SEEDS));
  });
  test.afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get server(): ChatServer {
      if (!server) throw new Error('The chat server starts in beforeAll; use it inside a test.');
      return server;
    },
    get seedFile(): string {
      return join(dir, 'seeds.json');
    },
  };
}
