import fs from 'node:fs/promises';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  PushInitialContentOptions,
  PushInitialContentResult,
} from '@paved/plugin-publish-node';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { withTempGitDir } from '../client/withTempGitDir';
import {
  GitPushRefusedError,
  commitDirectory,
  fetchBranch,
  listRemoteBranches,
  pushBranch,
} from '../gitOps';
import { assertBranchName, assertRepositoryName } from '../names';
import { GitHubCallOptions } from '../GitHubRepoService';

/** The error of a failed first push: refused (with a hint for workflows) or cut off. */
function pushFailure(error: unknown, action: string, s: GitHubSession) {
  if (error instanceof GitPushRefusedError) {
    const said = error.serverMessages.join(' ');
    let hint = '';
    if (/workflow/.test(said)) {
      hint =
        s.credentials === 'app'
          ? " Give the GitHub App the 'workflows' permission."
          : " Give the token the 'workflow' scope.";
    }
    return new NotAllowedError(
      `${action} failed: GitHub refused the push (${error.reason})${
        said ? `: ${said}` : ''
      }.${hint}`,
    );
  }
  return new ServiceUnavailableError(
    `${action} failed: the connection to ${s.host} broke during the push (${
      (error as Error).message
    }). Nothing is reported done; run the task again: it resumes, and finds the commit if it landed.`,
  );
}

/**
 * The first commit of a repository, pushed over git: once, and found again
 * (the same tree) when a task resumes.
 */
export class GitHubInitialContent {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async push(
    request: PushInitialContentOptions,
    options?: GitHubCallOptions,
  ): Promise<PushInitialContentResult> {
    const { owner, name, branch, sourceDir } = request;
    assertRepositoryName(name);
    assertBranchName(branch);
    const action = `pushing the first commit to ${owner}/${name}`;
    const s = await this.#client.session(request, action, options);
    const stat = await fs.stat(sourceDir).catch(() => undefined);
    if (!stat?.isDirectory()) {
      throw new InputError(`sourceDir: ${sourceDir} is not a directory`);
    }
    const { settings } = this.#client;
    return withTempGitDir(async gitdir => {
      const local = await commitDirectory({
        dir: sourceDir,
        gitdir,
        branch,
        message: request.message ?? settings.initialCommitMessage,
        author: request.author ?? settings.author,
      });
      const held = await this.#alreadyHeld(s, action, request, gitdir, local);
      if (held) return held;
      try {
        await pushBranch(s.remote, { dir: sourceDir, gitdir, branch });
      } catch (error) {
        throw pushFailure(error, action, s);
      }
      s.logger.info(`Pushed ${branch} of ${s.full} (${local.commit})`);
      return { commitSha: local.commit, pushed: true };
    });
  }

  /**
   * The result when the branch holds this tree already; throws when the
   * repository holds other content; undefined when it is empty.
   */
  async #alreadyHeld(
    s: GitHubSession,
    action: string,
    request: PushInitialContentOptions,
    gitdir: string,
    local: { tree: string },
  ): Promise<PushInitialContentResult | undefined> {
    const { branch, sourceDir } = request;
    const { branches } = await this.#client.gitOnRepo(s, action, () =>
      listRemoteBranches(s.remote),
    );
    const existing = branches.get(branch);
    if (existing) {
      const theirs = await this.#client.gitOnRepo(s, action, () =>
        fetchBranch(s.remote, { dir: sourceDir, gitdir, branch }),
      );
      if (theirs.tree === local.tree) {
        s.logger.info(`${s.full} ${branch} already holds this content`);
        return { commitSha: existing, pushed: false };
      }
      throw new ConflictError(
        `${
          s.full
        } already holds other content on ${branch} (commit ${existing.slice(
          0,
          12,
        )}); Paved will not overwrite it`,
      );
    }
    if (branches.size > 0) {
      throw new ConflictError(
        `${s.full} already has content (branches ${[...branches.keys()].join(
          ', ',
        )}) but no ${branch}; Paved pushes first commits to empty repositories only`,
      );
    }
    return undefined;
  }
}
