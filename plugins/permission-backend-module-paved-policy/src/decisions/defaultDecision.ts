import {
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { ALLOW, adminsOnly } from './results';
import { PolicyUser } from './types';

/**
 * Permissions no area names (the Kubernetes plugin's, the unprocessed
 * entities', ones a new plugin brings): reads are for everyone signed in,
 * since the portal shows them; anything else (kubernetes.proxy, a delete,
 * a manage) is for admins until the policy names it.
 */
export function defaultDecision(
  permission: Permission,
  user: PolicyUser,
): PolicyDecision {
  if (permission.attributes.action === 'read') return ALLOW;
  return adminsOnly(user);
}
