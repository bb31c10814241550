/**
 * Token budgets on the built app: a corpus is read, the tiny GGUF is chosen for writing
 * instructions, the tiny model's tokenizer files are dropped, and the Generate instructions step
 * says which tokenizer is in use and how many segments fit the context llama.cpp reports, will be cut at a
 * sentence end, or will be skipped — for both choices; the choice and the tokenizer source are
 * kept with the project.
 */
import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));
const TINY_GGUF = fixture('tiny-llama.gguf');
const TOKENIZER = [fixture('tokenizer/tokenizer.json'), fixture('tokenizer/tokenizer_config.json')];
const CORPUS = fixture('corpus/debian-ch08.en.txt');

async function step(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: title }).click();
}

const num = (s: string | undefined) => Number((s ?? '').replaceAll(',', ''));

test('dropped tokenizer files: "Tokenizer in use" and the overflow counts before a run', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByLabel('Project name').fill('Token budgets');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-title')).toHaveText('Token budgets');

  await step(page, 'Corpus');
  await page.getByTestId('corpus-dropzone-files').setInputFiles(CORPUS);
  await expect(page.getByTestId('corpus-total')).toHaveText(/^\d[\d,]*$/, { timeout: 60_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 60_000 });

  await step(page, 'Generate instructions');
  const intro = /For each of the ([\d,]+) corpus segments/.exec((await page.getByTestId('augment-step').textContent()) ?? '');
  const segments = num(intro?.[1]);
  expect(segments).toBeGreaterThan(0);
  const engine = page.getByTestId('engine-panel-backward');
  await engine.getByTestId('gguf-drop-backward-files').setInputFiles(TINY_GGUF);
  await expect(engine.getByTestId('engine-describe')).toHaveText('wllama · tiny-llama.gguf (CPU)');
  await page.locator('input[name="augment-mode"][value="finetuned"]').check();

  await page.getByTestId('section-augment-budget').locator('summary').click(); // the token budget starts collapsed
  const budget = page.getByTestId('augment-budget');
  await expect(budget.getByTestId('tokenizer-in-use')).toContainText('No tokenizer loaded');
  await budget.getByTestId('tokenizer-dropzone-files').setInputFiles(TOKENIZER);
  await expect(budget.getByTestId('tokenizer-in-use')).toHaveText('Tokenizer in use: dropped files (LlamaTokenizer, vocab 427)');

  await budget.getByRole('button', { name: 'Measure the prompts' }).click();
  const counts = budget.getByTestId('augment-budget-counts');
  await expect(counts).toBeVisible({ timeout: 120_000 });
  const truncate = /^Of ([\d,]+) segments: ([\d,]+) fit, ([\d,]+) will be cut to fit, ([\d,]+) will be skipped/.exec((await counts.textContent())?.replace(/\s+/g, ' ').trim() ?? '');
  expect(truncate).not.toBeNull();
  const [, total, fits, cut, skipped] = (truncate ?? []).map(num);
  expect(total).toBe(segments);
  expect((fits ?? 0) + (cut ?? 0) + (skipped ?? 0)).toBe(segments);
  // Debian Reference segments are 600–3,000 characters: with a 427-token vocabulary most overflow the app's 2,048-token llama.cpp context.
  expect(cut).toBeGreaterThan(0);
  await expect(budget).toContainText('Context 2,048 tokens');
  // The estimate before Start now counts prompts with the tokenizer, the same total the budget shows.
  const inAll = /([\d,]+) prompt tokens in all/.exec((await budget.textContent()) ?? '')?.[1];
  expect(inAll).toBeDefined();
  await expect(page.getByTestId('augment-estimate')).toContainText(`prompts ${inAll} tokens (measured with the tokenizer)`);

  await budget.getByTestId('augment-overflow').selectOption('skip');
  await expect(counts).toHaveCount(0);
  await budget.getByRole('button', { name: 'Measure the prompts' }).click();
  await expect(counts).toHaveText(`Of ${total} segments: ${fits} fit, 0 will be cut to fit, ${(cut ?? 0) + (skipped ?? 0)} will be skipped.`, { timeout: 120_000 });
  await expect(page.getByTestId('notice')).toHaveCount(0);

  // The choice stays with the project; dropped files are asked for again after a reload.
  await page.reload();
  await expect(page.getByTestId('augment-overflow')).toHaveValue('skip');
  await expect(page.getByTestId('tokenizer-in-use')).toContainText('were dropped before the page was reloaded');
});
