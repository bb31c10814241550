import { describe, expect, it } from 'vitest';
import { importSeedText } from '../../../src/core/seed/import.ts';
import { BACKWARD_PROMPT, exportReversedJsonl, reversePair, reversedMessages } from '../../../src/core/seed/reverse.ts';
import { renderChat } from '../../../src/core/seed/templates.ts';
import { DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import { fixture } from './fixture.ts';

// Real rows: the Guanaco fixture's kept pairs (rows 1 and 15).
const seeds = importSeedText(fixture('guanaco.jsonl'), 'guanaco.jsonl').seeds;
const SYSTEM = 'Write the instruction that the following text answers.';
const parse = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('reversed pairs for the backward model', () => {
  it('asks with the same words the fine-tuned augmentation template uses', () => {
    expect(BACKWARD_PROMPT).toEqual({ system: DEFAULT_TEMPLATES['augment-finetuned'].system, user: '{{segment}}' });
    expect(BACKWARD_PROMPT.system).toBe(SYSTEM);
  });

  it('makes the response the input and the instruction the target', () => {
    expect(seeds.map((s) => reversePair(s))).toEqual([
      { system: SYSTEM, input: 'The capital of France is Paris.', target: 'What is the capital of France?' },
      { system: SYSTEM, input: 'Red, blue and yellow are the traditional primary colors.', target: 'Name three primary colors.' },
    ]);
    const wrapped = reversePair({ instruction: 'Q?', response: 'A.' }, { system: '', user: 'Text:\n{{segment}}' });
    expect(reversedMessages(wrapped)).toEqual([{ role: 'user', content: 'Text:\nA.' }, { role: 'assistant', content: 'Q?' }]);
  });

  it('exports chat messages JSONL with the instruction in the assistant turn', () => {
    const out = exportReversedJsonl(seeds, { shape: 'messages' });
    expect(out.lines).toBe(2);
    expect(out.replaced).toBe(0);
    expect(parse(out.text)).toEqual([
      { messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'The capital of France is Paris.' },
        { role: 'assistant', content: 'What is the capital of France?' },
      ] },
      { messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'Red, blue and yellow are the traditional primary colors.' },
        { role: 'assistant', content: 'Name three primary colors.' },
      ] },
    ]);
    expect(exportReversedJsonl([], { shape: 'messages' })).toEqual({ text: '', lines: 0, replaced: 0 });
  });

  it('puts the instruction, and only the instruction, in the completion of every template', () => {
    const [first] = seeds;
    if (!first) throw new Error('fixture gave no seeds');
    for (const template of ['llama2', 'llama3', 'chatml'] as const) {
      const [rec] = parse(exportReversedJsonl([first], { shape: 'prompt-completion', template }).text);
      const prompt = String(rec?.prompt);
      const completion = String(rec?.completion);
      expect(completion.includes('What is the capital of France?')).toBe(true);
      expect(completion.includes('Paris')).toBe(false);
      expect(prompt.includes('The capital of France is Paris.')).toBe(true);
      expect(prompt.includes('What is the capital')).toBe(false);
      const [whole] = parse(exportReversedJsonl([first], { shape: 'text', template }).text);
      expect(whole).toEqual({ text: prompt + completion });
    }
  });

  it('writes each template exactly', () => {
    const msgs = reversedMessages(reversePair({ instruction: 'Name a fruit.', response: 'An apple.' }));
    expect(renderChat('llama2', msgs)).toEqual({
      prompt: `<s>[INST] <<SYS>>\n${SYSTEM}\n<</SYS>>\n\nAn apple. [/INST]`,
      completion: ' Name a fruit. </s>',
    });
    expect(renderChat('llama3', msgs)).toEqual({
      prompt:
        `<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n${SYSTEM}<|eot_id|>` +
        '<|start_header_id|>user<|end_header_id|>\n\nAn apple.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
      completion: 'Name a fruit.<|eot_id|>',
    });
    expect(renderChat('chatml', msgs)).toEqual({
      prompt: `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\nAn apple.<|im_end|>\n<|im_start|>assistant\n`,
      completion: 'Name a fruit.<|im_end|>\n',
    });
  });

  it('renders earlier exchanges into the prompt and refuses a conversation not ending with the assistant', () => {
    const convo = [
      { role: 'user' as const, content: 'u1' }, { role: 'assistant' as const, content: 'a1' },
      { role: 'user' as const, content: 'u2' }, { role: 'assistant' as const, content: 'a2' },
    ];
    expect(renderChat('llama2', convo)).toEqual({ prompt: '<s>[INST] u1 [/INST] a1 </s><s>[INST] u2 [/INST]', completion: ' a2 </s>' });
    expect(renderChat('chatml', convo).prompt).toBe('<|im_start|>user\nu1<|im_end|>\n<|im_start|>assistant\na1<|im_end|>\n<|im_start|>user\nu2<|im_end|>\n<|im_start|>assistant\n');
    expect(() => renderChat('chatml', convo.slice(0, 3))).toThrow(RangeError);
    expect(() => renderChat('llama3', [convo[1]!, convo[0]!])).toThrow('renderChat: turn 1 must be user and turn 2 assistant');
  });
});
