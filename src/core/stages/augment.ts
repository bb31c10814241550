/**
 * Self-augmentation as a stage: for each segment, ask the backward model for the instruction the
 * segment answers. Two modes, picked by the template:
 * - fine-tuned: a model trained on reversed seed pairs gets the segment alone;
 * - prompted: an instruct model gets k reversed seed pairs as earlier turns (response → instruction),
 *   then the segment.
 * Every model reply becomes a Candidate, even an empty one (status code, raw kept).
 */
import { SCHEMA_VERSION, type Candidate } from '../records.ts';
import { ok, type Result } from '../result.ts';
import type { ChatMessage, LlmReply, LlmRequest } from '../../ports/llm.ts';
import { cleanInstruction } from './clean-instruction.ts';
import { fillTemplate, type PromptTemplate } from './prompts.ts';
import { engineFailure, type AugmentConfig, type AugmentInput, type AugmentMode, type Stage, type StageIssue } from './stage.ts';

export function augmentMode(template: PromptTemplate): AugmentMode {
  if (template.id === 'augment-finetuned') return 'finetuned';
  if (template.id === 'augment-prompted') return 'prompted';
  throw new RangeError(`${template.id} is not an augmentation template`);
}

/** Cuts an example response at a paragraph or sentence end near `max` characters. */
export function shortenExample(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const end = Math.max(cut.lastIndexOf('\n\n'), cut.lastIndexOf('. ') + 1);
  return (end > max / 2 ? cut.slice(0, end) : cut).trimEnd() + ' …';
}

export function augmentMessages(template: PromptTemplate, input: AugmentInput, cfg: AugmentConfig): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (template.system.trim() !== '') messages.push({ role: 'system', content: template.system });
  if (augmentMode(template) === 'prompted') {
    for (const ex of cfg.examples) {
      messages.push({ role: 'user', content: fillTemplate(template.user, { segment: shortenExample(ex.response, cfg.maxExampleChars) }) });
      messages.push({ role: 'assistant', content: ex.instruction });
    }
  }
  messages.push({ role: 'user', content: fillTemplate(template.user, { segment: input.text }) });
  return messages;
}

export function augmentStage(template: PromptTemplate): Stage<AugmentInput, Candidate, AugmentConfig> {
  const mode = augmentMode(template);
  return {
    id: 'augment',
    version: template.version,
    collection: (runId) => `candidates:${runId}`,
    request(input, cfg): LlmRequest {
      const req: LlmRequest = {
        messages: augmentMessages(template, input, cfg),
        temperature: cfg.sampling.temperature,
        topP: cfg.sampling.topP,
        maxTokens: cfg.sampling.maxTokens,
      };
      if (cfg.sampling.seed !== undefined) req.seed = cfg.sampling.seed + input.seq;
      return req;
    },
    parse(reply: LlmReply, input, cfg, runId, now): Result<Candidate, StageIssue> {
      const stopped = engineFailure(reply);
      if (stopped) return stopped;
      const cleaned = cleanInstruction(reply.text, cfg.maxInstructionChars, reply.finishReason === 'length', input.text);
      const candidate: Candidate = {
        schemaVersion: SCHEMA_VERSION,
        seq: input.seq,
        segmentId: input.segmentId,
        runId,
        instruction: cleaned.instruction,
        raw: reply.text,
        status: cleaned.status,
        provenance: { model: cfg.model, promptVersion: template.version, stageVersion: template.version, sampling: cfg.sampling, mode },
        usage: { promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens },
        createdAt: now,
      };
      if (cleaned.changes.length > 0) candidate.cleanup = cleaned.changes;
      return ok(candidate);
    },
    versionOf: (c) => c.provenance.stageVersion,
    outcomeOf: (c) => c.status,
  };
}
