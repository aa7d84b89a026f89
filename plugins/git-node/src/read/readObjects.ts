import fs from 'node:fs';
import { loadIsomorphicGit } from '../loadIsomorphicGit';

/**
 * What a commit records, as far as readers need it.
 *
 * @public
 */
export interface GitCommitSummary {
  tree: string;
  parents: string[];
  /** The committer's date. */
  committedAt: Date;
}

/**
 * A blob's bytes.
 *
 * @public
 */
export async function readBlob(gitdir: string, oid: string): Promise<Buffer> {
  const git = loadIsomorphicGit();
  const { blob } = await git.readBlob({ fs, gitdir, oid });
  return Buffer.from(blob);
}

/**
 * The content of a file at a commit, or undefined when it has none.
 *
 * @public
 */
export async function readFileAt(
  gitdir: string,
  commit: string,
  filepath: string,
): Promise<Buffer | undefined> {
  const git = loadIsomorphicGit();
  try {
    const { blob } = await git.readBlob({ fs, gitdir, oid: commit, filepath });
    return Buffer.from(blob);
  } catch (error: any) {
    if (error?.code === 'NotFoundError') return undefined;
    throw error;
  }
}

/**
 * A commit's tree, parents and date.
 *
 * @public
 */
export async function readCommit(
  gitdir: string,
  oid: string,
): Promise<GitCommitSummary> {
  const git = loadIsomorphicGit();
  const { commit } = await git.readCommit({ fs, gitdir, oid });
  return {
    tree: commit.tree,
    parents: commit.parent,
    committedAt: new Date(commit.committer.timestamp * 1000),
  };
}

/**
 * The type of an object (`commit`, `tree`, `blob` or `tag`).
 *
 * @public
 */
export async function readObjectType(
  gitdir: string,
  oid: string,
): Promise<string> {
  const git = loadIsomorphicGit();
  return (await git.readObject({ fs, gitdir, oid })).type;
}

/**
 * Whether the repository holds an object (loose or packed), without
 * inflating it.
 *
 * @public
 */
export async function hasObject(gitdir: string, oid: string): Promise<boolean> {
  const git = loadIsomorphicGit();
  try {
    await git.readObject({ fs, gitdir, oid, format: 'deflated' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The object an annotated tag points at, followed through at most `depth`
 * tags; any other object is returned as it is.
 *
 * @public
 */
export async function peelTags(
  gitdir: string,
  oid: string,
  depth: number,
): Promise<string> {
  const git = loadIsomorphicGit();
  let peeled = oid;
  for (let i = 0; i < depth; i++) {
    const object = await git.readObject({ fs, gitdir, oid: peeled });
    if (object.type !== 'tag') break;
    peeled = (await git.readTag({ fs, gitdir, oid: peeled })).tag.object;
  }
  return peeled;
}

/**
 * The full id of the commit an abbreviated id (4 to 40 hex digits) names, or
 * undefined when it names no commit here.
 *
 * @public
 */
export async function expandCommitOid(
  gitdir: string,
  abbreviated: string,
): Promise<string | undefined> {
  if (!/^[0-9a-f]{4,40}$/.test(abbreviated)) return undefined;
  const git = loadIsomorphicGit();
  try {
    const oid = await git.expandOid({ fs, gitdir, oid: abbreviated });
    const { type } = await git.readObject({ fs, gitdir, oid });
    return type === 'commit' ? oid : undefined;
  } catch {
    return undefined;
  }
}
