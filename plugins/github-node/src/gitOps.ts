/**
 * Git over smart HTTP for GitHub: the first commit of a repository, and the
 * branch of a pull request. A thin adapter over `@paved/plugin-git-node`
 * (which loads isomorphic-git on first use) that adds what is GitHub's: a
 * token sent as `x-access-token` Basic auth, and this package's error
 * wording. Every function works in a git directory of its own, outside the
 * scaffolder workspace.
 */
import { InputError } from '@backstage/errors';
import {
  GitHttpRemote,
  basicAuthHeaders,
  commitWorkspace,
  fetchBranch as fetchRemoteBranch,
  listRemoteBranches as listBranchesOf,
  pushBranch as pushRemoteBranch,
} from '@paved/plugin-git-node';

export {
  GitPushRefusedError,
  commitChanges,
  readFileAt,
} from '@paved/plugin-git-node';

/** Where to push and with which token. */
export interface GitRemote {
  url: string;
  token: string;
}

/** A commit author. */
export interface GitAuthor {
  name: string;
  email: string;
}

function httpRemote(remote: GitRemote): GitHttpRemote {
  return {
    url: remote.url,
    headers: basicAuthHeaders('x-access-token', remote.token),
  };
}

/** The remote's branches (name to commit) and the branch HEAD names. */
export function listRemoteBranches(
  remote: GitRemote,
): Promise<{ branches: Map<string, string>; head?: string }> {
  return listBranchesOf(httpRemote(remote));
}

/**
 * Commits every file of a directory (honouring its .gitignore, as
 * `git add -A` does) as the first commit of a branch in a separate git
 * directory.
 */
export async function commitDirectory(options: {
  dir: string;
  gitdir: string;
  branch: string;
  message: string;
  author: GitAuthor;
}): Promise<{ commit: string; tree: string }> {
  const { dir } = options;
  const { commit, tree, files } = await commitWorkspace({
    sourceDir: dir,
    gitdir: options.gitdir,
    branch: options.branch,
    message: options.message,
    author: options.author,
  });
  if (files === 0) {
    throw new InputError(
      `sourceDir: ${dir} holds no files to commit (all are missing or ignored)`,
    );
  }
  return { commit, tree };
}

/** Fetches one branch (its last commit only) into a git directory. */
export function fetchBranch(
  remote: GitRemote,
  options: { dir: string; gitdir: string; branch: string },
): Promise<{ commit: string; tree: string }> {
  return fetchRemoteBranch(httpRemote(remote), options);
}

/**
 * Pushes a local branch to the remote branch of the same name. Throws
 * {@link GitPushRefusedError} when the server refuses it (with the messages
 * its hooks printed), and the transport's error when the connection fails.
 */
export function pushBranch(
  remote: GitRemote,
  options: { dir: string; gitdir: string; branch: string },
): Promise<void> {
  return pushRemoteBranch(httpRemote(remote), options);
}
