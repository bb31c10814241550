/** Reads a hand-written seed fixture from test/fixtures/seed. */
import { readFileSync } from 'node:fs';

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/seed/${name}`, import.meta.url), 'utf8');
}

/** A filter report's steps as compact `id before→after {dropped}` tuples, for exact comparison. */
export function stepCounts(steps: readonly { id: string; before: number; after: number; dropped: Record<string, number> }[]) {
  return steps.map((s) => [s.id, s.before, s.after, s.dropped] as const);
}
