/**
 * One reader per project across the tabs of a browser. The ingest worker rolls back a file the
 * store says is half-read; that is right after a crash and wrong while another tab is reading
 * it. Web Locks span tabs and are released when a tab closes or crashes, which is exactly the
 * "is anyone still reading?" question.
 */
export const ingestLockName = (projectId: string) => `humpback-ingest:${projectId}`;

/**
 * Runs `body` holding the project's ingest lock. With `ifAvailable`, resolves to null instead
 * of waiting when another tab holds it. Without Web Locks (old browsers) it just runs.
 */
export async function withIngestLock<T>(projectId: string, ifAvailable: boolean, body: () => Promise<T>, locks: LockManager | undefined = globalThis.navigator?.locks): Promise<T | null> {
  if (!locks) return body();
  return locks.request(ingestLockName(projectId), { ifAvailable }, async (lock) => (lock ? body() : null));
}
