/*
 * Loading the package must not load isomorphic-git: the GitHub driver and
 * the forge are built at backend start, and only the first git operation
 * needs it. Checked in a fresh Node process, as Jest keeps a module registry
 * of its own.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

function isomorphicGitLoadedAfter(script: string): boolean {
  const run = spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      '-e',
      `const gitNode = require('./src/index.ts');
      ${script}
      const file = require.resolve('isomorphic-git');
      const pkg = file.slice(0, file.indexOf('/node_modules/isomorphic-git/') + 29);
      console.log(Object.keys(require.cache).some(k => k.startsWith(pkg)));`,
    ],
    { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe('loading @paved/plugin-git-node', () => {
  jest.setTimeout(60_000);

  it('does not load isomorphic-git until it is used', () => {
    expect(isomorphicGitLoadedAfter('')).toBe(false);
    expect(isomorphicGitLoadedAfter('gitNode.loadIsomorphicGitHttp();')).toBe(
      true,
    );
  });
});
