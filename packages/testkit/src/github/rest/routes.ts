/**
 * The REST endpoints of the GitHub test server, registered in matching
 * order, and the matcher that finds the route for a request.
 */
import { actionsRunRoutes } from './actionsRuns';
import { actionsSecretRoutes } from './actionsSecrets';
import { actionsVariableRoutes } from './actionsVariables';
import { appRoutes } from './apps';
import { branchProtectionRoutes } from './branchProtection';
import { collaboratorRoutes } from './collaborators';
import { contentsRoutes } from './contents';
import { environmentRoutes } from './environments';
import { pagesRoutes } from './pages';
import { gitRoutes } from './git';
import { pullRoutes } from './pulls';
import { repositoryRoutes } from './repositories';
import { Route } from './route';
import { rulesetRoutes } from './rulesets';
import { teamRoutes } from './teams';
import { userRoutes } from './users';

/** The REST endpoints, in matching order. @internal */
export const routes: Route[] = [
  ...userRoutes,
  // repositories
  ...repositoryRoutes,
  ...gitRoutes,
  // protection
  ...rulesetRoutes,
  ...branchProtectionRoutes,
  // access
  ...teamRoutes,
  ...collaboratorRoutes,
  ...environmentRoutes,
  // GitHub Pages
  ...pagesRoutes,
  // Actions secrets and variables
  ...actionsSecretRoutes,
  ...actionsVariableRoutes,
  ...actionsRunRoutes,
  // contents (CODEOWNERS) and pull requests
  ...contentsRoutes,
  ...pullRoutes,
  ...appRoutes,
];

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = routes.map(route => {
  const names: string[] = [];
  const pattern = route.path
    .split('/')
    .map(part => {
      const m = /^\{(\w+)(\+?)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${pattern}$`), names };
});

/**
 * The route for a method and path with its parameters; `methodMismatch`
 * when only the method is wrong.
 *
 * @internal
 */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const c of compiled) {
    if (c.route.method !== method) continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1]);
    });
    return { route: c.route, params };
  }
  return undefined;
}
