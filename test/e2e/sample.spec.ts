/**
 * "Try a sample project" on the built app: one click makes a project with the bundled seed pairs
 * and corpus (public/sample/), says how to run it, and the first model step works at once — the
 * seeds are long enough to be few-shot examples — with a real OpenAI-compatible server here.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CorpusPipeline, DEFAULT_CORPUS_SETTINGS } from '../../src/core/corpus/pipeline.ts';
import { SAMPLE_CORPUS_FILES } from '../../src/adapters/sample-files.ts';
import { isCapabilityProbe } from '../support/server-flavors.ts';
import { step, useEndpoint, useHumpbackServer } from './app-steps.ts';

const SAMPLE = (path: string) => fileURLToPath(new URL(`../../public/sample/${path}`, import.meta.url));

/** The segments the app's pipeline cuts from the sample corpus. */
function sampleSegments(): number {
  return SAMPLE_CORPUS_FILES.reduce((n, path, i) => {
    const ingest = new CorpusPipeline(DEFAULT_CORPUS_SETTINGS).openFile({ docId: `d${i}`, path, format: 'md' });
    ingest.pushText(readFileSync(SAMPLE(path), 'utf8'));
    ingest.end();
    return n + ingest.produced;
  }, 0);
}

const env = useHumpbackServer();

test('try a sample project: seeds and corpus in one click, then instructions generated with prompted examples', async ({ page }) => {
  test.setTimeout(120_000);
  const segments = sampleSegments();
  expect(segments).toBeGreaterThanOrEqual(10);
  const seedLines = readFileSync(SAMPLE('seeds.jsonl'), 'utf8').trim().split('\n').length;
  expect(seedLines).toBe(10);

  await page.goto('/');
  await page.getByRole('button', { name: 'Try a sample project' }).click();
  await expect(page.getByTestId('project-title')).toHaveText('Sample: bread, bicycles and gardens');
  await expect(page).toHaveURL(/#\/p\/p_[0-9a-f]+\/corpus$/);
  await expect(page.getByTestId('notice')).toContainText('choose an engine');
  for (const path of SAMPLE_CORPUS_FILES) {
    const name = path.split('/').at(-1) ?? path;
    await expect(page.locator(`[data-testid="corpus-file"][data-path="${name}"]`)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  }

  await step(page, '1 Seed');
  await expect(page.getByRole('heading', { name: `Seed set: ${seedLines} pairs from 1 file` })).toBeVisible();

  await step(page, '3 Generate instructions');
  await expect(page.getByTestId('augment-step')).toContainText(`For each of the ${segments} corpus segments`);
  // What a first run needs is open; the rest is collapsed, and says what it holds.
  const next = page.getByTestId('next-step');
  await expect(next).toHaveText('Next: Choose the model that writes instructions below: an endpoint you run, a GGUF file on the CPU, or web-llm on a GPU.');
  const sampling = page.getByTestId('section-augment-sampling');
  for (const id of ['try-it-backward', 'augment-budget', 'augment-sampling', 'augment-template']) {
    await expect(page.getByTestId(`section-${id}`)).not.toHaveAttribute('open');
  }
  await expect(sampling.locator('summary')).toHaveText('Sampling — temperature 0.7, top-p 0.9 (the paper’s)');
  await expect(page.getByLabel('Temperature')).toBeHidden();
  // Opened, it stays open: across steps and a reload.
  await sampling.locator('summary').click();
  await expect(page.getByLabel('Temperature')).toBeVisible();
  await step(page, '4 Rate');
  await expect(page.getByTestId('next-step')).toHaveText('Next: Generate instructions in step 3 first: this step rates them.');
  await page.reload();
  await step(page, '3 Generate instructions');
  await expect(page.getByLabel('Temperature')).toBeVisible();
  await expect(page.getByTestId('section-augment-template')).not.toHaveAttribute('open');

  await useEndpoint(page, 'backward', env.server.url);
  await expect(next).toHaveText('Next: Check the mode, then press Generate instructions.');
  // Before Start: what the run costs; no run of this model yet, so no time.
  const estimate = page.getByTestId('augment-estimate');
  await expect(estimate).toContainText(`This run: ${segments} segments · prompts ≈ `);
  await expect(estimate).toContainText('estimated at 4 characters a token');
  await expect(estimate).toContainText('replies at most 2,560');
  await expect(estimate).toContainText('time: known once the first items finish');
  await expect(page.getByRole('radio', { name: /Prompted with reversed seed examples/ })).toBeChecked();
  await expect(page.getByTestId('augment-examples').locator('li')).not.toHaveCount(0);
  await page.getByRole('button', { name: 'Generate instructions' }).click();
  const runs = page.getByTestId('augment-runs');
  await expect(runs.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(runs.locator('tbody td').nth(5)).toHaveText(`${segments} / ${segments}`);
  await expect(next).toHaveText('Next: Instructions are written. Rate the pairs in step 4.');
  // A second run would take the first one's measured speed and reply length.
  await expect(estimate).toContainText(/replies ≈ \d+ tokens, at most 2,560 · time (under a second|about \d+ s|\d+ s to \d+ s) at [\d,]+ tokens\/s, the speed of the last run of test-model/);
  // Every request for an instruction (not the engine's capability probes at load).
  const asked = env.server.stats().chatRequests.filter((r) => r.body !== undefined && !isCapabilityProbe(r.body));
  expect(asked).toHaveLength(segments);
  // The prompt carried sample seed pairs, reversed, as examples: as many as the step listed.
  const shown = await page.getByTestId('augment-examples').locator('li').count();
  const outputs = readFileSync(SAMPLE('seeds.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { output: string }).output);
  const prompt = JSON.stringify(asked[0]?.body);
  expect(outputs.filter((o) => prompt.includes(JSON.stringify(o.slice(0, 60)).slice(1, -1))).length).toBe(shown);

  await step(page, '4 Rate');
  await expect(page.getByTestId('curate-estimate')).toContainText(`This run: ${segments} pairs`);
});
