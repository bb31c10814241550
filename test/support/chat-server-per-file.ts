/**
 * One test chat server for a whole test file, back to its default mode and with empty stats
 * before every test: `const server = chatServerPerFile();` at the top of the file.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { defaultMode, startChatServer, type ChatServer } from './chat-server.ts';

export function chatServerPerFile(): ChatServer {
  let started: ChatServer | undefined;
  beforeAll(async () => {
    started = await startChatServer();
  });
  afterAll(() => started?.close());
  beforeEach(() => {
    it().setMode(defaultMode());
    it().resetStats();
  });
  const it = (): ChatServer => {
    if (!started) throw new Error('The chat server starts in beforeAll: use it inside a test.');
    return started;
  };
  return {
    get url() {
      return it().url;
    },
    get origin() {
      return it().origin;
    },
    stats: () => it().stats(),
    resetStats: () => it().resetStats(),
    setMode: (m) => it().setMode(m),
    close: () => it().close(),
  };
}
