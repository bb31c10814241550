/**
 * Turns what a backward model wrote into the instruction itself. Instruct models dress the answer
 * up ("Sure! Here is the instruction:", quotes, a label, a comment after it); a fine-tuned backward
 * model sometimes runs on into the response. We strip only the dressing we can recognise, keep
 * the raw reply beside the result, and record every change (rule + the text it removed) so Review
 * can show before and after. What we do NOT touch, because it is part of the instruction:
 * - anything inside a code fence (a cut there would leave an unclosed ```);
 * - constraints after the request ("Note: use only the standard library.", "Output: a one-page
 *   letter", "Alternatively, use an analogy");
 * - a first line that is not announcing the instruction ("Here is my code:").
 * An empty, cut-off or over-long instruction, or a reply with no instruction in it ("Sure", an
 * empty fence), is not dropped: it gets a status code and stays visible (METHOD.md).
 */
import { thinkingSpans } from './parse-rating.ts';

export type InstructionStatus = 'ok' | 'empty' | 'no-instruction' | 'truncated' | 'too-long';

/** What clean-up can do to a reply; each change names its rule and the exact text it removed. */
export type CleanupRule = 'thinking' | 'preamble' | 'label' | 'answer' | 'commentary' | 'template-token' | 'fence' | 'quotes';

export interface CleanupChange {
  rule: CleanupRule;
  /** The text this rule took out; ' … ' stands where the kept text was (quotes, fences). */
  removed: string;
}

export interface CleanedInstruction {
  instruction: string;
  status: InstructionStatus;
  /** In the order they were made; empty when the reply was the instruction as it stood. */
  changes: CleanupChange[];
}

/** An acknowledgement alone: "Sure!", "Certainly.", "OK", "Sure, here you go!". */
const ACK =
  /^(?:(?:sure|certainly|of course|okay|ok|absolutely|alright|all right|got it|understood|yes|no problem)(?:\s+thing)?[!.,]*\s*)?(?:here (?:you go|it is)|i can (?:do|help with) that|happy to help|will do)?[\s!.,:]*$/i;
/**
 * A first line that announces the instruction: "Sure! Here's an instruction for that text:", "The
 * instruction could be:", "Here you go:". A line that is itself part of the request ("Here is my
 * code:", "Answer the following question:") stays.
 */
const NOUN = String.raw`(?:instruction|prompt|question|request|task|query)s?`;
const ACK_LEAD = String.raw`^(?:(?:sure|certainly|of course|okay|ok|absolutely)[!.,]*\s*)?`;
const ANNOUNCE = [
  new RegExp(`${ACK_LEAD}(?:here(?:'s| is| are)\\s+(?:it|one|you go)|here you go)\\s*[:：]?\\s*$`, 'i'),
  new RegExp(`${ACK_LEAD}(?:here(?:'s| is| are)|below is|the following is)\\b(?:(?!\\b(?:my|our)\\b)[^\\n])*\\b${NOUN}\\b[^\\n]*[:：]\\s*$`, 'i'),
  new RegExp(`${ACK_LEAD}(?:(?:the|a|one|my)\\s+)?(?:(?:possible|generated|suitable|likely|corresponding)\\s+)?${NOUN}\\b[^\\n]*\\b(?:could be|would be|might be|is|for (?:this|the|that) (?:text|passage|response|answer|segment))\\s*[:：]\\s*$`, 'i'),
];
/** A label in front of the instruction: "Instruction:", "**Prompt:**", "### Question 1:". */
const LABEL = /^\s*(?:#+\s*)?(?:[*_]{1,2})?(?:the\s+|a\s+|possible\s+|generated\s+|user\s+)*(?:instruction|prompt|question|request|task|query|user|human)(?:\s*\d+)?(?:[*_]{1,2})?\s*[:：]\s*(?:[*_]{1,2}\s*)?/i;
/** Chat-template tokens a model leaks when it runs past its own turn. */
const TEMPLATE_TOKEN = /<\|(?:im_end|eot_id|end|endoftext|assistant|im_start)\|>|<\/s>|\[\/INST\]|<end_of_turn>/i;
/** Line-start labels that always begin an answer. */
const ANSWER_LABEL = /^[ \t>]*(?:[*_#]+[ \t]*)?(?:response|answer|assistant|ai|bot|(?:example|sample|expected)\s+(?:response|answer|output))(?:[*_]+)?[ \t]*[:：]/gim;
/** "Output:" starts an answer only when what follows is one (see outputStartsAnswer). */
const OUTPUT_LABEL = /^[ \t>]*(?:[*_#]+[ \t]*)?output(?:[*_]+)?[ \t]*[:：][ \t]*/gim;
/** Line-start labels of comments about the instruction. */
const COMMENT_LABEL = /^[ \t]*(?:[*_#]+[ \t]*)?(?:explanation|reasoning|rationale|justification)(?:[*_]+)?[ \t]*[:：]/gim;
/** A paragraph that talks about the instruction or the user, not to the model. */
const COMMENT_PARAGRAPH =
  /\n[ \t]*\n[ \t(]*(?:this (?:instruction|prompt|question|request)|the (?:instruction|prompt|question) above|the above (?:instruction|prompt|question)|i hope|hope this|let me know|feel free|note:?\s+(?:this|the) (?:instruction|prompt|question))\b/gi;
/** A reply that says it will not write one. */
const REFUSAL = /^(?:i'?m sorry|i am sorry|sorry|i apologi[sz]e|as an ai\b|i (?:cannot|can'?t|can not|am unable to|won'?t) (?:help|assist|comply|fulfil|generate|create|provide|write an instruction))/i;
const QUOTES: [string, string][] = [['"', '"'], ["'", "'"], ['“', '”'], ['‘', '’'], ['«', '»'], ['„', '“'], ['`', '`']];

/** Character ranges inside ``` fences (an unclosed fence runs to the end). */
function fenceRanges(t: string): [number, number][] {
  const out: [number, number][] = [];
  let open = -1;
  for (const m of t.matchAll(/^[ \t]{0,3}(?:```|~~~)/gm)) {
    const at = m.index ?? 0;
    if (open < 0) open = at;
    else {
      out.push([open, at + m[0].length]);
      open = -1;
    }
  }
  if (open >= 0) out.push([open, t.length]);
  return out;
}

const normalised = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Whether the text after "Output:" is an answer (the response itself, or a long passage) rather than a constraint. */
function outputStartsAnswer(after: string, response: string | undefined): boolean {
  const value = after.trim();
  if (value === '') return false;
  const head = normalised(value).slice(0, 40);
  if (response && head.length >= 12 && normalised(response).startsWith(head)) return true;
  const firstLine = value.split('\n')[0] ?? '';
  return value.length > firstLine.length || firstLine.length > 160;
}

/** Where the instruction ends: the first answer label, comment or leaked template token outside a fence. */
function findCut(t: string, response: string | undefined): { at: number; rule: CleanupRule } | null {
  const fences = fenceRanges(t);
  const inFence = (i: number) => fences.some(([a, b]) => i >= a && i < b);
  const found: { at: number; rule: CleanupRule }[] = [];
  const first = (re: RegExp, rule: CleanupRule, accept: (m: RegExpMatchArray) => boolean = () => true) => {
    for (const m of t.matchAll(re)) {
      const at = m.index ?? 0;
      if (!inFence(at) && accept(m)) return void found.push({ at, rule });
    }
  };
  first(new RegExp(TEMPLATE_TOKEN.source, 'gi'), 'template-token');
  first(ANSWER_LABEL, 'answer');
  first(OUTPUT_LABEL, 'answer', (m) => outputStartsAnswer(t.slice((m.index ?? 0) + m[0].length), response));
  first(COMMENT_LABEL, 'commentary', (m) => (m.index ?? 0) > 0);
  first(COMMENT_PARAGRAPH, 'commentary');
  found.sort((a, b) => a.at - b.at);
  return found[0] ?? null;
}

/** Removes one wrapper (a whole-reply fence, quotes or bold) and says which. */
function unwrap(t: string): { text: string; rule: CleanupRule; removed: string } | null {
  const fence = /^```[\w-]*[ \t]*\n?([\s\S]*?)\n?```$/.exec(t);
  if (fence) {
    const inner = (fence[1] ?? '').trim();
    return { text: inner, rule: 'fence', removed: inner === '' ? t : `${t.slice(0, t.indexOf('\n') + 1 || 3)} … \`\`\`` };
  }
  for (const [open, close] of QUOTES) {
    if (t.length >= 2 && t.startsWith(open) && t.endsWith(close) && !t.slice(1, -1).includes(close)) {
      return { text: t.slice(1, -1).trim(), rule: 'quotes', removed: `${open} … ${close}` };
    }
  }
  const bold = /^(\*\*|__)([\s\S]+)\1$/.exec(t);
  if (bold && !(bold[2] ?? '').includes(bold[1] ?? '')) return { text: (bold[2] ?? '').trim(), rule: 'quotes', removed: `${bold[1]} … ${bold[1]}` };
  return null;
}

/** The reply with thinking blocks taken out, and what they said. */
function stripThinking(raw: string): { text: string; removed: string } {
  let text = '';
  let removed = '';
  let from = 0;
  for (const [a, b] of thinkingSpans(raw)) {
    text += raw.slice(from, a);
    removed += raw.slice(a, b);
    from = b;
  }
  return { text: text + raw.slice(from), removed };
}

/**
 * The instruction in `raw`. `truncated` = the engine stopped at its token limit; `response` is
 * the passage the instruction is for (an "Output:" that repeats it is the model running on).
 */
export function cleanInstruction(raw: string, maxChars: number, truncated = false, response?: string): CleanedInstruction {
  const changes: CleanupChange[] = [];
  const thinking = stripThinking(raw);
  if (thinking.removed !== '') changes.push({ rule: 'thinking', removed: thinking.removed });
  let t = thinking.text.trim();
  if (t === '') return { instruction: '', status: 'empty', changes };

  const lines = t.split('\n');
  const firstLine = lines[0] ?? '';
  if (lines.length > 1 && !LABEL.test(firstLine) && (ANNOUNCE.some((re) => re.test(firstLine)) || ACK.test(firstLine))) {
    changes.push({ rule: 'preamble', removed: firstLine });
    t = lines.slice(1).join('\n').trim();
  }
  for (let round = 0; round < 3; round++) {
    const before = t;
    const label = LABEL.exec(t);
    if (label) {
      changes.push({ rule: 'label', removed: label[0].trim() });
      t = t.slice(label[0].length).trim();
    }
    const cut = findCut(t, response);
    if (cut) {
      changes.push({ rule: cut.rule, removed: t.slice(cut.at).trim() });
      t = t.slice(0, cut.at).trim();
    }
    const wrapped = unwrap(t);
    if (wrapped) {
      changes.push({ rule: wrapped.rule, removed: wrapped.removed });
      t = wrapped.text;
    }
    if (t === before) break;
  }

  if (t === '' || ACK.test(t) || (REFUSAL.test(t) && !t.includes('\n'))) return { instruction: t, status: 'no-instruction', changes };
  if (truncated) return { instruction: t, status: 'truncated', changes };
  if (t.length > maxChars) return { instruction: t, status: 'too-long', changes };
  return { instruction: t, status: 'ok', changes };
}
