/**
 * How much of each prompt llama.cpp (inside wllama) really evaluates per item, with the prompt
 * templates laid out "pair first" (v1) and "static first" (v2), side by side in one run, on the
 * tiny GGUF written with a context the real templates fit in (the runner hands it over as a file).
 *
 * Per request, llama.cpp's timings give `cache_n` (prompt tokens reused from the slot's KV cache)
 * and the usage gives the prompt's total; evaluated = total − cache_n. Each layout rates the same
 * pairs (real Debian Reference passages as answers) in fast mode — one grammar-constrained token,
 * so the time is the prompt — and writes instructions for the same passages in prompted mode with
 * three reversed examples. The first item of each layout starts from a cache holding the other
 * layout's prompt, as a new run would; it is counted (a run of N items pays it once).
 *
 * Each layout sees each item once: llama.cpp keeps earlier prompts in a RAM prompt cache and
 * restores the most similar one, so a second pass over the same items would reuse whole prompts
 * and measure nothing about the layout.
 */
import { WllamaEngine } from '../../../src/adapters/wllama/wllama-engine.ts';
import { augmentStage } from '../../../src/core/stages/augment.ts';
import { curateStage } from '../../../src/core/stages/curate.ts';
import { BUILT_IN_TEMPLATES, type TemplateId } from '../../../src/core/stages/prompts.ts';
import { AUGMENT_SAMPLING, FAST_CURATE_SAMPLING, type AugmentConfig, type CurateConfig, type Example } from '../../../src/core/stages/stage.ts';
import type { LlmRequest } from '../../../src/ports/llm.ts';
import type { BenchFigure } from '../figure.ts';

interface Input {
  corpus: string;
  /** Items per layout. */
  items?: number;
  contextSize?: number;
}

/** Passages of 1,400–2,000 characters cut at blank lines, as the segmenter would keep them. */
function passages(text: string, count: number, skip: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const para of text.split(/\n\s*\n/)) {
    const p = para.trim();
    if (!p) continue;
    cur = cur ? `${cur}\n\n${p}` : p;
    if (cur.length >= 1400) {
      if (cur.length <= 2000) out.push(cur);
      cur = '';
      if (out.length >= count + skip) break;
    }
  }
  return out.slice(skip);
}

const firstWords = (text: string, n: number) => text.split(/\s+/).slice(0, n).join(' ');
const model = { engine: 'wllama' as const, model: 'tiny-llama-8k.gguf' };

interface Tally {
  total: number;
  evaluated: number;
  ms: number;
  items: number;
}

async function measure(engine: WllamaEngine, requests: LlmRequest[]): Promise<Tally> {
  const t: Tally = { total: 0, evaluated: 0, ms: 0, items: 0 };
  for (const req of requests) {
    const started = performance.now();
    const reply = await engine.complete(req);
    t.ms += performance.now() - started;
    if (reply.usage.cachedPromptTokens === undefined) throw new Error('llama.cpp sent no timings.cache_n: cannot tell evaluated from reused tokens');
    t.total += reply.usage.promptTokens;
    t.evaluated += reply.usage.promptTokens - reply.usage.cachedPromptTokens;
    t.items++;
  }
  return t;
}

const template = (id: TemplateId, layout: 'static-first' | 'pair-first') => {
  const t = BUILT_IN_TEMPLATES[id].find((b) => b.layout === layout);
  if (!t) throw new Error(`no ${layout} wording of ${id}`);
  return t;
};

export async function benchPrefix({ corpus, items = 24, contextSize = 8192 }: Input): Promise<BenchFigure[]> {
  const file = document.querySelector<HTMLInputElement>('#bench-files')?.files?.[0];
  if (!file) throw new Error('The runner gives this bench its model through #bench-files.');
  const answers = passages(corpus, items, 3);
  const examples: Example[] = passages(corpus, 3, 0).map((p) => ({ instruction: `Explain what "${firstWords(p, 6)}" is about.`, response: p }));
  const pairs = answers.map((response, seq) => ({ seq, segmentId: `s${seq}`, instruction: `How do I ${firstWords(response, 8).toLowerCase()}?`, response }));

  const engine = new WllamaEngine({ gpu: false, contextSize });
  await engine.load(file);
  const curateCfg: CurateConfig = { model, sampling: FAST_CURATE_SAMPLING, round: 0, constrained: true, topLogprobs: 0 };
  const augmentCfg: AugmentConfig = { model, sampling: { ...AUGMENT_SAMPLING, maxTokens: 16, seed: 7 }, examples, maxInstructionChars: 600, maxExampleChars: 1200 };
  const rating = (layout: 'static-first' | 'pair-first') => pairs.map((p) => curateStage(template('curate-fast', layout)).request(p, curateCfg));
  const prompted = (layout: 'static-first' | 'pair-first') =>
    pairs.map((p) => augmentStage(template('augment-prompted', layout)).request({ seq: p.seq, segmentId: p.segmentId, text: p.response }, augmentCfg));

  const oldR = await measure(engine, rating('pair-first'));
  const newR = await measure(engine, rating('static-first'));
  const oldPrompted = await measure(engine, prompted('pair-first'));
  const newPrompted = await measure(engine, prompted('static-first'));
  await engine.unload();

  const share = (t: Tally) => t.evaluated / t.total;
  const perPair = (t: Tally) => Math.round(t.total / t.items);
  return [
    {
      name: 'prefix.rating.evaluated_share',
      value: share(newR),
      unit: `of the prompt's tokens evaluated per pair (value: static first; about ${perPair(newR)} tokens per prompt; from llama.cpp timings.cache_n in wllama)`,
      better: 'lower',
      vs: { name: 'pair first (v1)', value: share(oldR) },
      target: '≤ 0.65',
    },
    {
      name: 'prefix.prompted.evaluated_share',
      value: share(newPrompted),
      unit: `of the prompt's tokens evaluated per passage (prompted mode, 3 examples, ${perPair(newPrompted)} tokens per prompt)`,
      better: 'lower',
      vs: { name: 'pair first (v1)', value: share(oldPrompted) },
      target: '≤ 0.45',
    },
    {
      name: 'prefix.rating.pairs_per_s',
      value: (newR.items / newR.ms) * 1000,
      unit: 'pairs/s rated (fast mode, one constrained token, CPU, tiny model)',
      better: 'higher',
      vs: { name: 'pair first (v1)', value: (oldR.items / oldR.ms) * 1000 },
    },
  ];
}

export default (input: unknown) => benchPrefix(input as Input);
