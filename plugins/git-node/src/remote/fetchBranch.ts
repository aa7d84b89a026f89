import fs from 'node:fs';
import { loadIsomorphicGit, loadIsomorphicGitHttp } from '../loadIsomorphicGit';
import { readCommit } from '../read/readObjects';
import { GitHttpRemote } from './GitHttpRemote';

/**
 * Fetches one branch (its last commit only) into a git directory, which is
 * initialised (with `dir` as its working tree) when new.
 *
 * @public
 */
export async function fetchBranch(
  remote: GitHttpRemote,
  options: { dir: string; gitdir: string; branch: string },
): Promise<{ commit: string; tree: string }> {
  const git = loadIsomorphicGit();
  const { dir, gitdir, branch } = options;
  await git.init({ fs, dir, gitdir });
  await git.addRemote({
    fs,
    gitdir,
    remote: 'origin',
    url: remote.url,
    force: true,
  });
  const result = await git.fetch({
    fs,
    http: loadIsomorphicGitHttp(),
    dir,
    gitdir,
    remote: 'origin',
    headers: remote.headers,
    ref: branch,
    singleBranch: true,
    depth: 1,
    tags: false,
  });
  const commit = result.fetchHead!;
  const { tree } = await readCommit(gitdir, commit);
  return { commit, tree };
}
