import type * as IsomorphicGit from 'isomorphic-git';
import type { HttpClient } from 'isomorphic-git';

/**
 * The `isomorphic-git` module.
 *
 * @public
 */
export type IsomorphicGitModule = typeof IsomorphicGit;

let git: IsomorphicGitModule | undefined;
let http: HttpClient | undefined;

/**
 * Loads isomorphic-git on first use, so a backend that never touches a
 * repository does not hold it in memory. `require`, not `import()`: Jest has
 * no ES module loader, and isomorphic-git ships a CommonJS build.
 *
 * @public
 */
export function loadIsomorphicGit(): IsomorphicGitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  git ??= require('isomorphic-git') as IsomorphicGitModule;
  return git;
}

/**
 * isomorphic-git's HTTP client for Node, loaded on first use like
 * {@link loadIsomorphicGit}.
 *
 * @public
 */
export function loadIsomorphicGitHttp(): HttpClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  http ??= require('isomorphic-git/http/node') as HttpClient;
  return http;
}
