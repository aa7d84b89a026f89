import { ConflictError } from '@backstage/errors';
import fs from 'node:fs';
import { loadIsomorphicGit } from '../loadIsomorphicGit';
import { compareAndSwapRef, readRef } from '../refs/gitRefs';
import { writeCommit } from './writeCommit';
import { writeWorkspaceTree } from './writeWorkspaceTree';

/**
 * What {@link commitWorkspace} commits where.
 *
 * @public
 */
export interface CommitWorkspaceOptions {
  /** The folder to commit; nothing is written into it. */
  sourceDir: string;
  /** A git directory of its own, outside `sourceDir`; initialised when new. */
  gitdir: string;
  branch: string;
  message: string;
  author: { name: string; email: string };
}

/**
 * Commits a folder as `git add -A && git commit` would (see
 * {@link writeWorkspaceTree}) on a branch of a separate git directory, on top
 * of the branch's commit if it has one, and moves the branch.
 *
 * @public
 */
export async function commitWorkspace(
  options: CommitWorkspaceOptions,
): Promise<{ commit: string; tree: string; files: number }> {
  const { sourceDir, gitdir, branch } = options;
  const git = loadIsomorphicGit();
  await git.init({ fs, dir: sourceDir, gitdir, defaultBranch: branch });
  const { tree, files } = await writeWorkspaceTree(gitdir, sourceDir);
  const ref = `refs/heads/${branch}`;
  const parent = await readRef(gitdir, ref);
  const commit = await writeCommit(gitdir, {
    tree,
    parents: parent ? [parent] : [],
    author: options.author,
    message: options.message,
  });
  const swap = await compareAndSwapRef(gitdir, ref, {
    expected: parent,
    value: commit,
  });
  if (!swap.updated) {
    throw new ConflictError(`${ref} of ${gitdir} moved while committing`);
  }
  return { commit, tree, files };
}
