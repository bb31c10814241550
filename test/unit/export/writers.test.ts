import { describe, expect, it } from 'vitest';
import { toJsonLine } from '../../../src/core/export/jsonl.ts';
import { curatePair, selectionOf, type PairRule, type Selection } from '../../../src/core/curation/pair.ts';
import { exportFileName, exportRecord, type ExportFormat, type ExportRow } from '../../../src/core/export/writers.ts';
import { candidate, decision, rating, seed, segment } from './records.ts';

/** The default curated set's rule: A4, decided by the round-0 run 'r_cur0'. */
const A4: PairRule = { rule: { by: 'score', threshold: 4 }, deciders: ['r_cur0'] };
const A4_SELECTION: Selection = { minScore: 4, useExpected: false };

const seedRow: ExportRow = { origin: 'seed', seed: seed(0, 'Name a whale.', 'The humpback whale.') };
const pair = curatePair(segment(7, 'Humpbacks sing.\nThey migrate.'), candidate(7, 'What do humpbacks do?'), [rating(7, 5)], undefined, undefined, A4);
const genRow: ExportRow = { origin: 'generated', pair };

const line = (format: ExportFormat, row: ExportRow, sourceTags: boolean, selection: Selection = A4_SELECTION): string =>
  toJsonLine(exportRecord(format, row, { sourceTags, selection })).line;

describe('chat messages', () => {
  it('writes user then assistant without tags', () => {
    expect(line('messages', genRow, false)).toBe(
      '{"messages":[{"role":"user","content":"What do humpbacks do?"},{"role":"assistant","content":"Humpbacks sing.\\nThey migrate."}]}',
    );
  });
  it('puts the paper\'s source tag first as the system prompt', () => {
    expect(line('messages', seedRow, true)).toBe(
      '{"messages":[{"role":"system","content":"Answer in the style of an AI Assistant."},{"role":"user","content":"Name a whale."},{"role":"assistant","content":"The humpback whale."}]}',
    );
    expect(line('messages', genRow, true)).toBe(
      '{"messages":[{"role":"system","content":"Answer with knowledge from web search."},{"role":"user","content":"What do humpbacks do?"},{"role":"assistant","content":"Humpbacks sing.\\nThey migrate."}]}',
    );
  });
});

describe('alpaca', () => {
  it('writes instruction, empty input, output', () => {
    expect(line('alpaca', seedRow, false)).toBe('{"instruction":"Name a whale.","input":"","output":"The humpback whale."}');
  });
  it('adds the tag as `system` when asked', () => {
    expect(line('alpaca', genRow, true)).toBe(
      '{"instruction":"What do humpbacks do?","input":"","output":"Humpbacks sing.\\nThey migrate.","system":"Answer with knowledge from web search."}',
    );
  });
});

describe('sharegpt', () => {
  it('writes human and gpt turns', () => {
    expect(line('sharegpt', genRow, false)).toBe(
      '{"conversations":[{"from":"human","value":"What do humpbacks do?"},{"from":"gpt","value":"Humpbacks sing.\\nThey migrate."}]}',
    );
  });
  it('adds a system turn when asked', () => {
    expect(line('sharegpt', seedRow, true)).toBe(
      '{"conversations":[{"from":"system","value":"Answer in the style of an AI Assistant."},{"from":"human","value":"Name a whale."},{"from":"gpt","value":"The humpback whale."}]}',
    );
  });
});

describe('reversed pairs', () => {
  it('makes the response the input and the instruction the target, with no tag', () => {
    expect(line('reversed', genRow, true)).toBe('{"input":"Humpbacks sing.\\nThey migrate.","target":"What do humpbacks do?"}');
    expect(line('reversed', seedRow, false)).toBe('{"input":"The humpback whale.","target":"Name a whale."}');
  });
});

describe('full records', () => {
  it('writes every field of a seed pair', () => {
    expect(line('full', seedRow, true)).toBe(
      '{"origin":"seed","seq":0,"id":"seed0","instruction":"Name a whale.","response":"The humpback whale.",' +
        '"source":{"docId":"dseed","path":"seed.jsonl","format":"jsonl","row":1},"lang":null}',
    );
  });

  it('writes scores from every round, reasons, raw replies, provenance and the selection', () => {
    // Round 1 decides under A5; the person edited the instruction before that round rated it.
    const A5: PairRule = { rule: { by: 'expected', threshold: 4.5 }, deciders: ['r_cur1'] };
    const twoRounds = curatePair(
      segment(3, 'Text.'),
      candidate(3, 'Generated?', { usage: { promptTokens: 10, completionTokens: 4 } }),
      [rating(3, 5, { round: 1, runId: 'r_cur1', expectedScore: 4.6, scoreProbs: [0, 0, 0.1, 0.2, 0.7], scoreMass: 0.95, createdAt: 5000 }), rating(3, 3)],
      undefined,
      decision(3, { instruction: 'Edited?', editedAt: 4000 }),
      A5,
    );
    expect(JSON.parse(line('full', { origin: 'generated', pair: twoRounds }, false, selectionOf({ rule: A5.rule, round: 1 })))).toEqual({
      origin: 'generated',
      seq: 3,
      segmentId: 's3',
      instruction: 'Edited?',
      response: 'Text.',
      status: 'kept',
      human: false,
      edited: true,
      score: 4.6,
      round: 1,
      selection: { minScore: 4.5, useExpected: true, round: 1 },
      segment: { chars: 5, hash: 'h3', tokens: null, provenance: { docId: 'd1', path: 'docs/a.md', headers: ['Intro'], offset: 300 } },
      candidate: {
        runId: 'r_aug',
        status: 'ok',
        raw: 'Generated?',
        model: { engine: 'scripted', model: 'backward-1' },
        promptVersion: 2,
        stageVersion: 1,
        sampling: { temperature: 0.7, topP: 0.9, maxTokens: 128 },
        mode: 'fewshot',
        usage: { promptTokens: 10, completionTokens: 4 },
        createdAt: 1000,
      },
      ratings: [
        {
          round: 0, runId: 'r_cur0', score: 3, expectedScore: null, scoreProbs: null, scoreMass: null, parse: 'parsed', reason: 'reason 3',
          raw: 'reason 3\nScore: 3', model: { engine: 'scripted', model: 'forward-0' },
          promptVersion: 3, stageVersion: 1, mode: 'text', usage: null, createdAt: 2000,
        },
        {
          round: 1, runId: 'r_cur1', score: 5, expectedScore: 4.6, scoreProbs: [0, 0, 0.1, 0.2, 0.7], scoreMass: 0.95, parse: 'parsed', reason: 'reason 5',
          raw: 'reason 5\nScore: 5', model: { engine: 'scripted', model: 'forward-0' },
          promptVersion: 3, stageVersion: 1, mode: 'text', usage: null, createdAt: 5000,
        },
      ],
      failure: null,
      decision: { verdict: null, decidedAt: null, instruction: 'Edited?', editedAt: 4000, round: 0 },
    });
  });

  it('writes the exact line for a plain kept pair, fields in a fixed order', () => {
    expect(line('full', genRow, false)).toBe(
      '{"origin":"generated","seq":7,"segmentId":"s7","instruction":"What do humpbacks do?","response":"Humpbacks sing.\\nThey migrate.",' +
        '"status":"kept","human":false,"edited":false,"score":5,"round":0,"selection":{"minScore":4,"useExpected":false,"round":null},' +
        '"segment":{"chars":29,"hash":"h7","tokens":null,"provenance":{"docId":"d1","path":"docs/a.md","headers":["Intro"],"offset":700}},' +
        '"candidate":{"runId":"r_aug","status":"ok","raw":"What do humpbacks do?","model":{"engine":"scripted","model":"backward-1"},' +
        '"promptVersion":2,"stageVersion":1,"sampling":{"temperature":0.7,"topP":0.9,"maxTokens":128},"mode":"fewshot","usage":null,"createdAt":1000},' +
        '"ratings":[{"round":0,"runId":"r_cur0","score":5,"expectedScore":null,"scoreProbs":null,"scoreMass":null,"parse":"parsed","reason":"reason 5",' +
        '"raw":"reason 5\\nScore: 5","model":{"engine":"scripted","model":"forward-0"},"promptVersion":3,"stageVersion":1,' +
        '"mode":"text","usage":null,"createdAt":2000}],"failure":null,"decision":null}',
    );
  });
});

describe('round trip through every format', () => {
  it('gives back RTL text, emoji and separators exactly', () => {
    const text = 'שלום\u2028עולם 👩‍👩‍👧 "q" \\ \u0000';
    const instr = 'ما هذا؟\u2029';
    const row: ExportRow = { origin: 'seed', seed: seed(1, instr, text) };
    expect(JSON.parse(line('messages', row, false))).toEqual({ messages: [{ role: 'user', content: instr }, { role: 'assistant', content: text }] });
    expect(JSON.parse(line('alpaca', row, false))).toEqual({ instruction: instr, input: '', output: text });
    expect(JSON.parse(line('sharegpt', row, false))).toEqual({ conversations: [{ from: 'human', value: instr }, { from: 'gpt', value: text }] });
    expect(JSON.parse(line('reversed', row, false))).toEqual({ input: text, target: instr });
  });
});

describe('exportFileName', () => {
  it('makes a plain file name from the project name', () => {
    expect(exportFileName('My Whales: Round 2!', 'messages')).toBe('my-whales-round-2-messages.jsonl');
    expect(exportFileName('Café', 'alpaca')).toBe('cafe-alpaca.jsonl');
    expect(exportFileName('🐋', 'full')).toBe('humpback-full.jsonl');
  });
});
