import { describe, expect, it } from 'vitest';
import { importSeedText } from '../../../src/core/seed/import.ts';
import { fixture, stepCounts } from './fixture.ts';

const pairs = (seeds: { instruction: string; response: string; source: { row: number }; lang: string }[]) =>
  seeds.map((s) => [s.source.row, s.lang, s.instruction, s.response]);

describe('Guanaco text', () => {
  const { report, seeds } = importSeedText(fixture('guanaco.jsonl'), 'guanaco.jsonl');

  it('detects the format and counts every skipped row by reason, with its line', () => {
    expect(report.format).toBe('guanaco');
    expect(report.detection?.votes).toEqual({ guanaco: 8 });
    expect(report.rows).toBe(14); // 15 lines, one blank
    expect(report.candidates).toBe(6);
    expect(report.issues).toEqual({
      'marker-in-reply': 1, 'wrong-order': 1, 'not-string': 1, 'missing-field': 1,
      'malformed-json': 1, 'empty-text': 1, 'no-turns': 1, 'not-an-object': 1,
    });
    expect(report.examples.map((e) => [e.row, e.code])).toEqual([
      [4, 'marker-in-reply'], [5, 'wrong-order'], [6, 'not-string'], [7, 'missing-field'],
      [8, 'malformed-json'], [10, 'empty-text'], [11, 'no-turns'], [14, 'not-an-object'],
    ]);
    expect(report.examples[0]?.message).toBe('the reply ends with an empty "### Human:" turn');
  });

  it('filters single-turn, English, non-empty, unique — counting each step', () => {
    expect(stepCounts(report.steps)).toEqual([
      ['single-turn', 6, 5, { 'multi-turn': 1 }],
      ['language', 5, 4, { 'not-english': 1 }],
      ['top-rank', 4, 4, {}],
      ['empty', 4, 3, { 'empty-instruction': 1 }],
      ['duplicate', 3, 2, { duplicate: 1 }],
    ]);
    expect(pairs(seeds)).toEqual([
      [1, 'en', 'What is the capital of France?', 'The capital of France is Paris.'],
      [15, 'en', 'Name three primary colors.', 'Red, blue and yellow are the traditional primary colors.'],
    ]);
    expect(seeds[0]?.source).toEqual({ path: 'guanaco.jsonl', format: 'guanaco', row: 1 });
    expect(report.kept).toBe(2);
    expect(report.message).toBeUndefined();
  });

  it('with the single-turn filter off, takes the first exchange of a multi-turn conversation', () => {
    const off = importSeedText(fixture('guanaco.jsonl'), 'g', { filters: { singleTurn: false, english: false, dedupe: false } });
    expect(stepCounts(off.report.steps)).toEqual([
      ['single-turn', 6, 6, {}],
      ['language', 6, 6, {}],
      ['top-rank', 6, 6, {}],
      ['empty', 6, 5, { 'empty-instruction': 1 }],
      ['duplicate', 5, 5, {}],
    ]);
    expect(pairs(off.seeds)).toEqual([
      [1, 'en', 'What is the capital of France?', 'The capital of France is Paris.'],
      [2, 'en', 'Can you give me a recipe for pancakes?', 'Mix flour, eggs and milk, then fry thin rounds in butter.'],
      [3, 'es', '¿Cuál es la capital de España y por qué es tan importante para el país?', 'La capital de España es Madrid, que es el centro político y económico del país.'],
      [12, 'en', 'What is the capital of France?', 'The capital of France is Paris.'],
      [15, 'en', 'Name three primary colors.', 'Red, blue and yellow are the traditional primary colors.'],
    ]);
    expect(off.seeds[1]?.turns).toBe(4);
  });

  it('honours a format the user chose over detection', () => {
    const forced = importSeedText(fixture('guanaco.jsonl'), 'g', { format: 'alpaca' });
    expect(forced.report.format).toBe('alpaca');
    expect(forced.report.detection).toBeNull();
    expect(forced.report.candidates).toBe(0);
    expect(forced.report.issues).toEqual({ 'missing-field': 12, 'malformed-json': 1, 'not-an-object': 1 });
    expect(forced.report.message).toBe(
      'No pair survived import and filtering; see the counts above for why, and switch off a filter if it does not suit this file.',
    );
  });
});

describe('LIMA conversations', () => {
  const { report, seeds } = importSeedText(fixture('lima.jsonl'), 'lima.jsonl');
  it('keeps the single-turn English pair and says why the rest went', () => {
    expect(report.format).toBe('lima');
    expect(report.rows).toBe(9);
    expect(report.issues).toEqual({ 'no-response': 1, 'not-string': 2, 'no-turns': 1, 'marker-in-reply': 1 });
    expect(report.examples.map((e) => [e.row, e.code, e.message])).toEqual([
      [3, 'no-response', 'the question has no answer'],
      [4, 'not-string', 'conversation turn 2 is number, not text'],
      [5, 'not-string', '"conversations" is string, not a list of turns'],
      [6, 'no-turns', 'the conversation has no question or answer turns'],
      [8, 'marker-in-reply', 'the reply contains the chat marker "<|im_end|>"'],
    ]);
    expect(stepCounts(report.steps)).toEqual([
      ['single-turn', 4, 3, { 'multi-turn': 1 }],
      ['language', 3, 2, { 'not-english': 1 }],
      ['top-rank', 2, 2, {}],
      ['empty', 2, 1, { 'empty-instruction': 1 }],
      ['duplicate', 1, 1, {}],
    ]);
    expect(pairs(seeds)).toEqual([
      [1, 'en', 'How can I keep basil fresh for longer?', 'Trim the stems and keep the basil in a glass of water on the counter, loosely covered with a bag.'],
    ]);
  });
  it('guesses Chinese for the non-English row', () => {
    const all = importSeedText(fixture('lima.jsonl'), 'lima.jsonl', { filters: { english: false } });
    expect(pairs(all.seeds).map((p) => [p[0], p[1]])).toEqual([[1, 'en'], [7, 'zh']]);
  });
});

describe('Alpaca (a JSON array file)', () => {
  const { report, seeds } = importSeedText(fixture('alpaca.json'), 'alpaca.json');
  it('appends a non-empty input after the instruction and numbers rows by array position', () => {
    expect(report.format).toBe('alpaca');
    expect(report.rows).toBe(12);
    expect(report.issues).toEqual({ 'not-string': 2, 'missing-field': 1, 'marker-in-reply': 1, 'not-an-object': 1 });
    expect(report.examples.map((e) => [e.row, e.code, e.message])).toEqual([
      [5, 'not-string', '"input" is number, not text'],
      [6, 'missing-field', 'no "output" field'],
      [7, 'not-string', '"instruction" is array, not text'],
      [10, 'marker-in-reply', 'the reply contains the chat marker "### Human:"'],
      [12, 'not-an-object', 'the row is null, not an object'],
    ]);
    expect(stepCounts(report.steps)).toEqual([
      ['single-turn', 7, 7, {}],
      ['language', 7, 6, { 'not-english': 1 }],
      ['top-rank', 6, 6, {}],
      ['empty', 6, 5, { 'empty-response': 1 }],
      ['duplicate', 5, 4, { duplicate: 1 }],
    ]);
    // Short or mixed text is 'und' (undetermined), which the English filter keeps.
    expect(pairs(seeds)).toEqual([
      [1, 'en', 'Give three tips for staying healthy.', 'Eat a balanced diet, exercise regularly and get enough sleep.'],
      [2, 'und', 'Translate the sentence into French.\n\nI like apples.', "J'aime les pommes."],
      [3, 'und', 'Summarize.', 'Short.'],
      [4, 'und', 'Name a color.', 'Blue.'],
    ]);
  });
});

describe('OpenAI chat messages', () => {
  const { report, seeds } = importSeedText(fixture('openai-chat.jsonl'), 'chat.jsonl');
  it('skips system prompts, joins text parts, and rejects wrong order, tools and non-text content', () => {
    expect(report.format).toBe('openai-chat');
    expect(report.rows).toBe(12);
    expect(report.examples.map((e) => [e.row, e.code, e.message])).toEqual([
      [3, 'wrong-order', 'turn 1 is an answer where a question belongs'],
      [4, 'wrong-order', 'turn 2 is a question where an answer belongs'],
      [6, 'unknown-role', 'message 2 has role "tool"'],
      [7, 'not-string', 'message 2 content is null, not text'],
      [9, 'missing-field', 'message 2 has no "content"'],
      [10, 'no-response', 'the question has no answer'],
      [11, 'missing-field', 'no "messages" field'],
      [12, 'not-string', 'message 1 content is a "image_url" part, not text'],
    ]);
    expect(stepCounts(report.steps)).toEqual([
      ['single-turn', 4, 3, { 'multi-turn': 1 }],
      ['language', 3, 2, { 'not-english': 1 }],
      ['top-rank', 2, 2, {}],
      ['empty', 2, 2, {}],
      ['duplicate', 2, 2, {}],
    ]);
    expect(pairs(seeds)).toEqual([
      [1, 'en', 'What does a barometer measure?', 'A barometer measures air pressure, which helps forecast the weather.'],
      [5, 'en', 'Describe the sky.', 'The sky is blue on a clear day because the air scatters blue light the most.'],
    ]);
    expect(seeds[0]?.turns).toBe(2); // the system message is not a turn
  });
  it('guesses French for the French row', () => {
    const all = importSeedText(fixture('openai-chat.jsonl'), 'chat.jsonl', { filters: { english: false, singleTurn: false } });
    expect(pairs(all.seeds).map((p) => [p[0], p[1]])).toEqual([[1, 'en'], [2, 'en'], [5, 'en'], [8, 'fr']]);
  });
});

describe('ShareGPT conversations', () => {
  const { report, seeds } = importSeedText(fixture('sharegpt.jsonl'), 'sharegpt.jsonl');
  it('maps human/gpt, skips a leading system turn, and rejects unknown speakers and markers', () => {
    expect(report.format).toBe('sharegpt');
    expect(report.detection?.votes).toEqual({ sharegpt: 9, lima: 1 });
    expect(report.examples.map((e) => [e.row, e.code, e.message])).toEqual([
      [4, 'unknown-role', 'conversation turn 2 is from "bot"'],
      [5, 'wrong-order', 'turn 1 is an answer where a question belongs'],
      [6, 'not-string', 'conversation turn 1 "value" is number, not text'],
      [7, 'missing-field', 'conversation turn 1 has no "from"'],
      [9, 'not-an-object', 'conversation turn 1 is string, not an object'],
      [10, 'marker-in-instruction', 'the instruction contains the chat marker "### Assistant:"'],
    ]);
    expect(stepCounts(report.steps)).toEqual([
      ['single-turn', 4, 3, { 'multi-turn': 1 }],
      ['language', 3, 2, { 'not-english': 1 }],
      ['top-rank', 2, 2, {}],
      ['empty', 2, 2, {}],
      ['duplicate', 2, 2, {}],
    ]);
    expect(pairs(seeds)).toEqual([
      [1, 'en', 'How many legs does a spider have?', 'A spider has eight legs.'],
      [2, 'en', 'What colour is a ripe banana?', 'A ripe banana is yellow.'],
    ]);
  });
  it('guesses Russian for the Cyrillic row', () => {
    const all = importSeedText(fixture('sharegpt.jsonl'), 's', { filters: { english: false } });
    expect(pairs(all.seeds).map((p) => [p[0], p[1]])).toEqual([[1, 'en'], [2, 'en'], [8, 'ru']]);
  });
});
