import { describe, expect, it } from 'vitest';
import { truncateAtSentence } from '../../../src/core/tokens/budget.ts';
import { budgetInputs, budgetedStage, tallyBudget, TOO_LONG_FOR_CONTEXT, type Budgeted } from '../../../src/core/tokens/stage-budget.ts';
import type { AugmentInput, CurateInput } from '../../../src/core/stages/stage.ts';
import { augmentStage } from '../../../src/core/stages/augment.ts';
import { DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import { countWith, loadTinyTokenizer } from './tiny-tokenizer.ts';

const count = countWith(loadTinyTokenizer());
/** The Tokenizer port's batch calls, in this thread (the worker does the same with the same files). */
const tokenizer = {
  count: async (texts: string[]) => texts.map(count),
  truncate: async (texts: string[], max: number) => texts.map((t) => truncateAtSentence(t, max, count)),
};
const long = 'Score the answer. Is it good? Write "how to" answer!\n\nThe end of it is here.'; // 39 tokens
const seg = (seq: number, text: string): AugmentInput => ({ seq, segmentId: `s${seq}`, text });
const augmentShape = { text: (i: AugmentInput) => i.text, withText: (i: AugmentInput, text: string) => ({ ...i, text }) };
const parts = { segmentTokens: 21, templateTokens: 50, fewShotTokens: 7, marginTokens: 0 };

async function collect<T>(g: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of g) out.push(x);
  return out;
}

describe('budgeted inputs', () => {
  const inputs = [seg(0, 'Score the answer.'), seg(1, long), seg(2, 'Scoreanswerwithoutanyend '.repeat(3)), seg(3, '')];

  it('cuts over-long texts at a sentence end, keeps the rest, and skips what cannot be cut', async () => {
    const out = await collect(budgetInputs(inputs, augmentShape, { ...parts, choice: 'truncate' }, tokenizer));
    expect(out.map((i) => i.text)).toEqual(['Score the answer.', 'Score the answer. Is it good?', inputs[2]?.text, '']);
    expect(out.map((i) => i.budget.promptTokens)).toEqual([57 + 4, 57 + 10, 0, 57]);
    expect(out[1]?.budget.cut).toEqual({ chars: 29, tokens: 10, originalTokens: 39 });
    expect(out[2]?.budget).toMatchObject({ promptTokens: 0, uncuttable: true, skip: { code: TOO_LONG_FOR_CONTEXT } });
    expect(await tallyBudget((async function* () { yield* out; })())).toEqual({
      counts: { measured: 4, fits: 2, truncated: 1, skipped: 0, tooLongToCut: 1, tokensCut: 29 },
      promptTokens: 61 + 67 + 57,
    });
  });

  it('skips every over-long text when the choice is to skip, with the sizes in the message', async () => {
    const out = await collect(budgetInputs(inputs, augmentShape, { ...parts, choice: 'skip' }, tokenizer));
    expect(out.map((i) => i.text)).toEqual(inputs.map((i) => i.text));
    expect(out[1]?.budget.skip).toEqual({
      code: TOO_LONG_FOR_CONTEXT,
      message: 'The text has 39 tokens; the model\'s context leaves room for 21. Skipped, as chosen: choose "cut at a sentence end" to use its beginning.',
    });
    const { counts } = await tallyBudget((async function* () { yield* out; })());
    expect(counts).toEqual({ measured: 4, fits: 2, truncated: 0, skipped: 2, tooLongToCut: 0, tokensCut: 0 });
  });

  it('gives a rated response the room its instruction leaves', async () => {
    const pair = (seq: number, instruction: string): CurateInput => ({ seq, segmentId: `s${seq}`, instruction, response: long });
    const shape = { text: (i: CurateInput) => i.response, withText: (i: CurateInput, response: string) => ({ ...i, response }), extra: (i: CurateInput) => i.instruction };
    const out = await collect(budgetInputs([pair(0, 'Score the answer.'), pair(1, long)], shape, { ...parts, segmentTokens: 43, choice: 'truncate' }, tokenizer));
    // 43 − 4 = 39: the whole response fits beside a 4-token instruction; beside a 39-token one only 4 tokens are left.
    expect(out.map((i) => [i.response, i.budget.promptTokens])).toEqual([[long, 57 + 4 + 39], ['Score the answer.', 57 + 39 + 4]]);
  });

  it('the budgeted stage marks a result whose segment was cut, and only then', () => {
    const stage = budgetedStage(augmentStage(DEFAULT_TEMPLATES['augment-finetuned']));
    const cfg = { model: { engine: 'scripted' as const, model: 'm' }, sampling: { temperature: 0, topP: 1, maxTokens: 8 }, examples: [], maxInstructionChars: 500, maxExampleChars: 400 };
    const reply = { text: 'How is it scored?', finishReason: 'stop' as const, usage: { promptTokens: 1, completionTokens: 1 }, model: 'm' };
    const cut: Budgeted<AugmentInput> = { ...seg(1, 'Score the answer.'), budget: { promptTokens: 10, cut: { chars: 17, tokens: 4, originalTokens: 39 } } };
    const whole: Budgeted<AugmentInput> = { ...seg(0, 'Score the answer.'), budget: { promptTokens: 10 } };
    const a = stage.parse(reply, cut, cfg, 'r', 0);
    const b = stage.parse(reply, whole, cfg, 'r', 0);
    expect(a.ok && (a.value as { budget?: unknown }).budget).toEqual({ chars: 17, tokens: 4, originalTokens: 39 });
    expect(b.ok && 'budget' in b.value).toBe(false);
  });
});

describe('default tokenizer folder', () => {
  it('is the folder of the chosen web-llm weights; none for GGUF files and endpoints', async () => {
    const { defaultTokenizerUrl } = await import('../../../src/core/tokens/tokenizer-source.ts');
    const custom = [{ modelId: 'mine-q4f32_1-MLC', modelUrl: 'https://models.example.org/mine/', modelLibUrl: 'https://models.example.org/mine.wasm' }];
    expect(defaultTokenizerUrl({ engine: 'webllm', model: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', label: 'x' }, custom)).toBe(
      'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC/resolve/main/',
    );
    expect(defaultTokenizerUrl({ engine: 'webllm', model: 'mine-q4f32_1-MLC', label: 'x' }, custom)).toBe('https://models.example.org/mine/');
    expect(defaultTokenizerUrl({ engine: 'wllama', model: 't', label: 't', ggufUrl: '/t.gguf', fileName: null }, custom)).toBe(null);
    expect(defaultTokenizerUrl(null, custom)).toBe(null);
  });
});
