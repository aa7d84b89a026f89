import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';

export const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
export const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** ALLOW for admins, DENY for everyone else. */
export function adminsOnly(user: { isAdmin: boolean }): PolicyDecision {
  return user.isAdmin ? ALLOW : DENY;
}
