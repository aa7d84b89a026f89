import { InputError } from '@backstage/errors';
import { ProtectDefaultBranchOptions } from '../GitHubRepoService';
import { assertBranchName, assertRepositoryName } from '../names';

/** What a protected default branch requires, with the defaults filled in. */
export interface ProtectionPolicy {
  /** The branch asked for; undefined for the repository's default branch. */
  branch?: string;
  checks: string[];
  reviews: number;
  codeOwners: boolean;
  dismissStale: boolean;
  rulesetName: string;
}

/** Checks a request to protect a branch and fills in the defaults. */
export function protectionPolicyOf(
  request: ProtectDefaultBranchOptions,
): ProtectionPolicy {
  assertRepositoryName(request.name);
  if (request.branch !== undefined) assertBranchName(request.branch);
  const reviews = request.requiredApprovingReviewCount ?? 1;
  if (!Number.isInteger(reviews) || reviews < 0 || reviews > 10) {
    throw new InputError(
      `requiredApprovingReviewCount: ${reviews} is not allowed; expected an integer from 0 to 10`,
    );
  }
  return {
    branch: request.branch,
    checks: [...new Set(request.requiredStatusChecks ?? [])],
    reviews,
    codeOwners: request.requireCodeOwnerReview ?? true,
    dismissStale: request.dismissStaleReviews ?? true,
    rulesetName: request.rulesetName ?? 'paved-default-branch',
  };
}
