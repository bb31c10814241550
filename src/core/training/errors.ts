/**
 * What can go wrong talking to a trainer, as named errors whose message says what to do. The UI
 * switches on `name` (errors cross workers as name + message). `detail` is whatever the service
 * said, already redacted by the caller; these classes never see an API key.
 */
import { HumpbackError } from '../errors.ts';

export type TrainerErrorName =
  | 'TrainerAuthError'
  | 'TrainerNotFoundError'
  | 'TrainerRateLimitError'
  | 'TrainerServerError'
  | 'TrainerUnreachableError'
  | 'TrainerRejectedError';

const said = (detail: string) => (detail ? ` The trainer said: ${detail}` : '');

export class TrainerAuthError extends HumpbackError {
  readonly status: number;
  constructor(status: 401 | 403, trainer: string, detail = '') {
    super(
      'TrainerAuthError',
      status === 401
        ? `${trainer} did not accept the API key (HTTP 401). Check the key in the trainer settings, paste it again, and retry.${said(detail)}`
        : `${trainer} refused this request (HTTP 403): the key works but lacks permission for fine-tuning or this model. Use a key or project that may fine-tune, then retry.${said(detail)}`,
    );
    this.status = status;
  }
}

export class TrainerNotFoundError extends HumpbackError {
  constructor(trainer: string, what: string, detail = '') {
    super(
      'TrainerNotFoundError',
      `${trainer} has no ${what} (HTTP 404). Check the trainer address (it should be the API base, e.g. ending in /v1), or remove this job if it was deleted on the trainer.${said(detail)}`,
    );
  }
}

export class TrainerRateLimitError extends HumpbackError {
  /** Seconds the trainer asked us to wait, when it said. */
  readonly retryAfterSeconds: number | null;
  constructor(trainer: string, retryAfterSeconds: number | null, detail = '') {
    const wait = retryAfterSeconds === null ? 'a minute' : `${retryAfterSeconds} s`;
    super(
      'TrainerRateLimitError',
      `${trainer} is rate-limiting requests (HTTP 429). Wait ${wait} and retry; if it keeps happening, check the account's limits or quota.${said(detail)}`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class TrainerServerError extends HumpbackError {
  readonly status: number;
  constructor(trainer: string, status: number, detail = '') {
    super(
      'TrainerServerError',
      `${trainer} failed with HTTP ${status}, a problem on its side. Retry in a few minutes; a submitted job keeps running and is followed again.${said(detail)}`,
    );
    this.status = status;
  }
}

export class TrainerUnreachableError extends HumpbackError {
  constructor(trainer: string, reason: string) {
    super(
      'TrainerUnreachableError',
      `Could not reach ${trainer} (${reason}). Check the address and your network; a trainer on another origin must allow this page with CORS headers. Then retry.`,
    );
  }
}

/** 400/409/413/422: the trainer understood and said no (bad model name, file too big...). Not retried. */
export class TrainerRejectedError extends HumpbackError {
  readonly status: number;
  constructor(trainer: string, status: number, detail = '') {
    super('TrainerRejectedError', `${trainer} rejected the request (HTTP ${status}). Fix what it reports and submit again.${said(detail)}`);
    this.status = status;
  }
}

/** Errors after which following a job again later may succeed by itself. */
export function isTransientTrainerError(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TrainerRateLimitError' || name === 'TrainerServerError' || name === 'TrainerUnreachableError';
}
