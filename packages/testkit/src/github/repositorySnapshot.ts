/** What the driver reads off a repository's state for the test and the hooks. */
import { GitHubTestRepository } from './driverTypes';
import { RepoState } from './state';

/** The repository as the test inspects it: copies, never the live state. */
export function repositorySnapshot(repo: RepoState): GitHubTestRepository {
  return {
    id: repo.id,
    owner: repo.owner,
    name: repo.name,
    fullName: `${repo.owner}/${repo.name}`,
    private: repo.private,
    visibility: repo.visibility,
    description: repo.description,
    topics: [...repo.topics],
    defaultBranch: repo.defaultBranch,
    archived: repo.archived,
    rulesets: [...repo.rulesets.values()].map(r => structuredClone(r)),
    branchProtection: Object.fromEntries(
      [...repo.branchProtection].map(([k, v]) => [k, structuredClone(v)]),
    ),
    teams: Object.fromEntries(repo.teams),
    collaborators: Object.fromEntries(repo.collaborators),
    environments: Object.fromEntries(
      [...repo.environments].map(([k, v]) => [
        k,
        {
          waitTimer: v.wait_timer,
          preventSelfReview: v.prevent_self_review,
          reviewers: v.reviewers.map(r => ({ ...r })),
          deploymentBranchPolicy: v.deployment_branch_policy,
        },
      ]),
    ),
    secretNames: [...repo.secrets.keys()].sort(),
    variables: Object.fromEntries(
      [...repo.variables].map(([k, v]) => [k, v.value]),
    ),
    pullRequests: repo.pulls.map(p => ({
      number: p.number,
      state: p.state,
      title: p.title,
      body: p.body,
      head: p.head.ref,
      base: p.base.ref,
    })),
    pages: repo.pages
      ? { buildType: repo.pages.buildType, source: { ...repo.pages.source } }
      : null,
  };
}

/** What active rulesets and branch protection forbid on a branch. */
export interface BranchRules {
  pullRequest: boolean;
  nonFastForward: boolean;
  deletion: boolean;
}

/**
 * What an active ruleset or branch protection forbids on a branch, for the
 * pre-receive hook and the contents API.
 */
export function branchRulesOf(repo: RepoState, branch: string): BranchRules {
  const rules = {
    pullRequest: false,
    nonFastForward: false,
    deletion: false,
  };
  for (const ruleset of repo.rulesets.values()) {
    if (ruleset.enforcement !== 'active' || ruleset.target !== 'branch') {
      continue;
    }
    const include: string[] = ruleset.conditions?.ref_name?.include ?? [];
    const exclude: string[] = ruleset.conditions?.ref_name?.exclude ?? [];
    const matches = (pattern: string) =>
      pattern === '~ALL' ||
      (pattern === '~DEFAULT_BRANCH' && branch === repo.defaultBranch) ||
      pattern === `refs/heads/${branch}`;
    if (!include.some(matches) || exclude.some(matches)) continue;
    for (const rule of ruleset.rules ?? []) {
      if (rule.type === 'pull_request') rules.pullRequest = true;
      if (rule.type === 'non_fast_forward') rules.nonFastForward = true;
      if (rule.type === 'deletion') rules.deletion = true;
    }
  }
  const protection = repo.branchProtection.get(branch);
  if (protection) {
    if (protection.required_pull_request_reviews) rules.pullRequest = true;
    if (!protection.allow_force_pushes) rules.nonFastForward = true;
    if (!protection.allow_deletions) rules.deletion = true;
  }
  return rules;
}
