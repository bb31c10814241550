/** Shared pieces for the stage tests in real Chromium: a project in real IndexedDB, its segments and seeds, engines. */
import { afterAll, beforeAll } from 'vitest';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { WllamaEngine } from '../../../src/adapters/wllama/wllama-engine.ts';
import { newProject, SCHEMA_VERSION, type ModelRef, type Project, type SeedPair, type Segment, type SeqRecord, type Collection } from '../../../src/core/records.ts';
import type { Llm, LlmReply, LlmRequest, CompleteOptions } from '../../../src/ports/llm.ts';
import type { ProjectStore } from '../../../src/ports/store.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';

export const catalog = new IdbCatalog();
const made: string[] = [];
const states: ProjectState[] = [];

/** Short passages in the style of the Debian Reference (none says "score", so the test server writes instructions for them). */
export const PASSAGES = [
  'The apt-get command installs, upgrades and removes packages from the command line, fetching them from the archive listed in sources.list.',
  'A login shell reads /etc/profile and then the first of ~/.bash_profile, ~/.bash_login and ~/.profile that it finds.',
  'The root file system holds /etc, /bin and /sbin; keep it small so that a damaged /home partition never stops the system from booting.',
  'Use tar with the -z option to write a gzip-compressed archive, and -t to list what an archive holds without unpacking it.',
  'The cron daemon runs commands at set times; each user edits their own table with crontab -e.',
  'The dpkg tool works on single .deb files and knows nothing about dependencies held in remote archives.',
  'Logs of the system journal are read with journalctl; add -b to see only messages since the last boot.',
  'Mounting a USB stick by hand takes the device name from lsblk and a mount point such as /mnt/usb.',
  'The sudo program lets a permitted user run one command as root, and logs every command it runs.',
  'Network interfaces managed by ifupdown are described in /etc/network/interfaces, one stanza per interface.',
  'Locale settings such as LANG choose the language of messages and the format of dates and numbers.',
  'The ssh client keeps the host keys of servers it has met in ~/.ssh/known_hosts and warns when one changes.',
];

export const SEEDS = [
  { instruction: 'How do I see which packages take the most disk space on Debian?', response: 'Install the debian-goodies package and run dpigs; it lists the installed packages that use the most space, largest first.' },
  { instruction: 'Explain what a symbolic link is.', response: 'A symbolic link is a small file that points at another path. Opening it opens the target; deleting it leaves the target alone.' },
  { instruction: 'Write a short note on keeping backups.', response: 'Keep at least two copies of anything you care about, one of them away from the computer, and test that you can restore from them.' },
  { instruction: 'What does the chmod command do?', response: 'chmod changes the permission bits of files: who may read, write or run them. For example chmod 600 file leaves it readable by its owner only.' },
];

export interface TestProject {
  ps: ProjectState;
  project: Project;
  notices: Notices;
  store: ProjectStore;
}

/** Opens a project as a freshly loaded page would (a new ProjectState and store connection). */
export async function openProject(project: Project): Promise<TestProject> {
  const notices = new Notices();
  const ps = new ProjectState(project, catalog, notices);
  states.push(ps);
  const store = await ps.open();
  if (!store) throw new Error(`could not open the project: ${notices.items.map((n) => n.message).join('; ')}`);
  return { ps, project, notices, store };
}

/** A new project holding `segments` passages and the seed pairs. */
export async function makeProject(segments: number): Promise<TestProject> {
  const project = newProject('stages test');
  made.push(project.id);
  await catalog.putProject(project);
  const t = await openProject(project);
  const rows: Segment[] = Array.from({ length: segments }, (_, seq) => {
    const text = PASSAGES[seq % PASSAGES.length] + (seq >= PASSAGES.length ? ` (copy ${seq})` : '');
    return { schemaVersion: SCHEMA_VERSION, seq, id: `seg${seq}`, text, chars: text.length, hash: `h${seq}`, provenance: { docId: 'd', path: 'ch01.en.html', headers: ['Tutorials'], offset: seq * 100 } };
  });
  const seeds: SeedPair[] = SEEDS.map((s, seq) => ({ schemaVersion: SCHEMA_VERSION, seq, id: `seed${seq}`, ...s, source: { docId: 's', path: 'seed.jsonl', format: 'jsonl', row: seq + 1 } }));
  await t.store.put('segments', rows);
  await t.store.put('seeds', seeds);
  await t.ps.refresh();
  return t;
}

export async function all<T extends SeqRecord>(store: ProjectStore, collection: Collection): Promise<T[]> {
  const out: T[] = [];
  await store.scan<T>(collection, (chunk) => {
    out.push(...chunk);
  });
  return out;
}

export async function cleanup(): Promise<void> {
  for (const ps of states.splice(0)) await ps.store?.close();
  for (const id of made.splice(0)) await catalog.deleteProject(id);
}

/** A real engine with a hook before each request (the test pauses a run from inside it). */
export class WatchedLlm implements Llm {
  readonly engine: Llm['engine'];
  requests: LlmRequest[] = [];
  constructor(readonly inner: Llm, readonly before: (n: number) => void = () => {}) {
    this.engine = inner.engine;
  }
  load(model: string) {
    return this.inner.load(model);
  }
  complete(request: LlmRequest, options?: CompleteOptions): Promise<LlmReply> {
    this.requests.push(request);
    this.before(this.requests.length);
    return this.inner.complete(request, options);
  }
  interrupt() {
    return this.inner.interrupt();
  }
  unload() {
    return this.inner.unload();
  }
  capabilities() {
    return this.inner.capabilities();
  }
}

/** The tiny random-weight GGUF the tests serve (test/fixtures/tiny-llama.gguf). */
export const TINY: ModelRef = { engine: 'wllama', model: 'tiny-llama.gguf' };

/**
 * Loads the tiny GGUF into a real llama.cpp engine (wllama, 512-token context, CPU) before this
 * file's tests, unloads it after them, and deletes the test projects.
 */
export function useTinyWllama(): { readonly llm: WllamaEngine } {
  let engine: WllamaEngine | null = null;
  beforeAll(async () => {
    engine = new WllamaEngine({ gpu: false, contextSize: 512 });
    await engine.load('/test/fixtures/tiny-llama.gguf');
  });
  afterAll(async () => {
    await engine?.unload();
    await cleanup();
  });
  return {
    get llm(): WllamaEngine {
      if (!engine) throw new Error('The tiny wllama engine is loaded in beforeAll; use it inside a test.');
      return engine;
    },
  };
}

/** The endpoint engine on the shared test chat server (test/support/browser-servers.ts), watched. */
export async function watchedEndpoint(chatServerUrl: string, before?: (n: number) => void): Promise<WatchedLlm> {
  const { OpenAiEndpoint } = await import('../../../src/adapters/openai/client.ts');
  const llm = new OpenAiEndpoint({ baseUrl: chatServerUrl });
  await llm.load('test-model');
  return new WatchedLlm(llm, before);
}
