/**
 * The prompt templates, in our own words (METHOD.md: the paper's prompts say what to ask, not what
 * to paste). Templates are plain data the user can read and edit; an edit makes a new version, and
 * the stage built from a template carries that version, so results stay labelled with the prompt
 * that made them. Placeholders are `{{name}}`, filled in one pass so a segment that itself contains
 * "{{instruction}}" is never substituted twice.
 *
 * Layout: version 2 of our wording puts everything that is the same for every item (role, rubric,
 * answer rules; in prompted mode the task, before the few-shot examples) in front, and the item
 * last. Servers with a prefix cache (vLLM, llama.cpp server, llama.cpp inside wllama) then
 * evaluate only the item's tokens: version 1 put the pair first and the ~1,270-character rubric
 * after it, so every pair recomputed the rubric. Version 1 stays selectable, labelled "pair first";
 * runs keep the template they were made with (text and version), so old runs stay readable.
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

const PAIR = 'Request:\n{{instruction}}\n\nCandidate answer:\n{{response}}';
const SCALE = 'Rate the candidate answer as a reply to the request, on this scale:\n' + RUBRIC;
const REASONED_RULE = 'First explain your judgement in a few sentences. Then end with one last line in exactly this form:\nScore: <a whole number from 1 to 5>';
const FAST_RULE = 'Reply with the score only: a single digit from 1 to 5, nothing else.';

const REVIEWER =
  'You review training data for an AI assistant. Each item is a user request and a candidate answer taken from the web. ' +
  'You judge how well the answer would serve as an AI assistant\'s reply to that request.';

const WRITER =
  'You write the user requests for an instruction-tuning dataset. You are shown a text that answers some request; ' +
  'reply with that request only: one instruction a person could have given, for which the text is a good answer. ' +
  'Do not answer it, explain it, or put it in quotes.';

export type TemplateLayout = 'static-first' | 'pair-first';

export interface BuiltInTemplate extends PromptTemplate {
  layout: TemplateLayout;
  /** How the editor names this wording. */
  label: string;
}

const builtIn = (t: PromptTemplate, layout: TemplateLayout): BuiltInTemplate => ({
  ...t,
  layout,
  label: layout === 'static-first' ? 'static first: the same text for every item, then the item (our wording)' : 'pair first: the item, then the rubric (our earlier wording)',
});

/** Our wordings of each template, newest first. The first is the default. */
export const BUILT_IN_TEMPLATES: Readonly<Record<TemplateId, readonly BuiltInTemplate[]>> = Object.freeze({
  'augment-finetuned': [
    // Must match the system prompt the backward model was trained with (the reversed seed set); already item-only.
    builtIn({ id: 'augment-finetuned', version: 1, system: 'Write the instruction that the following text answers.', user: '{{segment}}' }, 'static-first'),
  ],
  'augment-prompted': [
    builtIn({ id: 'augment-prompted', version: 2, system: `${WRITER} Each text comes after "Text:"; the request you write is your whole reply.`, user: 'Text:\n{{segment}}' }, 'static-first'),
    builtIn({ id: 'augment-prompted', version: 1, system: WRITER, user: 'Text:\n{{segment}}\n\nWrite the instruction this text answers.' }, 'pair-first'),
  ],
  'curate-reasoned': [
    builtIn({ id: 'curate-reasoned', version: 2, system: `${REVIEWER}\n\n${SCALE}\n\n${REASONED_RULE}`, user: `${PAIR}\n\nYour judgement, then the score line:` }, 'static-first'),
    builtIn({ id: 'curate-reasoned', version: 1, system: REVIEWER, user: `${PAIR}\n\n${SCALE}\n\n${REASONED_RULE}` }, 'pair-first'),
  ],
  'curate-fast': [
    builtIn({ id: 'curate-fast', version: 2, system: `${REVIEWER}\n\n${SCALE}\n\n${FAST_RULE}`, user: `${PAIR}\n\nScore:` }, 'static-first'),
    builtIn({ id: 'curate-fast', version: 1, system: REVIEWER, user: `${PAIR}\n\n${SCALE}\n\n${FAST_RULE}` }, 'pair-first'),
  ],
});

const plain = ({ id, version, system, user }: BuiltInTemplate): PromptTemplate => ({ id, version, system, user });

export const DEFAULT_TEMPLATES: Readonly<Record<TemplateId, PromptTemplate>> = Object.freeze({
  'augment-finetuned': plain(BUILT_IN_TEMPLATES['augment-finetuned'][0]!),
  'augment-prompted': plain(BUILT_IN_TEMPLATES['augment-prompted'][0]!),
  'curate-reasoned': plain(BUILT_IN_TEMPLATES['curate-reasoned'][0]!),
  'curate-fast': plain(BUILT_IN_TEMPLATES['curate-fast'][0]!),
});

/** Our wording this template's text is, whatever its version number (null: the user's own text). */
export function builtInOf(t: PromptTemplate): BuiltInTemplate | null {
  return BUILT_IN_TEMPLATES[t.id].find((b) => b.system === t.system && b.user === t.user) ?? null;
}

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
