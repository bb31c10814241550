/**
 * "Try a sample project": a new project filled with the bundled seed pairs and corpus, so a
 * newcomer can walk every step without files of their own. The files go through the same import
 * and ingest as a drop; the notice says how to run the model steps.
 */
import { fetchSampleFiles, SAMPLE_CORPUS_FILES, SAMPLE_SEED_FILES } from '../../adapters/sample-files.ts';
import type { PickedFile } from '../../adapters/file-drop.ts';
import { corpusOf } from '../corpus/corpus.svelte.ts';
import { seedsOf } from '../seed/seeds.svelte.ts';
import type { ProjectState } from './project.svelte.ts';

export const SAMPLE_PROJECT_NAME = 'Sample: bread, bicycles and gardens';

export const SAMPLE_HOW_TO_RUN =
  'Ten seed pairs and three short guides (CC0) are being read in. Next, open 3 Generate instructions and choose an engine: ' +
  'an OpenAI-compatible endpoint you run yourself (Ollama: `ollama serve`, base URL http://127.0.0.1:11434/v1; llama.cpp: ' +
  '`llama-server -m model.gguf`, base URL http://127.0.0.1:8080/v1), llama.cpp on the CPU with a small instruct GGUF file ' +
  'you have on disk, or web-llm on a GPU. Then rate the pairs in step 4 and look at them in Review.';

/** Imports the sample seeds (waits for them), then queues the corpus files (read in the background). */
export async function fillSampleProject(
  ps: ProjectState,
  files: (paths: readonly string[]) => Promise<PickedFile[]> = fetchSampleFiles,
): Promise<void> {
  try {
    const [seedFiles, corpusFiles] = await Promise.all([files(SAMPLE_SEED_FILES), files(SAMPLE_CORPUS_FILES)]);
    ps.notices.info('Sample project', SAMPLE_HOW_TO_RUN);
    const seeds = seedsOf(ps);
    await seeds.load();
    await seeds.importFiles(seedFiles);
    const corpus = corpusOf(ps);
    await corpus.load();
    corpus.add(corpusFiles);
  } catch (err) {
    ps.notices.error(err, 'Filling the sample project');
  }
}
