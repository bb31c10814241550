/**
 * Beyond the paper (issue 19): Nguyen et al., "Better Alignment with Instruction Back-and-Forth
 * Translation" (2024), add one step after curation — an aligned model rewrites each kept response
 * as an assistant's answer to its instruction, grounded only in the original text, so the facts
 * stay and the web voice goes. This is that step as a stage on the same runner as the others.
 *
 * The template is ours, versioned like those of prompts.ts (kept in this file so the rating and
 * generation templates can change on their own). Every reply becomes a `Rewrite` with its checks
 * (core/rewrite/checks.ts); a refusal, an empty or a cut-off reply is kept with its status and
 * flagged, never dropped and never used in place of the original.
 */
import { SCHEMA_VERSION, type ModelRef, type Rewrite, type RewriteStatus, type Sampling } from '../records.ts';
import { ok, type Issue, type Result } from '../result.ts';
import type { LlmReply, LlmRequest } from '../../ports/llm.ts';
import { checkRewrite, DEFAULT_REWRITE_LIMITS, type RewriteLimits } from '../rewrite/checks.ts';
import { editTemplate, fillTemplate, type PromptTemplate } from './prompts.ts';
import { engineFailure, type CurateInput, type Stage, type StageIssue } from './stage.ts';

export interface RewriteTemplate extends Omit<PromptTemplate, 'id'> {
  id: 'rewrite';
}

/** The reply the prompt asks for when the text holds no answer to the request. */
export const NOT_ANSWERABLE = 'NOT ANSWERABLE';

export const DEFAULT_REWRITE_TEMPLATE: Readonly<RewriteTemplate> = Object.freeze({
  id: 'rewrite',
  version: 1,
  system:
    'You turn texts from the web into an AI assistant’s replies for a training dataset. You are given a user’s request and ' +
    'an original text that answers it. Rewrite the text as a helpful assistant’s direct answer to the request: clear, well ' +
    'organised, in an assistant’s voice rather than that of a blog, forum or web page. Use only what the original text says: ' +
    'facts that are not in the original must not be added, and nothing may be guessed or filled in from elsewhere. Keep every ' +
    'number, name, link and code block you use exactly as the original writes it. Leave out what does not serve the request, ' +
    'such as navigation, advertising, greetings and personal asides. If the original text does not answer the request, reply ' +
    `with exactly ${NOT_ANSWERABLE} and nothing else.`,
  user: 'Request:\n{{instruction}}\n\nOriginal text:\n{{response}}\n\nWrite the assistant’s reply to the request, using only the original text. Reply with the rewritten answer alone.',
});

/** The pair to rewrite: the same shape a rating reads. `seq` is the segment's seq. */
export type RewriteInput = CurateInput;

export interface RewriteConfig {
  model: ModelRef;
  sampling: Sampling;
  limits: RewriteLimits;
}

/** Low temperature: a rewrite should say the original's facts, not explore. Long enough for a segment of 3,000 characters. */
export const REWRITE_SAMPLING: Sampling = { temperature: 0.2, topP: 0.9, maxTokens: 1024 };

export const DEFAULT_REWRITE_CONFIG = (model: ModelRef): RewriteConfig => ({ model, sampling: { ...REWRITE_SAMPLING }, limits: { ...DEFAULT_REWRITE_LIMITS } });

/** Problems that would make the template useless (the model must see both the request and the text). */
export function checkRewriteTemplate(t: RewriteTemplate): Issue[] {
  const issues: Issue[] = [];
  for (const name of ['instruction', 'response']) {
    if (!t.user.includes(`{{${name}}}`)) issues.push({ code: 'missing-placeholder', message: `The request text must contain {{${name}}} so the model sees it.`, at: t.id });
  }
  for (const m of `${t.system}\n${t.user}`.matchAll(/\{\{(\w+)\}\}/g)) {
    const name = m[1] ?? '';
    if (name !== 'instruction' && name !== 'response') issues.push({ code: 'unknown-placeholder', message: `{{${name}}} is not filled in by this step; remove it.`, at: t.id });
  }
  return issues;
}

/** An edit of the template as the next version (prompts.ts `editTemplate`: unchanged text keeps the version). */
export function editRewriteTemplate(t: RewriteTemplate, edit: { system?: string; user?: string }): RewriteTemplate {
  const next = editTemplate(t as unknown as PromptTemplate, edit) as unknown as RewriteTemplate; // same fields; only `id`'s type differs
  return next;
}

export function rewriteRequest(template: RewriteTemplate, input: RewriteInput, cfg: RewriteConfig): LlmRequest {
  const req: LlmRequest = { messages: [], temperature: cfg.sampling.temperature, topP: cfg.sampling.topP, maxTokens: cfg.sampling.maxTokens };
  if (template.system.trim() !== '') req.messages.push({ role: 'system', content: template.system });
  req.messages.push({ role: 'user', content: fillTemplate(template.user, { instruction: input.instruction, response: input.response }) });
  if (cfg.sampling.seed !== undefined) req.seed = cfg.sampling.seed + input.seq;
  return req;
}

// An opening line that only announces the answer ("Here is the rewritten answer:") is not part of it.
const PREFACE = /^\s*(?:sure[,!.]?\s*)?(?:here(?:'s| is)\b[^\n]{0,80}:|rewritten (?:answer|reply|response)\s*:)\s*\n?/i;
const REFUSAL = /^\s*(?:i['’]?m sorry|i am sorry|i cannot|i can['’]?t|i am unable|i['’]?m unable|as an ai\b)/i;

/** The reply as a rewrite text and a status: the refusal marker, an apology instead of an answer, nothing, or a cut-off reply. */
export function cleanRewrite(reply: string, finish: LlmReply['finishReason']): { text: string; status: RewriteStatus } {
  const text = reply.replace(PREFACE, '').trim();
  const bare = text.replace(/[^A-Za-z ]+/g, ' ').replace(/\s+/g, ' ').trim().toUpperCase();
  if (bare === NOT_ANSWERABLE || (bare.startsWith(NOT_ANSWERABLE) && text.length < 200)) return { text: '', status: 'refused' };
  if (REFUSAL.test(text) && text.length < 400) return { text: '', status: 'refused' };
  if (text === '') return { text: '', status: 'empty' };
  return { text, status: finish === 'length' ? 'truncated' : 'ok' };
}

export function rewriteStage(template: RewriteTemplate): Stage<RewriteInput, Rewrite, RewriteConfig> {
  return {
    id: 'rewrite',
    version: template.version,
    collection: (runId) => `rewrites:${runId}`,
    request: (input, cfg) => rewriteRequest(template, input, cfg),
    parse(reply: LlmReply, input, cfg, runId, now): Result<Rewrite, StageIssue> {
      const stopped = engineFailure(reply);
      if (stopped) return stopped;
      const { text, status } = cleanRewrite(reply.text, reply.finishReason);
      const checks = text === '' ? null : checkRewrite(input.response, text, cfg.limits);
      return ok({
        schemaVersion: SCHEMA_VERSION,
        seq: input.seq,
        segmentId: input.segmentId,
        runId,
        instruction: input.instruction,
        text,
        raw: reply.text,
        status,
        checks,
        flagged: status !== 'ok' || (checks?.flags.length ?? 0) > 0,
        provenance: { model: cfg.model, promptVersion: template.version, stageVersion: template.version, sampling: cfg.sampling },
        usage: { promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens },
        createdAt: now,
      });
    },
    versionOf: (r) => r.provenance.stageVersion,
    // Codes of their own: 'ok', 'empty' and 'truncated' already name instruction outcomes.
    outcomeOf: (r) => (r.status === 'ok' ? (r.flagged ? 'flagged' : 'rewritten') : r.status === 'refused' ? 'refused' : `rewrite-${r.status}`),
  };
}
