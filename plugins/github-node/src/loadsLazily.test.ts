/*
 * The backend's memory at start matters: building the service from config
 * (what the backend does at start) must not load Octokit's plugins,
 * @octokit/rest, libsodium or isomorphic-git; the first request does. Checked
 * in a fresh Node process, as Jest keeps a module registry of its own.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

// This package's own copies (@backstage/integration brings an older
// @octokit/rest of its own, which the backend loads anyway).
const HEAVY = [
  '@octokit/rest',
  '@octokit/plugin-throttling',
  '@octokit/plugin-retry',
  'libsodium-wrappers',
  'isomorphic-git',
];

function loadedAfter(script: string): string[] {
  const run = spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      '-e',
      `${script}
      const loaded = Object.keys(require.cache);
      const dirOf = m => {
        const file = require.resolve(m);
        return file.slice(0, file.indexOf('/node_modules/' + m + '/') + 15 + m.length);
      };
      console.log(JSON.stringify(${JSON.stringify(HEAVY)}.filter(
        m => loaded.some(k => k.startsWith(dirOf(m))))));`,
    ],
    { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe('loading @paved/plugin-github-node', () => {
  jest.setTimeout(60_000);

  it('builds the service from config without loading the GitHub clients', () => {
    expect(
      loadedAfter(`
        const { ConfigReader } = require('@backstage/config');
        const { DefaultGitHubRepoService, hasGitHubCredentials } = require('./src/index.ts');
        const config = new ConfigReader({
          integrations: { github: [{ host: 'github.com', token: 'ghp_x' }] },
          paved: { github: { allowedOwners: ['kestrel'] } },
        });
        const logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return logger; } };
        DefaultGitHubRepoService.fromConfig(config, { logger });
        hasGitHubCredentials(config, 'github.com');
      `),
    ).toEqual([]);
  });

  it('loads them on first use', () => {
    // The check above can fail: here the same probe sees them once used.
    expect(
      loadedAfter(`
        require('./src/client/octokit.ts').createOctokit({
          baseUrl: 'http://127.0.0.1:9', token: 'x', logger: console,
          writes: {}, maxWaitSeconds: 1, retries: 0, retryBaseMs: 1,
        });
        require('./src/gitOps.ts');
      `),
    ).toEqual([
      '@octokit/rest',
      '@octokit/plugin-throttling',
      '@octokit/plugin-retry',
    ]);
  });
});
