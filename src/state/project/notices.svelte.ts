/**
 * The one place errors reach the user. Anything that fails hands its error here; the banner
 * shows name-specific advice in plain words (the error's own message says what to do).
 */
import { describeError } from '../../core/errors.ts';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  title: string;
  message: string;
  /** A notice about something that can end (an interrupted run): it is gone once this says true. */
  over?: () => boolean;
}

const TITLES: Record<string, string> = {
  StorageFullError: 'Storage is full',
  StorageUnavailableError: 'Storage is not available',
  AbortError: 'Cancelled',
};

export class Notices {
  #all = $state<Notice[]>([]);
  #next = 1;

  /** The notices to show: those not dismissed and not over (read reactively, so one ends on its own). */
  get items(): Notice[] {
    return this.#all.filter((n) => !n.over?.());
  }

  error(err: unknown, context?: string): void {
    const { name, message } = describeError(err);
    const title = TITLES[name] ?? (context ? `${context} failed` : 'Something went wrong');
    this.#push({ kind: 'error', title, message });
  }

  /** `over`: when it says true the notice is gone (the run it speaks of was resumed, cancelled or finished). */
  info(title: string, message: string, over?: () => boolean): void {
    this.#push({ kind: 'info', title, message, ...(over ? { over } : {}) });
  }

  dismiss(id: number): void {
    this.#all = this.#all.filter((n) => n.id !== id);
  }

  #push(n: Omit<Notice, 'id'>): void {
    this.#all = [...this.#all.filter((old) => !old.over?.()), { id: this.#next++, ...n }];
  }
}
