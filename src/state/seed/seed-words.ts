/**
 * The seed view's words for the importers' and filters' stable codes, so a skipped row or a
 * dropped pair is explained in plain language next to its count. Codes stay in the data; only
 * the view translates them.
 */
import type { SeedRowIssueCode } from '../../core/seed/types.ts';

export const SKIP_REASONS: Record<SeedRowIssueCode, string> = {
  'malformed-json': 'Not valid JSON',
  'not-an-object': 'Not a JSON object',
  'missing-field': 'A field the format needs is missing',
  'not-string': 'A field holds a number, null or list where text belongs',
  'empty-text': 'The text is empty',
  'no-turns': 'No question-and-answer turns found',
  'wrong-order': 'Turns are not question then answer',
  'no-response': 'A question nobody answered',
  'unknown-role': 'A speaker the format does not define',
  'marker-in-reply': 'A chat marker (### Human:, <|im_end|>…) inside the reply',
  'marker-in-instruction': 'A chat marker (### Assistant:…) inside the question',
  deleted: 'Marked deleted by OpenAssistant',
  'duplicate-id': 'A message id seen earlier in the file',
  orphan: 'A reply whose question is not in the file',
};

export const DROP_REASONS: Record<string, string> = {
  'multi-turn': 'more than one exchange',
  'later-turn': 'not the first turn',
  'not-english': 'not English',
  'rank-not-0': 'not the top-ranked reply',
  unranked: 'reply not ranked',
  'empty-instruction': 'empty instruction',
  'empty-response': 'empty response',
  duplicate: 'repeat within the file',
  'in-another-file': 'already in the project from another file',
};

/** Short names of the filter steps, for the counts table. */
export const STEP_NAMES: Record<string, string> = {
  'single-turn': 'Single-turn (OpenAssistant: first turn)',
  language: 'English',
  'top-rank': 'Top-ranked reply (OpenAssistant rank 0)',
  empty: 'Non-empty instruction and response',
  duplicate: 'No repeats within a file',
  'across-files': 'Not already in the project (other files)',
};

/** Language codes the guesser and OpenAssistant use, named. */
const LANGUAGES: Record<string, string> = {
  en: 'English', de: 'German', es: 'Spanish', fr: 'French', it: 'Italian', pt: 'Portuguese', 'pt-BR': 'Portuguese (Brazil)',
  nl: 'Dutch', ru: 'Russian', uk: 'Ukrainian', pl: 'Polish', ca: 'Catalan', eu: 'Basque', zh: 'Chinese', ja: 'Japanese',
  ko: 'Korean', ar: 'Arabic', he: 'Hebrew', el: 'Greek', th: 'Thai', hi: 'Hindi', vi: 'Vietnamese', tr: 'Turkish',
  und: 'Too short to tell',
};

export function languageName(code: string): string {
  return LANGUAGES[code] ?? code;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
