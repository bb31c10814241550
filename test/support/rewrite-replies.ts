/**
 * Replies of a chat server standing in for the rewriting model (issue 19), decided by the request
 * and its order: asked to rewrite (the request holds "Original text:"), it answers with the
 * original text after a short lead-in — a faithful rewrite that passes every check — except for
 * the pairs `invent` picks, where it adds a sentence with a number the original does not have,
 * which the checks must flag. Any other request gets the method's usual replies (humpback-replies.ts).
 */
import type { ChatBody } from './chat-server.ts';
import { humpbackReply } from './humpback-replies.ts';

export const INVENTED = ' It takes about 424242 seconds.';

/** The original text a rewrite request carries (between the template's labels). */
export function originalOf(body: ChatBody): string | null {
  const user = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const m = /\nOriginal text:\n([\s\S]*)\n\nWrite the assistant’s reply/.exec(user);
  return m ? (m[1] ?? '') : null;
}

export const isRewrite = (body: ChatBody | undefined): boolean => !!body && originalOf(body) !== null;

export const LEAD_IN = 'In short, as the text explains: ';

/** A reply function; `invent` says for which rewrite request (n: 0 = the first to arrive) to add a number. */
export function rewriter(invent: (n: number, original: string) => boolean): (body: ChatBody) => string {
  let n = 0;
  return (body) => {
    const original = originalOf(body);
    if (original === null) return humpbackReply(body);
    return LEAD_IN + original.trim() + (invent(n++, original) ? INVENTED : '');
  };
}

/** The browser tests' shared server: it invents a number for every original of odd length. */
export const inventsForOddLength = (_n: number, original: string): boolean => original.trim().length % 2 === 1;
