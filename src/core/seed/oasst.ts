/**
 * OpenAssistant (oasst1/oasst2) message trees, in both exports: the flat one (one message per
 * line, joined through `parent_id`, so this importer collects every row and joins in `finish`)
 * and the nested one (one tree per line, `prompt` with `replies`). Every (question, answer) edge
 * becomes a candidate carrying its depth, language and rank; the paper's recipe — first turn,
 * English, the reply ranked 0 — is applied later by the filters, each rule a switch.
 */
import { checkMarkers } from './conversation.ts';
import { isRecord, jsonType, type FormatImporter, type SeedFormat, type SeedSink } from './types.ts';

interface Message {
  id: string;
  parentId: string | null;
  role: 'prompter' | 'assistant';
  text: string;
  lang?: string;
  rank: number | null;
  row: number;
}

/** Reads one message's fields; `parentId` comes from the caller for nested trees. */
function readMessage(v: unknown, row: number, sink: SeedSink, where: string, parentFromTree?: string | null): Message | null {
  if (!isRecord(v)) {
    sink.issue(row, 'not-an-object', `${where} is ${jsonType(v)}, not an object`);
    return null;
  }
  const id = v.message_id;
  if (typeof id !== 'string' || id === '') {
    sink.issue(row, id === undefined ? 'missing-field' : 'not-string', `${where} has no usable "message_id"`);
    return null;
  }
  const at = `message ${id}`;
  if (v.deleted === true) {
    sink.issue(row, 'deleted', `${at} is marked deleted`);
    return null;
  }
  const role = v.role;
  if (role !== 'prompter' && role !== 'assistant') {
    sink.issue(row, role === undefined ? 'missing-field' : 'unknown-role', role === undefined ? `${at} has no "role"` : `${at} has role "${String(role)}"`);
    return null;
  }
  if (typeof v.text !== 'string') {
    sink.issue(row, v.text === undefined ? 'missing-field' : 'not-string', `${at} "text" is ${jsonType(v.text)}, not text`);
    return null;
  }
  let parentId: string | null;
  if (parentFromTree !== undefined) parentId = parentFromTree;
  else if (v.parent_id === undefined || v.parent_id === null) parentId = null;
  else if (typeof v.parent_id === 'string') parentId = v.parent_id;
  else {
    sink.issue(row, 'not-string', `${at} "parent_id" is ${jsonType(v.parent_id)}, not an id`);
    return null;
  }
  const msg: Message = { id, parentId, role, text: v.text, rank: typeof v.rank === 'number' ? v.rank : null, row };
  if (typeof v.lang === 'string' && v.lang !== '') msg.lang = v.lang;
  return msg;
}

type Depth = number | { code: 'orphan' | 'wrong-order'; message: string };

/**
 * Depth of a message below its root prompt (root = 0), checking every step of the chain
 * alternates prompter/assistant and reaches a root prompt. Memoised: a tree is walked once.
 */
function depthOf(msg: Message, byId: Map<string, Message>, memo: Map<string, Depth>): Depth {
  const chain: Message[] = [];
  let base: Depth; // the depth of the message just above the chain (or the chain's own error)
  let cur = msg;
  for (;;) {
    const known = memo.get(cur.id);
    if (known !== undefined) {
      base = known;
      break;
    }
    if (cur.parentId === null) {
      base = cur.role === 'prompter' ? 0 : { code: 'wrong-order', message: `message ${cur.id} starts a conversation with an answer` };
      memo.set(cur.id, base);
      break;
    }
    chain.push(cur);
    const parent = byId.get(cur.parentId);
    if (!parent) {
      base = { code: 'orphan', message: `message ${cur.parentId}, an earlier message of its conversation, is not in the file` };
      break;
    }
    if (parent.role === cur.role) {
      base = { code: 'wrong-order', message: `message ${cur.id} replies to a message of the same role (${cur.role})` };
      break;
    }
    if (chain.length > byId.size) {
      base = { code: 'wrong-order', message: 'its conversation loops back on itself' };
      break;
    }
    cur = parent;
  }
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const m = chain[i];
    if (!m) continue;
    base = typeof base === 'number' ? base + 1 : base;
    memo.set(m.id, base);
  }
  return base;
}

/** Emits one candidate per (question → answer) edge, in the order the answers appear. */
function emitEdges(messages: Iterable<Message>, byId: Map<string, Message>, path: string, format: SeedFormat, sink: SeedSink): void {
  const memo = new Map<string, Depth>();
  for (const reply of messages) {
    if (reply.role !== 'assistant') continue;
    const depth = depthOf(reply, byId, memo);
    if (typeof depth !== 'number') {
      sink.issue(reply.row, depth.code, `answer ${reply.id}: ${depth.message}`);
      continue;
    }
    const parent = reply.parentId === null ? undefined : byId.get(reply.parentId);
    if (!parent) continue; // unreachable: depthOf reported it
    const instruction = parent.text.trim();
    const response = reply.text.trim();
    if (!checkMarkers(instruction, response, reply.row, sink)) continue;
    const lang = parent.lang ?? reply.lang;
    sink.candidate({
      instruction,
      response,
      source: { path, format, row: reply.row },
      turns: 2,
      turn: (depth - 1) / 2,
      ...(lang !== undefined ? { declaredLang: lang } : {}),
      rank: reply.rank,
      messageId: reply.id,
    });
  }
}

/** The flat export: every row one message; edges are joined once the whole file is read. */
export function oasstFlatImporter(path: string): FormatImporter {
  const byId = new Map<string, Message>();
  return {
    add(value, row, sink) {
      const msg = readMessage(value, row, sink, 'the row');
      if (!msg) return;
      if (byId.has(msg.id)) {
        sink.issue(row, 'duplicate-id', `message ${msg.id} appeared on an earlier row; the first one is kept`);
        return;
      }
      byId.set(msg.id, msg);
    },
    finish(sink) {
      emitEdges(byId.values(), byId, path, 'oasst-flat', sink);
    },
  };
}

/** The nested export: every row one tree (`prompt` with `replies`), self-contained. */
export function oasstTreeImporter(path: string): FormatImporter {
  return {
    add(value, row, sink) {
      if (!isRecord(value)) {
        sink.issue(row, 'not-an-object', `the row is ${jsonType(value)}, not an object`);
        return;
      }
      if (value.prompt === undefined) {
        sink.issue(row, 'missing-field', 'no "prompt" field');
        return;
      }
      const byId = new Map<string, Message>();
      const walk = (node: unknown, parentId: string | null, where: string): void => {
        const msg = readMessage(node, row, sink, where, parentId);
        if (!msg) return; // its replies go with it: the issue names the message
        if (byId.has(msg.id)) {
          sink.issue(row, 'duplicate-id', `message ${msg.id} appears twice in the tree`);
          return;
        }
        byId.set(msg.id, msg);
        const replies = isRecord(node) ? node.replies : undefined;
        if (replies === undefined || replies === null) return;
        if (!Array.isArray(replies)) {
          sink.issue(row, 'not-an-object', `message ${msg.id} "replies" is ${jsonType(replies)}, not a list`);
          return;
        }
        replies.forEach((r, i) => walk(r, msg.id, `reply ${i + 1} of message ${msg.id}`));
      };
      walk(value.prompt, null, 'the prompt');
      emitEdges(byId.values(), byId, path, 'oasst-tree', sink);
    },
    finish() {},
  };
}
