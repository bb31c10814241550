/**
 * The project list and storage health. Talks to the Catalog port only; the UI talks to this.
 */
import { newProject, type Project } from '../../core/records.ts';
import type { Catalog, StorageReport } from '../../ports/store.ts';
import type { Notices } from './notices.svelte.ts';

export class ProjectsState {
  projects = $state<Project[]>([]);
  loaded = $state(false);
  storage = $state<StorageReport | null>(null);
  readonly #catalog: Catalog;
  readonly #notices: Notices;
  /** Sample projects created this session and not yet filled (the page that opens one fills it). */
  readonly #samplesToFill = new Set<string>();

  constructor(catalog: Catalog, notices: Notices) {
    this.#catalog = catalog;
    this.#notices = notices;
  }

  get catalog(): Catalog {
    return this.#catalog;
  }

  byId(id: string): Project | undefined {
    return this.projects.find((p) => p.id === id);
  }

  async load(): Promise<void> {
    try {
      this.projects = await this.#catalog.listProjects();
      this.storage = await this.#catalog.report();
    } catch (err) {
      this.#notices.error(err, 'Loading projects');
    } finally {
      this.loaded = true;
    }
  }

  async create(name: string): Promise<Project | undefined> {
    const project = newProject(name);
    try {
      await this.#catalog.putProject(project);
      this.projects = [project, ...this.projects];
      this.storage = await this.#catalog.report();
      return project;
    } catch (err) {
      this.#notices.error(err, 'Creating the project');
      return undefined;
    }
  }

  /** A new project to be filled with the bundled sample files when it is opened (see sample-project.ts). */
  async createSample(name: string): Promise<Project | undefined> {
    const p = await this.create(name);
    if (p) this.#samplesToFill.add(p.id);
    return p;
  }

  /** True once for a sample project created by `createSample`: the caller fills it. */
  takeSampleToFill(id: string): boolean {
    return this.#samplesToFill.delete(id);
  }

  async rename(id: string, name: string): Promise<void> {
    const p = this.byId(id);
    const trimmed = name.trim();
    if (!p || trimmed.length === 0) return;
    const next = { ...$state.snapshot(p), name: trimmed, updatedAt: Date.now() };
    try {
      await this.#catalog.putProject(next);
      this.projects = this.projects.map((x) => (x.id === id ? next : x));
    } catch (err) {
      this.#notices.error(err, 'Renaming the project');
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.#catalog.deleteProject(id);
      this.projects = this.projects.filter((p) => p.id !== id);
      this.storage = await this.#catalog.report();
    } catch (err) {
      this.#notices.error(err, 'Deleting the project');
    }
  }

  async requestPersistence(): Promise<void> {
    try {
      const granted = await this.#catalog.requestPersistence();
      this.storage = await this.#catalog.report();
      if (!granted) {
        this.#notices.info(
          'Persistent storage not granted',
          'The browser may clear this site\'s data under storage pressure. Bookmark the page or install it as an app, then ask again; export your data regularly.',
        );
      }
    } catch (err) {
      this.#notices.error(err, 'Asking for persistent storage');
    }
  }
}
