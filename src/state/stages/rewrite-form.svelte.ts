/**
 * What the user sets up before a rewrite run (issue 19): the check limits, sampling, and the
 * rewrite prompt (an edit is saved as its next version, like the other templates). Kept with the
 * project so a reload shows the same form. The choice of which responses the curated set trains
 * with (original / rewritten / both) is not here: it belongs to the curated set (state/review/curation.ts).
 *
 * Project settings this class owns: `rewriteForm` (`RewriteFormValues`), `rewriteTemplate` (`RewriteTemplate`).
 */
import type { Issue } from '../../core/result.ts';
import { DEFAULT_REWRITE_LIMITS, type RewriteLimits } from '../../core/rewrite/checks.ts';
import { DEFAULT_REWRITE_TEMPLATE, REWRITE_SAMPLING, checkRewriteTemplate, editRewriteTemplate, type RewriteTemplate } from '../../core/stages/rewrite.ts';
import type { Sampling } from '../../core/records.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export interface RewriteFormValues {
  sampling: Sampling;
  limits: RewriteLimits;
}

export const DEFAULT_REWRITE_FORM: RewriteFormValues = { sampling: { ...REWRITE_SAMPLING }, limits: { ...DEFAULT_REWRITE_LIMITS } };

export class RewriteForm {
  values = $state<RewriteFormValues>(structuredClone(DEFAULT_REWRITE_FORM));
  readonly #ps: ProjectState;

  constructor(ps: ProjectState) {
    this.#ps = ps;
    const saved = ps.setting<Partial<RewriteFormValues>>('rewriteForm', {});
    this.values = {
      sampling: { ...DEFAULT_REWRITE_FORM.sampling, ...saved.sampling },
      limits: { ...DEFAULT_REWRITE_FORM.limits, ...saved.limits },
    };
  }

  get template(): RewriteTemplate {
    return this.#ps.setting<RewriteTemplate | null>('rewriteTemplate', null) ?? DEFAULT_REWRITE_TEMPLATE;
  }

  /** Saves an edit of the prompt as its next version; returns the problems instead when it would not work. */
  async editTemplate(edit: { system?: string; user?: string }): Promise<Issue[]> {
    const next = editRewriteTemplate(this.template, edit);
    const issues = checkRewriteTemplate(next);
    if (issues.length === 0 && next !== this.template) await this.#ps.saveSetting('rewriteTemplate', next);
    return issues;
  }

  /** Problems with the numbers, in words the form shows next to the Start button. */
  issues(): Issue[] {
    const { sampling: s, limits: l } = this.values;
    const out: Issue[] = [];
    if (!(s.temperature >= 0 && s.temperature <= 2)) out.push({ code: 'temperature', message: 'Temperature must be between 0 and 2.' });
    if (!(Number.isInteger(s.maxTokens) && s.maxTokens >= 32)) out.push({ code: 'max-tokens', message: 'Allow at least 32 tokens for a rewritten answer.' });
    if (!(l.minLengthRatio >= 0 && l.maxLengthRatio > l.minLengthRatio)) out.push({ code: 'length-ratio', message: 'The longest allowed length ratio must be above the shortest (e.g. 0.3 to 2.5).' });
    if (!(l.minContentKept >= 0 && l.minContentKept <= 1)) out.push({ code: 'content-kept', message: 'The share of content words to keep is between 0 and 1 (e.g. 0.4).' });
    return out;
  }

  save(): Promise<void> {
    return this.#ps.saveSetting('rewriteForm', this.values);
  }
}
