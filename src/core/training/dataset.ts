/**
 * Training data arrives from the export writers as JSON Lines — a Blob, an (async) iterable of
 * lines, or one string. Before anything is uploaded or zipped it is read once: every line must be
 * a JSON example (a trainer that rejects line 40,000 after an upload wastes the user's time), the
 * examples are counted (the defaults scale with them), and every line is brought to one shape,
 * chat `messages`: the OpenAI API accepts nothing else, and with one shape the Axolotl and
 * LLaMA-Factory configs have one tested path. The export's `alpaca`, `sharegpt` and `reversed`
 * lines convert without loss of direction: a reversed pair ({input: response, target:
 * instruction}) becomes user = response, assistant = instruction, so the loss (assistant turns
 * only) falls on the instruction, as the backward model needs.
 */
import { fail, ok, type Issue, type Result } from '../result.ts';

export type JsonlSource = Blob | string | Iterable<string> | AsyncIterable<string>;

/** `messages`: OpenAI chat lines ({messages:[{role, content}]}); `alpaca`: {instruction, input?, output, system?}. */
export type DatasetFormat = 'messages' | 'alpaca';

/** Line shapes the export writes and we accept. */
export type ExampleShape = 'messages' | 'alpaca' | 'sharegpt' | 'reversed';

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface PreparedDataset {
  /** The JSONL, one example per line, each line ending in "\n". */
  blob: Blob;
  examples: number;
  bytes: number;
  /** The shape of the lines in `blob` (always `messages` from prepareDataset). */
  format: DatasetFormat;
  /** The shape the lines arrived in. */
  sourceShape: ExampleShape;
}

function isBlob(s: JsonlSource): s is Blob {
  return typeof Blob !== 'undefined' && s instanceof Blob;
}

/** Text pieces of any size; a line may span pieces. */
async function* pieces(source: JsonlSource): AsyncIterable<string> {
  if (typeof source === 'string') {
    yield source;
  } else if (isBlob(source)) {
    const reader = source.stream().pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
  } else {
    // Iterables of lines: each item is a line, with or without its trailing newline.
    for await (const line of source as AsyncIterable<string>) yield line.endsWith('\n') ? line : line + '\n';
  }
}

const str = (v: unknown): v is string => typeof v === 'string';

export function shapeOfExample(value: unknown): ExampleShape | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.messages) && v.messages.length > 0) return 'messages';
  if (Array.isArray(v.conversations) && v.conversations.length > 0) return 'sharegpt';
  if (str(v.instruction) && str(v.output)) return 'alpaca';
  if (str(v.input) && str(v.target)) return 'reversed';
  return null;
}

const SHAREGPT_ROLES: Record<string, Message['role']> = { system: 'system', human: 'user', user: 'user', gpt: 'assistant', assistant: 'assistant' };

/** The example as chat messages, or null when a turn is malformed. */
export function toMessages(value: unknown, shape: ExampleShape): Message[] | null {
  const v = value as Record<string, unknown>;
  const out: Message[] = [];
  if (shape === 'messages' || shape === 'sharegpt') {
    for (const m of (shape === 'messages' ? v.messages : v.conversations) as unknown[]) {
      const t = m as Record<string, unknown> | null;
      const role = shape === 'messages' ? t?.role : SHAREGPT_ROLES[String(t?.from)];
      const content = shape === 'messages' ? t?.content : t?.value;
      if ((role !== 'system' && role !== 'user' && role !== 'assistant') || !str(content)) return null;
      out.push({ role, content });
    }
  } else if (shape === 'alpaca') {
    if (str(v.system) && v.system !== '') out.push({ role: 'system', content: v.system });
    const input = str(v.input) && v.input.trim() !== '' ? `\n\n${v.input}` : '';
    out.push({ role: 'user', content: String(v.instruction) + input }, { role: 'assistant', content: String(v.output) });
  } else {
    out.push({ role: 'user', content: String(v.input) }, { role: 'assistant', content: String(v.target) });
  }
  return out.some((m) => m.role === 'assistant') ? out : null;
}

/**
 * Reads the whole source, checks each non-blank line, and returns the data re-packed as a Blob,
 * or the first problem with its line number. Blank lines are dropped (trainers reject them).
 */
export async function prepareDataset(source: JsonlSource): Promise<Result<PreparedDataset, Issue>> {
  const parts: string[] = [];
  const encoder = new TextEncoder();
  let rest = '';
  let lineNo = 0;
  let examples = 0;
  let bytes = 0;
  let shape: ExampleShape | null = null;

  const take = (raw: string): Issue | null => {
    lineNo += 1;
    const line = raw.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (line.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { code: 'malformed-line', at: `line ${lineNo}`, message: `Line ${lineNo} of the training data is not valid JSON. Export the data again.` };
    }
    const f = shapeOfExample(value);
    if (f === null) {
      return { code: 'unknown-example-shape', at: `line ${lineNo}`, message: `Line ${lineNo} is not a training example (chat messages, instruction/output, conversations, or input/target).` };
    }
    if (shape === null) shape = f;
    else if (f !== shape) {
      return { code: 'mixed-formats', at: `line ${lineNo}`, message: `Line ${lineNo} is a ${f} example but earlier lines are ${shape} examples; one file must use one format.` };
    }
    const messages = toMessages(value, f);
    if (messages === null) {
      return { code: 'malformed-turns', at: `line ${lineNo}`, message: `Line ${lineNo} has a turn without a known role or text, or no assistant turn. Export the data again.` };
    }
    // Chat lines stay as written (they may carry fields such as per-message weights).
    const text = (f === 'messages' ? line.trim() : JSON.stringify({ messages })) + '\n';
    parts.push(text);
    bytes += encoder.encode(text).length;
    examples += 1;
    return null;
  };

  for await (const piece of pieces(source)) {
    const text = rest + piece;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const issue = take(text.slice(start, nl));
      if (issue) return fail(issue);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') {
    const issue = take(rest);
    if (issue) return fail(issue);
  }
  if (examples === 0 || shape === null) {
    return fail({ code: 'empty-dataset', message: 'The training data has no examples. Select some pairs and export again.' });
  }
  return ok({ blob: new Blob(parts, { type: 'application/jsonl' }), examples, bytes, format: 'messages', sourceShape: shape });
}
