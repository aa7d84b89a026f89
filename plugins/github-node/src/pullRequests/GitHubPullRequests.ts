import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  GitHubCallOptions,
  OpenPullRequestOptions,
  OpenPullRequestResult,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { withTempGitDir } from '../client/withTempGitDir';
import { byMessage, hasStatus } from '../errors';
import {
  GitPushRefusedError,
  commitChanges,
  fetchBranch,
  listRemoteBranches,
  pushBranch,
} from '../gitOps';
import { checkPullRequest, holdsChanges } from './pullRequestChanges';

const pullExists = byMessage(/A pull request already exists/i);

/** Where a pull request's branch is made: a git directory and a work tree. */
interface Work {
  gitdir: string;
  dir: string;
  base: string;
  action: string;
}

type PullRequest = { number: number; html_url: string };

function pushFailure(error: unknown, branch: string, w: Work, host: string) {
  if (error instanceof GitPushRefusedError) {
    return new NotAllowedError(
      `${w.action} failed: GitHub refused the push of ${branch} (${
        error.reason
      }): ${error.serverMessages.join(' ')}`,
    );
  }
  return new ServiceUnavailableError(
    `${
      w.action
    } failed: the connection to ${host} broke while pushing ${branch} (${
      (error as Error).message
    }); run the task again to finish`,
  );
}

/**
 * Changes proposed as a pull request: a branch committed and pushed over
 * git, then the pull request, both found again when a task resumes.
 */
export class GitHubPullRequests {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async open(
    request: OpenPullRequestOptions,
    options?: GitHubCallOptions,
  ): Promise<OpenPullRequestResult> {
    checkPullRequest(request);
    const { branch } = request;
    const action = `opening a pull request on ${request.owner}/${request.name}`;
    const s = await this.#client.session(request, action, options);
    return withTempGitDir(async (gitdir, dir) => {
      const { branches, head } = await this.#client.gitOnRepo(s, action, () =>
        listRemoteBranches(s.remote),
      );
      const base = request.base ?? head;
      if (!base || !branches.has(base)) {
        throw new NotFoundError(
          `${action} failed: ${s.full} has no branch ${
            base ?? '(default)'
          } to propose changes to`,
        );
      }
      const answer = (
        status: OpenPullRequestResult['status'],
        pr?: PullRequest,
      ): OpenPullRequestResult => ({
        status,
        number: pr?.number ?? 0,
        htmlUrl: pr?.html_url ?? '',
        branch,
        base,
      });
      const w: Work = { gitdir, dir, base, action };
      const baseCommit = await this.#fetch(s, w, base);
      if (await holdsChanges(gitdir, baseCommit, request.files)) {
        return answer('up-to-date');
      }
      const existed = branches.has(branch);
      if (existed) await this.#checkBranch(s, w, request);
      else await this.#pushBranch(s, w, request, baseCommit);
      const { status, pr } = await this.#findOrCreate(s, w, request, existed);
      return answer(status, pr);
    });
  }

  async #fetch(s: GitHubSession, w: Work, branch: string): Promise<string> {
    const fetched = await this.#client.gitOnRepo(s, w.action, () =>
      fetchBranch(s.remote, { dir: w.dir, gitdir: w.gitdir, branch }),
    );
    return fetched.commit;
  }

  /** A branch of ours left by an earlier attempt holds the same changes. */
  async #checkBranch(
    s: GitHubSession,
    w: Work,
    request: OpenPullRequestOptions,
  ) {
    const theirs = await this.#fetch(s, w, request.branch);
    if (!(await holdsChanges(w.gitdir, theirs, request.files))) {
      throw new ConflictError(
        `${s.full} already has a branch ${request.branch} with other changes; Paved will not overwrite it`,
      );
    }
  }

  async #pushBranch(
    s: GitHubSession,
    w: Work,
    request: OpenPullRequestOptions,
    baseCommit: string,
  ) {
    const { branch } = request;
    await commitChanges({
      dir: w.dir,
      gitdir: w.gitdir,
      base: baseCommit,
      branch,
      files: request.files,
      message: request.message ?? request.title,
      author: request.author ?? this.#client.settings.author,
    });
    try {
      await pushBranch(s.remote, { dir: w.dir, gitdir: w.gitdir, branch });
    } catch (error) {
      throw pushFailure(error, branch, w, s.host);
    }
  }

  /** The open pull request of the branch (when it existed), else a new one. */
  async #findOrCreate(
    s: GitHubSession,
    w: Work,
    request: OpenPullRequestOptions,
    existed: boolean,
  ): Promise<{ status: 'opened' | 'exists'; pr: PullRequest }> {
    const { owner, name: repo } = s.repo;
    const findOpen = async () => {
      const open = await s.octokit.rest.pulls.list({
        owner,
        repo,
        head: `${owner}:${request.branch}`,
        base: w.base,
        state: 'open',
      });
      return open.data[0];
    };
    try {
      if (existed) {
        const open = await findOpen();
        if (open) return { status: 'exists', pr: open };
      }
      const pr = await s.octokit.rest.pulls.create({
        owner,
        repo,
        head: request.branch,
        base: w.base,
        title: request.title,
        body: request.body,
        draft: request.draft,
      });
      s.logger.info(`Opened pull request #${pr.data.number} on ${s.full}`);
      return { status: 'opened', pr: pr.data };
    } catch (error) {
      if (hasStatus(error, 422) && pullExists(error)) {
        const open = await findOpen().catch(e => {
          throw this.#client.fail(e, w.action, s);
        });
        if (open) return { status: 'exists', pr: open };
      }
      throw this.#client.fail(error, w.action, s);
    }
  }
}
