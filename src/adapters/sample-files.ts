/**
 * The sample project's files, served with the app from public/sample/ (written for this project,
 * CC0): ten seed pairs long enough to serve as few-shot examples and three short Markdown guides
 * as the corpus. They arrive as the same `PickedFile`s a drop gives, so they take the same path.
 */
import type { PickedFile } from './file-drop.ts';

export const SAMPLE_SEED_FILES = ['seeds.jsonl'] as const;
export const SAMPLE_CORPUS_FILES = ['corpus/bread.md', 'corpus/bicycle.md', 'corpus/garden.md'] as const;

export class SampleFileMissingError extends Error {
  override name = 'SampleFileMissingError';
  constructor(path: string, status: number) {
    super(
      `The sample file ${path} could not be loaded (HTTP ${status}). It ships in public/sample/ with the app: rebuild it ` +
        '(npm start) or, on a static host, copy the whole dist/ folder. Your own files work without it: drop them in the Seed and Corpus steps.',
    );
  }
}

/** Fetches sample files by their path under `base` (the app's own sample/ folder). */
export async function fetchSampleFiles(
  paths: readonly string[],
  base = `${import.meta.env.BASE_URL}sample/`,
  get: typeof fetch = (input, init) => fetch(input, init),
): Promise<PickedFile[]> {
  return Promise.all(
    paths.map(async (path) => {
      const res = await get(`${base}${path}`);
      if (!res.ok) throw new SampleFileMissingError(path, res.status);
      const name = path.split('/').at(-1) ?? path;
      return { file: new File([await res.blob()], name, { type: res.headers.get('content-type') ?? '' }), path: name };
    }),
  );
}
