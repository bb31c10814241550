/**
 * The seed step on the built app: drop two hand-written seed files (Alpaca rows and an
 * OpenAssistant export full of broken rows) and a cut-off .gz, read the exact counts at every
 * filter and each file's skipped rows with their lines, pin and swap a few-shot example,
 * download the backward model's training set and check its direction (the instruction is the
 * assistant turn), then reload and see the same numbers read back from IndexedDB.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/seed/${name}`, import.meta.url));

const count = (page: Page, step: string) => page.getByTestId(`seed-total-${step}`).getByTestId('count');
const card = (page: Page, path: string) => page.locator(`[data-testid="seed-file"][data-path="${path}"]`);
const skip = (file: Locator, code: string) => file.getByTestId(`seed-skip-${code}`).locator('td');

async function expectCounts(page: Page): Promise<void> {
  await expect(count(page, 'rows')).toHaveText('31 → 13');
  await expect(page.getByTestId('seed-total-rows')).toContainText('11 rows skipped (see each file); 1 file could not be read');
  await expect(count(page, 'single-turn')).toHaveText('13 → 12');
  await expect(count(page, 'language')).toHaveText('12 → 10');
  await expect(count(page, 'top-rank')).toHaveText('10 → 8');
  await expect(page.getByTestId('seed-total-top-rank').getByTestId('removed')).toHaveText('1 not the top-ranked reply, 1 reply not ranked');
  await expect(count(page, 'empty')).toHaveText('8 → 8');
  await expect(count(page, 'duplicate')).toHaveText('8 → 8');
  await expect(count(page, 'across-files')).toHaveText('8 → 7');
  await expect(page.getByTestId('seed-total-across-files').getByTestId('removed')).toHaveText('1 already in the project from another file');
  await expect(page.getByRole('heading', { name: 'Seed set: 7 pairs from 3 files' })).toBeVisible();
  await expect(page.getByTestId('seed-languages')).toHaveText('Languages (declared or guessed): English 7');

  const alpaca = card(page, 'alpaca-long.jsonl');
  await expect(alpaca.getByTestId('seed-file-flow')).toHaveText('10 rows → 8 exchanges → 7 kept by the filters → 7 added');
  await expect(skip(alpaca, 'missing-field')).toHaveText(['A field the format needs is missing', '1', '9']);
  await expect(skip(alpaca, 'malformed-json')).toHaveText(['Not valid JSON', '1', '10']);

  const oasst = card(page, 'oasst-flat.jsonl');
  await expect(oasst.getByTestId('seed-file-flow')).toHaveText('21 rows → 5 exchanges → 1 kept by the filters → 0 added (1 already in the project)');
  await expect(oasst.getByTestId('seed-step-top-rank')).toHaveText('Top-ranked reply (OpenAssistant rank 0): 3 → 1, 1 not the top-ranked reply, 1 reply not ranked');
  await expect(skip(oasst, 'orphan')).toHaveText(['A reply whose question is not in the file', '1', '10']);
  await expect(skip(oasst, 'wrong-order')).toHaveText(['Turns are not question then answer', '2', '11, 14']);
  await expect(skip(oasst, 'deleted')).toHaveText(['Marked deleted by OpenAssistant', '1', '15']);
  await expect(skip(oasst, 'malformed-json')).toHaveText(['Not valid JSON', '1', '19']);
  await expect(oasst.locator('[data-testid^="seed-skip-"]')).toHaveCount(8);

  const cut = card(page, 'cut.jsonl.gz');
  await expect(cut.getByTestId('seed-file-status')).toHaveText('could not be read');
  await expect(cut.getByTestId('seed-file-message')).toHaveText(
    'Could not read cut.jsonl.gz: it is not a complete gzip file. Check it decompresses on your computer (or drop the uncompressed file), then try again.',
  );
}

test('seed files: counts at each filter, skipped rows per file, examples, reversed download, reload', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Project name').fill('Seed set');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/#\/p\/p_[0-9a-f]+\/seed$/);

  const gz = gzipSync(readFileSync(fixture('guanaco.jsonl'))).subarray(0, 40);
  await page.getByTestId('seed-dropzone-files').setInputFiles([
    { name: 'alpaca-long.jsonl', mimeType: 'application/jsonl', buffer: readFileSync(fixture('alpaca-long.jsonl')) },
    { name: 'oasst-flat.jsonl', mimeType: 'application/jsonl', buffer: readFileSync(fixture('oasst-flat.jsonl')) },
    { name: 'cut.jsonl.gz', mimeType: 'application/gzip', buffer: gz },
  ]);
  await expectCounts(page);
  await expect(page.getByTestId('seed-page')).toHaveText('Pairs 1–7 of 7');

  // Four examples, seeded; pin one, swap another for the most different pair not shown.
  const examples = page.getByTestId('seed-example-instruction');
  await expect(examples).toHaveText([
    'What is the difference between weather and climate?',
    'Write a short thank-you note to a neighbour who watered my plants.',
    'How do I boil an egg?',
    'How does a bicycle stay upright when it moves?',
  ]);
  await page.getByTestId('seed-example').nth(1).getByRole('button', { name: /^Pin example/ }).click();
  await expect(page.getByTestId('seed-example').nth(1).getByText('Pinned', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Swap example: How do I boil an egg?' }).click();
  await expect(examples.nth(2)).toHaveText('Suggest a simple dinner I can cook with rice, beans and tomatoes.');

  // The backward model's training set: the response is the user turn, the instruction the assistant turn.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download 7 reversed pairs' }).click()]);
  expect(download.suggestedFilename()).toBe('seed-set-backward-messages.jsonl');
  const lines = readFileSync(await download.path(), 'utf8').trimEnd().split('\n');
  expect(lines).toHaveLength(7);
  const first = JSON.parse(lines[0] ?? '') as { messages: { role: string; content: string }[] };
  expect(first.messages).toEqual([
    { role: 'system', content: 'Write the instruction that the following text answers.' },
    { role: 'user', content: 'Place the egg in boiling water for about nine minutes, then cool it in cold water.' },
    { role: 'assistant', content: 'How do I boil an egg?' },
  ]);

  await page.getByLabel('Shape').selectOption('text');
  await page.getByLabel('Template').selectOption('chatml');
  const [chatml] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download 7 reversed pairs' }).click()]);
  expect(chatml.suggestedFilename()).toBe('seed-set-backward-text-chatml.jsonl');
  const text = JSON.parse(readFileSync(await chatml.path(), 'utf8').split('\n')[1] ?? '') as { text: string };
  expect(text.text).toBe(
    '<|im_start|>system\nWrite the instruction that the following text answers.<|im_end|>\n' +
      '<|im_start|>user\nSunlight is made of many colours. The air scatters the short blue waves much more than the long red ones, so blue light reaches our eyes from every part of the sky.<|im_end|>\n' +
      '<|im_start|>assistant\nExplain why the sky is blue.<|im_end|>\n',
  );

  // Everything comes back after a reload: counts, reports, the pinned and swapped examples.
  await page.reload();
  await expectCounts(page);
  await expect(examples).toHaveText([
    'What is the difference between weather and climate?',
    'Write a short thank-you note to a neighbour who watered my plants.',
    'Suggest a simple dinner I can cook with rice, beans and tomatoes.',
    'How does a bicycle stay upright when it moves?',
  ]);
  await expect(page.getByTestId('seed-example').nth(1).getByText('Pinned', { exact: true })).toBeVisible();
  // Files from before the reload must be dropped again to be read in another format.
  await expect(card(page, 'alpaca-long.jsonl').getByTestId('seed-format')).toBeDisabled();
  await expect(card(page, 'alpaca-long.jsonl').getByTestId('seed-format-note')).toHaveText(
    'detected from 8 of the first 10 rows; drop the file again to read it in another format',
  );

  // Removing a file takes its pairs out and the counts with it.
  await card(page, 'alpaca-long.jsonl').getByRole('button', { name: 'Remove alpaca-long.jsonl' }).click();
  await card(page, 'alpaca-long.jsonl').getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(card(page, 'alpaca-long.jsonl')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Seed set: 0 pairs from 2 files' })).toBeVisible();
  await expect(count(page, 'rows')).toHaveText('21 → 5');
});
