/**
 * Environment failures: things the user can fix, each with a `name` the UI switches on and a
 * message that says what to do. Errors cross a worker as name + message only (comlink), so code
 * must switch on `err.name`, never on `instanceof`.
 */
export class HumpbackError extends Error {
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

export class StorageFullError extends HumpbackError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'StorageFullError',
      `The browser refused to store more data for this site (${detail}). Nothing from this batch was saved and earlier data is intact. ` +
        'Free space by deleting a project you no longer need or other sites\' data, allow persistent storage, then resume.',
      options,
    );
  }
}

export class StorageUnavailableError extends HumpbackError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'StorageUnavailableError',
      `This browser does not let the page use IndexedDB (${detail}). Leave private browsing mode or allow site data for this address, then reload.`,
      options,
    );
  }
}

export class AbortedError extends HumpbackError {
  constructor(message = 'Cancelled.') {
    super('AbortError', message);
  }
}

/** Plain-words description of any thrown value, for the one place the UI shows errors. */
export function describeError(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message };
  if (typeof err === 'object' && err !== null && 'message' in err) {
    const e = err as { name?: unknown; message: unknown };
    return { name: typeof e.name === 'string' ? e.name : 'Error', message: String(e.message) };
  }
  return { name: 'Error', message: String(err) };
}
