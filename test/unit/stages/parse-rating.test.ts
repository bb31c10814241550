import { describe, expect, it } from 'vitest';
import { maskThinking, parseRating, type RatingCode } from '../../../src/core/stages/parse-rating.ts';

/** [what it is, the model's reply, expected score (null = unparsed), expected code]. */
const TABLE: [string, string | null | undefined, number | null, RatingCode][] = [
  ['plain reasoning then score line', 'The answer is complete and clear.\n\nScore: 4', 4, 'ok'],
  ['missing blank line before the score', 'The answer is complete and clear.\nScore: 5', 5, 'ok'],
  ['score label mid-line is prose, not a score line (issue 15)', 'Good answer, well organised. Score: 4', null, 'no-score'],
  ['Score: 10 is out of range, not 1', 'Excellent.\nScore: 10', null, 'out-of-range'],
  ['Score: 0 is out of range', 'Useless.\nScore: 0', null, 'out-of-range'],
  ['Score: 6 is out of range', 'Beyond perfect.\nScore: 6', null, 'out-of-range'],
  ['markdown bold label', 'Clear and helpful.\n\n**Score:** 4', 4, 'ok'],
  ['markdown bold label and value', 'Clear.\n\n**Score: 5**', 5, 'ok'],
  ['bold label outside the colon', 'Fine.\n**Score**: 3', 3, 'ok'],
  ['heading label', 'Fine.\n### Score: 2', 2, 'ok'],
  ['value out of five', 'Mostly there.\nScore: 4/5', 4, 'ok'],
  ['value out of five with spaces', 'Mostly there.\nScore: 4 / 5', 4, 'ok'],
  ['value "out of 5"', 'Mostly there.\nScore: 3 out of 5', 3, 'ok'],
  ['bare "4/5" as a whole reply', '4/5', 4, 'ok'],
  ['wrong scale 8/10', 'Good.\nScore: 8/10', null, 'wrong-scale'],
  ['wrong scale 4/10', 'Weak.\nScore: 4/10', null, 'wrong-scale'],
  ['trailing full stop', 'It is an ideal answer.\nScore: 5.', 5, 'ok'],
  ['decimal score', 'Between good and great.\nScore: 4.5', null, 'not-integer'],
  ['decimal zero is exact', 'Good.\nScore: 4.0', 4, 'ok'],
  ['several score lines: the last counts', 'Score: 2\nOn reflection the answer is better than that.\nScore: 4', 4, 'ok'],
  ['echoed rubric lines then the real score', 'Score: 1 means useless, Score: 5 means perfect.\nThis one is helpful but reads like a blog.\nScore: 3', 3, 'ok'],
  ['placeholder label is not a score', 'The answer is good.\nScore: <a whole number from 1 to 5>\nScore: 4', 4, 'ok'],
  ['only a placeholder', 'The answer is good.\nScore: N', null, 'no-score'],
  ['think block ignored', '<think>Maybe Score: 1? No.</think>\nThe answer is thorough.\nScore: 5', 5, 'ok'],
  ['score only inside thinking', '<think>I would say Score: 4</think>\nI cannot decide.', null, 'no-score'],
  ['unclosed think block (cut off)', 'Looks fine.\n<think>Let me weigh it. Score: 3', null, 'no-score'],
  ['lone closing think tag (opened in the prompt)', 'so probably Score: 2 ...</think>\nThe answer is complete.\nScore: 4', 4, 'ok'],
  ['None from a failed call', null, null, 'empty'],
  ['undefined from a failed call', undefined, null, 'empty'],
  ['empty string', '', null, 'empty'],
  ['whitespace only', '  \n\t ', null, 'empty'],
  ['lowercase label', 'ok answer\nscore: 3', 3, 'ok'],
  ['uppercase label', 'OK ANSWER\nSCORE: 3', 3, 'ok'],
  ['dash separator "Score - 4" (decided: accepted)', 'Helpful.\nScore - 4', 4, 'ok'],
  ['en dash separator', 'Helpful.\nScore – 4', 4, 'ok'],
  ['equals separator', 'Helpful.\nscore=4', 4, 'ok'],
  ['"Rating: 5" (decided: accepted, unambiguous)', 'Expert, engaging answer.\nRating: 5', 5, 'ok'],
  ['"Final score:" label', 'Reasoning here.\nFinal score: 2', 2, 'ok'],
  ['"Overall rating:" label', 'Reasoning here.\nOverall rating: 1', 1, 'ok'],
  ['no space after colon', 'Fine.\nScore:4', 4, 'ok'],
  ['value on the next line', 'Fine.\nScore:\n3', 3, 'ok'],
  ['value in brackets', 'Fine.\nScore: [4]', 4, 'ok'],
  ['value in parentheses', 'Fine.\nScore: (2)', 2, 'ok'],
  ['value in backticks', 'Fine.\nScore: `5`', 5, 'ok'],
  ['number word', 'Fine.\nScore: Four', 4, 'ok'],
  ['range is ambiguous', 'Hard to say.\nScore: 3-4', null, 'ambiguous'],
  ['"or" is ambiguous', 'Hard to say.\nScore: 3 or 4', null, 'ambiguous'],
  ['explanation after the score', 'Score: 4 (clear, complete, a little dry)', 4, 'ok'],
  ['score first, justification after', 'Score: 3\n\nThe text answers the question but reads like a forum post.', 3, 'ok'],
  ['no label, prose only', 'I would give this answer a 4 because it is clear.', null, 'no-score'],
  ['no label, "score of 4" in prose (decided: unparsed)', 'Overall this deserves a score of 4.', null, 'no-score'],
  ['bare digit (fast mode)', '4', 4, 'ok'],
  ['bare digit with newline', '5\n', 5, 'ok'],
  ['bare digit with full stop', '2.', 2, 'ok'],
  ['bare out-of-range number', '7', null, 'out-of-range'],
  ['digit followed by prose is not bare', '5 - the response is perfect', null, 'no-score'],
  ['"score-based" prose is not a label', 'A score-based approach would help.\nScore: 2', 2, 'ok'],
  ['subscore is not a label', 'Subscore: 5 for style.\nThe content is thin.', null, 'no-score'],
  ['refusal', 'I cannot rate this content.', null, 'no-score'],
  ['cut off before the score', 'The answer covers most of the request but', null, 'no-score'],
  ['JSON-ish reply', '{"reason": "clear", "score": 4}', 4, 'ok'],
  ['JSON-ish reply with a quoted value', '{"reason": "clear", "score": "5"}', 5, 'ok'],
  ['CRLF line endings', 'Clear.\r\n\r\nScore: 4\r\n', 4, 'ok'],
  ['full-width colon is not our separator', 'Clear.\nScore： 4', null, 'no-score'],
  // Issue 15: a label anywhere in prose, and fractions in any locale or spelling.
  ['issue: rubric quoted mid-sentence, rating in prose', 'The rubric says a score: 5 requires expert writing; this is not. I rate it 3.', null, 'no-score'],
  ['issue: decimal comma "4,5"', 'Between good and great.\nScore: 4,5', null, 'not-integer'],
  ['issue: "4 and a half"', 'Nearly perfect.\nScore: 4 and a half', null, 'not-integer'],
  ['"four and a half"', 'Nearly perfect.\nScore: four and a half', null, 'not-integer'],
  ['"4½"', 'Nearly perfect.\nScore: 4½', null, 'not-integer'],
  ['"4 point 5"', 'Nearly perfect.\nScore: 4 point 5', null, 'not-integer'],
  ['"4,5/5"', 'Nearly perfect.\nScore: 4,5/5', null, 'not-integer'],
  ['bare "4,5" as a whole reply', '4,5', null, 'not-integer'],
  ['decimal comma zero is exact', 'Good.\nScore: 4,0', 4, 'ok'],
  ['score line after a rubric line that starts a line', 'Score: 5 requires expert writing; this is not.\nScore: 3', 3, 'ok'],
  ['label mid-line earlier, real score line last', 'This deserves a score: 5 in style alone.\nBut it is a forum post.\nScore: 3', 3, 'ok'],
  ['"my rating:" mid-line is prose', 'Overall, my rating: 4', null, 'no-score'],
  ['list bullet before the label', 'Assessment:\n- Clear: yes\n- Score: 4', 4, 'ok'],
  ['quote and bold before the label', 'Mostly right.\n> **Final Score:** 5', 5, 'ok'],
  ['numbered list item', '1. Relevance: high\n2. Score: 3', 3, 'ok'],
  ['bold label and bold value', 'Fine.\n**Score**: **4**', 4, 'ok'],
  ['dash comment after the score', 'Score: 3 — helpful but reads like a blog', 3, 'ok'],
  ['Llama-style lead-in', 'Based on the rubric, I would rate this response as follows:\n\nScore: 4', 4, 'ok'],
  ['no space and a full stop', 'Fine.\nScore:4/5.', 4, 'ok'],
  ['pretty-printed JSON', '{\n  "reason": "Complete and well organised.",\n  "score": 4\n}', 4, 'ok'],
  ['JSON in a json fence', '```json\n{"score": 5, "reason": "expert"}\n```', 5, 'ok'],
  ['JSON with a fractional score', '{"reason": "almost", "score": 4.5}', null, 'not-integer'],
  ['JSON with no score member', '{"reason": "clear", "verdict": "good"}', null, 'no-score'],
];

describe('parseRating: what models really write', () => {
  it('has at least 40 cases', () => expect(TABLE.length).toBeGreaterThanOrEqual(40));
  it.each(TABLE)('%s', (_what, reply, score, code) => {
    const p = parseRating(reply);
    expect(p.score).toBe(score);
    expect(p.code).toBe(code);
    expect(p.parse).toBe(score === null ? 'unparsed' : 'parsed');
  });
});

describe('parseRating details', () => {
  it('keeps the reasoning before the last score line, without the label markdown', () => {
    expect(parseRating('The answer is complete and clear.\n\n**Score:** 4').reason).toBe('The answer is complete and clear.');
    expect(parseRating('<think>hmm</think>\nGood.\nScore: 5').reason).toBe('Good.');
    expect(parseRating('No label here.').reason).toBe('No label here.');
    expect(parseRating('{"reason": "clear", "score": 4}').reason).toBe('clear');
  });
  it('points at the score digit in the raw text', () => {
    const raw = '<think>x</think>Good.\n**Score:** 4';
    const p = parseRating(raw);
    expect(raw[p.scoreAt]).toBe('4');
    expect(p.scoreAt).toBe(raw.length - 1);
    expect(parseRating('Good.\nScore: 10').scoreAt).toBe(-1);
    expect(parseRating(' 3').scoreAt).toBe(1);
    const json = '{"reason": "clear", "score": "5"}';
    expect(json[parseRating(json).scoreAt]).toBe('5');
  });
  it('masks thinking without moving offsets', () => {
    expect(maskThinking('a<think>bc</think>d')).toBe('a' + ' '.repeat(17) + 'd');
    expect(maskThinking('xy</think>z')).toBe('          z');
    expect(maskThinking('a<think>open')).toBe('a' + ' '.repeat(11));
  });
});
