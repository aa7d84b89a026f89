import {
  GitHubCallOptions,
  GitHubWorkflowRun,
  ListWorkflowRunsOptions,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { assertRepositoryName } from '../names';

/** The most runs one call lists (GitHub's page size limit). */
const MAX_PER_PAGE = 100;

/** A repository's GitHub Actions workflow runs, newest first (one GET, reads only). */
export class GitHubWorkflowRuns {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async list(
    request: ListWorkflowRunsOptions,
    options?: GitHubCallOptions,
  ): Promise<GitHubWorkflowRun[]> {
    const { owner, name } = request;
    assertRepositoryName(name);
    const action = `listing the workflow runs of ${owner}/${name}`;
    const s = await this.#client.session(request, action, options);
    try {
      const { data } = await s.octokit.rest.actions.listWorkflowRunsForRepo({
        owner: s.repo.owner,
        repo: s.repo.name,
        per_page: Math.min(request.perPage ?? 20, MAX_PER_PAGE),
      });
      return data.workflow_runs.map(run => ({
        id: run.id,
        name: run.name ?? '',
        status: run.status ?? null,
        conclusion: run.conclusion ?? null,
        headSha: run.head_sha,
        headBranch: run.head_branch ?? null,
        event: run.event,
        htmlUrl: run.html_url,
        createdAt: run.created_at,
      }));
    } catch (error) {
      throw this.#client.fail(error, action, s);
    }
  }
}
