/**
 * Git over smart HTTP with isomorphic-git (loaded on first use): the first
 * commit of a repository, and the branch of a pull request. Every function
 * works in a git directory of its own, outside the scaffolder workspace.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';

type Git = typeof import('isomorphic-git');

let loaded: { git: Git; http: any } | undefined;

function load() {
  if (!loaded) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    loaded = {
      git: require('isomorphic-git') as Git,
      http: require('isomorphic-git/http/node'),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return loaded;
}

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

function headers(remote: GitRemote) {
  // Sent up front, so git does not first ask without credentials.
  return {
    Authorization: `Basic ${Buffer.from(
      `x-access-token:${remote.token}`,
    ).toString('base64')}`,
  };
}

/** The remote's branches (name to commit) and the branch HEAD names. */
export async function listRemoteBranches(
  remote: GitRemote,
): Promise<{ branches: Map<string, string>; head?: string }> {
  const { git, http } = load();
  const refs = await git.listServerRefs({
    http,
    url: remote.url,
    headers: headers(remote),
    protocolVersion: 1,
    symrefs: true,
  });
  const branches = new Map<string, string>();
  let head: string | undefined;
  for (const ref of refs) {
    if (ref.ref.startsWith('refs/heads/')) {
      branches.set(ref.ref.slice('refs/heads/'.length), ref.oid);
    } else if (ref.ref === 'HEAD' && ref.target?.startsWith('refs/heads/')) {
      head = ref.target.slice('refs/heads/'.length);
    }
  }
  return { branches, head };
}

/**
 * Commits every file of a directory (honouring its .gitignore) as the first
 * commit of a branch in a separate git directory.
 */
export async function commitDirectory(options: {
  dir: string;
  gitdir: string;
  branch: string;
  message: string;
  author: GitAuthor;
}): Promise<{ commit: string; tree: string }> {
  const { git } = load();
  const { dir, gitdir } = options;
  await git.init({ fs, dir, gitdir, defaultBranch: options.branch });
  await git.add({ fs, dir, gitdir, filepath: '.' });
  const files = await git.listFiles({ fs, dir, gitdir });
  if (files.length === 0) {
    throw new InputError(
      `sourceDir: ${dir} holds no files to commit (all are missing or ignored)`,
    );
  }
  const commit = await git.commit({
    fs,
    dir,
    gitdir,
    ref: `refs/heads/${options.branch}`,
    message: options.message,
    author: options.author,
  });
  const { commit: parsed } = await git.readCommit({ fs, gitdir, oid: commit });
  return { commit, tree: parsed.tree };
}

/** Fetches one branch (its last commit only) into a git directory. */
export async function fetchBranch(
  remote: GitRemote,
  options: { dir: string; gitdir: string; branch: string },
): Promise<{ commit: string; tree: string }> {
  const { git, http } = load();
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
    http,
    dir,
    gitdir,
    remote: 'origin',
    headers: headers(remote),
    ref: branch,
    singleBranch: true,
    depth: 1,
    tags: false,
  });
  const commit = result.fetchHead!;
  const { commit: parsed } = await git.readCommit({ fs, gitdir, oid: commit });
  return { commit, tree: parsed.tree };
}

/** The content of a file at a commit, or undefined when it has none. */
export async function readFileAt(
  gitdir: string,
  commit: string,
  filepath: string,
): Promise<Buffer | undefined> {
  const { git } = load();
  try {
    const { blob } = await git.readBlob({ fs, gitdir, oid: commit, filepath });
    return Buffer.from(blob);
  } catch (error: any) {
    if (error?.code === 'NotFoundError') return undefined;
    throw error;
  }
}

/**
 * Commits file changes (content, or null to delete) on top of a fetched
 * commit, as a new branch.
 */
export async function commitChanges(options: {
  dir: string;
  gitdir: string;
  base: string;
  branch: string;
  files: Record<string, string | Buffer | null>;
  message: string;
  author: GitAuthor;
}): Promise<string> {
  const { git } = load();
  const { dir, gitdir } = options;
  await fs.promises.mkdir(dir, { recursive: true });
  await git.branch({
    fs,
    dir,
    gitdir,
    ref: options.branch,
    object: options.base,
    force: true,
  });
  await git.checkout({ fs, dir, gitdir, ref: options.branch, force: true });
  for (const [filepath, content] of Object.entries(options.files)) {
    const target = path.join(dir, filepath);
    if (content === null) {
      await fs.promises.rm(target, { force: true });
      await git.remove({ fs, dir, gitdir, filepath });
    } else {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, content);
      await git.add({ fs, dir, gitdir, filepath });
    }
  }
  return git.commit({
    fs,
    dir,
    gitdir,
    ref: `refs/heads/${options.branch}`,
    message: options.message,
    author: options.author,
  });
}

/** Why a push was refused, as the server said it. */
export class GitPushRefusedError extends Error {
  constructor(readonly reason: string, readonly serverMessages: string[]) {
    super(reason);
  }
}

/**
 * Pushes a local branch to the remote branch of the same name. Throws
 * {@link GitPushRefusedError} when the server refuses it (with the messages
 * its hooks printed), and the transport's error when the connection fails.
 */
export async function pushBranch(
  remote: GitRemote,
  options: { dir: string; gitdir: string; branch: string },
): Promise<void> {
  const { git, http } = load();
  const messages: string[] = [];
  let result;
  try {
    result = await git.push({
      fs,
      http,
      dir: options.dir,
      gitdir: options.gitdir,
      url: remote.url,
      headers: headers(remote),
      ref: options.branch,
      remoteRef: options.branch,
      onMessage: message => {
        messages.push(
          ...message
            .split('\n')
            .map(l => l.trim())
            .filter(Boolean),
        );
      },
    });
  } catch (error: any) {
    if (error?.code === 'GitPushError' || error?.code === 'PushRejectedError') {
      throw new GitPushRefusedError(
        error.data?.reason ?? error.message,
        messages,
      );
    }
    throw error;
  }
  const ref = result.refs?.[`refs/heads/${options.branch}`];
  if (!result.ok || (ref && !ref.ok)) {
    throw new GitPushRefusedError(
      ref?.error ?? result.error ?? 'push refused',
      messages,
    );
  }
}
