/**
 * Tokens counted per second by the tokenizer worker on the real corpus (Debian Reference, cut
 * into 600–2,000-character segments like the paper's), side by side with the same tokenizer
 * counting on the page's own thread; sentence-boundary cuts per second for overflowing segments.
 * The tokenizer is the tiny model's (test/fixtures/tokenizer/, a SentencePiece-style BPE with
 * byte fallback), served by this site: nothing is downloaded. No sentence-embedding model can be
 * fetched here, so embedding throughput is measured only when `embeddingHost`/`embeddingModel`
 * are given and reachable; otherwise the figure is absent and the reason is logged.
 */
import { startTokenWorker } from '../../../src/adapters/tokenizer/client.ts';
import { TokenizerService } from '../../../src/adapters/tokenizer/tokenizer-service.ts';
import type { BenchFigure } from '../figure.ts';

interface Input {
  corpus: string;
  /** Segments to count (default 5,000). */
  count?: number;
  embeddingHost?: string;
  embeddingModel?: string;
}

const FOLDER = '/test/fixtures/tokenizer/';

function segments(corpus: string, count: number): string[] {
  return Array.from({ length: count }, (_, seq) => {
    const len = 600 + ((seq * 104_729) % 1_400);
    const off = (seq * 7_919) % (corpus.length - len);
    return corpus.slice(off, off + len);
  });
}

export default async function bench(input: Input): Promise<BenchFigure[]> {
  const texts = segments(input.corpus, input.count ?? 5_000);
  const chars = texts.reduce((a, t) => a + t.length, 0);
  const worker = startTokenWorker();
  const figures: BenchFigure[] = [];
  try {
    await worker.tokenizer.load({ kind: 'repo', url: FOLDER });
    await worker.tokenizer.count(texts.slice(0, 50)); // warm-up

    let t0 = performance.now();
    const counts = await worker.tokenizer.count(texts);
    const workerSeconds = (performance.now() - t0) / 1000;
    const tokens = counts.reduce((a, b) => a + b, 0);

    const inPage = new TokenizerService();
    await inPage.load({ kind: 'repo', url: FOLDER });
    await inPage.count(texts.slice(0, 50));
    t0 = performance.now();
    await inPage.count(texts);
    const pageSeconds = (performance.now() - t0) / 1000;

    figures.push(
      { name: 'tokens counted (worker)', value: tokens / workerSeconds, unit: 'tokens/s', better: 'higher', vs: { name: 'same tokenizer on the page thread', value: tokens / pageSeconds } },
      { name: 'segments counted (worker)', value: texts.length / workerSeconds, unit: 'segments/s', better: 'higher' },
      { name: 'characters per token (tiny vocabulary)', value: chars / tokens, unit: 'chars/token', better: 'higher' },
    );

    // Cut every segment to half its tokens at a sentence end (each cut is a binary search of counts).
    const sample = texts.slice(0, 500);
    const limit = Math.floor(tokens / texts.length / 2);
    t0 = performance.now();
    await worker.tokenizer.truncate(sample, limit);
    figures.push({ name: `segments cut at a sentence end to ${limit} tokens (worker)`, value: sample.length / ((performance.now() - t0) / 1000), unit: 'segments/s', better: 'higher' });

    if (input.embeddingHost && input.embeddingModel) {
      try {
        await worker.embedder.load({ host: input.embeddingHost, model: input.embeddingModel });
        const batch = texts.slice(0, 200);
        t0 = performance.now();
        await worker.embedder.embed(batch);
        figures.push({ name: `embeddings (${input.embeddingModel}, worker, wasm)`, value: batch.length / ((performance.now() - t0) / 1000), unit: 'segments/s', better: 'higher' });
      } catch (err) {
        console.warn(`embedding throughput not measured: ${(err as Error).message}`);
      }
    } else {
      console.warn('embedding throughput not measured: no sentence-embedding model is available offline (pass embeddingHost and embeddingModel).');
    }
  } finally {
    worker.terminate();
  }
  return figures;
}
