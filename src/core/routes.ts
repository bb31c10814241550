/**
 * Hash routes, so the app is a static site any host can serve and a reload lands on the same
 * page: `#/` (projects) and `#/p/<projectId>/<step>`.
 */
import { STEPS, type Step } from './records.ts';

export type Route = { page: 'projects' } | { page: 'project'; projectId: string; step: Step };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'p' && parts[1]) {
    const step = (STEPS as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as Step) : 'seed';
    return { page: 'project', projectId: parts[1], step };
  }
  return { page: 'projects' };
}

export function routeHref(route: Route): string {
  return route.page === 'projects' ? '#/' : `#/p/${encodeURIComponent(route.projectId)}/${route.step}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
