import fs from 'node:fs';
import path from 'node:path';

/**
 * What {@link initBareRepository} writes besides the folders.
 *
 * @public
 */
export interface InitBareRepositoryOptions {
  /** The branch HEAD names. */
  defaultBranch: string;
  /** The one line of the `description` file (gitweb and cgit show it). */
  description: string;
}

/**
 * Lays out an empty bare repository in `gitdir` (created when missing) as
 * `git init --bare` does: objects, refs, HEAD, config and description. Not
 * atomic: build it in a private folder and rename it into place.
 *
 * @public
 */
export async function initBareRepository(
  gitdir: string,
  options: InitBareRepositoryOptions,
): Promise<void> {
  for (const dir of [
    'objects/info',
    'objects/pack',
    'refs/heads',
    'refs/tags',
    'info',
  ]) {
    await fs.promises.mkdir(path.join(gitdir, dir), { recursive: true });
  }
  await fs.promises.writeFile(
    path.join(gitdir, 'HEAD'),
    `ref: refs/heads/${options.defaultBranch}\n`,
  );
  await fs.promises.writeFile(
    path.join(gitdir, 'config'),
    '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n',
  );
  await fs.promises.writeFile(
    path.join(gitdir, 'description'),
    `${options.description}\n`,
  );
}
