import { isDeepStrictEqual } from 'node:util';
import { InputError } from '@backstage/errors';
import { GitHubEnvironmentSpec } from '../GitHubRepoService';

/** Checks the environments asked for: names, no name twice, wait timers, reviewers. */
export function checkEnvironments(specs: GitHubEnvironmentSpec[]) {
  const seen = new Set<string>();
  specs.forEach((env, i) => {
    const field = `environments[${i}]`;
    if (typeof env.name !== 'string' || !/^[^\s/][^/]{0,254}$/.test(env.name)) {
      throw new InputError(
        `${field}.name: invalid environment name "${env.name}"`,
      );
    }
    if (seen.has(env.name.toLowerCase())) {
      throw new InputError(
        `${field}.name: environment "${env.name}" is listed twice`,
      );
    }
    seen.add(env.name.toLowerCase());
    const wait = env.waitTimer ?? 0;
    if (!Number.isInteger(wait) || wait < 0 || wait > 43200) {
      throw new InputError(
        `${field}.waitTimer: ${wait} is not allowed; expected whole minutes from 0 to 43200 (30 days)`,
      );
    }
    if ((env.reviewers?.length ?? 0) > 6) {
      throw new InputError(
        `${field}.reviewers: at most 6 reviewers, ${
          env.reviewers!.length
        } given`,
      );
    }
  });
}

/** The protection of an environment GitHub holds, in comparable terms. */
function protectionHeld(env: any) {
  const rules: any[] = env.protection_rules ?? [];
  const wait = rules.find(r => r.type === 'wait_timer')?.wait_timer ?? 0;
  const reviewersRule = rules.find(r => r.type === 'required_reviewers');
  const reviewers = (reviewersRule?.reviewers ?? [])
    .map((r: any) =>
      r.type === 'Team'
        ? `team:${r.reviewer?.slug}`
        : `user:${r.reviewer?.login}`,
    )
    .map((x: string) => x.toLowerCase())
    .sort();
  return {
    wait,
    reviewers,
    preventSelfReview:
      reviewers.length > 0
        ? Boolean(reviewersRule?.prevent_self_review)
        : false,
    protectedOnly: Boolean(env.deployment_branch_policy?.protected_branches),
    custom: Boolean(env.deployment_branch_policy?.custom_branch_policies),
    unprotected: rules.length === 0 && !env.deployment_branch_policy,
  };
}

/** The protection a spec asks for, in the same terms. */
function protectionWanted(spec: GitHubEnvironmentSpec) {
  const reviewers = (spec.reviewers ?? [])
    .map(r => ('team' in r ? `team:${r.team}` : `user:${r.user}`).toLowerCase())
    .sort();
  return {
    wait: spec.waitTimer ?? 0,
    reviewers,
    preventSelfReview:
      reviewers.length > 0 ? Boolean(spec.preventSelfReview) : false,
    protectedOnly: Boolean(spec.protectedBranchesOnly),
    custom: false,
  };
}

/** What to write, what is there already, and what holds other rules. */
export interface EnvironmentPlan {
  toWrite: GitHubEnvironmentSpec[];
  unchanged: string[];
  conflicts: string[];
}

/** Decides everything before changing anything: a conflict writes nothing. */
export function planEnvironments(
  specs: GitHubEnvironmentSpec[],
  existing: any[],
): EnvironmentPlan {
  const byName = new Map(existing.map(e => [e.name.toLowerCase(), e]));
  const plan: EnvironmentPlan = { toWrite: [], unchanged: [], conflicts: [] };
  for (const spec of specs) {
    const env = byName.get(spec.name.toLowerCase());
    if (!env) {
      plan.toWrite.push(spec);
      continue;
    }
    const { unprotected, ...held } = protectionHeld(env);
    if (isDeepStrictEqual(held, protectionWanted(spec))) {
      plan.unchanged.push(spec.name);
    } else if (unprotected) {
      // GitHub creates environments without rules when a workflow first names them.
      plan.toWrite.push(spec);
    } else {
      plan.conflicts.push(spec.name);
    }
  }
  return plan;
}
