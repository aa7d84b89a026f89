import { encodeCommit, writeBufferObject } from '../objects/gitObjects';

/**
 * The commit {@link writeCommit} stores.
 *
 * @public
 */
export interface WriteCommitOptions {
  tree: string;
  parents?: string[];
  author: { name: string; email: string };
  /** Default: the author. */
  committer?: { name: string; email: string };
  message: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
}

/**
 * Stores a commit object (crash-safe, as every object here) and returns its
 * id; no ref moves. Dates are UTC.
 *
 * @public
 */
export function writeCommit(
  gitdir: string,
  options: WriteCommitOptions,
): Promise<string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return writeBufferObject(
    gitdir,
    'commit',
    encodeCommit({
      tree: options.tree,
      parents: options.parents,
      author: { ...options.author, timestamp },
      committer: { ...(options.committer ?? options.author), timestamp },
      message: options.message,
    }),
  );
}
