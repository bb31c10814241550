/**
 * Self-curation as a stage: the forward model rates each (instruction, segment) pair on our
 * 5-point scale. Reasoned mode asks for reasoning then `Score: N`; fast mode asks for the digit
 * only. Where the engine can, the request carries a grammar (the last line is always a score)
 * and asks for top logprobs (the expected score). An unreadable reply is a Rating with
 * parse 'unparsed' and its raw text — counted, shown, never dropped.
 */
import { SCHEMA_VERSION, type Rating } from '../records.ts';
import { ok, type Result } from '../result.ts';
import type { LlmCapabilities, LlmReply, LlmRequest } from '../../ports/llm.ts';
import { expectedScore, MAX_TOP_LOGPROBS } from './expected-score.ts';
import { FAST_GRAMMAR, REASONED_GRAMMAR } from './grammar.ts';
import { parseRating } from './parse-rating.ts';
import { fillTemplate, type PromptTemplate } from './prompts.ts';
import { engineFailure, type CurateConfig, type CurateInput, type CurateMode, type Stage, type StageIssue } from './stage.ts';

export function curateMode(template: PromptTemplate): CurateMode {
  if (template.id === 'curate-reasoned') return 'reasoned';
  if (template.id === 'curate-fast') return 'fast';
  throw new RangeError(`${template.id} is not a rating template`);
}

/**
 * The best a given engine can do: grammar where supported, and as many alternatives as it returns
 * (up to MAX_TOP_LOGPROBS) where logprobs exist — with five, spellings of one digit (" 4", "4")
 * and non-score tokens crowd out the scores the expectation needs.
 */
export function curateAbilities(caps: LlmCapabilities): Pick<CurateConfig, 'constrained' | 'topLogprobs'> {
  const most = Math.floor(Math.min(MAX_TOP_LOGPROBS, caps.maxTopLogprobs));
  return { constrained: caps.grammar, topLogprobs: caps.logprobs && most > 0 ? most : 0 };
}

export function curateRequest(template: PromptTemplate, input: CurateInput, cfg: CurateConfig): LlmRequest {
  const mode = curateMode(template);
  const req: LlmRequest = { messages: [], temperature: cfg.sampling.temperature, topP: cfg.sampling.topP, maxTokens: cfg.sampling.maxTokens };
  if (template.system.trim() !== '') req.messages.push({ role: 'system', content: template.system });
  req.messages.push({ role: 'user', content: fillTemplate(template.user, { instruction: input.instruction, response: input.response }) });
  if (cfg.constrained) req.constraint = { type: 'grammar', grammar: mode === 'fast' ? FAST_GRAMMAR : REASONED_GRAMMAR };
  if (cfg.topLogprobs > 0) req.topLogprobs = cfg.topLogprobs;
  if (cfg.sampling.seed !== undefined) req.seed = cfg.sampling.seed;
  return req;
}

export function curateStage(template: PromptTemplate): Stage<CurateInput, Rating, CurateConfig> {
  const mode = curateMode(template);
  return {
    id: 'curate',
    version: template.version,
    collection: (runId) => `ratings:${runId}`,
    request: (input, cfg) => curateRequest(template, input, cfg),
    parse(reply: LlmReply, input, cfg, runId, now): Result<Rating, StageIssue> {
      const stopped = engineFailure(reply);
      if (stopped) return stopped;
      const parsed = parseRating(reply.text);
      const rating: Rating = {
        schemaVersion: SCHEMA_VERSION,
        seq: input.seq,
        segmentId: input.segmentId,
        runId,
        round: cfg.round,
        score: parsed.score,
        reason: parsed.reason,
        raw: reply.text,
        parse: parsed.parse,
        curator: { model: cfg.model, promptVersion: template.version, stageVersion: template.version, mode },
        usage: { promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens },
        createdAt: now,
      };
      if (parsed.parse === 'parsed' && reply.logprobs && reply.logprobs.length > 0) {
        const e = expectedScore(reply.logprobs, parsed.scoreAt);
        rating.expectedScore = e ? e.expected : null;
        if (e) {
          rating.scoreProbs = e.probs;
          rating.scoreMass = e.mass;
        }
      }
      return ok(rating);
    },
    versionOf: (r) => r.curator.stageVersion,
    outcomeOf: (r) => (r.parse === 'parsed' ? 'parsed' : `unparsed:${parseRating(r.raw).code}`),
  };
}
