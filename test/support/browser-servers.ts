/**
 * Vitest globalSetup for the browser projects: real HTTP servers on 127.0.0.1 that browser
 * tests reach with fetch (a chat-completions engine and a trainer), their URLs handed over
 * with `provide` → `inject('chatServerUrl')`. Failure modes are tested in node, where the
 * test can switch them; here the servers run in their normal mode.
 */
import type { TestProject } from 'vitest/node';
import { startChatServer } from './chat-server.ts';
import { inventsForOddLength, rewriter } from './rewrite-replies.ts';
import { startTrainerServer } from './trainer-server.ts';
import './provided.d.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The method's two models (humpback-replies.ts), and the rewriting model of issue 19.
  const chat = await startChatServer({ reply: rewriter(inventsForOddLength) });
  const trainer = await startTrainerServer();
  project.provide('chatServerUrl', chat.url);
  project.provide('trainerServerUrl', trainer.url);
  return async () => {
    await chat.close();
    await trainer.close();
  };
}
