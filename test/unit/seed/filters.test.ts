import { describe, expect, it } from 'vitest';
import { dropDuplicates, filterSeeds } from '../../../src/core/seed/filters.ts';
import { guessLanguage } from '../../../src/core/seed/lang.ts';
import { lengthStats, seedStats } from '../../../src/core/seed/stats.ts';
import type { SeedCandidate } from '../../../src/core/seed/types.ts';
import { stepCounts } from './fixture.ts';

const cand = (instruction: string, response: string, extra: Partial<SeedCandidate> = {}): SeedCandidate => ({
  instruction, response, source: { path: 'f', format: 'lima', row: 1 }, turns: 2, turn: 0, ...extra,
});

describe('seed filters', () => {
  it('uses the declared language when there is one and the guess otherwise; und passes', () => {
    const langs: Record<string, string> = { a: 'en', b: 'fr', c: 'und' };
    const out = filterSeeds(
      [cand('a', 'x'), cand('b', 'x'), cand('c', 'x'), cand('b', 'y', { declaredLang: 'en-GB' }), cand('a', 'z', { declaredLang: 'pt-BR' })],
      {},
      (text) => langs[text.slice(0, 1)] ?? 'und',
    );
    expect(out.kept.map((s) => [s.instruction, s.response, s.lang])).toEqual([['a', 'x', 'en'], ['c', 'x', 'und'], ['b', 'y', 'en-GB']]);
    expect(stepCounts(out.steps)[1]).toEqual(['language', 5, 3, { 'not-english': 2 }]);
  });

  it('drops only exact repeats, keeping the first', () => {
    const out = filterSeeds([cand('Q', 'A', { source: { path: 'f', format: 'lima', row: 1 } }), cand('Q', 'A ', { source: { path: 'f', format: 'lima', row: 2 } }), cand('q', 'A'), cand('Q', 'A', { source: { path: 'g', format: 'lima', row: 9 } })], { english: false });
    expect(out.kept.map((s) => [s.source.path, s.source.row, s.instruction, s.response])).toEqual([['f', 1, 'Q', 'A'], ['f', 2, 'Q', 'A '], ['f', 1, 'q', 'A']]);
    expect(out.steps.at(-1)).toEqual({ id: 'duplicate', label: 'Exact duplicates removed', enabled: true, before: 4, after: 3, dropped: { duplicate: 1 } });
  });

  it('drops repeats across files against the pairs already in the project', () => {
    const existing = [{ instruction: 'Q', response: 'A' }];
    const out = dropDuplicates([cand('Q', 'A'), cand('Q2', 'A'), cand('Q2', 'A'), cand('Q', 'A2')], existing);
    expect(out.kept.map((s) => [s.instruction, s.response])).toEqual([['Q2', 'A'], ['Q', 'A2']]);
    expect(out.dropped).toBe(2);
  });

  it('shows a switched-off step with equal counts and enabled false', () => {
    const out = filterSeeds([cand('a', 'b', { turns: 4 })], { singleTurn: false });
    expect(out.steps[0]).toEqual({ id: 'single-turn', label: 'Single-turn conversations (OpenAssistant: first turn only)', enabled: false, before: 1, after: 1, dropped: {} });
    expect(filterSeeds([cand('a', 'b', { turns: 4 })]).kept).toEqual([]);
  });

  it('never switches off the empty step', () => {
    const out = filterSeeds([cand('', 'b'), cand('a', '')], { singleTurn: false, english: false, topRank: false, dedupe: false });
    expect(stepCounts(out.steps)[3]).toEqual(['empty', 2, 0, { 'empty-instruction': 1, 'empty-response': 1 }]);
  });
});

describe('language guess', () => {
  it.each([
    ['What is the best way to learn a new language as an adult?', 'en'],
    ['¿Cuál es la mejor manera de aprender un idioma nuevo?', 'es'],
    ['Quelle est la meilleure façon d’apprendre une nouvelle langue pour un adulte ?', 'fr'],
    ['Wie lernt man als Erwachsener am besten eine neue Sprache?', 'de'],
    ['Qual é a melhor maneira de aprender um novo idioma?', 'pt'],
    ['Qual è il modo migliore per imparare una nuova lingua?', 'it'],
    ['Wat is de beste manier om een nieuwe taal te leren?', 'nl'],
    ['Jaki jest najlepszy sposób na naukę nowego języka?', 'pl'],
    ['Как лучше всего выучить новый язык?', 'ru'],
    ['Як найкраще вивчити нову мову?', 'uk'],
    ['学习一门新语言的最好方法是什么？', 'zh'],
    ['新しい言語を学ぶ最良の方法は何ですか？', 'ja'],
    ['새로운 언어를 배우는 가장 좋은 방법은 무엇입니까?', 'ko'],
    ['ما هي أفضل طريقة لتعلم لغة جديدة؟', 'ar'],
    ['Ποιος είναι ο καλύτερος τρόπος να μάθεις μια νέα γλώσσα;', 'el'],
    ['วิธีที่ดีที่สุดในการเรียนภาษาใหม่คืออะไร', 'th'],
    ['Hi', 'und'],
    ['2 + 2 = 4; x = y * 3', 'und'],
    ['function foo(bar) { return baz; }', 'und'],
  ])('%s → %s', (text, lang) => {
    expect(guessLanguage(text)).toBe(lang);
  });
});

describe('length stats', () => {
  it('computes min, max, mean, population std and interpolated quartiles', () => {
    expect(lengthStats([4, 1, 3, 2])).toEqual({ count: 4, min: 1, max: 4, mean: 2.5, std: Math.sqrt(1.25), p25: 1.75, median: 2.5, p75: 3.25 });
    expect(lengthStats([7])).toEqual({ count: 1, min: 7, max: 7, mean: 7, std: 0, p25: 7, median: 7, p75: 7 });
    expect(lengthStats([])).toEqual({ count: 0, min: 0, max: 0, mean: 0, std: 0, p25: 0, median: 0, p75: 0 });
  });
  it('summarises a seed set by length and language', () => {
    const s = seedStats([
      { instruction: 'abc', response: 'abcdef', lang: 'en' },
      { instruction: 'a', response: 'ab', lang: 'und' },
      { instruction: 'ab', response: 'abcd', lang: 'en' },
    ]);
    expect(s.count).toBe(3);
    expect([s.instruction.mean, s.instruction.median, s.response.mean, s.response.max]).toEqual([2, 2, 4, 6]);
    expect(s.languages).toEqual([['en', 2], ['und', 1]]);
  });
});
