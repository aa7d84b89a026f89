import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { describeWithGit, git } from '../__testUtils__/gitCli';
import { readCommit } from '../read/readObjects';
import { listTreeFiles } from '../read/readTree';
import { readRef } from '../refs/gitRefs';
import { commitWorkspace } from './commitWorkspace';
import { writeCommit } from './writeCommit';
import { writeWorkspaceTree } from './writeWorkspaceTree';

describe('committing a workspace', () => {
  const dir = createMockDirectory();
  const author = { name: 'Paved', email: 'paved@kestrel.example' };

  beforeEach(() => {
    dir.clear();
    dir.addContent({
      workspace: {
        'README.md': '# shop\n',
        '.gitignore': 'node_modules\n',
        'node_modules/x/index.js': 'ignored',
        'src/index.ts': 'export {};\n',
        'group-exec.sh': '#!/bin/sh\n',
        empty: {},
      },
    });
    fs.chmodSync(dir.resolve('workspace/group-exec.sh'), 0o654);
  });

  it('commits the folder as git add -A does, on top of the branch, leaving the folder alone', async () => {
    const options = {
      sourceDir: dir.resolve('workspace'),
      gitdir: dir.resolve('work.git'),
      branch: 'main',
      message: 'Create shop',
      author,
    };
    const first = await commitWorkspace(options);
    expect(first.files).toBe(4);
    await expect(readRef(options.gitdir, 'refs/heads/main')).resolves.toBe(
      first.commit,
    );
    const files = await listTreeFiles(options.gitdir, first.tree);
    expect(Object.fromEntries(files.map(f => [f.path, f.mode]))).toEqual({
      '.gitignore': '100644',
      'README.md': '100644',
      'group-exec.sh': '100644',
      'src/index.ts': '100644',
    });
    expect(fs.existsSync(dir.resolve('workspace/.git'))).toBe(false);

    const second = await commitWorkspace({ ...options, message: 'Again' });
    expect(second.tree).toBe(first.tree);
    await expect(readCommit(options.gitdir, second.commit)).resolves.toEqual({
      tree: first.tree,
      parents: [first.commit],
      committedAt: expect.any(Date),
    });
  });

  describeWithGit('checked with the git CLI', () => {
    it('stores the tree git write-tree makes, and commits git reads', async () => {
      const gitdir = dir.resolve('work.git');
      const sourceDir = dir.resolve('workspace');
      fs.symlinkSync('README.md', path.join(sourceDir, 'LINK.md'));
      git(['init', '--quiet', '--bare', gitdir]);
      const { tree } = await writeWorkspaceTree(gitdir, sourceDir);
      const reference = dir.resolve('reference.git');
      git(['init', '--quiet', '--bare', reference]);
      const inWorkspace = (args: string[]) =>
        git(['--git-dir', reference, '--work-tree', sourceDir, ...args]);
      inWorkspace(['add', '-A']);
      expect(tree).toBe(inWorkspace(['write-tree']).trim());

      const commit = await writeCommit(gitdir, {
        tree,
        author,
        message: 'Create shop',
        timestamp: 1700000000,
      });
      expect(
        git(['--git-dir', gitdir, 'log', '--format=%an|%at|%s', commit]),
      ).toBe('Paved|1700000000|Create shop\n');
      git(['--git-dir', gitdir, 'fsck', '--strict']);
    });
  });
});
