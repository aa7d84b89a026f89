import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  GitHubCallOptions,
  ProtectDefaultBranchOptions,
  ProtectDefaultBranchResult,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { byMessage, hasStatus, requestFailureOf } from '../errors';
import { branchProtectionFor, sameBranchProtection } from './branchProtection';
import { ProtectionPolicy, protectionPolicyOf } from './protectionPolicy';
import { Ruleset, rulesetFor, sameRuleset } from './rulesets';

const rulesetNameTaken = byMessage(/Name must be unique/i);
const planLacksIt = byMessage(/upgrade to github/i);
const rulesetsUnavailable = (error: unknown) =>
  hasStatus(error, 404) || (hasStatus(error, 403) && planLacksIt(error));
const notProtected = byMessage(/Branch not protected/);

type Outcome = { action: 'created' | 'unchanged'; id: number };

/**
 * The default branch, protected by a repository ruleset, or by classic
 * branch protection where the repository's plan has no rulesets. What is
 * there already is compared, never changed.
 */
export class GitHubBranchProtection {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async protect(
    request: ProtectDefaultBranchOptions,
    options?: GitHubCallOptions,
  ): Promise<ProtectDefaultBranchResult> {
    const policy = protectionPolicyOf(request);
    const action = `protecting the default branch of ${request.owner}/${request.name}`;
    const s = await this.#client.session(request, action, options);
    const result = (
      method: ProtectDefaultBranchResult['method'],
      outcome: Outcome,
      branch: string,
    ) => ({
      method,
      action: outcome.action,
      rulesetId: outcome.id,
      branch,
      requiredStatusChecks: policy.checks,
    });
    const ruleset = await this.#withRuleset(s, policy, action);
    if (ruleset) {
      return result('ruleset', ruleset, policy.branch ?? '~DEFAULT_BRANCH');
    }
    const branch = policy.branch ?? (await this.#defaultBranch(s));
    const outcome = await this.#withBranchProtection(s, policy, branch, action);
    return result('branch-protection', outcome, branch);
  }

  /** Creates or finds the ruleset; undefined where rulesets are unavailable. */
  async #withRuleset(
    s: GitHubSession,
    policy: ProtectionPolicy,
    action: string,
  ): Promise<Outcome | undefined> {
    const ruleset = rulesetFor(policy);
    try {
      const created = await this.#client.onRepo(
        s,
        () =>
          s.octokit.rest.repos.createRepoRuleset({
            owner: s.repo.owner,
            repo: s.repo.name,
            ...ruleset,
          } as any),
        e => rulesetNameTaken(e),
      );
      s.logger.info(`Protected ${s.full} with ruleset ${created.data.id}`);
      return { action: 'created', id: created.data.id };
    } catch (error) {
      if (hasStatus(error, 422) && rulesetNameTaken(error)) {
        const id = await this.#compareRuleset(s, ruleset, action);
        return { action: 'unchanged', id };
      }
      this.#client.throwIfScopeMissing(error, action, s);
      if (!rulesetsUnavailable(error)) {
        throw this.#client.fail(error, action, s);
      }
      s.logger.info(
        `Rulesets are unavailable for ${s.full} (${
          requestFailureOf(error)?.message
        }); using branch protection`,
      );
      return undefined;
    }
  }

  /** The id of the repository's ruleset named as `wanted`, when it holds the same rules. */
  async #compareRuleset(
    s: GitHubSession,
    wanted: Ruleset,
    action: string,
  ): Promise<number> {
    const { owner, name } = s.repo;
    try {
      const list = await s.octokit.paginate(
        s.octokit.rest.repos.getRepoRulesets,
        { owner, repo: name, per_page: 100 },
      );
      const summary = list.find(r => r.name === wanted.name);
      if (!summary) {
        throw new ConflictError(
          `${s.full}: a ruleset named ${wanted.name} exists outside the repository (an organisation ruleset); Paved will not change it`,
        );
      }
      const existing = (
        await s.octokit.rest.repos.getRepoRuleset({
          owner,
          repo: name,
          ruleset_id: summary.id,
        })
      ).data as any;
      if (!sameRuleset(existing, wanted)) {
        throw new ConflictError(
          `${s.full} already has a ruleset named ${wanted.name} with other rules (ruleset ${existing.id}); Paved will not change it`,
        );
      }
      return existing.id;
    } catch (error) {
      if ((error as Error).name === 'ConflictError') throw error;
      throw this.#client.fail(error, action, s);
    }
  }

  async #defaultBranch(s: GitHubSession): Promise<string> {
    try {
      return (
        await this.#client.onRepo(s, () =>
          s.octokit.rest.repos.get({ owner: s.repo.owner, repo: s.repo.name }),
        )
      ).data.default_branch;
    } catch (error) {
      throw this.#client.fail(
        error,
        `reading the default branch of ${s.full}`,
        s,
      );
    }
  }

  /** Branch protection, where rulesets are unavailable. */
  async #withBranchProtection(
    s: GitHubSession,
    policy: ProtectionPolicy,
    branch: string,
    action: string,
  ): Promise<Outcome> {
    const current = await this.#currentBranchProtection(s, branch, action);
    if (current) {
      if (!sameBranchProtection(current, policy)) {
        throw new ConflictError(
          `${s.full} branch ${branch} already has other branch protection; Paved will not change it`,
        );
      }
      return { action: 'unchanged', id: 0 };
    }
    try {
      await this.#client.onRepo(s, () =>
        s.octokit.rest.repos.updateBranchProtection({
          owner: s.repo.owner,
          repo: s.repo.name,
          branch,
          ...branchProtectionFor(policy),
        }),
      );
    } catch (error) {
      throw this.#client.fail(error, action, s);
    }
    s.logger.info(`Protected ${s.full} ${branch} with branch protection`);
    return { action: 'created', id: 0 };
  }

  /** The branch's protection; undefined when it has none. */
  async #currentBranchProtection(
    s: GitHubSession,
    branch: string,
    action: string,
  ): Promise<any> {
    try {
      return (
        await this.#client.onRepo(
          s,
          () =>
            s.octokit.rest.repos.getBranchProtection({
              owner: s.repo.owner,
              repo: s.repo.name,
              branch,
            }),
          e => notProtected(e),
        )
      ).data;
    } catch (error) {
      if (hasStatus(error, 403) && planLacksIt(error)) {
        throw new NotAllowedError(
          `${action} failed: neither rulesets nor branch protection are available for ${
            s.full
          } on its GitHub plan (${requestFailureOf(error)?.message})`,
        );
      }
      if (byMessage(/Branch not found/)(error)) {
        throw new ConflictError(
          `${action} failed: ${s.full} has no branch ${branch} yet; push the first commit before protecting it`,
        );
      }
      if (!(hasStatus(error, 404) && notProtected(error))) {
        throw this.#client.fail(error, action, s);
      }
      return undefined;
    }
  }
}
