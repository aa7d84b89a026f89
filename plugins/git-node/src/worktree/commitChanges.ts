import fs from 'node:fs';
import path from 'node:path';
import { loadIsomorphicGit } from '../loadIsomorphicGit';

/**
 * What {@link commitChanges} commits where.
 *
 * @public
 */
export interface CommitChangesOptions {
  /** The working tree the base is checked out into. */
  dir: string;
  gitdir: string;
  /** The commit the changes apply to (fetched already). */
  base: string;
  /** The new branch, created at `base` (moved there if it exists). */
  branch: string;
  /** Content per path, or null to delete the file. */
  files: Record<string, string | Buffer | null>;
  message: string;
  author: { name: string; email: string };
}

/**
 * Commits file changes on top of a fetched commit, as a new branch, and
 * returns the commit's id.
 *
 * @public
 */
export async function commitChanges(
  options: CommitChangesOptions,
): Promise<string> {
  const git = loadIsomorphicGit();
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
