import fs from 'node:fs';
import { loadIsomorphicGit, loadIsomorphicGitHttp } from '../loadIsomorphicGit';
import { GitHttpRemote } from './GitHttpRemote';

/**
 * Why a push was refused, as the server said it.
 *
 * @public
 */
export class GitPushRefusedError extends Error {
  readonly reason: string;
  /** What the server's hooks printed, one line each. */
  readonly serverMessages: string[];

  constructor(reason: string, serverMessages: string[]) {
    super(reason);
    this.name = 'GitPushRefusedError';
    this.reason = reason;
    this.serverMessages = serverMessages;
  }
}

/**
 * Pushes a local branch to the remote branch of the same name. Throws
 * {@link GitPushRefusedError} when the server refuses it (with the messages
 * its hooks printed), and the transport's error when the connection fails.
 *
 * @public
 */
export async function pushBranch(
  remote: GitHttpRemote,
  options: { dir: string; gitdir: string; branch: string },
): Promise<void> {
  const git = loadIsomorphicGit();
  const messages: string[] = [];
  let result;
  try {
    result = await git.push({
      fs,
      http: loadIsomorphicGitHttp(),
      dir: options.dir,
      gitdir: options.gitdir,
      url: remote.url,
      headers: remote.headers,
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
