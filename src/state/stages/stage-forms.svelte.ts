/**
 * What the user sets up before a run of each stage: the mode, sampling, the rating round, and the
 * prompt templates (prompted mode's k examples are chosen in the Seed step). Kept with the project so a reload shows the
 * same form. A template edit is saved as the next version (editTemplate): runs made with the
 * earlier text keep their own copy and stay labelled with its version.
 *
 * Project settings these classes own:
 * - `stageTemplates`: `Partial<Record<TemplateId, PromptTemplate>>` — the current (edited) templates;
 * - `augmentForm`: `AugmentFormValues`; `curateForm`: `CurateFormValues` (below).
 */
import type { Sampling } from '../../core/records.ts';
import type { Issue } from '../../core/result.ts';
import {
  AUGMENT_MODE_TEMPLATE, BUILT_IN_TEMPLATES, CURATE_MODE_TEMPLATE, DEFAULT_TEMPLATES, checkTemplate, editTemplate, type PromptTemplate, type TemplateId,
} from '../../core/stages/prompts.ts';
import { AUGMENT_SAMPLING, type AugmentMode, type CurateMode } from '../../core/stages/stage.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export interface AugmentFormValues {
  mode: AugmentMode;
  sampling: Sampling;
  maxInstructionChars: number;
  maxExampleChars: number;
}

export interface CurateFormValues {
  mode: CurateMode;
  /** 0 for M0 (the first rater), 1 for M1, ... */
  round: number;
}

export const DEFAULT_AUGMENT_FORM: AugmentFormValues = {
  mode: 'prompted',
  sampling: { ...AUGMENT_SAMPLING },
  maxInstructionChars: 600,
  maxExampleChars: 1200,
};

export const DEFAULT_CURATE_FORM: CurateFormValues = { mode: 'reasoned', round: 0 };

/** The current templates of one project, edited as new versions. */
export class TemplateBook {
  readonly #ps: ProjectState;

  constructor(ps: ProjectState) {
    this.#ps = ps;
  }

  get(id: TemplateId): PromptTemplate {
    return this.#ps.setting<Partial<Record<TemplateId, PromptTemplate>>>('stageTemplates', {})[id] ?? DEFAULT_TEMPLATES[id];
  }

  /** Saves an edit as the next version; returns the problems instead when the text would not work. */
  async edit(id: TemplateId, edit: { system?: string; user?: string }): Promise<Issue[]> {
    const current = this.get(id);
    const next = editTemplate(current, edit);
    const issues = checkTemplate(next);
    if (issues.length > 0 || next === current) return issues;
    const all = this.#ps.setting<Partial<Record<TemplateId, PromptTemplate>>>('stageTemplates', {});
    await this.#ps.saveSetting('stageTemplates', { ...all, [id]: next });
    return [];
  }

  /** Back to our wording, as a new version (versions never go back: results stay labelled). */
  reset(id: TemplateId): Promise<Issue[]> {
    const d = DEFAULT_TEMPLATES[id];
    return this.edit(id, { system: d.system, user: d.user });
  }

  /**
   * One of our wordings (e.g. the earlier "pair first" layout), as a new version. Runs keep the
   * template they were made with, so this changes only the runs started next.
   */
  useBuiltIn(id: TemplateId, version: number): Promise<Issue[]> {
    const b = BUILT_IN_TEMPLATES[id].find((t) => t.version === version);
    return b ? this.edit(id, { system: b.system, user: b.user }) : Promise.resolve([]);
  }

  isDefault(id: TemplateId): boolean {
    const t = this.get(id);
    const d = DEFAULT_TEMPLATES[id];
    return t.system === d.system && t.user === d.user;
  }
}

export class AugmentForm {
  values = $state<AugmentFormValues>(structuredClone(DEFAULT_AUGMENT_FORM));
  readonly #ps: ProjectState;

  constructor(ps: ProjectState) {
    this.#ps = ps;
    const saved = ps.setting<Partial<AugmentFormValues>>('augmentForm', {});
    this.values = { ...structuredClone(DEFAULT_AUGMENT_FORM), ...saved, sampling: { ...DEFAULT_AUGMENT_FORM.sampling, ...saved.sampling } };
  }

  get templateId(): TemplateId {
    return AUGMENT_MODE_TEMPLATE[this.values.mode];
  }

  /** Problems with the numbers, in words the form shows next to the Start button. */
  issues(): Issue[] {
    const v = this.values;
    const out: Issue[] = [];
    if (!(v.sampling.temperature >= 0 && v.sampling.temperature <= 2)) out.push({ code: 'temperature', message: 'Temperature must be between 0 and 2.' });
    if (!(v.sampling.topP > 0 && v.sampling.topP <= 1)) out.push({ code: 'top-p', message: 'Top-p must be above 0 and at most 1.' });
    if (!(Number.isInteger(v.sampling.maxTokens) && v.sampling.maxTokens >= 8)) out.push({ code: 'max-tokens', message: 'Allow at least 8 tokens for an instruction.' });
    if (!(v.maxInstructionChars >= 20)) out.push({ code: 'max-chars', message: 'Allow instructions of at least 20 characters.' });
    return out;
  }

  save(): Promise<void> {
    return this.#ps.saveSetting('augmentForm', this.values);
  }
}

export class CurateForm {
  values = $state<CurateFormValues>({ ...DEFAULT_CURATE_FORM });
  /** The augmentation run whose candidates to rate. */
  augmentRunId = $state<string | null>(null);
  readonly #ps: ProjectState;

  constructor(ps: ProjectState) {
    this.#ps = ps;
    this.values = { ...DEFAULT_CURATE_FORM, ...ps.setting<Partial<CurateFormValues>>('curateForm', {}) };
  }

  get templateId(): TemplateId {
    return CURATE_MODE_TEMPLATE[this.values.mode];
  }

  issues(): Issue[] {
    const out: Issue[] = [];
    if (!(Number.isInteger(this.values.round) && this.values.round >= 0)) out.push({ code: 'round', message: 'The round is a whole number: 0 for the first rater (M0), 1 for M1, …' });
    if (!this.augmentRunId) out.push({ code: 'no-candidates', message: 'Pick the generated instructions to rate (run “Generate instructions” first).' });
    return out;
  }

  save(): Promise<void> {
    return this.#ps.saveSetting('curateForm', this.values);
  }
}
