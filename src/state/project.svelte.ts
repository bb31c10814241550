/**
 * One open project: its store, its collection counts, its settings. Each step's state (seed,
 * corpus, engines, stages, review, export, training) hangs off this and receives the store;
 * none of them opens storage on its own.
 */
import type { Project } from '../core/records.ts';
import type { Catalog, CollectionInfo, ProjectStore } from '../ports/store.ts';
import type { Notices } from './notices.svelte.ts';

export class ProjectState {
  project = $state<Project>() as Project;
  store = $state<ProjectStore | null>(null);
  collections = $state<CollectionInfo[]>([]);
  readonly catalog: Catalog;
  readonly notices: Notices;

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

  async open(): Promise<ProjectStore | null> {
    if (this.store) return this.store;
    try {
      this.store = await this.catalog.openProject(this.project.id);
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
