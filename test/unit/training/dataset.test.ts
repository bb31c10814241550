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
    expect([d.format, d.sourceShape]).toEqual(['messages', 'messages']);
    expect(await d.blob.text()).toBe(`${chat(1)}\n${chat(2)}\n`);
    expect(d.bytes).toBe(d.blob.size);
  });
  it('reads a Blob whose lines span stream chunks', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => alpaca(i));
    const d = await prepared(new Blob([lines.join('\n')]));
    expect(d.examples).toBe(3000);
    expect([d.format, d.sourceShape]).toEqual(['messages', 'alpaca']);
    expect((await d.blob.text()).split('\n')[2999]).toBe('{"messages":[{"role":"user","content":"q2999"},{"role":"assistant","content":"a2999"}]}');
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
  it('turns every export shape into chat messages, keeping the backward direction', async () => {
    const text = async (line: object) => (await prepared([JSON.stringify(line)])).blob.text();
    // Reversed pair: the response is the prompt, the instruction is what the model learns to write.
    expect(await text({ input: 'A passage about tides.', target: 'Explain tides.' }))
      .toBe('{"messages":[{"role":"user","content":"A passage about tides."},{"role":"assistant","content":"Explain tides."}]}\n');
    expect(await text({ instruction: 'Sum', input: '2 and 3', output: '5', system: 'Answer with knowledge from web search.' }))
      .toBe('{"messages":[{"role":"system","content":"Answer with knowledge from web search."},{"role":"user","content":"Sum\\n\\n2 and 3"},{"role":"assistant","content":"5"}]}\n');
    expect(await text({ conversations: [{ from: 'system', value: 's' }, { from: 'human', value: 'h' }, { from: 'gpt', value: 'g' }] }))
      .toBe('{"messages":[{"role":"system","content":"s"},{"role":"user","content":"h"},{"role":"assistant","content":"g"}]}\n');
    // Chat lines are kept exactly as written.
    const weighted = '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0}]}';
    expect(await (await prepared([weighted])).blob.text()).toBe(weighted + '\n');
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
    const noAnswer = await prepareDataset(['{"messages":[{"role":"user","content":"q"}]}']);
    expect(noAnswer.ok ? null : noAnswer.issue.code).toBe('malformed-turns');
    const badRole = await prepareDataset(['{"conversations":[{"from":"bot","value":"q"}]}']);
    expect(badRole.ok ? null : badRole.issue.code).toBe('malformed-turns');
    const empty = await prepareDataset('\n\n');
    expect(empty.ok ? null : empty.issue.code).toBe('empty-dataset');
  });
});
