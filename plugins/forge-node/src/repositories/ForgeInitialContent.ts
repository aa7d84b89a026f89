import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  compareAndSwapRef,
  readCommit,
  readHeadBranch,
  readRef,
  writeCommit,
  writeSymbolicRef,
  writeWorkspaceTree,
} from '@paved/plugin-git-node';
import {
  DEFAULT_INITIAL_COMMIT_MESSAGE,
  PushInitialContentOptions,
  PushInitialContentResult,
} from '@paved/plugin-publish-node';
import {
  ForgeRepositoryRef,
  normalizeForgeRepositoryRef,
  validateForgeBranchName,
} from '../names';
import { ForgeStorage, isDirectory } from '../storage/ForgeStorage';

/** Options of {@link ForgeInitialContent.create}. */
export interface ForgeInitialContentOptions {
  storage: ForgeStorage;
  logger: LoggerService;
}

/**
 * Publishes a folder as the first commit of a branch: objects first, each
 * written crash-safe, then the branch moves under git's lock protocol. A
 * retry with the same tree converges; other content is a conflict.
 */
export class ForgeInitialContent {
  readonly #storage: ForgeStorage;
  readonly #logger: LoggerService;

  static create(options: ForgeInitialContentOptions): ForgeInitialContent {
    return new ForgeInitialContent(options);
  }

  private constructor(options: ForgeInitialContentOptions) {
    this.#storage = options.storage;
    this.#logger = options.logger;
  }

  async pushInitialContent(
    options: PushInitialContentOptions,
  ): Promise<PushInitialContentResult> {
    const repo = normalizeForgeRepositoryRef(options);
    const branch = validateForgeBranchName(options.branch);
    const author = validateAuthor(
      options.author ?? {
        name: 'Scaffolder',
        email: 'scaffolder@backstage.io',
      },
    );
    const message = options.message?.trim() || DEFAULT_INITIAL_COMMIT_MESSAGE;
    if (!(await isDirectory(options.sourceDir))) {
      throw new InputError(
        `sourceDir ${options.sourceDir} is not a directory; expected the folder to publish`,
      );
    }

    return this.#storage.exclusive(repo, async () => {
      const gitdir = await this.#storage.existingGitdir(repo);
      const { tree, files } = await writeWorkspaceTree(
        gitdir,
        options.sourceDir,
      );
      const ref = `refs/heads/${branch}`;
      const current = await readRef(gitdir, ref);
      if (current)
        return sameTreeOrConflict(gitdir, repo, branch, current, tree);

      const commitSha = await writeCommit(gitdir, { tree, author, message });
      // Every object is on disk before the branch points at them.
      const swap = await compareAndSwapRef(gitdir, ref, {
        expected: undefined,
        value: commitSha,
      });
      if (!swap.updated) {
        return sameTreeOrConflict(gitdir, repo, branch, swap.previous!, tree);
      }
      const head = await readHeadBranch(gitdir);
      if (!head || !(await readRef(gitdir, `refs/heads/${head}`))) {
        await writeSymbolicRef(gitdir, 'HEAD', ref);
      }
      const repository = `${repo.owner}/${repo.name}`;
      this.#logger.info(
        `Pushed ${files} files to ${repository} ${branch} on the local forge`,
        { repository, owner: repo.owner, name: repo.name, branch, commitSha },
      );
      return { commitSha, pushed: true };
    });
  }
}

async function sameTreeOrConflict(
  gitdir: string,
  repo: ForgeRepositoryRef,
  branch: string,
  current: string,
  tree: string,
): Promise<PushInitialContentResult> {
  if ((await readCommit(gitdir, current)).tree === tree) {
    return { commitSha: current, pushed: false };
  }
  throw new ConflictError(
    `Repository ${repo.owner}/${
      repo.name
    } on the local forge already holds other content on branch ${branch} (commit ${current.slice(
      0,
      7,
    )}); publish under another name, or delete ${repo.owner}/${
      repo.name
    } first`,
  );
}

/** A commit's author line cannot hold '<', '>' or a line break. */
function validateAuthor(author: { name: string; email: string }) {
  for (const [field, value] of Object.entries({
    'author.name': author.name,
    'author.email': author.email,
  })) {
    if (typeof value !== 'string' || !value.trim() || /[<>\n\r]/.test(value)) {
      throw new InputError(
        `Invalid ${field} ${JSON.stringify(
          value,
        )}: expected a non-empty line without '<' or '>'`,
      );
    }
  }
  return { name: author.name.trim(), email: author.email.trim() };
}
