/**
 * The user's first act: drop real documents (chapters of the Debian reference as HTML and the
 * whole book as text) together with bad files onto the built app, and see per-file counts and
 * before → after counts that equal what the same core pipeline computes here in node on the same
 * files — then reload and see the same numbers, read back from IndexedDB.
 */
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFormat, looksBinary } from '../../src/core/corpus/formats.ts';
import type { StepCount } from '../../src/core/corpus/filters.ts';
import { CorpusPipeline, DEFAULT_CORPUS_SETTINGS } from '../../src/core/corpus/pipeline.ts';
import { note } from '../support/prose-notes.ts';

const BOOK = fileURLToPath(new URL('../../../shared/corpora/debian-reference/', import.meta.url));

interface Expected {
  path: string;
  skipped?: 'binary';
  produced: number;
  issues: Record<string, number>;
}

/** What the ingest worker does per file, here in node on the same bytes and in the same order. */
function expectedCounts(files: readonly string[], pathOf = (file: string) => basename(file)): { files: Expected[]; counts: StepCount[] } {
  const pipeline = new CorpusPipeline(DEFAULT_CORPUS_SETTINGS);
  const out: Expected[] = [];
  for (const file of files) {
    const path = pathOf(file);
    const bytes = new Uint8Array(readFileSync(file));
    if (looksBinary(bytes.subarray(0, 4096))) {
      out.push({ path, skipped: 'binary', produced: 0, issues: {} });
      continue;
    }
    const ingest = pipeline.openFile({ docId: path, path, format: detectFormat(path).format });
    const decoder = new TextDecoder();
    const piece = 64 * 1024;
    for (let i = 0; i < bytes.length; i += piece) ingest.pushText(decoder.decode(bytes.subarray(i, i + piece), { stream: true }));
    ingest.pushText(decoder.decode());
    ingest.end();
    out.push({ path, produced: ingest.produced, issues: { ...ingest.issueCounts } });
  }
  return { files: out, counts: pipeline.counts() };
}

const fmt = (n: number) => n.toLocaleString('en-US');

async function expectShown(page: Page, expected: ReturnType<typeof expectedCounts>) {
  const rows = page.getByTestId('corpus-file');
  await expect(rows).toHaveCount(expected.files.length);
  for (const f of expected.files) {
    const row = page.locator(`[data-testid="corpus-file"][data-path="${f.path}"]`);
    if (f.skipped) {
      await expect(row).toHaveAttribute('data-status', 'skipped');
      continue;
    }
    await expect(row).toHaveAttribute('data-status', 'done');
    await expect(row.getByTestId('corpus-file-status')).toHaveText(`Done: ${fmt(f.produced)} segments`);
  }
  const total = expected.files.reduce((n, f) => n + f.produced, 0);
  await expect(page.getByTestId('corpus-total')).toHaveText(fmt(total));
  expect(expected.counts.at(-1)?.after).toBe(total);
  const steps = page.getByTestId('corpus-step');
  await expect(steps).toHaveCount(expected.counts.length);
  await expect(steps.getByTestId('corpus-step-before')).toHaveText(expected.counts.map((c) => fmt(c.before)));
  await expect(steps.getByTestId('corpus-step-after')).toHaveText(expected.counts.map((c) => fmt(c.after)));
}

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corpus-e2e-'));
  const lines = [JSON.stringify({ text: note(1) }), JSON.stringify({ text: note(2) }), '{"text": "cut off', JSON.stringify({ text: note(3) }), 'not json at all'];
  writeFileSync(join(dir, 'broken.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'photo.txt'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('drops real documents and bad files, shows the counts the pipeline computes, and keeps them after a reload', async ({ page }) => {
  const files = [join(BOOK, 'ch03.en.html'), join(BOOK, 'ch08.en.html'), join(BOOK, 'debian-reference.en.txt'), join(dir, 'broken.jsonl'), join(dir, 'photo.txt')];
  const expected = expectedCounts(files);
  // The expectations are about real content: every good file yields segments, the broken one has its two bad lines.
  expect(expected.files.filter((f) => !f.skipped).every((f) => f.produced > 0)).toBe(true);
  expect(expected.files.find((f) => f.path === 'broken.jsonl')).toEqual({ path: 'broken.jsonl', produced: 3, issues: { 'malformed-line': 2 } });

  await page.goto('/');
  await page.getByLabel('Project name').fill('Corpus e2e');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: '2 Corpus' }).click();
  await expect(page).toHaveURL(/\/corpus$/);
  await expect(page.getByTestId('corpus-dropzone')).toBeVisible();

  await page.getByTestId('corpus-dropzone-files').setInputFiles(files);
  // Every file reaches a final status; then the overview shows.
  await expect(page.locator('[data-testid="corpus-file"][data-status="done"]')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('corpus-progress')).toHaveCount(0);
  await expectShown(page, expected);

  const broken = page.locator('[data-testid="corpus-file"][data-path="broken.jsonl"]');
  await expect(broken.getByTestId('corpus-file-issue')).toHaveText('2 malformed lines (first at line 3)');
  const photo = page.locator('[data-testid="corpus-file"][data-path="photo.txt"]');
  await expect(photo.getByTestId('corpus-file-status')).toHaveText('Skipped: "photo.txt" looks like a binary file, not text. Export it as text, Markdown, HTML or PDF first.');

  // One file's own before → after.
  await page.getByTestId('corpus-steps-scope').selectOption({ label: 'broken.jsonl' });
  await expect(page.getByTestId('corpus-step').last().getByTestId('corpus-step-after')).toHaveText('3');
  await page.getByTestId('corpus-steps-scope').selectOption({ label: 'the whole corpus' });

  // A random sample of 5 with a seed: 5 segments with their provenance.
  const total = expected.files.reduce((n, f) => n + f.produced, 0);
  await page.getByLabel('A random sample').check();
  await page.getByTestId('corpus-sample-n').fill('5');
  await page.getByRole('button', { name: 'Use this sample' }).click();
  await expect(page.getByTestId('corpus-selected')).toHaveText(`5 of ${fmt(total)} segments selected.`);
  await expect(page.getByTestId('corpus-segment')).toHaveCount(5);
  const where = await page.getByTestId('corpus-segment').locator('.where').allTextContents();
  for (const w of where) expect(w).toMatch(/^(ch03\.en\.html|ch08\.en\.html|debian-reference\.en\.txt|broken\.jsonl) · .*offset [\d,]+ · [\d,]+ characters$/);

  // Reload: the same files, statuses and counts, read back from IndexedDB; the sample choice too.
  await page.reload();
  await expectShown(page, expected);
  await expect(broken.getByTestId('corpus-file-issue')).toHaveText('2 malformed lines (first at line 3)');
  await expect(page.getByTestId('corpus-selected')).toHaveText(`5 of ${fmt(total)} segments selected.`);
  // After a reload the page no longer holds the bad file; it says so rather than offering to read it.
  await expect(photo).toHaveAttribute('data-status', 'skipped');
});

test('drops a whole folder: files keep their paths inside it', async ({ page }) => {
  const folder = join(dir, 'book');
  mkdirSync(join(folder, 'appendix'), { recursive: true });
  copyFileSync(join(BOOK, 'pr01.en.html'), join(folder, 'pr01.en.html'));
  copyFileSync(join(BOOK, 'apa.en.html'), join(folder, 'appendix', 'apa.en.html'));
  writeFileSync(join(folder, 'appendix', 'notes.md'), `# Field notes\n\n${note(7)}\n\n# Second look\n\n${note(8)}\n`);
  const files = [join(folder, 'appendix', 'apa.en.html'), join(folder, 'appendix', 'notes.md'), join(folder, 'pr01.en.html')];
  const expected = expectedCounts(files, (f) => 'book/' + f.slice(folder.length + 1));
  expect(expected.files.map((f) => f.path)).toEqual(['book/appendix/apa.en.html', 'book/appendix/notes.md', 'book/pr01.en.html']);
  expect(expected.files.map((f) => f.produced > 0)).toEqual([true, true, true]);
  expect(expected.files.find((f) => f.path === 'book/appendix/notes.md')?.produced).toBe(2);

  await page.goto('/');
  await page.getByLabel('Project name').fill('Folder e2e');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: '2 Corpus' }).click();
  await page.getByTestId('corpus-dropzone-folder').setInputFiles(folder);
  await expect(page.getByTestId('corpus-progress')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator('[data-testid="corpus-file"][data-status="done"]')).toHaveCount(3);
  for (const f of expected.files) {
    await expect(page.locator(`[data-testid="corpus-file"][data-path="${f.path}"]`).getByTestId('corpus-file-status')).toHaveText(`Done: ${fmt(f.produced)} ${f.produced === 1 ? 'segment' : 'segments'}`);
  }
  await expect(page.getByTestId('corpus-total')).toHaveText(fmt(expected.files.reduce((n, f) => n + f.produced, 0)));
});

test('a file deleted from disk while it is read fails with a message; the other files are read', async ({ page }) => {
  // Big enough that reading it takes far longer than deleting it right after the drop.
  const going = join(dir, 'going.txt');
  const prose = Array.from({ length: 40_000 }, (_, i) => note(i)).join('\n\n');
  writeFileSync(going, prose);
  const staying = join(dir, 'staying.md');
  writeFileSync(staying, `# Kept\n\n${note(90_001)}\n`);

  await page.goto('/');
  await page.getByLabel('Project name').fill('Vanishing e2e');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: '2 Corpus' }).click();
  await page.getByTestId('corpus-dropzone-files').setInputFiles([going, staying]);
  rmSync(going);

  await expect(page.getByTestId('corpus-progress')).toHaveCount(0, { timeout: 60_000 });
  const row = page.locator('[data-testid="corpus-file"][data-path="going.txt"]');
  await expect(row).toHaveAttribute('data-status', 'failed');
  await expect(row.getByTestId('corpus-file-status')).toHaveText(/^Failed: Could not read "going\.txt" \(.+\)\. If it was moved, changed or deleted, drop it again\.$/);
  const kept = page.locator('[data-testid="corpus-file"][data-path="staying.md"]');
  await expect(kept.getByTestId('corpus-file-status')).toHaveText('Done: 1 segment');
  // Nothing of the vanished file was kept: the total is the other file's one segment.
  await expect(page.getByTestId('corpus-total')).toHaveText('1');
});

/**
 * A real drop from disk (Chromium's own drag-and-drop, driven over the DevTools protocol), so the
 * page gets what a user's drop gives: folder entries and File System Access handles.
 */
async function dropFromDisk(page: Page, testId: string, paths: string[]): Promise<void> {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not on the page`);
  const cdp = await page.context().newCDPSession(page);
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  await cdp.detach();
}

test('a reload in the middle of a dropped folder: one click reads the unfinished files again from disk, nothing twice', async ({ page }) => {
  const folder = join(dir, 'shelf');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  // Long enough that the reload comes while it is being read.
  writeFileSync(join(folder, 'a-long.txt'), Array.from({ length: 60_000 }, (_, i) => note(200_000 + i)).join('\n\n'));
  copyFileSync(join(BOOK, 'pr01.en.html'), join(folder, 'b-preface.html'));
  writeFileSync(join(folder, 'sub', 'notes.md'), `# Field notes\n\n${note(300_001)}\n\n# Second look\n\n${note(300_002)}\n`);
  const files = [join(folder, 'a-long.txt'), join(folder, 'b-preface.html'), join(folder, 'sub', 'notes.md')];
  const expected = expectedCounts(files, (f) => 'shelf/' + f.slice(folder.length + 1));

  await page.goto('/');
  await page.getByLabel('Project name').fill('Reload e2e');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: '2 Corpus' }).click();
  await dropFromDisk(page, 'corpus-dropzone', [folder]);
  const long = page.locator('[data-testid="corpus-file"][data-path="shelf/a-long.txt"]');
  // Two thousand segments in, at least one chunk of them is stored, so the store has it as half-read.
  await expect(long.getByTestId('corpus-file-status')).toHaveText(/^Reading… ([2-9]|\d\d),\d{3} segments so far$/, { timeout: 60_000 });
  await page.reload();

  // The half-read file was rolled back; the page still knows where the folder is.
  await expect(page.getByTestId('corpus-restarted')).toContainText('Reading stopped in the middle of shelf/a-long.txt last time.');
  await expect(page.getByTestId('corpus-restarted')).toContainText('"Read the waiting files" reads it again from the start.');
  await expect(long.getByTestId('corpus-file-status')).toHaveText('Waiting: not read yet.');
  await page.getByRole('button', { name: /^Read the \d waiting files?$/ }).click();

  await expect(page.getByTestId('corpus-progress')).toHaveCount(0, { timeout: 90_000 });
  await expectShown(page, expected);
  await expect(page.getByRole('button', { name: /^Read the/ })).toHaveCount(0);
  await expect(page.getByTestId('corpus-restarted')).toHaveCount(0);
});
