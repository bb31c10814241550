/**
 * Where trainer API keys live. By default only in memory: a reload forgets them and the user
 * pastes the key again. When the user ticks "remember on this device" the key is also written
 * to a database of its own (`humpback-secrets`), apart from every project database, so no
 * project export, backup or bundle can ever pick it up. Unticking deletes the stored copy.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

/** Where remembered keys persist; IndexedDB by default, localStorage as an alternative. */
export interface SecretPersistence {
  read(id: string): Promise<string | undefined>;
  write(id: string, value: string): Promise<void>;
  remove(id: string): Promise<void>;
}

export const SECRETS_DB = 'humpback-secrets';

export function idbSecretPersistence(store: UseStore = createStore(SECRETS_DB, 'keys')): SecretPersistence {
  return {
    read: async (id) => {
      const v: unknown = await get(id, store);
      return typeof v === 'string' ? v : undefined;
    },
    write: (id, value) => set(id, value, store),
    remove: (id) => del(id, store),
  };
}

export function localStorageSecretPersistence(storage: Storage = localStorage, prefix = 'humpback-secret:'): SecretPersistence {
  return {
    read: async (id) => storage.getItem(prefix + id) ?? undefined,
    write: async (id, value) => storage.setItem(prefix + id, value),
    remove: async (id) => storage.removeItem(prefix + id),
  };
}

export interface SecretStore {
  get(id: string): Promise<string | null>;
  set(id: string, value: string, options: { remember: boolean }): Promise<void>;
  forget(id: string): Promise<void>;
  /** True when the key is stored on this device (survives a reload). */
  isRemembered(id: string): Promise<boolean>;
  /** Every key this store holds in memory, for redaction. */
  known(): string[];
}

export class TrainerSecrets implements SecretStore {
  readonly #memory = new Map<string, string>();
  readonly #persist: SecretPersistence | null;

  /** `persist` null keeps keys in memory only, whatever the user ticks. */
  constructor(persist: SecretPersistence | null = idbSecretPersistence()) {
    this.#persist = persist;
  }

  async get(id: string): Promise<string | null> {
    const inMemory = this.#memory.get(id);
    if (inMemory !== undefined) return inMemory;
    const stored = await this.#persist?.read(id);
    if (stored === undefined) return null;
    this.#memory.set(id, stored);
    return stored;
  }

  async set(id: string, value: string, options: { remember: boolean }): Promise<void> {
    const key = value.trim();
    if (key === '') return this.forget(id);
    this.#memory.set(id, key);
    if (options.remember && this.#persist) await this.#persist.write(id, key);
    else await this.#persist?.remove(id);
  }

  async forget(id: string): Promise<void> {
    this.#memory.delete(id);
    await this.#persist?.remove(id);
  }

  async isRemembered(id: string): Promise<boolean> {
    return (await this.#persist?.read(id)) !== undefined;
  }

  known(): string[] {
    return [...this.#memory.values()];
  }
}

let shared: TrainerSecrets | undefined;

/**
 * The page's one secret store, made on first use (as idb-keyval's default store is). Keys kept
 * only in memory must outlive a step's components — leaving the Train panel and coming back
 * should not forget them — so every TrainingState of the page shares this one by default.
 */
export function defaultTrainerSecrets(): TrainerSecrets {
  shared ??= new TrainerSecrets();
  return shared;
}
