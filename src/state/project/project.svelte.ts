/**
 * One open project: its store, its collection counts, its settings. Each step's state (seed,
 * corpus, engines, stages, review, export, training) hangs off this and receives the store;
 * none of them opens storage on its own.
 */
import { migrateProject } from '../../core/curation/migrate.ts';
import type { Project } from '../../core/records.ts';
import type { Catalog, CollectionInfo, ProjectStore } from '../../ports/store.ts';
import type { Notices } from './notices.svelte.ts';

export class ProjectState {
  project = $state<Project>() as Project;
  store = $state<ProjectStore | null>(null);
  collections = $state<CollectionInfo[]>([]);
  readonly catalog: Catalog;
  readonly notices: Notices;
  readonly #parts = new Map<string, unknown>();

  constructor(project: Project, catalog: Catalog, notices: Notices) {
    this.project = project;
    this.catalog = catalog;
    this.notices = notices;
  }

  get id(): string {
    return this.project.id;
  }

  count(collection: string): number {
    return this.collections.find((c) => c.collection === collection)?.count ?? 0;
  }

  /**
   * The project's store, opened once (concurrent callers share the one opening). A project
   * written by an older schema is migrated before anyone reads it.
   */
  open(): Promise<ProjectStore | null> {
    if (this.store) return Promise.resolve(this.store);
    this.#opening ??= this.#open().finally(() => (this.#opening = null));
    return this.#opening;
  }

  #opening: Promise<ProjectStore | null> | null = null;

  async #open(): Promise<ProjectStore | null> {
    try {
      const store = await this.catalog.openProject(this.project.id);
      await migrateProject(store);
      this.store = store;
      await this.refresh();
    } catch (err) {
      this.notices.error(err, 'Opening the project');
    }
    return this.store;
  }

  async refresh(): Promise<void> {
    if (!this.store) return;
    this.collections = await this.store.collections();
  }

  /**
   * The project's state for one concern (seeds, corpus, engines, stages, review, training),
   * made on first use and kept while the project is open, so switching steps loses nothing and
   * steps share one instance (the stages use the engines the engine panel loaded).
   */
  part<T>(key: string, make: (ps: ProjectState) => T): T {
    if (!this.#parts.has(key)) this.#parts.set(key, make(this));
    return this.#parts.get(key) as T;
  }

  /** Releases what the parts hold (loaded models, workers, pollers) when the user leaves the project. */
  dispose(): void {
    for (const part of this.#parts.values()) {
      const p = part as { dispose?: () => unknown; close?: () => unknown };
      try {
        const done = typeof p.dispose === 'function' ? p.dispose() : typeof p.close === 'function' ? p.close() : undefined;
        if (done instanceof Promise) done.catch((err: unknown) => this.notices.error(err, 'Closing the project'));
      } catch (err) {
        this.notices.error(err, 'Closing the project');
      }
    }
    this.#parts.clear();
  }

  setting<T>(key: string, fallback: T): T {
    return (this.project.settings[key] as T | undefined) ?? fallback;
  }

  /** Saves one settings entry with the project (a plain, cloneable value). */
  async saveSetting(key: string, value: unknown): Promise<void> {
    const next: Project = { ...$state.snapshot(this.project), settings: { ...$state.snapshot(this.project.settings), [key]: $state.snapshot(value) }, updatedAt: Date.now() };
    try {
      await this.catalog.putProject(next);
      this.project = next;
    } catch (err) {
      this.notices.error(err, 'Saving settings');
    }
  }
}
