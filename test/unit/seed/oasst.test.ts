import { describe, expect, it } from 'vitest';
import { importSeedText } from '../../../src/core/seed/import.ts';
import { fixture, stepCounts } from './fixture.ts';

const edges = (seeds: { source: { row: number }; messageId?: string; turn: number; rank?: number | null; lang: string; instruction: string }[]) =>
  seeds.map((s) => [s.messageId, s.source.row, s.turn, s.rank, s.lang, s.instruction]);

describe('OpenAssistant flat messages', () => {
  const text = fixture('oasst-flat.jsonl');
  const { report, seeds } = importSeedText(text, 'oasst.jsonl');

  it('joins answers to their questions across rows and names every broken link', () => {
    expect(report.format).toBe('oasst-flat');
    expect(report.rows).toBe(21);
    expect(report.candidates).toBe(5);
    expect(report.examples.map((e) => [e.row, e.code, e.message])).toEqual([
      [10, 'orphan', 'answer d2: message d1-missing, an earlier message of its conversation, is not in the file'],
      [11, 'wrong-order', 'answer e1: message e1 starts a conversation with an answer'],
      [14, 'wrong-order', 'answer f3: message f2 replies to a message of the same role (prompter)'],
      [15, 'deleted', 'message g1 is marked deleted'],
      [16, 'duplicate-id', 'message a2 appeared on an earlier row; the first one is kept'],
      [17, 'not-string', 'message i1 "text" is number, not text'],
      [18, 'unknown-role', 'message j1 has role "moderator"'],
      [19, 'malformed-json', expect.stringMatching(/^not JSON: /)],
      [21, 'marker-in-reply', 'the reply contains the chat marker "### Human:"'],
    ]);
  });

  it("applies the paper's recipe: first turn, English, the reply ranked 0", () => {
    expect(stepCounts(report.steps)).toEqual([
      ['single-turn', 5, 4, { 'later-turn': 1 }],
      ['language', 4, 3, { 'not-english': 1 }],
      ['top-rank', 3, 1, { 'rank-not-0': 1, unranked: 1 }],
      ['empty', 1, 1, {}],
      ['duplicate', 1, 1, {}],
    ]);
    expect(seeds.map((s) => [s.instruction, s.response, s.source, s.lang])).toEqual([
      ['How do I boil an egg?', 'Place the egg in boiling water for about nine minutes, then cool it in cold water.', { path: 'oasst.jsonl', format: 'oasst-flat', row: 2 }, 'en'],
    ]);
  });

  it('lets each rule be switched off', () => {
    const all = importSeedText(text, 'o', { filters: { singleTurn: false, english: false, topRank: false } });
    expect(edges(all.seeds)).toEqual([
      ['a2', 2, 0, 0, 'en', 'How do I boil an egg?'],
      ['a3', 3, 0, 1, 'en', 'How do I boil an egg?'],
      ['a5', 5, 1, 0, 'en', 'And for a soft egg?'],
      ['b2', 7, 0, 0, 'de', 'Wie koche ich Reis?'],
      ['c2', 9, 0, null, 'en', 'What is photosynthesis?'],
    ]);
    const anyRank = importSeedText(text, 'o', { filters: { topRank: false } });
    expect(anyRank.seeds.map((s) => s.messageId)).toEqual(['a2', 'a3', 'c2']);
    const anyLang = importSeedText(text, 'o', { filters: { english: false } });
    expect(anyLang.seeds.map((s) => s.messageId)).toEqual(['a2', 'b2']);
    const anyTurn = importSeedText(text, 'o', { filters: { singleTurn: false } });
    expect(anyTurn.seeds.map((s) => s.messageId)).toEqual(['a2', 'a5']);
  });

  it('trusts the declared language over the guess', () => {
    const flipped = text.replace('"message_id": "b1", "parent_id": null, "user_id": "u", "text": "Wie koche ich Reis?", "role": "prompter", "lang": "de"',
      '"message_id": "b1", "parent_id": null, "user_id": "u", "text": "Wie koche ich Reis?", "role": "prompter", "lang": "en"');
    expect(flipped).not.toBe(text);
    const { seeds: s } = importSeedText(flipped, 'o');
    expect(s.map((x) => [x.messageId, x.lang])).toEqual([['a2', 'en'], ['b2', 'en']]);
  });

  it('joins a reply that comes before its question in the file', () => {
    const lines = text.split('\n');
    const reordered = [lines[1], lines[0]].join('\n'); // a2 then a1
    const { seeds: s, report: r } = importSeedText(reordered, 'o', { format: 'oasst-flat' });
    expect(r.issues).toEqual({});
    expect(s.map((x) => [x.messageId, x.source.row, x.instruction])).toEqual([['a2', 1, 'How do I boil an egg?']]);
  });
});

describe('OpenAssistant nested trees', () => {
  const { report, seeds } = importSeedText(fixture('oasst-tree.jsonl'), 'trees.jsonl');

  it('walks every reply of every tree and reports broken trees per row', () => {
    expect(report.format).toBe('oasst-tree');
    expect(report.rows).toBe(8);
    expect(report.candidates).toBe(5);
    expect(report.examples.map((e) => [e.row, e.code, e.message])).toEqual([
      [4, 'missing-field', 'no "prompt" field'],
      [5, 'not-string', 'message p2 "text" is null, not text'],
      [6, 'wrong-order', 'answer q1: message q1 starts a conversation with an answer'],
      [7, 'not-an-object', 'the row is string, not an object'],
      [8, 'malformed-json', expect.stringMatching(/^not JSON: /)],
    ]);
  });

  it('gives the same pairs as the flat export of the same trees', () => {
    expect(stepCounts(report.steps)).toEqual([
      ['single-turn', 5, 4, { 'later-turn': 1 }],
      ['language', 4, 3, { 'not-english': 1 }],
      ['top-rank', 3, 1, { 'rank-not-0': 1, unranked: 1 }],
      ['empty', 1, 1, {}],
      ['duplicate', 1, 1, {}],
    ]);
    expect(seeds.map((s) => [s.messageId, s.instruction, s.response, s.source])).toEqual([
      ['a2', 'How do I boil an egg?', 'Place the egg in boiling water for about nine minutes, then cool it in cold water.', { path: 'trees.jsonl', format: 'oasst-tree', row: 1 }],
    ]);
    const all = importSeedText(fixture('oasst-tree.jsonl'), 't', { filters: { singleTurn: false, english: false, topRank: false } });
    expect(edges(all.seeds)).toEqual([
      ['a2', 1, 0, 0, 'en', 'How do I boil an egg?'],
      ['a5', 1, 1, 0, 'en', 'And for a soft egg?'],
      ['a3', 1, 0, 1, 'en', 'How do I boil an egg?'],
      ['b2', 2, 0, 0, 'de', 'Wie koche ich Reis?'],
      ['c2', 3, 0, null, 'en', 'What is photosynthesis?'],
    ]);
  });
});
