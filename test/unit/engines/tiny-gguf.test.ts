import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { TINY_GGUF_PATH } from '../../fixtures/make-tiny-gguf.ts';
import { TINY_GGUF_SEED, TINY_SHAPE, tinyVocabulary, writeTinyGguf } from '../../fixtures/tiny-gguf.ts';

describe('tiny GGUF writer', () => {
  test('the committed fixture is exactly what the seed writes', () => {
    const committed = new Uint8Array(readFileSync(TINY_GGUF_PATH));
    const written = writeTinyGguf(TINY_GGUF_SEED);
    expect(written.length).toBe(committed.length);
    expect(Buffer.from(written).equals(Buffer.from(committed))).toBe(true);
  });

  test('the same seed gives the same bytes; another seed changes only the weights', () => {
    const a = writeTinyGguf(1);
    const b = writeTinyGguf(1);
    const c = writeTinyGguf(2);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(c.length).toBe(a.length);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  test('header: GGUF v3, 3 + 9 per layer tensors, 22 metadata keys, under 600 KB, 32-byte aligned size', () => {
    const bytes = writeTinyGguf();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('GGUF');
    expect(view.getUint32(4, true)).toBe(3);
    expect(view.getBigUint64(8, true)).toBe(BigInt(3 + 9 * TINY_SHAPE.nLayer));
    expect(view.getBigUint64(16, true)).toBe(22n);
    expect(bytes.length).toBeLessThan(600_000);
    expect(bytes.length % 32).toBe(0);
  });

  test('vocabulary: control, 256 byte tokens, then word pieces with every prefix', () => {
    const { tokens, types, scores } = tinyVocabulary();
    expect(tokens.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>']);
    expect(tokens[258]).toBe('<0xFF>');
    expect(types.slice(0, 3)).toEqual([2, 3, 3]);
    expect(types.slice(3, 259).every((t) => t === 6)).toBe(true);
    expect(types.slice(259).every((t) => t === 1)).toBe(true);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const piece of ['Score', '▁Score', ':', '1', '2', '3', '4', '5', '▁4', '▁the', '▁answer', 'write']) {
      expect(tokens).toContain(piece);
    }
    for (const piece of tokens.slice(259)) {
      const chars = [...piece];
      for (let n = 2; n < chars.length; n++) expect(tokens).toContain(chars.slice(0, n).join(''));
    }
    expect(scores[tokens.indexOf('▁Score')]).toBe(6);
    expect(tokens.length).toBe(427);
  });
});
