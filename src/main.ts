/**
 * Composition root: the only place that picks adapters. Everything below receives its ports.
 */
import { mount } from 'svelte';
import App from './ui/App.svelte';
import { IdbCatalog } from './adapters/idb-store.ts';
import { probeGpu } from './adapters/webgpu-probe.ts';
import { EnvironmentState } from './state/project/environment.svelte.ts';
import { Notices } from './state/project/notices.svelte.ts';
import { ProjectsState } from './state/project/projects.svelte.ts';
import { Router } from './state/project/router.svelte.ts';
import './ui/global.css';

const notices = new Notices();
let projects: ProjectsState | null = null;
try {
  projects = new ProjectsState(new IdbCatalog(), notices);
} catch (err) {
  notices.error(err, 'Opening storage');
}
const environment = new EnvironmentState(() => probeGpu());
const router = new Router();

mount(App, { target: document.getElementById('app') as HTMLElement, props: { projects, environment, router, notices } });
