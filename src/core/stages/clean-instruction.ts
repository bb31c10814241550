/**
 * Turns what a backward model wrote into the instruction itself. Instruct models dress the answer
 * up ("Sure! Here is the instruction:", quotes, a label, a note after it); a fine-tuned backward
 * model sometimes runs on into the response. We strip the dressing we can recognise and keep the
 * raw reply beside the result. An empty, cut-off or over-long instruction is not dropped: it gets
 * a status code and stays visible (METHOD.md: every selection step visible in counts).
 */
import { maskThinking } from './parse-rating.ts';

export type InstructionStatus = 'ok' | 'empty' | 'truncated' | 'too-long';

export interface CleanedInstruction {
  instruction: string;
  status: InstructionStatus;
}

/** A first line that only announces the answer: "Sure! Here's an instruction for that text:". */
const PREAMBLE = /^(?:sure|certainly|of course|okay|ok|here(?:'s| is| are)|below is|the following)\b[^\n]*:\s*$/i;
/** A label in front of the instruction: "Instruction:", "**Prompt:**", "### Question 1:". */
const LABEL = /^\s*(?:#+\s*)?(?:[*_]{1,2})?(?:the\s+|a\s+|possible\s+|generated\s+|user\s+)*(?:instruction|prompt|question|request|task|query|user)(?:\s*\d+)?(?:[*_]{1,2})?\s*[:：]\s*(?:[*_]{1,2}\s*)?/i;
/** Where chatter or a continuation starts: a label for the answer, or a comment about the instruction. */
const TAIL =
  /\n\s*(?:[*_#]+\s*)?(?:response|answer|output|assistant|explanation|note|notes|reasoning|rationale)\s*[:：]|\n\s*\n\s*(?:this instruction|this prompt|the instruction above|i hope|let me know|hope this|feel free|note that|alternatively)\b/i;
const QUOTES: [string, string][] = [['"', '"'], ["'", "'"], ['“', '”'], ['‘', '’'], ['«', '»'], ['„', '“'], ['`', '`']];

function unquote(s: string): string {
  let t = s.trim();
  const fence = /^```[\w-]*\n([\s\S]*?)\n?```$/.exec(t);
  if (fence) t = (fence[1] ?? '').trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [open, close] of QUOTES) {
      if (t.length >= 2 && t.startsWith(open) && t.endsWith(close) && !t.slice(1, -1).includes(close === open ? open : close)) {
        t = t.slice(1, -1).trim();
        changed = true;
      }
    }
    const bold = /^(\*\*|__)([\s\S]+)\1$/.exec(t);
    if (bold && !(bold[2] ?? '').includes(bold[1] ?? '')) {
      t = (bold[2] ?? '').trim();
      changed = true;
    }
  }
  return t;
}

/** The instruction in `raw`. `truncated` = the engine stopped at its token limit. */
export function cleanInstruction(raw: string, maxChars: number, truncated = false): CleanedInstruction {
  let t = maskThinking(raw).trim();
  const lines = t.split('\n');
  if (lines.length > 1 && PREAMBLE.test(lines[0] ?? '')) t = lines.slice(1).join('\n').trim();
  for (let i = 0; i < 3 && LABEL.test(t); i++) t = t.replace(LABEL, '').trim();
  const tail = TAIL.exec(t);
  if (tail && tail.index > 0) t = t.slice(0, tail.index).trim();
  t = unquote(t);
  t = t.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n');
  if (t === '') return { instruction: '', status: 'empty' };
  if (truncated) return { instruction: t, status: 'truncated' };
  if (t.length > maxChars) return { instruction: t, status: 'too-long' };
  return { instruction: t, status: 'ok' };
}
