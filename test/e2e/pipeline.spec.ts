/**
 * The whole path on the built app against a real engine started here (an OpenAI-compatible
 * server answering as the method's two models): create a project → drop seed files → drop a
 * Debian Reference chapter → pick the endpoint for both roles → generate instructions (paused,
 * the page reloaded, resumed) → rate (the page reloaded mid-run, the interrupted run resumed) →
 * the kept count, which must equal what the server's own replies say, and survive a reload.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CorpusPipeline, DEFAULT_CORPUS_SETTINGS } from '../../src/core/corpus/pipeline.ts';
import { startChatServer, type ChatBody, type ChatServer } from '../support/chat-server.ts';
import { humpbackReply } from '../support/humpback-replies.ts';
import { isCapabilityProbe } from '../support/server-flavors.ts';
import { CHAPTER, DEBIAN_SEEDS, isRating, step, useEndpoint } from './app-steps.ts';

const ALPACA = fileURLToPath(new URL('../fixtures/seed/alpaca.json', import.meta.url));

/** The segments of the chapter, as the app's pipeline cuts them. */
function chapterSegments(): number {
  const ingest = new CorpusPipeline(DEFAULT_CORPUS_SETTINGS).openFile({ docId: 'ch12', path: 'ch12.en.html', format: 'html' });
  ingest.pushText(readFileSync(CHAPTER, 'utf8'));
  ingest.end();
  return ingest.produced;
}

let server: ChatServer;
let dir: string;
test.beforeAll(async () => {
  server = await startChatServer({ reply: humpbackReply });
  dir = mkdtempSync(join(tmpdir(), 'humpback-e2e-'));
  writeFileSync(join(dir, 'alpaca-long.json'), JSON.stringify(DEBIAN_SEEDS));
});
test.afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('seed → corpus → generate (pause, reload, resume) → rate (reload mid-run, resume) → kept', async ({ page }) => {
  test.setTimeout(180_000);
  const segments = chapterSegments();
  expect(segments).toBe(20);

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
  // One request at a time, so the run is slow enough to pause (with the server's latency).
  await useEndpoint(page, 'backward', server.url, 1);
  await expect(page.getByRole('radio', { name: /Prompted with reversed seed examples/ })).toBeChecked();
  await expect(page.getByTestId('augment-examples').locator('li')).toHaveCount(4);
  await expect(page.getByLabel('Temperature')).toHaveValue('0.7');
  await expect(page.getByLabel('Top-p')).toHaveValue('0.9');
  server.setMode({ latencyMs: 150 });
  await page.getByRole('button', { name: 'Generate instructions' }).click();
  const runs = page.getByTestId('augment-runs');
  await expect(runs.getByTestId('augment-live')).toContainText(/[3-9] \/ 20 segments/, { timeout: 30_000 });
  await runs.getByRole('button', { name: 'Pause' }).click();
  await expect(runs.getByTestId('run-status')).toHaveText('paused');
  const pausedAt = Number((await runs.locator('tbody td').nth(5).textContent())?.split(' / ')[0]);
  expect(pausedAt).toBeGreaterThanOrEqual(3);
  expect(pausedAt).toBeLessThan(20);

  await page.reload();
  server.setMode({ latencyMs: 0 });
  await expect(runs.getByTestId('run-status')).toHaveText('paused');
  await runs.getByRole('button', { name: 'Resume' }).click();
  await expect(runs.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(runs.locator('tbody td').nth(5)).toHaveText('20 / 20');
  // Requests the page abandoned on Pause may have no body on record; the ones with a body were answered.
  const writing = server.stats().chatRequests.filter((r) => r.body !== undefined && !isRating(r.body as ChatBody) && !isCapabilityProbe(r.body));
  // Each segment asked for once, plus at most the one request in flight when Pause was pressed.
  expect(new Set(writing.map((r) => JSON.stringify(r.body))).size).toBe(20);
  expect(writing.length).toBeLessThanOrEqual(23);
  await expect(page.getByTestId('candidate').first()).toContainText('Explain');

  // Rate with the same endpoint (shared by both roles), reasoned mode.
  await step(page, '4 Rate');
  await useEndpoint(page, 'curator', server.url, 1);
  await expect(page.getByTestId('engine-panel-curator')).toContainText('(the same model as the model that writes instructions)');
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
  await expect(funnel.getByTestId('funnel-segments')).toHaveText('20 Segments');
  await expect(funnel.getByTestId('funnel-candidates')).toHaveText('20 Instructions written');
  await expect(funnel.getByTestId('funnel-usable')).toHaveText(`${usable} Usable instructions`);
  await expect(funnel.getByTestId('funnel-rated')).toHaveText(`${usable} Rated`);
  await expect(funnel.getByTestId('funnel-parsed')).toHaveText(`${usable} Score read`);
  await expect(funnel.getByTestId('funnel-kept')).toHaveText(`${kept} Kept`);
  await expect(page.getByTestId('tokens-per-pair').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('notice')).toHaveCount(0); // the interrupted-run notice ended with the resumed run

  await page.reload();
  await expect(page.getByTestId('funnel').getByTestId('funnel-kept')).toHaveText(`${kept} Kept`);
});
