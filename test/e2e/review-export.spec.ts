/**
 * Review and export on the built app, with pairs the app made itself: seed files and a Debian
 * Reference chapter dropped in, instructions written and rated by a real OpenAI-compatible
 * server started here (answering as the method's two models). Then, in Review: filter to the
 * kept pairs, edit one instruction (e, Enter) and accept it as it is (a), reject another (j, r);
 * in Export: write the chat `messages` JSONL and read the downloaded file back — every line
 * parses, the edited pair's line is exactly what it must be, and the rejected pair is not in it.
 *
 * The page's `showSaveFilePicker` is removed first: a test cannot answer the native save dialog,
 * so this covers the other path the app has, the download (Firefox and Safari users get it).
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChatServer, type ChatBody, type ChatServer } from '../support/chat-server.ts';
import { humpbackReply } from '../support/humpback-replies.ts';
import { createRatedProject, DEBIAN_SEEDS, isRating, step } from './app-steps.ts';

const EDITED = 'Summarise this section on shell scripting — in three sentences, please 🐋';

let server: ChatServer;
let dir: string;
test.beforeAll(async () => {
  server = await startChatServer({ reply: humpbackReply });
  dir = mkdtempSync(join(tmpdir(), 'humpback-review-e2e-'));
  writeFileSync(join(dir, 'seeds.json'), JSON.stringify(DEBIAN_SEEDS));
});
test.afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('review: edit one pair, reject one → export messages JSONL → the downloaded file holds exactly that', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w.showSaveFilePicker;
    delete (Object.getPrototypeOf(window) as Record<string, unknown>).showSaveFilePicker;
  });
  await page.goto('/');
  expect(await page.evaluate(() => typeof (window as unknown as Record<string, unknown>).showSaveFilePicker)).toBe('undefined');
  // Seeds, corpus, instructions, ratings — all through the app.
  await createRatedProject(page, 'Shell notes', join(dir, 'seeds.json'), server.url);
  const ratings = server.stats().chatRequests.filter((r) => isRating(r.body as ChatBody)).map((r) => r.body as ChatBody);
  const kept = ratings.filter((body) => Number(humpbackReply(body).slice(-1)) >= 4).length;
  expect(kept).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('funnel').getByTestId('funnel-kept')).toHaveText(`${kept} Kept`);

  // Review: every segment is a row; filter to the kept ones.
  await step(page, '5 Review');
  await expect(page.getByTestId('review-count')).toHaveText('20 pairs shown.');
  await page.getByTestId('filter-status-kept').check();
  await expect(page.getByTestId('review-count')).toHaveText(`${kept} pairs shown.`);
  await expect(page.getByTestId('review-row')).toHaveCount(kept);

  // Edit the first kept pair's instruction: e, type, Enter.
  await page.getByTestId('review-row').first().click();
  const detail = page.getByTestId('pair-detail');
  await expect(detail.getByTestId('detail-status')).toHaveText('kept');
  const editedSeq = await page.getByTestId('review-row').first().getAttribute('data-seq');
  await expect(detail.locator('h3')).toHaveText(`Pair ${editedSeq}`);
  const editedResponse = (await detail.getByTestId('detail-response').textContent()) ?? '';
  expect(editedResponse.length).toBeGreaterThan(100);
  // The model wrote "Instruction: …": clean-up's change is shown with what it removed.
  await detail.getByTestId('cleanup-changes').locator('summary').click();
  await expect(detail.getByTestId('cleanup-change')).toHaveText(['a label in front of the instruction removed Instruction:']);
  await page.keyboard.press('e');
  const editor = page.getByTestId('instruction-editor');
  await expect(editor).toBeFocused();
  await editor.fill(EDITED);
  await page.keyboard.press('Enter');
  await expect(detail.getByTestId('detail-instruction')).toHaveText(EDITED);
  await expect(detail.getByTestId('detail-edited')).toHaveText('instruction edited by hand');
  // Its rating judged the generated words: the edited pair waits for a rating — or an accept, a.
  await expect(detail.getByTestId('detail-status')).toHaveText('unrated');
  await expect(detail.getByTestId('detail-awaiting')).toContainText('it waits for a rating');
  await page.keyboard.press('a');
  await expect(detail.getByTestId('detail-status')).toHaveText('kept');
  await expect(detail.getByTestId('detail-human')).toHaveText('accepted by you');

  // Reject the next one: j, r.
  await page.keyboard.press('j');
  const rejectedSeq = await page.getByTestId('review-row').nth(1).getAttribute('data-seq');
  await expect(detail.locator('h3')).toHaveText(`Pair ${rejectedSeq}`);
  const rejectedResponse = (await detail.getByTestId('detail-response').textContent()) ?? '';
  await page.keyboard.press('r');
  await expect(detail.getByTestId('detail-status')).toHaveText('rejected');
  await expect(detail.getByTestId('detail-human')).toHaveText('rejected by you');
  expect(rejectedResponse).not.toBe(editedResponse);

  // Export the kept pairs as chat messages, without the seeds, and read the download back.
  await step(page, '6 Export / Train');
  await expect(page.getByTestId('export-format')).toHaveValue('messages');
  // Leaving the seeds out changes the project's curated set (Train follows); wait until it is saved.
  await page.getByTestId('export-seeds').uncheck();
  await expect(page.getByTestId('export-curation')).toContainText('seed pairs left out');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-run').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('shell-notes-messages.jsonl');
  const text = readFileSync(await download.path(), 'utf8');
  await expect(page.getByTestId('export-lines')).toHaveText(String(kept - 1));

  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  expect(lines.length).toBe(kept - 1);
  const parsed = lines.map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
  for (const p of parsed) expect(p.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  // The edited pair: its line, exactly.
  const editedLine = JSON.stringify({ messages: [{ role: 'user', content: EDITED }, { role: 'assistant', content: editedResponse }] });
  expect(lines.filter((l) => l === editedLine)).toHaveLength(1);
  // The rejected pair: nowhere.
  expect(parsed.filter((p) => p.messages[1]?.content === rejectedResponse)).toHaveLength(0);
  // The rest: generated instructions, each pair once.
  expect(new Set(parsed.map((p) => p.messages[1]?.content)).size).toBe(kept - 1);
  expect(parsed.filter((p) => p.messages[0]?.content !== EDITED).every((p) => p.messages[0]?.content.startsWith('Explain '))).toBe(true);
});
