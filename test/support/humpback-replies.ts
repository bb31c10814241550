/**
 * Replies a chat server gives when it stands in for the method's two models, decided by the
 * request alone so every run is reproducible: asked to write an instruction, it writes one
 * from the passage's first words; asked to rate, it reasons in one line and ends with
 * `Score: N`, N from a hash of the passage (so scores spread over 1–5).
 */
import type { ChatBody } from './chat-server.ts';

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function humpbackReply(body: ChatBody): string {
  const all = body.messages.map((m) => m.content).join('\n');
  const user = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  if (/score/i.test(all) && /rat(e|ing)/i.test(all)) {
    const n = (hash(user) % 5) + 1;
    return `The answer ${n >= 4 ? 'is written as an assistant would' : 'reads like a web page'} and covers the request.\nScore: ${n}`;
  }
  const words = user.replace(/\s+/g, ' ').trim().split(' ').slice(0, 8).join(' ');
  return `Instruction: Explain ${words.toLowerCase().replace(/[.:;,]+$/, '')}.`;
}
