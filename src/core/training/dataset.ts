/**
 * Training data arrives from the export writers as JSON Lines — a Blob, an (async) iterable of
 * lines, or one string. Before anything is uploaded or zipped it is read once: every line must be
 * a JSON object (a trainer that rejects line 40,000 after an upload wastes the user's time), the
 * examples are counted (the defaults scale with them) and the line shape is recognised, because
 * Axolotl and LLaMA-Factory need to be told which columns to read.
 */
import { fail, ok, type Issue, type Result } from '../result.ts';

export type JsonlSource = Blob | string | Iterable<string> | AsyncIterable<string>;

/** `messages`: OpenAI chat lines ({messages:[{role, content}]}); `alpaca`: {instruction, input?, output, system?}. */
export type DatasetFormat = 'messages' | 'alpaca';

export interface PreparedDataset {
  /** The JSONL, one example per line, each line ending in "\n". */
  blob: Blob;
  examples: number;
  bytes: number;
  format: DatasetFormat;
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

export function formatOfExample(value: unknown): DatasetFormat | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.messages) && v.messages.length > 0) return 'messages';
  if (typeof v.instruction === 'string' && typeof v.output === 'string') return 'alpaca';
  return null;
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
  let format: DatasetFormat | null = null;

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
    const f = formatOfExample(value);
    if (f === null) {
      return { code: 'unknown-example-shape', at: `line ${lineNo}`, message: `Line ${lineNo} is neither a chat example ({"messages": [...]}) nor an instruction/output pair.` };
    }
    if (format === null) format = f;
    else if (f !== format) {
      return { code: 'mixed-formats', at: `line ${lineNo}`, message: `Line ${lineNo} is a ${f} example but earlier lines are ${format} examples; one file must use one format.` };
    }
    const text = line.trim() + '\n';
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
  if (examples === 0 || format === null) {
    return fail({ code: 'empty-dataset', message: 'The training data has no examples. Select some pairs and export again.' });
  }
  return ok({ blob: new Blob(parts, { type: 'application/jsonl' }), examples, bytes, format });
}
