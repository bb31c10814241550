/**
 * wllama engine on the tiny GGUF the repository ships: load time, prompt (prefill) and generation
 * tokens per second through our WllamaEngine, CPU only, in the bench page.
 * Each prompt repetition starts differently so llama.cpp's prompt cache cannot skip the prefill.
 */
import { WllamaEngine } from '../../../src/adapters/wllama/wllama-engine.ts';
import type { BenchFigure } from '../figure.ts';

interface Input {
  modelUrl?: string;
  repeats?: number;
}

const SENTENCE = 'how can you write a good answer to the question, and what is the score of this answer? ';

export async function benchWllama({ modelUrl = '/test/fixtures/tiny-llama.gguf', repeats = 3 }: Input = {}): Promise<BenchFigure[]> {
  const engine = new WllamaEngine({ gpu: false, contextSize: 1024 });
  const t0 = performance.now();
  await engine.load(modelUrl);
  const loadMs = performance.now() - t0;

  let promptTokens = 0;
  let promptMs = 0;
  let genTokens = 0;
  let genMs = 0;
  for (let r = 0; r < repeats; r++) {
    const long = `${r} ${'abcdefghij'[r % 10]} ` + SENTENCE.repeat(12);
    let t = performance.now();
    const prefill = await engine.complete({ messages: [{ role: 'user', content: long }], temperature: 0, maxTokens: 1 });
    promptMs += performance.now() - t;
    promptTokens += prefill.usage.promptTokens;

    t = performance.now();
    const gen = await engine.complete({ messages: [{ role: 'user', content: `${r} write` }], temperature: 0, maxTokens: 256 });
    genMs += performance.now() - t;
    genTokens += gen.usage.completionTokens;
  }
  await engine.unload();
  return [
    { name: 'wllama tiny model load (fresh engine, wasm + 0.56 MB GGUF)', value: loadMs, unit: 'ms', better: 'lower' },
    { name: `wllama prompt processing (${Math.round(promptTokens / repeats)}-token prompts)`, value: (promptTokens / promptMs) * 1000, unit: 'tokens/s', better: 'higher' },
    { name: 'wllama generation (256 tokens, temperature 0)', value: (genTokens / genMs) * 1000, unit: 'tokens/s', better: 'higher' },
  ];
}

export default (input: unknown) => benchWllama((input ?? {}) as Input);
