/**
 * The shapes seed import passes around. A seed file is read into `SourceRow`s (one per JSONL line
 * or JSON array item, numbered the way the user sees the file), each format's importer turns rows
 * into `SeedCandidate`s — one (instruction, response) exchange plus what the filters need to
 * know about it — or into `SeedRowIssue`s with a stable code, and the filters decide which
 * candidates become seed pairs. Nothing here throws on bad input: bad rows are data.
 */

export const SEED_FORMATS = ['guanaco', 'oasst-flat', 'oasst-tree', 'lima', 'alpaca', 'openai-chat', 'sharegpt'] as const;
export type SeedFormat = (typeof SEED_FORMATS)[number];

/** What each format is called in the UI. */
export const SEED_FORMAT_LABELS: Record<SeedFormat, string> = {
  guanaco: 'Guanaco text (### Human: / ### Assistant:)',
  'oasst-flat': 'OpenAssistant messages (one message per line)',
  'oasst-tree': 'OpenAssistant message trees (nested replies)',
  lima: 'LIMA conversations (list of strings)',
  alpaca: 'Alpaca (instruction, input, output)',
  'openai-chat': 'OpenAI chat messages',
  sharegpt: 'ShareGPT conversations (from / value)',
};

/** One row of a seed file: a parsed JSON value, or why the row could not be parsed. */
export type SourceRow = { row: number; value: unknown } | { row: number; error: string };

/** One (instruction, response) exchange taken from a row, before filtering. */
export interface SeedCandidate {
  instruction: string;
  response: string;
  source: { path: string; format: SeedFormat; row: number };
  /**
   * Turns in the conversation the exchange came from, system messages not counted
   * (2 = one question and one answer: single-turn). OpenAssistant edges carry 2.
   */
  turns: number;
  /**
   * Which exchange of its conversation this is, 0 = the first. Chat formats only ever yield
   * their first exchange; OpenAssistant trees yield deeper ones too (the first-turn rule drops them).
   */
  turn: number;
  /** Language the file declares for the exchange (OpenAssistant `lang`), if any. */
  declaredLang?: string;
  /** OpenAssistant human ranking of the reply among its siblings (0 = best; null = not ranked). */
  rank?: number | null;
  /** OpenAssistant id of the reply, so a pair can be traced back to the tree. */
  messageId?: string;
}

/** A candidate that passed the filters, with the language the filters settled on. */
export interface ImportedSeed extends SeedCandidate {
  /** Declared language if the file had one, else the guess; 'und' when neither can tell. */
  lang: string;
}

/**
 * Why a row produced no candidate. Codes are stable; the UI counts and explains them.
 *  - malformed-json: the line (or file) is not JSON
 *  - not-an-object: the row is JSON but not an object
 *  - missing-field: a field the format needs is absent
 *  - not-string: a field holds a number, null, object... where text (or a list of turns) belongs
 *  - empty-text: the whole row's text is empty
 *  - no-turns: text without any `### Human:` / `### Assistant:` marker
 *  - wrong-order: turns do not alternate question → answer (or a reply has no question before it)
 *  - no-response: a question nobody answered
 *  - unknown-role: a speaker the format does not define
 *  - marker-in-reply / marker-in-instruction: a chat-template marker (`### Human:`, `<|im_start|>`,
 *    `[INST]`...) inside the text — a leaked continuation, not a clean exchange
 *  - deleted: OpenAssistant marks the message deleted
 *  - duplicate-id: an OpenAssistant message id seen before in the file (the first one is kept)
 *  - orphan: an OpenAssistant message whose parent is not in the file
 */
export type SeedRowIssueCode =
  | 'malformed-json'
  | 'not-an-object'
  | 'missing-field'
  | 'not-string'
  | 'empty-text'
  | 'no-turns'
  | 'wrong-order'
  | 'no-response'
  | 'unknown-role'
  | 'marker-in-reply'
  | 'marker-in-instruction'
  | 'deleted'
  | 'duplicate-id'
  | 'orphan';

export interface SeedRowIssue {
  code: SeedRowIssueCode;
  message: string;
  row: number;
}

/** Where importers put what they find; `importSeedRows` owns the counting. */
export interface SeedSink {
  candidate(c: SeedCandidate): void;
  issue(row: number, code: SeedRowIssueCode, message: string): void;
}

/** An importer for one format. Row-local formats emit as they go; OpenAssistant flat files join rows in `finish`. */
export interface FormatImporter {
  add(value: unknown, row: number, sink: SeedSink): void;
  finish(sink: SeedSink): void;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON type name for messages: "number", "null", "array", "object"... */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
