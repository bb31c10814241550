/**
 * Issue 14's property: for random project histories, the curated set is one thing. The lines of a
 * messages export, the forward model's training lines (their source tags taken off), the rows
 * Review marks kept and the Rate step's Kept count all hold the same pairs — and those are the
 * pairs a plain reading of the history says the user chose (history.ts `expectedKept`).
 */
import { describe, expect, it } from 'vitest';
import { funnelOf } from '../../../src/core/curation/walk.ts';
import { writeExport } from '../../../src/core/export/stream.ts';
import { SOURCE_TAGS } from '../../../src/core/export/writers.ts';
import { curatedLines } from '../../../src/core/training/sources.ts';
import { buildIndex, loadPairs } from '../../../src/state/review/pair-reading.ts';
import { expectedKept, randomHistory, type History } from './history.ts';

interface Line { messages: { role: string; content: string }[] }

const pairKey = (instruction: string, response: string) => JSON.stringify([instruction, response]);
const fromLine = (l: Line): string => {
  const user = l.messages.find((m) => m.role === 'user')?.content ?? '';
  const assistant = l.messages.find((m) => m.role === 'assistant')?.content ?? '';
  return pairKey(user, assistant);
};
const lines = (text: string): Line[] => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);

async function exportLines(h: History): Promise<Line[]> {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  await writeExport(h.store, h.set, { format: 'messages', sourceTags: false, statuses: ['kept'] }, async (b) => void parts.push(decoder.decode(b)));
  return lines(parts.join(''));
}

async function reviewKept(h: History): Promise<string[]> {
  const index = await buildIndex(h.store, h.set);
  const kept: number[] = [];
  for (let pos = 0; pos < index.size; pos++) if (index.statusAt(pos) === 'kept') kept.push(index.seq[pos] as number);
  return (await loadPairs(h.store, h.set, kept)).map((p) => pairKey(p.instruction, p.response));
}

const HISTORIES = 200;

describe('one curated set', () => {
  it(`export == training data == Review's kept rows == the funnel's Kept == the history's choice, over ${HISTORIES} seeded histories`, async () => {
    let nonTrivial = 0;
    for (let n = 1; n <= HISTORIES; n++) {
      const h = await randomHistory(n);
      const expected = expectedKept(h);
      const exported = (await exportLines(h)).map(fromLine);
      const training = lines(await (await curatedLines(h.store, h.set)).jsonl.text());
      // Training lines carry the paper's source tags; take them off and they are the export's.
      expect(training.every((l) => l.messages[0]?.role === 'system' && Object.values(SOURCE_TAGS).includes(l.messages[0].content)), `tags, history ${n}`).toBe(true);
      const seedCount = h.set.includeSeeds ? h.log.seeds.length : 0;
      const review = await reviewKept(h);
      const funnel = await funnelOf(h.store, h.set);
      const why = `history ${n}:\n${h.ops.join('\n')}`;
      expect(exported, why).toEqual(expected);
      expect(training.map(fromLine), why).toEqual(exported);
      expect(review, why).toEqual(exported.slice(seedCount));
      expect(funnel.kept, why).toBe(exported.length - seedCount);
      if (funnel.kept > 0 && (funnel.humanAccepted + funnel.humanRejected > 0 || h.ops.some((o) => o.startsWith('edit')))) nonTrivial++;
    }
    // The generator must really exercise decisions and edits next to kept pairs.
    expect(nonTrivial).toBeGreaterThan(HISTORIES / 4);
  }, 120_000);
});
