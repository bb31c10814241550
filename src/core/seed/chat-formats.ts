/**
 * Importers for the row-local seed formats: each row is one conversation (or one Alpaca
 * record), so each row yields at most one candidate. Field checks come first and name the
 * field, so "missing-field: no `output`" tells the user which column their file lacks.
 */
import { checkMarkers, emitFirstExchange, type Role, type Turn } from './conversation.ts';
import { isRecord, jsonType, type FormatImporter, type SeedFormat, type SeedSink } from './types.ts';

type RowParser = (value: Record<string, unknown>, row: number, path: string, sink: SeedSink) => void;

function rowLocal(format: SeedFormat, parse: RowParser, path: string): FormatImporter {
  return {
    add(value, row, sink) {
      if (!isRecord(value)) {
        sink.issue(row, 'not-an-object', `the row is ${jsonType(value)}, not an object`);
        return;
      }
      parse(value, row, path, sink);
    },
    finish() {},
  };
}

/** A string field, or an issue naming it. `optional` fields may be absent or null. */
function textField(v: Record<string, unknown>, key: string, row: number, sink: SeedSink, optional = false): string | null {
  const field = v[key];
  if (field === undefined || (optional && field === null)) {
    if (optional) return '';
    sink.issue(row, 'missing-field', `no "${key}" field`);
    return null;
  }
  if (typeof field !== 'string') {
    sink.issue(row, 'not-string', `"${key}" is ${jsonType(field)}, not text`);
    return null;
  }
  return field;
}

function arrayField(v: Record<string, unknown>, key: string, row: number, sink: SeedSink): unknown[] | null {
  const field = v[key];
  if (field === undefined) {
    sink.issue(row, 'missing-field', `no "${key}" field`);
    return null;
  }
  if (!Array.isArray(field)) {
    sink.issue(row, 'not-string', `"${key}" is ${jsonType(field)}, not a list of turns`);
    return null;
  }
  return field;
}

const GUANACO_MARKER = /###\s*(Human|Assistant)\s*:/g;

/** `{"text": "### Human: … ### Assistant: …"}` rows (timdettmers/openassistant-guanaco). */
export function guanacoImporter(path: string): FormatImporter {
  return rowLocal('guanaco', (v, row, p, sink) => {
    const text = textField(v, 'text', row, sink);
    if (text === null) return;
    if (text.trim() === '') {
      sink.issue(row, 'empty-text', '"text" is empty');
      return;
    }
    const marks = [...text.matchAll(GUANACO_MARKER)];
    const first = marks[0];
    if (!first) {
      sink.issue(row, 'no-turns', 'no "### Human:" or "### Assistant:" marker in the text');
      return;
    }
    if (text.slice(0, first.index).trim() !== '') {
      sink.issue(row, 'wrong-order', 'text comes before the first "### Human:" marker');
      return;
    }
    const turns: Turn[] = marks.map((m, i) => ({
      role: m[1] === 'Human' ? 'user' : 'assistant',
      text: text.slice(m.index + m[0].length, marks[i + 1]?.index ?? text.length),
    }));
    const last = turns[turns.length - 1];
    if (turns.length >= 3 && last?.role === 'user' && last.text.trim() === '') {
      // "…### Assistant: answer ### Human:" — the reply ran on into an empty next turn.
      sink.issue(row, 'marker-in-reply', 'the reply ends with an empty "### Human:" turn');
      return;
    }
    emitFirstExchange(turns, row, p, 'guanaco', sink);
  }, path);
}

/** `{"conversations": ["question", "answer", …]}` rows (GAIR/lima): turns alternate by position. */
export function limaImporter(path: string): FormatImporter {
  return rowLocal('lima', (v, row, p, sink) => {
    const items = arrayField(v, 'conversations', row, sink);
    if (items === null) return;
    const turns: Turn[] = [];
    for (const [i, item] of items.entries()) {
      if (typeof item !== 'string') {
        sink.issue(row, 'not-string', `conversation turn ${i + 1} is ${jsonType(item)}, not text`);
        return;
      }
      turns.push({ role: i % 2 === 0 ? 'user' : 'assistant', text: item });
    }
    emitFirstExchange(turns, row, p, 'lima', sink);
  }, path);
}

const SHAREGPT_ROLES: Record<string, Role> = {
  human: 'user', user: 'user',
  gpt: 'assistant', assistant: 'assistant', chatgpt: 'assistant', bing: 'assistant', bard: 'assistant', model: 'assistant',
  system: 'system',
};

/** `{"conversations": [{"from": "human", "value": …}, {"from": "gpt", "value": …}]}` rows. */
export function shareGptImporter(path: string): FormatImporter {
  return rowLocal('sharegpt', (v, row, p, sink) => {
    const items = arrayField(v, 'conversations', row, sink);
    if (items === null) return;
    const turns: Turn[] = [];
    for (const [i, item] of items.entries()) {
      if (!isRecord(item)) {
        sink.issue(row, 'not-an-object', `conversation turn ${i + 1} is ${jsonType(item)}, not an object`);
        return;
      }
      const from = item.from;
      const role = typeof from === 'string' ? SHAREGPT_ROLES[from.toLowerCase()] : undefined;
      if (!role) {
        sink.issue(row, from === undefined ? 'missing-field' : 'unknown-role', from === undefined ? `conversation turn ${i + 1} has no "from"` : `conversation turn ${i + 1} is from "${String(from)}"`);
        return;
      }
      if (typeof item.value !== 'string') {
        sink.issue(row, item.value === undefined ? 'missing-field' : 'not-string', `conversation turn ${i + 1} "value" is ${jsonType(item.value)}, not text`);
        return;
      }
      turns.push({ role, text: item.value });
    }
    emitFirstExchange(turns, row, p, 'sharegpt', sink);
  }, path);
}

const OPENAI_ROLES: Record<string, Role> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant' };

/** Message content as text: a string, or a list of `{type: "text", text}` parts joined. */
function contentText(content: unknown): string | { bad: string } {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return { bad: jsonType(content) };
  const parts: string[] = [];
  for (const part of content) {
    if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') {
      return { bad: isRecord(part) && typeof part.type === 'string' ? `a "${part.type}" part` : jsonType(part) };
    }
    parts.push(part.text);
  }
  return parts.join('');
}

/** `{"messages": [{"role": "user", "content": …}, …]}` rows (OpenAI fine-tuning format). */
export function openAiChatImporter(path: string): FormatImporter {
  return rowLocal('openai-chat', (v, row, p, sink) => {
    const items = arrayField(v, 'messages', row, sink);
    if (items === null) return;
    const turns: Turn[] = [];
    for (const [i, item] of items.entries()) {
      if (!isRecord(item)) {
        sink.issue(row, 'not-an-object', `message ${i + 1} is ${jsonType(item)}, not an object`);
        return;
      }
      const role = typeof item.role === 'string' ? OPENAI_ROLES[item.role] : undefined;
      if (!role) {
        sink.issue(row, item.role === undefined ? 'missing-field' : 'unknown-role', item.role === undefined ? `message ${i + 1} has no "role"` : `message ${i + 1} has role "${String(item.role)}"`);
        return;
      }
      if (item.content === undefined) {
        sink.issue(row, 'missing-field', `message ${i + 1} has no "content"`);
        return;
      }
      const text = contentText(item.content);
      if (typeof text !== 'string') {
        sink.issue(row, 'not-string', `message ${i + 1} content is ${text.bad}, not text`);
        return;
      }
      turns.push({ role, text });
    }
    emitFirstExchange(turns, row, p, 'openai-chat', sink);
  }, path);
}

/**
 * `{"instruction", "input", "output"}` rows (tatsu-lab/alpaca). A non-empty `input` is the
 * material the instruction refers to, so it follows the instruction after a blank line —
 * the same text a person would have typed as one request.
 */
export function alpacaImporter(path: string): FormatImporter {
  return rowLocal('alpaca', (v, row, p, sink) => {
    const instruction = textField(v, 'instruction', row, sink);
    if (instruction === null) return;
    const input = textField(v, 'input', row, sink, true);
    if (input === null) return;
    const output = textField(v, 'output', row, sink);
    if (output === null) return;
    const full = input.trim() === '' ? instruction.trim() : `${instruction.trim()}\n\n${input.trim()}`;
    const response = output.trim();
    if (!checkMarkers(full, response, row, sink)) return;
    sink.candidate({ instruction: full, response, source: { path: p, format: 'alpaca', row }, turns: 2, turn: 0 });
  }, path);
}
