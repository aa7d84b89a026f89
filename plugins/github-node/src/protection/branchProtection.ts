import { isDeepStrictEqual } from 'node:util';
import { ProtectionPolicy } from './protectionPolicy';

/** The classic branch protection of a policy, where rulesets are unavailable. */
export function branchProtectionFor(policy: ProtectionPolicy) {
  const { checks } = policy;
  return {
    required_status_checks:
      checks.length > 0 ? { strict: true, contexts: checks } : null,
    enforce_admins: true,
    required_pull_request_reviews: {
      required_approving_review_count: policy.reviews,
      require_code_owner_reviews: policy.codeOwners,
      dismiss_stale_reviews: policy.dismissStale,
    },
    restrictions: null,
    allow_force_pushes: false,
    allow_deletions: false,
  };
}

/** Whether the branch protection GitHub holds says what the policy says. */
export function sameBranchProtection(
  current: any,
  policy: ProtectionPolicy,
): boolean {
  const reviews = current.required_pull_request_reviews;
  return (
    isDeepStrictEqual(
      [...(current.required_status_checks?.contexts ?? [])].sort(),
      [...policy.checks].sort(),
    ) &&
    Boolean(current.required_status_checks?.strict ?? true) === true &&
    current.enforce_admins?.enabled === true &&
    reviews?.required_approving_review_count === policy.reviews &&
    Boolean(reviews?.require_code_owner_reviews) === policy.codeOwners &&
    Boolean(reviews?.dismiss_stale_reviews) === policy.dismissStale &&
    current.allow_force_pushes?.enabled === false &&
    current.allow_deletions?.enabled === false
  );
}
