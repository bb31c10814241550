import { describe, expect, it } from 'vitest';
import { cleanInstruction, type CleanupRule, type InstructionStatus } from '../../../src/core/stages/clean-instruction.ts';

const FENCE = '```';
const RESPONSE = 'The water cycle is the continuous movement of water on, above and below the surface of the Earth.';

/**
 * Replies of the kinds small local backward models write. [what it is, raw reply, expected
 * instruction, status, the rules clean-up applied in order]. The issue-15 cases are marked "issue:".
 */
const TABLE: [string, string, string, InstructionStatus, CleanupRule[]][] = [
  ['plain', 'How do I repot a cactus without hurting my hands?', 'How do I repot a cactus without hurting my hands?', 'ok', []],
  ['label', 'Instruction: Explain how tides work.', 'Explain how tides work.', 'ok', ['label']],
  ['bold label', '**Instruction:** Explain how tides work.', 'Explain how tides work.', 'ok', ['label']],
  ['heading label', '### Prompt:\nExplain how tides work.', 'Explain how tides work.', 'ok', ['label']],
  ['generated label', 'Generated instruction: List three uses of vinegar.', 'List three uses of vinegar.', 'ok', ['label']],
  ['human label', 'Human: What should I pack for a week in Iceland?', 'What should I pack for a week in Iceland?', 'ok', ['label']],
  ['double quotes', '"What is the capital of Peru?"', 'What is the capital of Peru?', 'ok', ['quotes']],
  ['curly quotes', '“What is the capital of Peru?”', 'What is the capital of Peru?', 'ok', ['quotes']],
  ['label and quotes', 'Question: "What is the capital of Peru?"', 'What is the capital of Peru?', 'ok', ['label', 'quotes']],
  ['bold whole reply', '**Summarise the causes of the French Revolution.**', 'Summarise the causes of the French Revolution.', 'ok', ['quotes']],
  ['quotes inside kept', 'Explain the phrase "carpe diem".', 'Explain the phrase "carpe diem".', 'ok', []],
  ['preamble line', "Sure! Here's an instruction that this text answers:\n\nWrite a short guide to brewing green tea.", 'Write a short guide to brewing green tea.', 'ok', ['preamble']],
  ['preamble "Here is the instruction:"', 'Here is the instruction:\nDescribe the rules of cricket for a beginner.', 'Describe the rules of cricket for a beginner.', 'ok', ['preamble']],
  ['preamble "The instruction could be:"', 'The instruction could be:\n"Compare renting and buying a home in 2023."', 'Compare renting and buying a home in 2023.', 'ok', ['preamble', 'quotes']],
  ['preamble "Here you go:"', 'Certainly! Here you go:\nPlan a three-day trip to Kyoto on a budget.', 'Plan a three-day trip to Kyoto on a budget.', 'ok', ['preamble']],
  ['lone acknowledgement line', 'Sure!\n\nWhat are the health benefits of intermittent fasting?', 'What are the health benefits of intermittent fasting?', 'ok', ['preamble']],
  ['issue: "Here is my code:" is the instruction', `Here is my code:\n${FENCE}python\nx = [1]\nprint(len(x))\n${FENCE}\nWhy does it print 1?`, `Here is my code:\n${FENCE}python\nx = [1]\nprint(len(x))\n${FENCE}\nWhy does it print 1?`, 'ok', []],
  ['"Answer the following question:" is the instruction', 'Answer the following question:\nWhy does water boil at a lower temperature in the mountains?', 'Answer the following question:\nWhy does water boil at a lower temperature in the mountains?', 'ok', []],
  ['"Here is the code:" (no instruction noun) stays', `Here is the code:\n${FENCE}js\nconst x = [] + {};\n${FENCE}\nWhy is x a string?`, `Here is the code:\n${FENCE}js\nconst x = [] + {};\n${FENCE}\nWhy is x a string?`, 'ok', []],
  ['"Here is a question about the text:" is a preamble', 'Here is a question about the text:\nHow do I mount a USB drive on Debian?', 'How do I mount a USB drive on Debian?', 'ok', ['preamble']],
  ['"Here is my essay:" stays', 'Here is my essay:\n\nThe industrial revolution changed...\n\nCan you check its grammar?', 'Here is my essay:\n\nThe industrial revolution changed...\n\nCan you check its grammar?', 'ok', []],
  ['issue: "Note:" constraint kept', 'Write a Python function that removes duplicates from a list.\n\nNote: use only the standard library.', 'Write a Python function that removes duplicates from a list.\n\nNote: use only the standard library.', 'ok', []],
  ['issue: "Output:" constraint kept', 'Write a cover letter for a junior nurse position.\nOutput: a one-page letter', 'Write a cover letter for a junior nurse position.\nOutput: a one-page letter', 'ok', []],
  ['issue: "Alternatively" kept', 'Explain recursion to a ten-year-old.\n\nAlternatively, use an analogy from everyday life.', 'Explain recursion to a ten-year-old.\n\nAlternatively, use an analogy from everyday life.', 'ok', []],
  ['"Note that" constraint kept', 'Summarise this article in three bullet points.\n\nNote that the audience is non-technical.', 'Summarise this article in three bullet points.\n\nNote that the audience is non-technical.', 'ok', []],
  ['"Output:" repeating the response cuts', `Describe the water cycle.\nOutput: ${RESPONSE}`, 'Describe the water cycle.', 'ok', ['answer']],
  ['"Output:" with a long multi-line answer cuts', 'Give me a recipe for pancakes.\nOutput:\nMix 200 g flour with two eggs.\nAdd milk slowly.', 'Give me a recipe for pancakes.', 'ok', ['answer']],
  ['issue: no cut inside a code fence', `Fix this function:\n${FENCE}js\nfunction add(a, b) {\n  return a - b;\n}\n// Output: -1\nResponse: wrong sign\n${FENCE}`, `Fix this function:\n${FENCE}js\nfunction add(a, b) {\n  return a - b;\n}\n// Output: -1\nResponse: wrong sign\n${FENCE}`, 'ok', []],
  ['cut after a closed fence', `Explain what this prints:\n${FENCE}\nprint(2 ** 10)\n${FENCE}\nAnswer: It prints 1024.`, `Explain what this prints:\n${FENCE}\nprint(2 ** 10)\n${FENCE}`, 'ok', ['answer']],
  ['unclosed fence cut off is left alone', `Why does this loop never end?\n${FENCE}c\nwhile (i < 10) {\nResponse: it`, `Why does this loop never end?\n${FENCE}c\nwhile (i < 10) {\nResponse: it`, 'ok', []],
  ['trailing chatter', 'Write a haiku about autumn.\n\nThis instruction asks for a poem that matches the text.', 'Write a haiku about autumn.', 'ok', ['commentary']],
  ['"I hope this helps" chatter', 'How do I remove a stripped screw?\n\nI hope this helps! Let me know if you need another one.', 'How do I remove a stripped screw?', 'ok', ['commentary']],
  ['"Note: this instruction" is chatter', 'List the planets in order from the sun.\n\nNote: this instruction matches the list in the text.', 'List the planets in order from the sun.', 'ok', ['commentary']],
  ['runs on into the response', 'Describe the water cycle.\nResponse: The water cycle is...', 'Describe the water cycle.', 'ok', ['answer']],
  ['"### Response:" heading', '### Instruction:\nName five birds of prey.\n\n### Response:\nEagle, hawk, falcon, owl, kite.', 'Name five birds of prey.', 'ok', ['label', 'answer']],
  ['Assistant turn', 'User: Why is the sky blue?\nAssistant: Because of Rayleigh scattering.', 'Why is the sky blue?', 'ok', ['label', 'answer']],
  ['bold Answer label', 'What is a Roth IRA?\n\n**Answer:** A Roth IRA is a retirement account...', 'What is a Roth IRA?', 'ok', ['answer']],
  ['explanation label after', 'Give tips for a job interview.\n\nExplanation: the text lists tips.', 'Give tips for a job interview.', 'ok', ['commentary']],
  ['leaked ChatML end token', 'Explain how a heat pump works.<|im_end|>\n<|im_start|>assistant\nA heat pump moves heat...', 'Explain how a heat pump works.', 'ok', ['template-token']],
  ['leaked Llama 3 end token', 'Suggest a name for a bakery.<|eot_id|>', 'Suggest a name for a bakery.', 'ok', ['template-token']],
  ['leaked </s>', 'What causes inflation?</s>Inflation is caused by...', 'What causes inflation?', 'ok', ['template-token']],
  ['think block', '<think>The text is about bread.</think>How do I bake sourdough bread at home?', 'How do I bake sourdough bread at home?', 'ok', ['thinking']],
  ['code fence wrapping the reply', `${FENCE}\nSummarise the history of Rome.\n${FENCE}`, 'Summarise the history of Rome.', 'ok', ['fence']],
  ['multi-line instruction kept', 'Rewrite this paragraph in plain English:\n\nThe party of the first part...', 'Rewrite this paragraph in plain English:\n\nThe party of the first part...', 'ok', []],
  ['"Input:" section kept', 'Classify the sentiment of the review.\nInput: The battery died after two days.', 'Classify the sentiment of the review.\nInput: The battery died after two days.', 'ok', []],
  ['numbered constraints kept', 'Write a product description for a hiking boot.\nRequirements:\n1. Under 100 words\n2. Mention waterproofing', 'Write a product description for a hiking boot.\nRequirements:\n1. Under 100 words\n2. Mention waterproofing', 'ok', []],
  ['issue: "Sure" is no instruction', 'Sure', 'Sure', 'no-instruction', []],
  ['"OK." is no instruction', 'OK.', 'OK.', 'no-instruction', []],
  ['"Sure, here you go!" with nothing after', 'Sure, here you go!', 'Sure, here you go!', 'no-instruction', []],
  ['empty fence is no instruction', `${FENCE}\n${FENCE}`, '', 'no-instruction', ['fence']],
  ['refusal', "I'm sorry, but I can't generate an instruction for this text.", "I'm sorry, but I can't generate an instruction for this text.", 'no-instruction', []],
  ['only a label', 'Instruction:', '', 'no-instruction', ['label']],
  ['only quotes', '""', '', 'no-instruction', ['quotes']],
  ['answer only', 'Answer: Paris is the capital of France.', '', 'no-instruction', ['answer']],
  ['empty', '', '', 'empty', []],
  ['only thinking', '<think>hmm</think>', '', 'empty', ['thinking']],
];

describe('cleanInstruction: what backward models really write', () => {
  it('has at least 40 cases', () => expect(TABLE.length).toBeGreaterThanOrEqual(40));
  it.each(TABLE)('%s', (_what, raw, instruction, status, rules) => {
    const c = cleanInstruction(raw, 500, false, RESPONSE);
    expect(c.instruction).toBe(instruction);
    expect(c.status).toBe(status);
    expect(c.changes.map((ch) => ch.rule)).toEqual(rules);
  });
});

describe('cleanInstruction records what it removed', () => {
  it('keeps the exact removed text per rule', () => {
    const c = cleanInstruction("<think>bread</think>Sure! Here's the instruction:\nInstruction: \"How do I bake bread?\"\nResponse: Mix flour.", 500);
    expect(c.instruction).toBe('How do I bake bread?');
    expect(c.changes).toEqual([
      { rule: 'thinking', removed: '<think>bread</think>' },
      { rule: 'preamble', removed: "Sure! Here's the instruction:" },
      { rule: 'label', removed: 'Instruction:' },
      { rule: 'answer', removed: 'Response: Mix flour.' },
      { rule: 'quotes', removed: '" … "' },
    ]);
  });
  it('is structured-cloneable (it is stored on the candidate)', () => {
    const c = cleanInstruction('Question: "Why?"', 500);
    expect(structuredClone(c)).toEqual(c);
  });
  it('marks an over-long instruction and keeps its text', () => {
    const long = 'Explain '.repeat(30).trim();
    expect(cleanInstruction(long, 100)).toEqual({ instruction: long, status: 'too-long', changes: [] });
    expect(cleanInstruction(long, 500).status).toBe('ok');
  });
  it('marks a reply cut at the token limit', () => {
    expect(cleanInstruction('Explain how a bicycle gear', 500, true)).toEqual({ instruction: 'Explain how a bicycle gear', status: 'truncated', changes: [] });
    expect(cleanInstruction('   ', 500, true).status).toBe('empty');
  });
  it('keeps a short "Output:" answer as a constraint unless it repeats the response', () => {
    expect(cleanInstruction(`Describe the water cycle.\nOutput: ${RESPONSE.slice(0, 60)}`, 500).instruction).toContain('Output:');
    expect(cleanInstruction(`Describe the water cycle.\nOutput: ${RESPONSE.slice(0, 60)}`, 500, false, RESPONSE).instruction).toBe('Describe the water cycle.');
  });
});
