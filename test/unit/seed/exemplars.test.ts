import { describe, expect, it } from 'vitest';
import { exemplarsByIds, jaccardDistance, pickExemplars, seededRandom, swapExemplar, wordSet, type ExemplarPair } from '../../../src/core/seed/exemplars.ts';

const pad = (s: string) => `${s} ${'This answer goes into enough detail to pass the length bound comfortably.'}`;
// Three topics, three near-identical pairs each: a diverse pick takes one of each.
const TOPICS: Record<string, [string, string][]> = {
  bread: [
    ['How do I bake bread at home?', 'Mix flour, water, yeast and salt, knead the dough, let it rise, then bake the bread in a hot oven.'],
    ['How do I bake a loaf of bread?', 'Mix flour, water, yeast and salt, knead the dough, let it rise, then bake the loaf in a hot oven.'],
    ['What is the way to bake bread?', 'Mix flour, water, yeast and salt, knead the dough well, let it rise, then bake it in a hot oven.'],
  ],
  rust: [
    ['How do I read a file in Rust?', 'Use std::fs::read_to_string with the path; it returns a Result holding the contents of the file.'],
    ['How can I read a whole file in Rust?', 'Call std::fs::read_to_string with the path; it returns a Result with the whole file contents.'],
    ['Read a text file into a string in Rust.', 'Use std::fs::read_to_string(path), which returns a Result holding the text of the file.'],
  ],
  garden: [
    ['When should I plant tomatoes?', pad('Plant tomatoes outdoors after the last frost, when nights stay above ten degrees.')],
    ['What month do I plant tomatoes outside?', pad('Plant tomatoes outside after the last frost, once nights stay above ten degrees.')],
    ['When is it safe to plant tomato seedlings?', pad('Plant tomato seedlings after the last frost, when the nights stay above ten degrees.')],
  ],
};
const pairs: ExemplarPair[] = Object.entries(TOPICS).flatMap(([topic, list]) =>
  list.map(([instruction, response], i) => ({ id: `${topic}${i + 1}`, instruction, response })),
);
const SHORT: ExemplarPair = { id: 'short', instruction: 'Say hi.', response: 'Hi.' };
const topicOf = (id: string) => id.replace(/\d+$/, '');

describe('few-shot exemplars', () => {
  it('measures lexical distance over word sets', () => {
    expect(jaccardDistance(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(2 / 3, 12);
    expect(jaccardDistance(new Set(), new Set())).toBe(0);
    expect(jaccardDistance(new Set(['x']), new Set(['y']))).toBe(1);
    expect([...wordSet({ instruction: 'Read a file', response: 'read_to_string, READ!' })]).toEqual(['read', 'a', 'file', 'to', 'string']);
  });

  it('gives the same sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(xs[0]);
  });

  it('picks one pair per topic whatever the seed, and the same pairs for the same seed', () => {
    for (let seed = 0; seed < 20; seed += 1) {
      const ids = pickExemplars([...pairs, SHORT], { k: 3, seed });
      expect(ids.map(topicOf).sort()).toEqual(['bread', 'garden', 'rust']);
      expect(pickExemplars([...pairs, SHORT], { k: 3, seed })).toEqual(ids);
    }
    const firsts = new Set(Array.from({ length: 20 }, (_, seed) => pickExemplars(pairs, { k: 1, seed })[0]));
    expect(firsts.size).toBeGreaterThan(3); // the seed really varies the start
  });

  it('never picks a pair outside the length bounds, unless the user pinned it', () => {
    const all = pickExemplars([...pairs, SHORT], { k: 10, seed: 1 });
    expect(all).toHaveLength(9);
    expect(all).not.toContain('short');
    const pinned = pickExemplars([...pairs, SHORT], { k: 3, seed: 1 }, ['short', 'missing-id']);
    expect(pinned[0]).toBe('short');
    expect(pinned).toHaveLength(3);
    const tight = pickExemplars(pairs, { k: 9, seed: 1, responseChars: [0, 100] });
    expect(tight.map(topicOf).sort()).toEqual(['bread', 'bread', 'bread', 'rust', 'rust', 'rust']);
  });

  it('builds around pinned pairs and skips excluded ones', () => {
    const ids = pickExemplars(pairs, { k: 3, seed: 7 }, ['rust2'], ['bread1', 'bread2']);
    expect(ids[0]).toBe('rust2');
    expect(ids.slice(1).map(topicOf).sort()).toEqual(['bread', 'garden']);
    expect(ids).toContain('bread3'); // the only bread pair not excluded
  });

  it('swaps one example in place for the most diverse pair not yet shown', () => {
    const chosen = pickExemplars(pairs, { k: 3, seed: 3 });
    const breadAt = chosen.findIndex((id) => topicOf(id) === 'bread');
    const out = chosen[breadAt] ?? '';
    const swapped = swapExemplar(pairs, chosen, out, { k: 3, seed: 3 });
    expect(swapped).toHaveLength(3);
    expect(swapped.filter((_, i) => i !== breadAt)).toEqual(chosen.filter((_, i) => i !== breadAt));
    expect(swapped[breadAt]).not.toBe(out);
    expect(topicOf(swapped[breadAt] ?? '')).toBe('bread'); // the other topics are already shown
    const breads = ['bread1', 'bread2', 'bread3'];
    const last = swapExemplar(pairs, chosen, out, { k: 3, seed: 3 }, breads.filter((b) => b !== out));
    expect(topicOf(last[breadAt] ?? '')).not.toBe('bread');
    const none = swapExemplar(pairs.slice(0, 1), ['bread1'], 'bread1', { k: 1, seed: 3 });
    expect(none).toEqual([]);
  });

  it('returns pairs for ids in order', () => {
    expect(exemplarsByIds(pairs, ['rust1', 'gone', 'bread2']).map((p) => p.id)).toEqual(['rust1', 'bread2']);
  });
});
