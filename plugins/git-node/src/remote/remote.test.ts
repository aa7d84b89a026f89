import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import { describeWithGit, git } from '../__testUtils__/gitCli';
import { startGitHttpServer } from '../__testUtils__/startGitHttpServer';
import { readFileAt } from '../read/readObjects';
import { commitChanges } from '../worktree/commitChanges';
import { commitWorkspace } from '../worktree/commitWorkspace';
import { basicAuthHeaders } from './GitHttpRemote';
import { fetchBranch } from './fetchBranch';
import { listRemoteBranches } from './listRemoteBranches';
import { GitPushRefusedError, pushBranch } from './pushBranch';

describe('basicAuthHeaders', () => {
  it('sends the credentials up front as HTTP Basic', () => {
    expect(basicAuthHeaders('x-access-token', 'ghp_x')).toEqual({
      Authorization: `Basic ${Buffer.from('x-access-token:ghp_x').toString(
        'base64',
      )}`,
    });
  });
});

describeWithGit('the smart HTTP client', () => {
  const dir = createMockDirectory();
  const author = { name: 'Paved', email: 'paved@kestrel.example' };
  const headers = basicAuthHeaders('paved', 'secret');
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;

  beforeEach(async () => {
    dir.setContent({ served: {}, workspace: { 'README.md': '# shop\n' } });
    git([
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      dir.resolve('served/shop.git'),
    ]);
    server = await startGitHttpServer(
      dir.resolve('served'),
      headers.Authorization,
    );
  });

  afterEach(() => server.close());

  it('waits for a server that answers a push later than a reused socket times out', async () => {
    const slow = await startGitHttpServer(
      dir.resolve('served'),
      headers.Authorization,
      { delayMs: 6000 },
    );
    try {
      const remote = { url: `${slow.url}/shop.git`, headers };
      const local = await commitWorkspace({
        sourceDir: dir.resolve('workspace'),
        gitdir: dir.resolve('slow.git'),
        branch: 'main',
        message: 'Create shop',
        author,
      });
      await pushBranch(remote, {
        dir: dir.resolve('workspace'),
        gitdir: dir.resolve('slow.git'),
        branch: 'main',
      });
      expect(
        git([
          '--git-dir',
          dir.resolve('served/shop.git'),
          'rev-parse',
          'main',
        ]).trim(),
      ).toBe(local.commit);
    } finally {
      await slow.close();
    }
  }, 60_000);

  it('pushes a first commit, lists and fetches branches, and pushes a change', async () => {
    const remote = { url: `${server.url}/shop.git`, headers };
    await expect(listRemoteBranches(remote)).resolves.toEqual({
      branches: new Map(),
      head: undefined,
    });
    const gitdir = dir.resolve('local.git');
    const local = await commitWorkspace({
      sourceDir: dir.resolve('workspace'),
      gitdir,
      branch: 'main',
      message: 'Create shop',
      author,
    });
    await pushBranch(remote, {
      dir: dir.resolve('workspace'),
      gitdir,
      branch: 'main',
    });
    await expect(listRemoteBranches(remote)).resolves.toEqual({
      branches: new Map([['main', local.commit]]),
      head: 'main',
    });

    const other = dir.resolve('other.git');
    const fetched = await fetchBranch(remote, {
      dir: dir.resolve('checkout'),
      gitdir: other,
      branch: 'main',
    });
    expect(fetched).toEqual({ commit: local.commit, tree: local.tree });
    await commitChanges({
      dir: dir.resolve('checkout'),
      gitdir: other,
      base: fetched.commit,
      branch: 'docs',
      files: { 'docs/index.md': '# Docs\n' },
      message: 'Add docs',
      author,
    });
    await pushBranch(remote, {
      dir: dir.resolve('checkout'),
      gitdir: other,
      branch: 'docs',
    });
    const { branches } = await listRemoteBranches(remote);
    const again = await fetchBranch(remote, {
      dir: dir.resolve('checkout'),
      gitdir: other,
      branch: 'docs',
    });
    expect(again.commit).toBe(branches.get('docs'));
    await expect(
      readFileAt(other, again.commit, 'docs/index.md'),
    ).resolves.toEqual(Buffer.from('# Docs\n'));
  });

  it('says why the server refused a push, and fails without credentials', async () => {
    const remote = { url: `${server.url}/shop.git`, headers };
    /** Commits README.md with this content in a git directory of its own, and pushes it. */
    const push = async (content: string) => {
      fs.writeFileSync(dir.resolve('workspace/README.md'), content);
      const gitdir = dir.resolve(`${content.trim()}.git`);
      await commitWorkspace({
        sourceDir: dir.resolve('workspace'),
        gitdir,
        branch: 'main',
        message: content,
        author,
      });
      await pushBranch(remote, {
        dir: dir.resolve('workspace'),
        gitdir,
        branch: 'main',
      });
    };
    await push('one\n');
    // Not a fast-forward of one: refused.
    const refused = await push('two\n').catch(e => e);
    expect(refused).toBeInstanceOf(GitPushRefusedError);
    expect(refused.name).toBe('GitPushRefusedError');

    await expect(listRemoteBranches({ url: remote.url })).rejects.toMatchObject(
      { data: { statusCode: 401 } },
    );
  });
});
