/**
 * The prompt templates, in our own words (METHOD.md: the paper's prompts say what to ask, not what
 * to paste). Templates are plain data the user can read and edit; an edit makes a new version, and
 * the stage built from a template carries that version, so results stay labelled with the prompt
 * that made them. Placeholders are `{{name}}`, filled in one pass so a segment that itself contains
 * "{{instruction}}" is never substituted twice.
 */
import type { Issue } from '../result.ts';
import type { AugmentMode, CurateMode } from './stage.ts';

export type TemplateId = 'augment-finetuned' | 'augment-prompted' | 'curate-reasoned' | 'curate-fast';

export interface PromptTemplate {
  id: TemplateId;
  version: number;
  /** System message; empty means none is sent. */
  system: string;
  /** User message with placeholders. */
  user: string;
}

export const AUGMENT_MODE_TEMPLATE: Record<AugmentMode, TemplateId> = { finetuned: 'augment-finetuned', prompted: 'augment-prompted' };
export const CURATE_MODE_TEMPLATE: Record<CurateMode, TemplateId> = { reasoned: 'curate-reasoned', fast: 'curate-fast' };

/** Placeholders each template must contain, or the model never sees the text it works on. */
export const REQUIRED_PLACEHOLDERS: Record<TemplateId, string[]> = {
  'augment-finetuned': ['segment'],
  'augment-prompted': ['segment'],
  'curate-reasoned': ['instruction', 'response'],
  'curate-fast': ['instruction', 'response'],
};

/** The 5-point scale, reworded from the paper's rubric (METHOD.md, self-curation). */
export const RUBRIC = [
  '1 = It does not serve the request: incomplete, vague, off-topic or contentious; or leftover web material such as text that is cut off or missing, a list that begins part-way through, an opening that repeats the question, a personal blog or forum voice, advertising or site navigation.',
  '2 = It covers much of what was asked, but not head-on, for example only an outline of how one might go about it.',
  '3 = It is useful, complete and stands on its own, but reads like someone else\'s writing (a blog post, a web page, a search result) rather than an assistant\'s reply.',
  '4 = It reads as an AI assistant\'s reply: complete, clear and well organised, with only small things left to improve.',
  '5 = It is an ideal assistant reply: focused on the request, expert, well written and engaging.',
].join('\n');

const RATE_HEAD =
  'Request:\n{{instruction}}\n\nCandidate answer:\n{{response}}\n\nRate the candidate answer as a reply to the request, on this scale:\n' + RUBRIC;

const REVIEWER =
  'You review training data for an AI assistant. Each item is a user request and a candidate answer taken from the web. ' +
  'You judge how well the answer would serve as an AI assistant\'s reply to that request.';

export const DEFAULT_TEMPLATES: Readonly<Record<TemplateId, PromptTemplate>> = Object.freeze({
  'augment-finetuned': {
    id: 'augment-finetuned',
    version: 1,
    // Must match the system prompt the backward model was trained with (the reversed seed set).
    system: 'Write the instruction that the following text answers.',
    user: '{{segment}}',
  },
  'augment-prompted': {
    id: 'augment-prompted',
    version: 1,
    system:
      'You write the user requests for an instruction-tuning dataset. You are shown a text that answers some request; ' +
      'reply with that request only: one instruction a person could have given, for which the text is a good answer. ' +
      'Do not answer it, explain it, or put it in quotes.',
    user: 'Text:\n{{segment}}\n\nWrite the instruction this text answers.',
  },
  'curate-reasoned': {
    id: 'curate-reasoned',
    version: 1,
    system: REVIEWER,
    user:
      RATE_HEAD +
      '\n\nFirst explain your judgement in a few sentences. Then end with one last line in exactly this form:\nScore: <a whole number from 1 to 5>',
  },
  'curate-fast': {
    id: 'curate-fast',
    version: 1,
    system: REVIEWER,
    user: RATE_HEAD + '\n\nReply with the score only: a single digit from 1 to 5, nothing else.',
  },
});

/** Fills `{{name}}` placeholders in one pass; unknown names stay as written. */
export function fillTemplate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** Problems that would make a template useless, in words the editor can show. */
export function checkTemplate(t: PromptTemplate): Issue[] {
  const issues: Issue[] = [];
  const both = `${t.system}\n${t.user}`;
  for (const name of REQUIRED_PLACEHOLDERS[t.id]) {
    if (!t.user.includes(`{{${name}}}`)) {
      issues.push({ code: 'missing-placeholder', message: `The request text must contain {{${name}}} so the model sees it.`, at: t.id });
    }
  }
  const known = new Set(REQUIRED_PLACEHOLDERS[t.id]);
  for (const m of both.matchAll(/\{\{(\w+)\}\}/g)) {
    const name = m[1] ?? '';
    if (!known.has(name)) issues.push({ code: 'unknown-placeholder', message: `{{${name}}} is not filled in by this step; remove it.`, at: t.id });
  }
  return issues;
}

/**
 * The template after a user edit: same id, next version when the text changed (so the next run
 * is labelled with it), unchanged otherwise.
 */
export function editTemplate(t: PromptTemplate, edit: { system?: string; user?: string }): PromptTemplate {
  const next = { ...t, system: edit.system ?? t.system, user: edit.user ?? t.user };
  if (next.system === t.system && next.user === t.user) return t;
  return { ...next, version: t.version + 1 };
}
