import fs from 'node:fs';
import path from 'node:path';
import { loadIsomorphicGit } from '../loadIsomorphicGit';
import { compareAndSwapRef } from '../refs/gitRefs';
import { initBareRepository } from '../repository/initBareRepository';
import { writeCommit } from '../worktree/writeCommit';
import { writeWorkspaceTree } from '../worktree/writeWorkspaceTree';

const author = { name: 'Paved', email: 'paved@kestrel.example' };

/**
 * A bare repository at `gitdir` with two commits on main (the second adds
 * docs/guide.md), an annotated tag v1 on the first and a lightweight tag
 * v2 on the second.
 */
export async function createTestRepository(root: string) {
  const gitdir = path.join(root, 'repo.git');
  const workspace = path.join(root, 'workspace');
  await initBareRepository(gitdir, {
    defaultBranch: 'main',
    description: 'test',
  });
  fs.mkdirSync(path.join(workspace, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# shop\n');
  const first = await commitFolder(gitdir, workspace, []);
  fs.writeFileSync(path.join(workspace, 'docs/guide.md'), 'guide\n');
  const second = await commitFolder(gitdir, workspace, [first.commit]);
  await compareAndSwapRef(gitdir, 'refs/heads/main', {
    expected: undefined,
    value: second.commit,
  });
  const git = loadIsomorphicGit();
  await git.annotatedTag({
    fs,
    gitdir,
    ref: 'v1',
    object: first.commit,
    message: 'v1',
    tagger: { ...author, timestamp: 1700000000, timezoneOffset: 0 },
  });
  await compareAndSwapRef(gitdir, 'refs/tags/v2', {
    expected: undefined,
    value: second.commit,
  });
  const tag = (await git.resolveRef({ fs, gitdir, ref: 'refs/tags/v1' }))!;
  return { gitdir, first, second, tag };
}

async function commitFolder(gitdir: string, folder: string, parents: string[]) {
  const { tree } = await writeWorkspaceTree(gitdir, folder);
  const commit = await writeCommit(gitdir, {
    tree,
    parents,
    author,
    message: `commit ${parents.length + 1}`,
  });
  return { tree, commit };
}
