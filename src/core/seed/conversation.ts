/**
 * Every chat-shaped format (Guanaco text, LIMA, ShareGPT, OpenAI messages) reduces to a list of
 * turns; this module checks the list once for all of them and takes its first exchange. The
 * rules: optional system turns first, then a question, then strictly alternating question and
 * answer. The whole conversation must obey them — a conversation whose later turns are out of
 * order is malformed, and its first exchange is not trusted either.
 */
import type { SeedFormat, SeedSink } from './types.ts';

export type Role = 'system' | 'user' | 'assistant';

export interface Turn {
  role: Role;
  text: string;
}

/**
 * Chat-template markers that should never appear inside a clean exchange: Guanaco/Vicuna
 * headers, ChatML, Llama-2 and Llama-3 control tokens. Their presence means a reply ran on into
 * the next turn (or a template was pasted in), so the pair is skipped.
 */
export const TEMPLATE_MARKER =
  /###\s*(?:Human|Assistant)\s*:|<\|im_(?:start|end)\|>|\[\/?INST\]|<<\/?SYS>>|<\|(?:begin_of_text|start_header_id|end_header_id|eot_id)\|>/i;

/** Reports `marker-in-*` for an exchange; true when the exchange is clean. */
export function checkMarkers(instruction: string, response: string, row: number, sink: SeedSink): boolean {
  const inReply = TEMPLATE_MARKER.exec(response);
  if (inReply) {
    sink.issue(row, 'marker-in-reply', `the reply contains the chat marker "${inReply[0]}"`);
    return false;
  }
  const inInstruction = TEMPLATE_MARKER.exec(instruction);
  if (inInstruction) {
    sink.issue(row, 'marker-in-instruction', `the instruction contains the chat marker "${inInstruction[0]}"`);
    return false;
  }
  return true;
}

/** Validates the turn order and emits the first exchange as a candidate. */
export function emitFirstExchange(turns: Turn[], row: number, path: string, format: SeedFormat, sink: SeedSink): void {
  let i = 0;
  while (turns[i]?.role === 'system') i += 1;
  const dialogue = turns.slice(i);
  if (dialogue.length === 0) {
    sink.issue(row, 'no-turns', 'the conversation has no question or answer turns');
    return;
  }
  for (let t = 0; t < dialogue.length; t += 1) {
    const role = dialogue[t]?.role;
    const expected = t % 2 === 0 ? 'user' : 'assistant';
    if (role !== expected) {
      const what = role === 'system' ? 'a system message' : role === 'user' ? 'a question' : 'an answer';
      sink.issue(row, 'wrong-order', `turn ${i + t + 1} is ${what} where ${expected === 'user' ? 'a question' : 'an answer'} belongs`);
      return;
    }
  }
  const question = dialogue[0];
  const answer = dialogue[1];
  if (!question || !answer) {
    sink.issue(row, 'no-response', 'the question has no answer');
    return;
  }
  const instruction = question.text.trim();
  const response = answer.text.trim();
  if (!checkMarkers(instruction, response, row, sink)) return;
  sink.candidate({ instruction, response, source: { path, format, row }, turns: dialogue.length, turn: 0 });
}
