import { describe, expect, it } from 'vitest';
import { prepareDataset, type PreparedDataset } from '../../../src/core/training/dataset.ts';

const chat = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] });
const alpaca = (i: number) => JSON.stringify({ instruction: `q${i}`, output: `a${i}` });

async function prepared(source: Parameters<typeof prepareDataset>[0]): Promise<PreparedDataset> {
  const r = await prepareDataset(source);
  if (!r.ok) throw new Error(r.issue.message);
  return r.value;
}

describe('prepareDataset', () => {
  it('reads a string, dropping blank lines and CRLF endings', async () => {
    const d = await prepared(`${chat(1)}\r\n\n${chat(2)}\n`);
    expect(d.examples).toBe(2);
    expect(d.format).toBe('messages');
    expect(await d.blob.text()).toBe(`${chat(1)}\n${chat(2)}\n`);
    expect(d.bytes).toBe(d.blob.size);
  });
  it('reads a Blob whose lines span stream chunks', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => alpaca(i));
    const d = await prepared(new Blob([lines.join('\n')]));
    expect(d.examples).toBe(3000);
    expect(d.format).toBe('alpaca');
    expect((await d.blob.text()).split('\n')[2999]).toBe(alpaca(2999));
  });
  it('reads sync and async iterables of lines, with or without newlines', async () => {
    expect((await prepared([chat(1), chat(2) + '\n'])).examples).toBe(2);
    async function* gen() {
      yield chat(1);
      yield chat(2);
      yield chat(3);
    }
    const d = await prepared(gen());
    expect(d.examples).toBe(3);
    expect(await d.blob.text()).toBe(`${chat(1)}\n${chat(2)}\n${chat(3)}\n`);
  });
  it('reports the first bad line by number', async () => {
    expect(await prepareDataset(`${chat(1)}\n{"messages": [\n`)).toEqual({
      ok: false,
      issue: { code: 'malformed-line', at: 'line 2', message: 'Line 2 of the training data is not valid JSON. Export the data again.' },
    });
    const mixed = await prepareDataset([chat(1), alpaca(2)]);
    expect(mixed.ok ? null : mixed.issue.code).toBe('mixed-formats');
    const odd = await prepareDataset(['{"text": "x"}']);
    expect(odd.ok ? null : [odd.issue.code, odd.issue.at]).toEqual(['unknown-example-shape', 'line 1']);
    const empty = await prepareDataset('\n\n');
    expect(empty.ok ? null : empty.issue.code).toBe('empty-dataset');
  });
});
