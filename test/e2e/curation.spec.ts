/**
 * One curated set, on the built app, with pairs the app made itself: generate and rate (round 0)
 * against a real OpenAI-compatible server; in Review reject two kept pairs and edit a third; rate
 * round 1 with a different model on another server — one that gives every pair a 5, so a lost
 * decision would show. Then export the chat `messages` JSONL and prepare the forward model's
 * training data: the downloaded export and the bundle's training file agree line for line, both
 * hold the edited pair in the person's words, and neither holds the two rejected pairs.
 */
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { startChatServer, type ChatBody, type ChatServer } from '../support/chat-server.ts';
import { humpbackReply } from '../support/humpback-replies.ts';
import { DEBIAN_SEEDS, createRatedProject, isRating, step, useHumpbackServer } from './app-steps.ts';

const EDITED = 'List the three steps this section gives, one line each.';

const m0 = useHumpbackServer();
let m1: ChatServer;
test.beforeAll(async () => {
  // A newer, kinder curator: every pair gets a 5.
  m1 = await startChatServer({
    models: [{ id: 'curator-m1', max_model_len: 4096 }],
    reply: (body) => (isRating(body) ? 'Written as an assistant would, complete and clear.\nScore: 5' : humpbackReply(body)),
  });
});
test.afterAll(async () => {
  await m1.close();
});

type Line = { messages: { role: string; content: string }[] };
const parse = (text: string): Line[] => text.trim().split('\n').map((l) => JSON.parse(l) as Line);

async function rememberResponse(page: Page): Promise<string> {
  return (await page.getByTestId('pair-detail').getByTestId('detail-response').textContent()) ?? '';
}

test('reject two, edit one, rate round 1 with another model: export and training data agree line for line', async ({ page }) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => {
    delete (Object.getPrototypeOf(window) as Record<string, unknown>).showSaveFilePicker;
    delete (window as unknown as Record<string, unknown>).showSaveFilePicker;
  });
  await page.goto('/');
  await createRatedProject(page, 'Curated once', m0.seedFile, m0.server.url);
  const ratings = m0.server.stats().chatRequests.filter((r) => isRating(r.body as ChatBody));
  const usable = ratings.length;
  const kept0 = ratings.filter((r) => Number(humpbackReply(r.body as ChatBody).slice(-1)) >= 4).length;
  expect(kept0).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('curation-label')).toContainText('latest rated generation run, latest round (M0), A4 (score ≥ 4), seed pairs included');

  // Review: reject two kept pairs, edit a third.
  await step(page, '5 Review');
  await page.getByTestId('filter-status-kept').check();
  await expect(page.getByTestId('review-row')).toHaveCount(kept0);
  await page.getByTestId('review-row').first().click();
  const detail = page.getByTestId('pair-detail');
  const rejected = [await rememberResponse(page)];
  await page.keyboard.press('r');
  await expect(detail.getByTestId('detail-status')).toHaveText('rejected');
  await page.keyboard.press('j');
  rejected.push(await rememberResponse(page));
  await page.keyboard.press('r');
  await expect(detail.getByTestId('detail-decision')).toHaveText('Rejected by you in round 0; this overrides every rating, in every round.');
  await page.keyboard.press('j');
  const editedResponse = await rememberResponse(page);
  await page.keyboard.press('e');
  await page.getByTestId('instruction-editor').fill(EDITED);
  await page.keyboard.press('Enter');
  await expect(detail.getByTestId('detail-instruction')).toHaveText(EDITED);
  await expect(detail.getByTestId('detail-awaiting')).toContainText('it waits for a rating');
  expect(new Set([...rejected, editedResponse]).size).toBe(3);

  // Round 1 with another model, which rates every pair 5.
  await step(page, '4 Rate');
  await expect(page.getByTestId('edited-pairs')).toContainText('1 pair was edited by hand since its rating');
  const panel = page.getByTestId('engine-panel-curator');
  await panel.getByLabel('Base URL').fill(m1.url);
  await panel.getByRole('button', { name: 'List models' }).click();
  await expect(panel.getByTestId('endpoint-models').locator('option')).toHaveText(['curator-m1 (4,096 tokens)']);
  await panel.getByRole('button', { name: 'Use this endpoint' }).click();
  await expect(panel.getByTestId('engine-describe')).toHaveText(`endpoint · curator-m1 at ${m1.url}`);
  await page.getByTestId('curate-round').fill('1');
  await page.getByRole('button', { name: 'Rate pairs' }).click();
  await expect(page.getByTestId('curate-runs').getByTestId('run-status')).toHaveText(['done', 'done'], { timeout: 60_000 });
  // M1 rated the person's words, not the model's.
  expect(m1.stats().chatRequests.some((r) => (JSON.stringify(r.body) ?? '').includes(EDITED))).toBe(true);
  await expect(page.getByTestId('curation-label')).toContainText('latest round (M1)');
  await expect(page.getByTestId('funnel').getByTestId('funnel-kept')).toHaveText(`${usable - 2} Kept`);
  await expect(page.getByTestId('funnel-human')).toHaveText('0 accepted, 2 rejected');
  await expect(page.getByTestId('overrides')).toContainText('2 you rejected that it would keep');
  await expect(page.getByTestId('overrides')).toContainText('rejected by you in round 0; M1 gave 5');

  // Export with the paper's source tags, seeds included (the set's default).
  await step(page, '6 Export / Train');
  await page.getByTestId('export-tags').check();
  await expect(page.getByTestId('export-curation')).toContainText('latest round (M1), A4 (score ≥ 4), seed pairs included');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-run').click();
  const exported = parse(readFileSync(await (await downloading).path(), 'utf8'));
  expect(exported).toHaveLength(DEBIAN_SEEDS.length + usable - 2);

  // The forward model's data, through the training bundle.
  const training = page.getByTestId('training');
  await training.getByRole('radio', { name: /^Forward model/ }).check();
  await expect(training.getByTestId('training-curation')).toContainText('latest round (M1)');
  await training.getByRole('button', { name: 'Prepare the data' }).click();
  await expect(training.getByTestId('training-data-summary')).toContainText(`${DEBIAN_SEEDS.length} seed pairs, ${usable - 2} curated pairs`);
  await training.getByLabel('Base model').fill('meta-llama/Llama-2-7b-hf');
  const [bundle] = await Promise.all([page.waitForEvent('download'), training.getByRole('button', { name: 'Download training bundle (.zip)' }).click()]);
  const files = unzipSync(new Uint8Array(readFileSync(await bundle.path())));
  const trained = parse(strFromU8(files['data/train.jsonl'] as Uint8Array));
  expect(strFromU8(files['README.md'] as Uint8Array)).toContain('the curated set: latest rated generation run, latest round (M1)');

  expect(trained).toEqual(exported);
  const responses = exported.map((l) => l.messages.at(-1)?.content);
  for (const r of rejected) expect(responses).not.toContain(r);
  expect(exported.filter((l) => l.messages[1]?.content === EDITED && l.messages[2]?.content === editedResponse)).toHaveLength(1);
});
