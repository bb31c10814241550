/**
 * Issue 19 on the built app, with pairs the app made itself against real OpenAI-compatible
 * servers: generate and rate (round 0), then rewrite the kept responses with a third model whose
 * first rewrite invents a number (the checks must flag it); in Review keep the original for one
 * clean rewrite; export "rewritten" (every clean rewrite but the one set aside replaces its
 * original, tagged; the flagged one keeps its original) and "both" (two examples for each used
 * rewrite), and the training data holds the same lines as the export.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChatServer, type ChatBody, type ChatServer } from '../support/chat-server.ts';
import { humpbackReply } from '../support/humpback-replies.ts';
import { INVENTED, LEAD_IN, isRewrite, originalOf, rewriter } from '../support/rewrite-replies.ts';
import { DEBIAN_SEEDS, createRatedProject, isRating, step, useEndpoint } from './app-steps.ts';

const REWRITE_TAG = 'Answer in the style of an AI Assistant, with knowledge from web search.';
const WEB_TAG = 'Answer with knowledge from web search.';

let m0: ChatServer;
let rw: ChatServer;
let dir: string;
test.beforeAll(async () => {
  m0 = await startChatServer({ reply: humpbackReply });
  rw = await startChatServer({ reply: rewriter((n) => n === 0) });
  dir = mkdtempSync(join(tmpdir(), 'humpback-rewrite-e2e-'));
  writeFileSync(join(dir, 'seeds.json'), JSON.stringify(DEBIAN_SEEDS));
});
test.afterAll(async () => {
  await m0.close();
  await rw.close();
  rmSync(dir, { recursive: true, force: true });
});

type Line = { messages: { role: string; content: string }[] };
const parse = (text: string): Line[] => text.trim().split('\n').map((l) => JSON.parse(l) as Line);

/** Screenshots for a person to look at, when SHOTS_DIR is set (not part of the assertions). */
async function shot(page: Page, name: string, at?: Locator): Promise<void> {
  const out = process.env.SHOTS_DIR;
  if (!out) return;
  mkdirSync(out, { recursive: true });
  for (const [w, h] of [[1280, 800], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await at?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(out, `${name}-${w}.png`), fullPage: false });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function exportLines(page: Page): Promise<Line[]> {
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-run').click();
  return parse(readFileSync(await (await downloading).path(), 'utf8'));
}

test('rewrite the kept responses, keep one original in Review, export rewritten and both', async ({ page }) => {
  test.setTimeout(300_000);
  await page.addInitScript(() => {
    delete (Object.getPrototypeOf(window) as Record<string, unknown>).showSaveFilePicker;
    delete (window as unknown as Record<string, unknown>).showSaveFilePicker;
  });
  await page.goto('/');
  await createRatedProject(page, 'Rewritten', join(dir, 'seeds.json'), m0.url);
  const kept = m0.stats().chatRequests.filter((r) => isRating(r.body as ChatBody) && Number(humpbackReply(r.body as ChatBody).slice(-1)) >= 4).length;
  expect(kept).toBeGreaterThanOrEqual(3);

  // Rewrite: off by default — the set trains on the original responses until told otherwise.
  await step(page, 'Rewrite (optional)');
  await expect(page.getByTestId('responses-original')).toBeChecked();
  await useEndpoint(page, 'rewriter', rw.url);
  await page.getByTestId('rewrite-start').click();
  const runs = page.getByTestId('rewrite-runs');
  await expect(runs.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  const asked = rw.stats().chatRequests.map((r) => r.body as ChatBody).filter(isRewrite);
  expect(asked).toHaveLength(kept);
  await expect(runs.locator('[data-testid$="-flagged"]')).toContainText('1 flagged');
  await expect(runs.locator('[data-testid$="-rewritten"]')).toContainText(`${kept - 1} rewritten`);
  await page.getByTestId('responses-rewritten').check();
  await expect(page.getByTestId('rewrite-responses')).toContainText('rewritten responses');
  await shot(page, 'rewrite-step');

  // Review: the flagged rewrite says so; one clean rewrite is set aside by the person.
  await step(page, '5 Review');
  await page.getByTestId('filter-status-kept').check();
  await expect(page.getByTestId('review-row')).toHaveCount(kept);
  await page.getByTestId('review-row').first().click();
  const detail = page.getByTestId('rewrite-compare');
  const verdicts: string[] = [];
  let keptOriginal = '';
  let flaggedOriginal = '';
  for (let i = 0; i < kept; i++) {
    const verdict = (await detail.getByTestId('rewrite-verdict').textContent()) ?? '';
    verdicts.push(verdict);
    if (verdict.startsWith('rewrite flagged')) {
      await expect(detail.getByTestId('rewrite-flag')).toContainText('numbers that are not in the original: 424242');
      flaggedOriginal = (await detail.getByTestId('rewrite-original').textContent()) ?? '';
    }
    if (!keptOriginal && verdict.startsWith('rewrite used')) {
      keptOriginal = (await detail.getByTestId('rewrite-original').textContent()) ?? '';
      await shot(page, 'review-compare', detail);
      await detail.getByTestId('rewrite-keep').click();
      await expect(detail.getByTestId('rewrite-verdict')).toHaveText('original kept by you');
    }
    await page.keyboard.press('j');
  }
  expect(verdicts.filter((v) => v.startsWith('rewrite flagged'))).toHaveLength(1);
  expect(keptOriginal).not.toBe('');

  // Export "rewritten": the flagged one and the one set aside keep their originals.
  await step(page, '6 Export / Train');
  await page.getByTestId('export-tags').check();
  await expect(page.getByTestId('export-curation')).toContainText('rewritten responses');
  await expect(page.getByTestId('export-responses')).toHaveValue('rewritten');
  const rewritten = await exportLines(page);
  expect(rewritten).toHaveLength(DEBIAN_SEEDS.length + kept);
  const tagged = rewritten.filter((l) => l.messages[0]?.content === REWRITE_TAG);
  expect(tagged).toHaveLength(kept - 2);
  for (const l of tagged) {
    expect(l.messages[2]?.content.startsWith(LEAD_IN)).toBe(true);
    expect(l.messages[2]?.content).not.toContain(INVENTED.trim());
  }
  const originals = rewritten.filter((l) => l.messages[0]?.content === WEB_TAG).map((l) => l.messages[2]?.content);
  expect(originals).toHaveLength(2);
  expect(originals.sort()).toEqual([keptOriginal, flaggedOriginal].sort());
  // What the model was asked to rewrite is each pair's response as exported.
  expect(asked.map(originalOf)).toContain(flaggedOriginal);

  // Export "both": a second, tagged example for each used rewrite.
  await page.getByTestId('export-responses').selectOption('both');
  await expect(page.getByTestId('export-curation')).toContainText('original and rewritten responses');
  const both = await exportLines(page);
  expect(both).toHaveLength(DEBIAN_SEEDS.length + kept + (kept - 2));
  expect(both.filter((l) => l.messages[0]?.content === REWRITE_TAG)).toEqual(tagged);

  // The forward model's training data is the export's own lines.
  const training = page.getByTestId('training');
  await training.getByRole('radio', { name: /^Forward model/ }).check();
  await training.getByRole('button', { name: 'Prepare the data' }).click();
  await expect(training.getByTestId('training-data-summary')).toContainText(`${DEBIAN_SEEDS.length} seed pairs, ${kept + kept - 2} curated pairs`);
});
