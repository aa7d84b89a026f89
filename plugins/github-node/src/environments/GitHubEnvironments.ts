import { ConflictError } from '@backstage/errors';
import {
  EnsureEnvironmentsOptions,
  EnsureEnvironmentsResult,
  GitHubCallOptions,
  GitHubEnvironmentSpec,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubDirectory } from '../client/GitHubDirectory';
import { GitHubSession } from '../client/GitHubSession';
import { assertRepositoryName } from '../names';
import { checkEnvironments, planEnvironments } from './environmentPlan';

type Reviewer = { type: 'User' | 'Team'; id: number };

/**
 * Deployment environments with their protection (wait timer, reviewers,
 * protected branches only): created where missing, compared where present.
 */
export class GitHubEnvironments {
  readonly #client: GitHubClient;
  readonly #directory: GitHubDirectory;

  constructor(options: { client: GitHubClient; directory: GitHubDirectory }) {
    this.#client = options.client;
    this.#directory = options.directory;
  }

  async ensure(
    request: EnsureEnvironmentsOptions,
    options?: GitHubCallOptions,
  ): Promise<EnsureEnvironmentsResult> {
    const { owner, name } = request;
    assertRepositoryName(name);
    checkEnvironments(request.environments);
    const full = `${owner}/${name}`;
    const action = `creating the environments of ${full}`;
    const s = await this.#client.session(request, action, options);
    const existing = await this.#existing(s, action);
    const { toWrite, unchanged, conflicts } = planEnvironments(
      request.environments,
      existing,
    );
    if (conflicts.length > 0) {
      throw new ConflictError(
        `${full} already has environment${
          conflicts.length > 1 ? 's' : ''
        } ${conflicts.join(
          ', ',
        )} with other protection rules; Paved will not change them`,
      );
    }
    // Reviewer ids first: an unknown reviewer fails before anything is written.
    const reviewersOf = new Map<string, Reviewer[]>();
    for (const spec of toWrite) {
      reviewersOf.set(spec.name, await this.#reviewers(s, spec));
    }
    const created: string[] = [];
    for (const spec of toWrite) {
      await this.#write(s, spec, reviewersOf.get(spec.name)!);
      created.push(spec.name);
    }
    return { created, unchanged };
  }

  /** The repository's environments; none read on a fresh repository. */
  async #existing(s: GitHubSession, action: string): Promise<any[]> {
    // As for team roles: nothing but Paved has touched a fresh repository.
    if (this.#client.isFresh(s)) return [];
    try {
      return await this.#client.onRepo(
        s,
        async () =>
          (
            await s.octokit.rest.repos.getAllEnvironments({
              owner: s.repo.owner,
              repo: s.repo.name,
              per_page: 100,
            })
          ).data.environments ?? [],
      );
    } catch (error) {
      throw this.#client.fail(error, action, s);
    }
  }

  async #reviewers(
    s: GitHubSession,
    spec: GitHubEnvironmentSpec,
  ): Promise<Reviewer[]> {
    const reviewers: Reviewer[] = [];
    for (const r of spec.reviewers ?? []) {
      reviewers.push(
        'team' in r
          ? {
              type: 'Team',
              id: await this.#directory.teamId(s, s.repo.owner, r.team),
            }
          : { type: 'User', id: await this.#directory.userId(s, r.user) },
      );
    }
    return reviewers;
  }

  async #write(
    s: GitHubSession,
    spec: GitHubEnvironmentSpec,
    reviewers: Reviewer[],
  ) {
    try {
      await this.#client.onRepo(s, () =>
        s.octokit.rest.repos.createOrUpdateEnvironment({
          owner: s.repo.owner,
          repo: s.repo.name,
          environment_name: spec.name,
          wait_timer: spec.waitTimer ?? 0,
          prevent_self_review: Boolean(spec.preventSelfReview),
          reviewers: reviewers.length > 0 ? reviewers : null,
          deployment_branch_policy: spec.protectedBranchesOnly
            ? { protected_branches: true, custom_branch_policies: false }
            : null,
        }),
      );
    } catch (error) {
      throw this.#client.fail(
        error,
        `creating environment ${spec.name} of ${s.full}`,
        s,
      );
    }
    s.logger.info(`Created environment ${spec.name} of ${s.full}`);
  }
}
