import { describe, expect, it } from 'vitest';
import { FAST_GRAMMAR, FAST_REPLY, REASONED_GRAMMAR, REASONED_REPLY } from '../../../src/core/stages/grammar.ts';
import { parseRating } from '../../../src/core/stages/parse-rating.ts';
import { BUILT_IN_TEMPLATES, DEFAULT_TEMPLATES, RUBRIC, builtInOf, checkTemplate, editTemplate, fillTemplate } from '../../../src/core/stages/prompts.ts';

describe('grammars', () => {
  it('are the exact text engines receive', () => {
    expect(FAST_GRAMMAR).toBe('root ::= [1-5]');
    expect(REASONED_GRAMMAR.split('\n')).toEqual([
      'root ::= (line "\\n" | "\\n")+ "Score: " [1-5]',
      'line ::= [^S\\n] rest | "S" ([^c\\n] rest)? | "Sc" ([^o\\n] rest)? | "Sco" ([^r\\n] rest)? | "Scor" ([^e\\n] rest)? | "Score" ([^:\\n] rest)?',
      'rest ::= [^\\n]*',
    ]);
  });
  const inLanguage = [
    'Clear and complete.\nScore: 4',
    'Line one.\n\nScore (draft) five lines.\nScored well.\nScore: 5',
    'S\nSc\nScore\nScore is high\nScore: 1',
  ];
  const outside = ['Score: 4', 'Good.\nScore: 4.', 'Good.\nScore: 10', 'Good.\nScore: 3\nMore.\nScore: 4', 'Good.\nscore: 4', 'Good. Score: 4'];
  it('every reply the reasoned grammar allows parses, with the final score', () => {
    for (const r of inLanguage) {
      expect(REASONED_REPLY.test(r)).toBe(true);
      expect(parseRating(r)).toMatchObject({ parse: 'parsed', score: Number(r.at(-1)) });
    }
    for (const r of outside) expect(REASONED_REPLY.test(r)).toBe(false);
  });
  it('fast grammar is one digit', () => {
    expect(['1', '5'].every((r) => FAST_REPLY.test(r))).toBe(true);
    expect(['0', '6', '45', ' 4'].some((r) => FAST_REPLY.test(r))).toBe(false);
  });
});

describe('prompt templates', () => {
  it('fill placeholders once, leaving text that looks like a placeholder alone', () => {
    expect(fillTemplate('A {{segment}} B {{other}}', { segment: 'x {{segment}} y' })).toBe('A x {{segment}} y B {{other}}');
  });
  it('defaults are valid and carry our rubric with the five levels', () => {
    for (const t of Object.values(DEFAULT_TEMPLATES)) expect(checkTemplate(t)).toEqual([]);
    const { system, user } = DEFAULT_TEMPLATES['curate-reasoned'];
    for (const k of [1, 2, 3, 4, 5]) expect(system).toContain(`\n${k} = `);
    expect(system.endsWith('Score: <a whole number from 1 to 5>')).toBe(true);
    expect(DEFAULT_TEMPLATES['curate-fast'].system.endsWith('a single digit from 1 to 5, nothing else.')).toBe(true);
    expect(user).toBe('Request:\n{{instruction}}\n\nCandidate answer:\n{{response}}\n\nYour judgement, then the score line:');
  });
  it('version 2 puts what every item shares first; version 1 (pair first) stays available and labelled', () => {
    for (const id of ['curate-reasoned', 'curate-fast', 'augment-prompted'] as const) {
      const [v2, v1] = BUILT_IN_TEMPLATES[id];
      expect([v2?.version, v2?.layout, v1?.version, v1?.layout]).toEqual([2, 'static-first', 1, 'pair-first']);
      expect(DEFAULT_TEMPLATES[id]).toEqual({ id, version: 2, system: v2!.system, user: v2!.user });
      expect(checkTemplate(v1!)).toEqual([]);
      // the item's placeholder is the first thing in the request: nothing shared comes after more than a short cue
      const firstPlaceholder = v2!.user.indexOf('{{');
      expect(firstPlaceholder).toBeLessThan(20);
      expect(v2!.user.length - v2!.user.lastIndexOf('}}')).toBeLessThanOrEqual(40);
    }
    // the rubric moved from after the pair (v1) into the shared system message (v2)
    const [v2, v1] = BUILT_IN_TEMPLATES['curate-reasoned'];
    expect(v1!.user.indexOf(RUBRIC)).toBeGreaterThan(v1!.user.indexOf('{{response}}'));
    expect(v2!.system).toContain(RUBRIC);
    expect(v2!.user).not.toContain(RUBRIC);
    expect(builtInOf(DEFAULT_TEMPLATES['curate-fast'])?.label).toBe('static first: the same text for every item, then the item (our wording)');
    expect(builtInOf({ ...v1!, version: 7 })?.layout).toBe('pair-first');
    expect(builtInOf({ ...v1!, user: `${v1!.user}!` })).toBeNull();
  });
  it('report missing and unknown placeholders', () => {
    const t = { ...DEFAULT_TEMPLATES['curate-reasoned'], user: 'Rate {{instruction}} with {{answer}}' };
    expect(checkTemplate(t).map((i) => `${i.code}:${i.message}`)).toEqual([
      'missing-placeholder:The request text must contain {{response}} so the model sees it.',
      'unknown-placeholder:{{answer}} is not filled in by this step; remove it.',
    ]);
  });
  it('an edit is a new version; no change keeps the version', () => {
    const t = DEFAULT_TEMPLATES['augment-prompted'];
    expect(editTemplate(t, { user: t.user })).toBe(t);
    const e = editTemplate(t, { system: 'Write the question.' });
    expect([e.version, e.system, e.user]).toEqual([3, 'Write the question.', t.user]);
    expect(editTemplate(e, { user: '{{segment}}?' }).version).toBe(4);
  });
});
