/**
 * Consistency with the engine: for the same prompts, the tokenizer worker's count of the whole
 * chat prompt equals what llama.cpp (wllama, the tiny GGUF) reports as `usage.prompt_tokens`, and
 * the difference between that and the messages' own tokens is exactly the chat template's tokens.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTokenWorker, type TokenWorker } from '../../../src/adapters/tokenizer/client.ts';
import { WllamaEngine } from '../../../src/adapters/wllama/wllama-engine.ts';
import { augmentMessages } from '../../../src/core/stages/augment.ts';
import { curateRequest } from '../../../src/core/stages/curate.ts';
import { DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import type { AugmentConfig, CurateConfig } from '../../../src/core/stages/stage.ts';
import { promptBudget } from '../../../src/core/tokens/budget.ts';
import type { ChatMessage } from '../../../src/ports/llm.ts';

let worker: TokenWorker;
let engine: WllamaEngine;

beforeAll(async () => {
  worker = startTokenWorker();
  await worker.tokenizer.load({ kind: 'repo', url: '/test/fixtures/tokenizer/' });
  engine = new WllamaEngine({ gpu: false, contextSize: 512 });
  await engine.load('/test/fixtures/tiny-llama.gguf');
});
afterAll(async () => {
  worker?.terminate();
  await engine?.unload();
});

const model = { engine: 'wllama', id: 'tiny' } as unknown as AugmentConfig['model']; // only carried into records, not read here
const sampling = { temperature: 0, topP: 1, maxTokens: 1 };
const segment = 'What is the answer? It can be good to write it, and you are to answer how.\n\nScore: 5 (of 5).';
const augmentCfg: AugmentConfig = {
  model,
  sampling,
  examples: [{ instruction: 'Write how to be good.', response: 'Be good to the one that is with you. That is a good answer.' }],
  maxInstructionChars: 500,
  maxExampleChars: 400,
};
const curateCfg: CurateConfig = { model, sampling, round: 0, constrained: false, topLogprobs: 0 };

const prompts: Record<string, ChatMessage[]> = {
  'one user message': [{ role: 'user', content: 'Write the answer to this: how can you be good?' }],
  'augment, fine-tuned': augmentMessages(DEFAULT_TEMPLATES['augment-finetuned'], { seq: 0, segmentId: 's0', text: segment }, augmentCfg),
  'augment, prompted with an example': augmentMessages(DEFAULT_TEMPLATES['augment-prompted'], { seq: 0, segmentId: 's0', text: segment }, augmentCfg),
};
/** Longer than the tiny model's 512-token context (llama.cpp caps n_ctx at what the model was trained on). */
const curateFast = curateRequest(DEFAULT_TEMPLATES['curate-fast'], { seq: 0, segmentId: 's0', instruction: 'How can you be good?', response: segment }, curateCfg).messages;

async function engineCount(messages: ChatMessage[]): Promise<number> {
  const reply = await engine.complete({ messages, temperature: 0, maxTokens: 1 });
  return reply.usage.promptTokens;
}

/** ChatML's own text around each message, counted by the tokenizer (llama.cpp's default template). */
async function templateTokens(messages: ChatMessage[]): Promise<number> {
  const pieces = [...messages.flatMap((m) => [`<|im_start|>${m.role}\n`, '<|im_end|>\n']), '<|im_start|>assistant\n'];
  const counts = await worker.tokenizer.count(pieces);
  return 1 /* <s> */ + counts.reduce((a, b) => a + b, 0);
}

describe('prompt counts match the engine', () => {
  for (const [name, messages] of Object.entries(prompts)) {
    test(`${name}: worker count = llama.cpp prompt_tokens; difference from the messages = the template's tokens`, async () => {
      const counted = await worker.tokenizer.countChat(messages);
      const reported = await engineCount(messages);
      expect(counted).toBe(reported);
      const contentTokens = (await worker.tokenizer.count(messages.map((m) => m.content))).reduce((a, b) => a + b, 0);
      expect(reported - contentTokens).toBe(await templateTokens(messages));
    });
  }

  test('a prompt over the context window: the worker count is the size llama.cpp refuses, and the budget says so first', async () => {
    const counted = await worker.tokenizer.countChat(curateFast);
    const refused = await engineCount(curateFast).then(
      () => 'accepted',
      (err: Error) => err.message,
    );
    expect(refused).toBe(`request (${counted} tokens) exceeds the available context size (512 tokens), try increasing it`);
    const budget = promptBudget({ contextWindow: (await engine.capabilities()).contextWindow, replyTokens: 1, templateTokens: counted, fewShotTokens: 0 });
    expect(budget.ok ? 'fits' : budget.issue.code).toBe('no-room-for-segment');
  });

  test('a budget built from the empty-segment prompt predicts the full prompt exactly', async () => {
    const template = DEFAULT_TEMPLATES['augment-prompted'];
    const bare = augmentMessages(template, { seq: 0, segmentId: 's0', text: '' }, { ...augmentCfg, examples: [] });
    const withExamples = augmentMessages(template, { seq: 0, segmentId: 's0', text: '' }, augmentCfg);
    const templateCount = await worker.tokenizer.countChat(bare);
    const fewShot = (await worker.tokenizer.countChat(withExamples)) - templateCount;
    const contextWindow = (await engine.capabilities()).contextWindow;
    expect(contextWindow).toBe(512);
    const budget = promptBudget({ contextWindow, replyTokens: 64, templateTokens: templateCount, fewShotTokens: fewShot });
    expect(budget.ok).toBe(true);
    const [segmentTokens] = await worker.tokenizer.count([segment]);
    const full = augmentMessages(template, { seq: 0, segmentId: 's0', text: segment }, augmentCfg);
    expect(templateCount + fewShot + (segmentTokens ?? 0)).toBe(await engineCount(full));
    if (budget.ok) expect(budget.value.segmentTokens).toBe(512 - 64 - templateCount - fewShot);
  });
});
