import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyVocabulary } from '../../fixtures/tiny-gguf.ts';
import { TINY_TOKENIZER_DIR, tinyTokenizerTexts } from '../../fixtures/make-tiny-tokenizer.ts';
import { DEFAULT_TEMPLATES, fillTemplate } from '../../../src/core/stages/prompts.ts';
import { spmTokenize } from './llama-spm.ts';
import { loadTinyTokenizer } from './tiny-tokenizer.ts';

const tokenizer = loadTinyTokenizer();
const vocab = tinyVocabulary();
const corpus = readFileSync(resolve(import.meta.dirname, '../../fixtures/corpus/debian-ch08.en.txt'), 'utf8');

/** llama.cpp's built-in ChatML, as llama-server renders a GGUF without a template. */
function chatml(messages: { role: string; content: string }[]): string {
  return messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + '<|im_start|>assistant\n';
}

describe('tiny tokenizer fixture', () => {
  it('is what the script writes', () => {
    for (const [name, text] of Object.entries(tinyTokenizerTexts())) {
      expect(readFileSync(resolve(TINY_TOKENIZER_DIR, name), 'utf8')).toBe(text);
    }
  });

  it('has the GGUF vocabulary with the same ids', () => {
    expect(tokenizer.get_vocab().size).toBe(vocab.tokens.length);
    expect(vocab.tokens.length).toBe(427);
    vocab.tokens.forEach((t, id) => expect(tokenizer.convert_tokens_to_ids(t)).toBe(id));
  });

  it('counts every stage prompt as llama.cpp does, with the same ids except where a prompt says "nothing"', () => {
    const segment = 'What is the answer? It can be good to write it, and you are to answer how.\n\nScore: 5 (of 5).';
    const differentIds: string[] = [];
    for (const t of Object.values(DEFAULT_TEMPLATES)) {
      const vars = { segment, instruction: 'Write how to answer this.', response: segment };
      const prompt = chatml([{ role: 'system', content: t.system }, { role: 'user', content: fillTemplate(t.user, vars) }]);
      const ours = tokenizer.encode(prompt);
      const llama = spmTokenize(vocab, prompt);
      expect(ours.length).toBe(llama.length);
      if (JSON.stringify(ours) !== JSON.stringify(llama)) differentIds.push(t.id);
    }
    expect(differentIds).toEqual(['curate-fast']);
    expect(DEFAULT_TEMPLATES['curate-fast'].system).toContain('nothing else');
  });

  it('counts every corpus paragraph as llama.cpp does; ids differ in 2 of 92 (a tie a static merge order cannot copy)', () => {
    const paragraphs = corpus.split(/\n\n+/).filter((p) => p.length > 0);
    expect(paragraphs.length).toBe(92);
    let differentIds = 0;
    for (const p of paragraphs) {
      const ours = tokenizer.encode(p);
      const llama = spmTokenize(vocab, p);
      expect(ours.length).toBe(llama.length);
      if (JSON.stringify(ours) !== JSON.stringify(llama)) differentIds++;
    }
    expect(differentIds).toBe(2);
    // The case: llama.cpp merges the leftmost `th`, then `thi`; BPE's ranks merge `in` first.
    expect(tokenizer.encode(' nothing').map((id) => vocab.tokens[id])).toEqual(['<s>', '▁', 'n', 'o', 'th', 'in', 'g']);
    expect(spmTokenize(vocab, ' nothing').map((id) => vocab.tokens[id])).toEqual(['<s>', '▁', 'n', 'o', 'thi', 'n', 'g']);
  });

  it('falls back to bytes for characters outside the vocabulary, and decodes back', () => {
    const ids = tokenizer.encode('wörld ✓', { add_special_tokens: false });
    expect(ids.map((id) => vocab.tokens[id])).toEqual(['w', '<0xC3>', '<0xB6>', 'r', 'l', 'd', '▁', '<0xE2>', '<0x9C>', '<0x93>']);
    expect(tokenizer.decode(ids)).toBe('wörld ✓');
  });
});
