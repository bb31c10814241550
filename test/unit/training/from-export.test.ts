/**
 * The hand-off seam: lines written by the export writers (src/core/export) are what training
 * receives. Each training format the export offers must prepare into chat lines with the right
 * direction — the backward model's target is the instruction.
 */
import { describe, expect, it } from 'vitest';
import { toJsonLine } from '../../../src/core/export/jsonl.ts';
import { alpacaRecord, messagesRecord, reversedRecord, sharegptRecord, SOURCE_TAGS, type TrainingExample } from '../../../src/core/export/writers.ts';
import { prepareDataset } from '../../../src/core/training/dataset.ts';

const examples: TrainingExample[] = [
  { instruction: 'How do tides work?', response: 'Tides are caused by the Moon\'s gravity…', origin: 'generated' },
  { instruction: 'Say hi.', response: 'Hi! How can I help?', origin: 'seed' },
];
const expected = (ex: TrainingExample, tags: boolean) => ({
  messages: [
    ...(tags ? [{ role: 'system', content: SOURCE_TAGS[ex.origin] }] : []),
    { role: 'user', content: ex.instruction },
    { role: 'assistant', content: ex.response },
  ],
});

async function linesOf(records: unknown[]): Promise<unknown[]> {
  const r = await prepareDataset(records.map((rec) => toJsonLine(rec).line));
  if (!r.ok) throw new Error(r.issue.message);
  return (await r.value.blob.text()).trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('export lines → training data', () => {
  it('forward formats arrive as tagged chat examples', async () => {
    const want = examples.map((ex) => expected(ex, true));
    expect(await linesOf(examples.map((ex) => messagesRecord(ex, true)))).toEqual(want);
    expect(await linesOf(examples.map((ex) => alpacaRecord(ex, true)))).toEqual(want);
    expect(await linesOf(examples.map((ex) => sharegptRecord(ex, true)))).toEqual(want);
    expect(await linesOf(examples.map((ex) => alpacaRecord(ex, false)))).toEqual(examples.map((ex) => expected(ex, false)));
  });
  it('reversed pairs arrive with the instruction as the assistant turn', async () => {
    expect(await linesOf(examples.map(reversedRecord))).toEqual([
      { messages: [{ role: 'user', content: 'Tides are caused by the Moon\'s gravity…' }, { role: 'assistant', content: 'How do tides work?' }] },
      { messages: [{ role: 'user', content: 'Hi! How can I help?' }, { role: 'assistant', content: 'Say hi.' }] },
    ]);
  });
});
