import { describe, expect, it } from 'vitest';
import { augmentStage } from '../../../src/core/stages/augment.ts';
import { curateAbilities, curateStage } from '../../../src/core/stages/curate.ts';
import { FAST_GRAMMAR, REASONED_GRAMMAR } from '../../../src/core/stages/grammar.ts';
import { BUILT_IN_TEMPLATES, DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import { SCHEMA_VERSION } from '../../../src/core/records.ts';
import { AUGMENT_SAMPLING, CURATE_SAMPLING, FAST_CURATE_SAMPLING, type AugmentConfig, type CurateConfig } from '../../../src/core/stages/stage.ts';
import type { LlmReply } from '../../../src/ports/llm.ts';

const model = { engine: 'scripted' as const, model: 'm' };
const augCfg: AugmentConfig = {
  model,
  sampling: { ...AUGMENT_SAMPLING, seed: 100 },
  examples: [
    { instruction: 'How do I boil an egg?', response: 'Put the egg in boiling water for nine minutes.' },
    { instruction: 'Name a prime.', response: 'Seven is a prime number. It has no divisors but one and itself. More text follows here.' },
  ],
  maxInstructionChars: 50,
  maxExampleChars: 40,
};
const segment = { seq: 7, segmentId: 's7', text: 'Tides come from the moon.' };
const reply = (text: string, extra: Partial<LlmReply> = {}): LlmReply => ({ text, finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 3 }, model: 'm', ...extra });

describe('augment stage', () => {
  it('fine-tuned mode sends the segment alone, with the paper sampling and a per-item seed', () => {
    const req = augmentStage(DEFAULT_TEMPLATES['augment-finetuned']).request(segment, augCfg);
    expect(req).toEqual({
      messages: [
        { role: 'system', content: 'Write the instruction that the following text answers.' },
        { role: 'user', content: 'Tides come from the moon.' },
      ],
      temperature: 0.7,
      topP: 0.9,
      maxTokens: 256,
      seed: 107,
    });
  });
  it('prompted mode shows the k seed pairs reversed: response in, instruction out', () => {
    const req = augmentStage(DEFAULT_TEMPLATES['augment-prompted']).request(segment, augCfg);
    const wrap = (t: string) => `Text:\n${t}`;
    expect(req.messages.map((m) => [m.role, m.role === 'system' ? '' : m.content])).toEqual([
      ['system', ''],
      ['user', wrap('Put the egg in boiling water for nine mi …')],
      ['assistant', 'How do I boil an egg?'],
      ['user', wrap('Seven is a prime number. …')],
      ['assistant', 'Name a prime.'],
      ['user', wrap('Tides come from the moon.')],
    ]);
  });
  it('turns every reply into a candidate, bad ones with a status code and the raw text', () => {
    const stage = augmentStage(DEFAULT_TEMPLATES['augment-prompted']);
    const good = stage.parse(reply('Instruction: "Why are there tides?"'), segment, augCfg, 'r1', 123);
    expect(good).toEqual({
      ok: true,
      value: {
        schemaVersion: SCHEMA_VERSION, seq: 7, segmentId: 's7', runId: 'r1', instruction: 'Why are there tides?', raw: 'Instruction: "Why are there tides?"', status: 'ok',
        cleanup: [{ rule: 'label', removed: 'Instruction:' }, { rule: 'quotes', removed: '" … "' }],
        provenance: { model, promptVersion: 2, stageVersion: 2, sampling: augCfg.sampling, mode: 'prompted' },
        usage: { promptTokens: 10, completionTokens: 3 }, createdAt: 123,
      },
    });
    const statusOf = (r: LlmReply) => {
      const p = stage.parse(r, segment, augCfg, 'r1', 0);
      return p.ok ? [p.value.status, p.value.raw] : [p.issue.code, p.issue.raw];
    };
    expect(statusOf(reply(''))).toEqual(['empty', '']);
    expect(statusOf(reply('Sure!'))).toEqual(['no-instruction', 'Sure!']);
    expect(statusOf(reply('x'.repeat(51)))).toEqual(['too-long', 'x'.repeat(51)]);
    expect(statusOf(reply('Why do', { finishReason: 'length' }))).toEqual(['truncated', 'Why do']);
    expect(statusOf(reply('partial', { finishReason: 'error' }))).toEqual(['engine-error', 'partial']);
    const empty = stage.parse(reply(''), segment, augCfg, 'r1', 0);
    expect(empty.ok && stage.outcomeOf(empty.value)).toBe('empty');
  });
  it('a stage carries its template version and collection', () => {
    const stage = augmentStage({ ...DEFAULT_TEMPLATES['augment-finetuned'], version: 4 });
    expect([stage.id, stage.version, stage.collection('r9')]).toEqual(['augment', 4, 'candidates:r9']);
    expect(() => augmentStage(DEFAULT_TEMPLATES['curate-fast'])).toThrow(RangeError);
  });
});

describe('curate stage', () => {
  const pair = { seq: 3, segmentId: 's3', instruction: 'Why tides?', response: 'The moon pulls the sea.' };
  const cfg = (over: Partial<CurateConfig> = {}): CurateConfig => ({ model, sampling: CURATE_SAMPLING, round: 0, constrained: false, topLogprobs: 0, ...over });

  it('asks with the rubric, a grammar and logprobs where the engine has them', () => {
    const stage = curateStage(DEFAULT_TEMPLATES['curate-reasoned']);
    const plain = stage.request(pair, cfg());
    expect(plain.constraint).toBeUndefined();
    expect(plain.topLogprobs).toBeUndefined();
    // static first: the rubric is in the shared system message, the pair is the whole request
    expect(plain.messages[0]?.content).toContain('Rate the candidate answer as a reply to the request, on this scale:\n1 = ');
    expect(plain.messages[1]?.content).toBe('Request:\nWhy tides?\n\nCandidate answer:\nThe moon pulls the sea.\n\nYour judgement, then the score line:');
    // the earlier pair-first wording still works the same way
    const v1 = curateStage(BUILT_IN_TEMPLATES['curate-reasoned'][1]!).request(pair, cfg());
    expect(v1.messages[1]?.content.startsWith('Request:\nWhy tides?\n\nCandidate answer:\nThe moon pulls the sea.\n\nRate')).toBe(true);
    const full = stage.request(pair, cfg({ constrained: true, topLogprobs: 5 }));
    expect(full.constraint).toEqual({ type: 'grammar', grammar: REASONED_GRAMMAR });
    expect([full.topLogprobs, full.temperature, full.maxTokens]).toEqual([5, 0, 512]);
    const fast = curateStage(DEFAULT_TEMPLATES['curate-fast']).request(pair, cfg({ constrained: true, topLogprobs: 5, sampling: FAST_CURATE_SAMPLING }));
    expect([fast.constraint, fast.maxTokens]).toEqual([{ type: 'grammar', grammar: FAST_GRAMMAR }, 1]);
  });
  it('picks abilities from the engine', () => {
    const caps = { logprobs: true, maxTopLogprobs: 20, grammar: true, jsonSchema: true, seed: true, concurrency: 1, contextWindow: 4096 };
    // As many alternatives as the engine gives, at most 20 (five used to leave scores out).
    expect(curateAbilities(caps)).toEqual({ constrained: true, topLogprobs: 20 });
    expect(curateAbilities({ ...caps, maxTopLogprobs: 5 })).toEqual({ constrained: true, topLogprobs: 5 });
    expect(curateAbilities({ ...caps, maxTopLogprobs: 100 })).toEqual({ constrained: true, topLogprobs: 20 });
    expect(curateAbilities({ ...caps, maxTopLogprobs: 0 })).toEqual({ constrained: true, topLogprobs: 0 });
    expect(curateAbilities({ ...caps, logprobs: false, grammar: false })).toEqual({ constrained: false, topLogprobs: 0 });
  });
  it('parses a score, an expected score from the score token, and keeps unparsed replies', () => {
    const stage = curateStage(DEFAULT_TEMPLATES['curate-reasoned']);
    const lp = (token: string, alts: [string, number][]) => ({ token, logprob: Math.log(alts[0]?.[1] ?? 1), top: alts.map(([t, p]) => ({ token: t, logprob: Math.log(p) })) });
    const logprobs = [lp('Good.', [['Good.', 1]]), lp('\nScore: ', [['\nScore: ', 1]]), lp('4', [['4', 0.5], ['5', 0.5]])];
    const r = stage.parse(reply('Good.\nScore: 4', { logprobs }), pair, cfg({ round: 1 }), 'c1', 9);
    expect(r.ok && r.value).toEqual({
      schemaVersion: SCHEMA_VERSION, seq: 3, segmentId: 's3', runId: 'c1', round: 1, score: 4, expectedScore: 4.5, scoreProbs: [0, 0, 0, 0.5, 0.5], scoreMass: 1,
      reason: 'Good.', raw: 'Good.\nScore: 4', parse: 'parsed',
      curator: { model, promptVersion: 2, stageVersion: 2, mode: 'reasoned' }, usage: { promptTokens: 10, completionTokens: 3 }, createdAt: 9,
    });
    const bad = stage.parse(reply('Great.\nScore: 10'), pair, cfg(), 'c1', 9);
    expect(bad.ok && [bad.value.parse, bad.value.score, bad.value.raw, stage.outcomeOf(bad.value)]).toEqual(['unparsed', null, 'Great.\nScore: 10', 'unparsed:out-of-range']);
    expect(bad.ok && 'expectedScore' in bad.value).toBe(false);
  });
});
