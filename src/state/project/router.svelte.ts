/** The current route, kept in step with `location.hash`. */
import { parseRoute, routeHref, type Route } from '../../core/routes.ts';

export class Router {
  route = $state<Route>(parseRoute(globalThis.location?.hash ?? ''));

  constructor() {
    globalThis.addEventListener?.('hashchange', () => {
      this.route = parseRoute(location.hash);
    });
  }

  go(route: Route): void {
    this.route = route;
    if (location.hash !== routeHref(route)) location.hash = routeHref(route);
  }
}
