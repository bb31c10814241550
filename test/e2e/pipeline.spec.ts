/**
 * The whole path on the built app against a real engine started here (an OpenAI-compatible
 * server answering as the method's two models): create a project → drop seed files → drop a
 * Debian Reference chapter → pick the endpoint for both roles → generate instructions (paused,
 * the page reloaded, resumed) → rate (the page reloaded mid-run, the interrupted run resumed) →
 * the kept count, which must equal what the server's own replies say, and survive a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CorpusPipeline, DEFAULT_CORPUS_SETTINGS } from '../../src/core/corpus/pipeline.ts';
import { startChatServer, type ChatBody, type ChatServer } from '../support/chat-server.ts';
import { humpbackReply } from '../support/humpback-replies.ts';

const CHAPTER = fileURLToPath(new URL('../../../shared/corpora/debian-reference/ch12.en.html', import.meta.url));
const ALPACA = fileURLToPath(new URL('../fixtures/seed/alpaca.json', import.meta.url));

/** Seed pairs long enough to serve as few-shot examples (alpaca.json's answers are all under 80 characters). */
const LONG_SEEDS = [
  { instruction: 'How do I find which package installed a given file on Debian?', input: '', output: 'Run dpkg -S with the full path of the file, for example dpkg -S /usr/bin/less. It prints the package name followed by the path.' },
  { instruction: 'Explain what a swap partition is for.', input: '', output: 'Swap is disk space the kernel uses as overflow for memory. Pages that have not been used for a while are moved there, freeing RAM for active programs.' },
  { instruction: 'Write a short guide to keeping a Debian system up to date.', input: '', output: 'Run apt update to refresh the package lists, then apt upgrade to install newer versions. Read the messages before agreeing, and reboot after a kernel update.' },
  { instruction: 'What does the sudo command do?', input: '', output: 'sudo runs one command with the rights of another user, usually root, after checking that you are allowed to. Every use is logged, which makes it safer than logging in as root.' },
];

/** The segments of the chapter, as the app's pipeline cuts them. */
function chapterSegments(): number {
  const ingest = new CorpusPipeline(DEFAULT_CORPUS_SETTINGS).openFile({ docId: 'ch12', path: 'ch12.en.html', format: 'html' });
  ingest.pushText(readFileSync(CHAPTER, 'utf8'));
  ingest.end();
  return ingest.produced;
}

/** A rating request carries the rating template's pair (an instruction request never does). */
const isRating = (body: ChatBody | undefined) => !!body && body.messages.some((m) => m.content.includes('\nCandidate answer:\n'));

let server: ChatServer;
let dir: string;
test.beforeAll(async () => {
  server = await startChatServer({ reply: humpbackReply });
  dir = mkdtempSync(join(tmpdir(), 'humpback-e2e-'));
  writeFileSync(join(dir, 'alpaca-long.json'), JSON.stringify(LONG_SEEDS));
});
test.afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function step(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: title }).click();
}

async function useEndpoint(page: Page, role: 'backward' | 'curator'): Promise<void> {
  const panel = page.getByTestId(`engine-panel-${role}`);
  await panel.getByRole('radio', { name: 'OpenAI-compatible endpoint' }).check();
  await panel.getByLabel('Base URL').fill(server.url);
  await panel.getByRole('button', { name: 'List models' }).click();
  await expect(panel.getByTestId('endpoint-models').locator('option')).toHaveText(['test-model (2,048 tokens)']);
  // One request at a time, so the run is slow enough to pause (with the server's latency below).
  await panel.getByLabel('Requests at once').fill('1');
  await panel.getByRole('button', { name: 'Use this endpoint' }).click();
  await expect(panel.getByTestId('engine-describe')).toHaveText(`endpoint · test-model at ${server.url}`);
}

test('seed → corpus → generate (pause, reload, resume) → rate (reload mid-run, resume) → kept', async ({ page }) => {
  test.setTimeout(180_000);
  const segments = chapterSegments();
  expect(segments).toBe(22);

  await page.goto('/');
  await page.getByLabel('Project name').fill('Pipeline');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/#\/p\/p_[0-9a-f]+\/seed$/);

  // Seed: the Alpaca fixture and a file of longer pairs.
  await page.getByTestId('seed-dropzone-files').setInputFiles([ALPACA, join(dir, 'alpaca-long.json')]);
  await expect(page.getByRole('heading', { name: /^Seed set: \d+ pairs from 2 files$/ })).toBeVisible({ timeout: 30_000 });

  // Corpus: one chapter of the Debian Reference.
  await step(page, '2 Corpus');
  await page.getByTestId('corpus-dropzone-files').setInputFiles(CHAPTER);
  await expect(page.locator('[data-testid="corpus-file"][data-path="ch12.en.html"]')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  // Generate instructions with the endpoint, prompted with the seed step's examples.
  await step(page, '3 Generate instructions');
  await useEndpoint(page, 'backward');
  await expect(page.getByRole('radio', { name: /Prompted with reversed seed examples/ })).toBeChecked();
  await expect(page.getByTestId('augment-examples').locator('li')).toHaveCount(4);
  await expect(page.getByLabel('Temperature')).toHaveValue('0.7');
  await expect(page.getByLabel('Top-p')).toHaveValue('0.9');
  server.setMode({ latencyMs: 150 });
  await page.getByRole('button', { name: 'Generate instructions' }).click();
  const runs = page.getByTestId('augment-runs');
  await expect(runs.getByTestId('augment-live')).toContainText(/[3-9] \/ 22 segments/, { timeout: 30_000 });
  await runs.getByRole('button', { name: 'Pause' }).click();
  await expect(runs.getByTestId('run-status')).toHaveText('paused');
  const pausedAt = Number((await runs.locator('tbody td').nth(5).textContent())?.split(' / ')[0]);
  expect(pausedAt).toBeGreaterThanOrEqual(3);
  expect(pausedAt).toBeLessThan(22);

  await page.reload();
  server.setMode({ latencyMs: 0 });
  await expect(runs.getByTestId('run-status')).toHaveText('paused');
  await runs.getByRole('button', { name: 'Resume' }).click();
  await expect(runs.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(runs.locator('tbody td').nth(5)).toHaveText('22 / 22');
  // Requests the page abandoned on Pause may have no body on record; the ones with a body were answered.
  const writing = server.stats().chatRequests.filter((r) => r.body !== undefined && !isRating(r.body as ChatBody));
  // Each segment asked for once, plus at most the one request in flight when Pause was pressed.
  expect(new Set(writing.map((r) => JSON.stringify(r.body))).size).toBe(22);
  expect(writing.length).toBeLessThanOrEqual(23);
  await expect(page.getByTestId('candidate').first()).toContainText('Explain');

  // Rate with the same endpoint (shared by both roles), reasoned mode.
  await step(page, '4 Rate');
  await useEndpoint(page, 'curator');
  await expect(page.getByTestId('engine-panel-curator')).toContainText('(shared by both steps)');
  server.setMode({ latencyMs: 150 });
  await page.getByRole('button', { name: 'Rate pairs' }).click();
  const rateRuns = page.getByTestId('curate-runs');
  await expect(rateRuns.getByTestId('curate-live')).toContainText(/[2-9] \/ \d+ pairs/, { timeout: 30_000 });
  // Reload in the middle of the run, as a closed tab or a crash would: the run is left 'running'.
  await page.reload();
  server.setMode({ latencyMs: 0 });
  await expect(page.getByTestId('notice')).toContainText('A run was interrupted');
  await expect(rateRuns.getByTestId('curate-interrupted')).toContainText('This run stopped when the page closed, at ');
  await expect(rateRuns.getByTestId('run-status')).toHaveText('interrupted');
  await rateRuns.getByTestId('curate-interrupted').getByRole('button', { name: 'Resume' }).click();
  await expect(rateRuns.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(rateRuns.getByTestId('curate-interrupted')).toHaveCount(0);

  // The kept count equals what the server's replies say: scores ≥ 4 among the rating requests.
  // Distinct rating requests (one in flight at the reload may have been asked twice; it is stored once).
  const ratings = [...new Map(server.stats().chatRequests.filter((r) => isRating(r.body as ChatBody)).map((r) => [JSON.stringify(r.body), r.body as ChatBody])).values()];
  const usable = ratings.length;
  const kept = ratings.filter((body) => Number(humpbackReply(body).slice(-1)) >= 4).length;
  expect(kept).toBeGreaterThan(0);
  const funnel = page.getByTestId('funnel');
  await expect(funnel.getByTestId('funnel-segments')).toHaveText('22 Segments');
  await expect(funnel.getByTestId('funnel-candidates')).toHaveText('22 Instructions written');
  await expect(funnel.getByTestId('funnel-usable')).toHaveText(`${usable} Usable instructions`);
  await expect(funnel.getByTestId('funnel-rated')).toHaveText(`${usable} Rated`);
  await expect(funnel.getByTestId('funnel-parsed')).toHaveText(`${usable} Score read`);
  await expect(funnel.getByTestId('funnel-kept')).toHaveText(`${kept} Kept`);
  await expect(page.getByTestId('tokens-per-pair').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('notice')).toHaveCount(1); // the interrupted-run notice only

  await page.reload();
  await expect(page.getByTestId('funnel').getByTestId('funnel-kept')).toHaveText(`${kept} Kept`);
});
