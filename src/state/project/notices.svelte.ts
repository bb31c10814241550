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
}

const TITLES: Record<string, string> = {
  StorageFullError: 'Storage is full',
  StorageUnavailableError: 'Storage is not available',
  AbortError: 'Cancelled',
};

export class Notices {
  items = $state<Notice[]>([]);
  #next = 1;

  error(err: unknown, context?: string): void {
    const { name, message } = describeError(err);
    const title = TITLES[name] ?? (context ? `${context} failed` : 'Something went wrong');
    this.items.push({ id: this.#next++, kind: 'error', title, message });
  }

  info(title: string, message: string): void {
    this.items.push({ id: this.#next++, kind: 'info', title, message });
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}
