/**
 * The selection steps between imported exchanges and seed pairs, in the paper's order, each
 * reporting how many went in and came out and why the rest left — a filter that silently does
 * nothing (or silently drops everything) shows up as a count. Every step can be switched off
 * except "empty", because an empty instruction or response can never train anything.
 */
import { guessLanguage } from './lang.ts';
import type { ImportedSeed, SeedCandidate } from './types.ts';

export interface SeedFilterOptions {
  /**
   * Chat formats: keep conversations of exactly one question and one answer (otherwise their
   * first exchange is used). OpenAssistant: keep answers to the conversation's first prompt only.
   */
  singleTurn: boolean;
  /** Keep English pairs (declared language if the file has one, else the guess; 'und' is kept). */
  english: boolean;
  /** OpenAssistant: keep the reply people ranked best (rank 0); formats without ranks pass. */
  topRank: boolean;
  /** Drop exact repeats of an (instruction, response) pair, keeping the first. */
  dedupe: boolean;
}

export const DEFAULT_SEED_FILTERS: Readonly<SeedFilterOptions> = Object.freeze({
  singleTurn: true,
  english: true,
  topRank: true,
  dedupe: true,
});

export type FilterStepId = 'single-turn' | 'language' | 'top-rank' | 'empty' | 'duplicate';

/**
 * One step's counts. Drop codes: multi-turn, later-turn (OpenAssistant reply below the first
 * prompt), not-english, rank-not-0, unranked, empty-instruction, empty-response, duplicate.
 */
export interface FilterStep {
  id: FilterStepId;
  label: string;
  enabled: boolean;
  before: number;
  after: number;
  dropped: Record<string, number>;
}

export interface FilteredSeeds {
  kept: ImportedSeed[];
  steps: FilterStep[];
}

const isOasst = (c: SeedCandidate) => c.source.format === 'oasst-flat' || c.source.format === 'oasst-tree';

export const isEnglish = (lang: string) => lang === 'en' || lang.startsWith('en-');

/** Runs the steps in order; `guess` is injectable so tests can pin the language. */
export function filterSeeds(
  candidates: readonly SeedCandidate[],
  options: Partial<SeedFilterOptions> = {},
  guess: (text: string) => string = guessLanguage,
): FilteredSeeds {
  const o = { ...DEFAULT_SEED_FILTERS, ...options };
  const steps: FilterStep[] = [];
  const step = <T>(id: FilterStepId, label: string, enabled: boolean, items: T[], why: (item: T) => string | null): T[] => {
    const dropped: Record<string, number> = {};
    const kept = enabled
      ? items.filter((item) => {
          const code = why(item);
          if (code !== null) dropped[code] = (dropped[code] ?? 0) + 1;
          return code === null;
        })
      : items;
    steps.push({ id, label, enabled, before: items.length, after: kept.length, dropped });
    return kept;
  };

  const conversations = step('single-turn', 'Single-turn conversations (OpenAssistant: first turn only)', o.singleTurn, [...candidates], (c) => {
    if (isOasst(c)) return c.turn === 0 ? null : 'later-turn';
    return c.turns === 2 ? null : 'multi-turn';
  });
  // Everyone still in the running gets a language, switched on or not: the view shows them.
  let items: ImportedSeed[] = conversations.map((c) => ({ ...c, lang: c.declaredLang ?? guess(`${c.instruction}\n${c.response}`) }));
  items = step('language', 'English', o.english, items, (c) => (c.lang === 'und' || isEnglish(c.lang) ? null : 'not-english'));
  items = step('top-rank', 'Reply ranked best by people (OpenAssistant rank 0)', o.topRank, items, (c) => {
    if (c.rank === undefined) return null;
    if (c.rank === null) return 'unranked';
    return c.rank === 0 ? null : 'rank-not-0';
  });
  items = step('empty', 'Non-empty instruction and response', true, items, (c) => {
    if (c.instruction === '') return 'empty-instruction';
    return c.response === '' ? 'empty-response' : null;
  });
  const seen = new Set<string>();
  items = step('duplicate', 'Exact duplicates removed', o.dedupe, items, (c) => {
    const key = seedKey(c);
    if (seen.has(key)) return 'duplicate';
    seen.add(key);
    return null;
  });
  return { kept: items, steps };
}

/** The exact-duplicate key of a pair. */
export function seedKey(pair: { instruction: string; response: string }): string {
  return `${pair.instruction}\u0000${pair.response}`;
}

/**
 * Drops exact repeats across files: pairs equal to one already in the project (`existing`) or to
 * an earlier one in `seeds`. The per-file filter only sees one file; this runs when a file is added.
 */
export function dropDuplicates<T extends { instruction: string; response: string }>(
  seeds: readonly T[],
  existing: Iterable<{ instruction: string; response: string }> = [],
): { kept: T[]; dropped: number } {
  const seen = new Set<string>();
  for (const e of existing) seen.add(seedKey(e));
  const kept = seeds.filter((s) => {
    const key = seedKey(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { kept, dropped: seeds.length - kept.length };
}
