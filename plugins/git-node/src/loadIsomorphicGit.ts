import type * as IsomorphicGit from 'isomorphic-git';

/** The `isomorphic-git` module. */
export type IsomorphicGitModule = typeof IsomorphicGit;

let loaded: IsomorphicGitModule | undefined;

/**
 * Loads isomorphic-git on first use, so a backend that never opens a forge
 * repository does not hold it in memory. `require`, not `import()`: Jest has
 * no ES module loader, and isomorphic-git ships a CommonJS build.
 */
export function loadIsomorphicGit(): IsomorphicGitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('isomorphic-git') as IsomorphicGitModule;
  return loaded;
}
