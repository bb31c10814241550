/**
 * The test chat server as its own process, for benches: a real endpoint runs elsewhere, so the
 * client under measurement should not share its event loop with the server. Prints the base
 * URL as one line on stdout; options arrive as JSON in argv[2]; exits when stdin closes.
 */
import { startChatServer, type ChatServerMode } from '../../support/chat-server.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as Partial<ChatServerMode>;
const server = await startChatServer(options);
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
