/*
 * The backend's memory at start matters: building the forge and its
 * UrlReader from config (what the backend does at start) must not load
 * isomorphic-git; the first read does. Checked in a fresh Node process, as
 * Jest keeps a module registry of its own.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function isomorphicGitLoadedAfter(script: string): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-lazy-'));
  try {
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '-e',
        `(async () => {
          const { ConfigReader } = require('@backstage/config');
          const forgeNode = require('./src/index.ts');
          const config = new ConfigReader({
            backend: { baseUrl: 'http://localhost:7007' },
            paved: { forge: { directory: ${JSON.stringify(dir)} } },
          });
          const logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return logger; } };
          const forge = forgeNode.DefaultLocalForge.fromConfig(config, { logger });
          forgeNode.ForgeUrlReader.factory(forge)({ treeResponseFactory: {} });
          ${script}
          const file = require.resolve('isomorphic-git');
          const pkg = file.slice(0, file.indexOf('/node_modules/isomorphic-git/') + 29);
          console.log(Object.keys(require.cache).some(k => k.startsWith(pkg)));
        })().catch(e => { console.error(e); process.exit(1); });`,
      ],
      { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('loading @paved/plugin-forge-node', () => {
  jest.setTimeout(60_000);

  it('builds the forge and its UrlReader without loading isomorphic-git', () => {
    expect(isomorphicGitLoadedAfter('')).toBe(false);
  });

  it('loads isomorphic-git on the first read', () => {
    expect(
      isomorphicGitLoadedAfter(`
        await forge.createRepository({ owner: 'kestrel', name: 'shop' });
        await forge.listRefs({ owner: 'kestrel', name: 'shop' });
      `),
    ).toBe(true);
  });
});
