import { describe, expect, it } from 'vitest';
import { cleanInstruction, type InstructionStatus } from '../../../src/core/stages/clean-instruction.ts';

const CASES: [string, string, string, InstructionStatus][] = [
  ['plain', 'How do I repot a cactus without hurting my hands?', 'How do I repot a cactus without hurting my hands?', 'ok'],
  ['label', 'Instruction: Explain how tides work.', 'Explain how tides work.', 'ok'],
  ['bold label', '**Instruction:** Explain how tides work.', 'Explain how tides work.', 'ok'],
  ['heading label', '### Prompt:\nExplain how tides work.', 'Explain how tides work.', 'ok'],
  ['generated label', 'Generated instruction: List three uses of vinegar.', 'List three uses of vinegar.', 'ok'],
  ['double quotes', '"What is the capital of Peru?"', 'What is the capital of Peru?', 'ok'],
  ['curly quotes', '“What is the capital of Peru?”', 'What is the capital of Peru?', 'ok'],
  ['label and quotes', 'Question: "What is the capital of Peru?"', 'What is the capital of Peru?', 'ok'],
  ['quotes inside kept', 'Explain the phrase "carpe diem".', 'Explain the phrase "carpe diem".', 'ok'],
  ['preamble line', "Sure! Here's an instruction that this text answers:\n\nWrite a short guide to brewing green tea.", 'Write a short guide to brewing green tea.', 'ok'],
  ['trailing chatter', 'Write a haiku about autumn.\n\nThis instruction asks for a poem that matches the text.', 'Write a haiku about autumn.', 'ok'],
  ['runs on into the response', 'Describe the water cycle.\nResponse: The water cycle is...', 'Describe the water cycle.', 'ok'],
  ['explanation label after', 'Give tips for a job interview.\n\nExplanation: the text lists tips.', 'Give tips for a job interview.', 'ok'],
  ['think block', '<think>The text is about bread.</think>How do I bake sourdough bread at home?', 'How do I bake sourdough bread at home?', 'ok'],
  ['code fence', '```\nSummarise the history of Rome.\n```', 'Summarise the history of Rome.', 'ok'],
  ['multi-line instruction kept', 'Rewrite this paragraph in plain English:\n\nThe party of the first part...', 'Rewrite this paragraph in plain English:\n\nThe party of the first part...', 'ok'],
  ['empty', '', '', 'empty'],
  ['only a label', 'Instruction:', '', 'empty'],
  ['only quotes', '""', '', 'empty'],
  ['only thinking', '<think>hmm</think>', '', 'empty'],
];

describe('cleanInstruction', () => {
  it.each(CASES)('%s', (_what, raw, instruction, status) => {
    expect(cleanInstruction(raw, 500)).toEqual({ instruction, status });
  });
  it('marks an over-long instruction and keeps its text', () => {
    const long = 'Explain '.repeat(30).trim();
    expect(cleanInstruction(long, 100)).toEqual({ instruction: long, status: 'too-long' });
    expect(cleanInstruction(long, 500).status).toBe('ok');
  });
  it('marks a reply cut at the token limit', () => {
    expect(cleanInstruction('Explain how a bicycle gear', 500, true)).toEqual({ instruction: 'Explain how a bicycle gear', status: 'truncated' });
    expect(cleanInstruction('   ', 500, true).status).toBe('empty');
  });
});
