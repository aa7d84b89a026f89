import {
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionExports } from '@backstage/plugin-permission-node';
import { forgeRepositoryDeletePermission } from '@paved/plugin-forge-node';
import {
  PAVED_OWNED_TARGET_RESOURCE_TYPE,
  pavedAuditReadPermission,
} from '@paved/plugin-ownership-common';
import {
  isOwnedByRule,
  ownedTargetResourceRef,
} from '@paved/plugin-ownership-node';
import { ALLOW, adminsOnly } from './results';
import { AreaDecision } from './types';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: ownedTargetResourceRef,
  rules: { isOwnedBy: isOwnedByRule },
});

/**
 * Paved's own permissions. What a group owns (`paved-owned-target`:
 * change, delete, approve) is for its members, with their parent groups,
 * and the admins: the condition IS_OWNED_BY, which the driver applies to
 * the owner it recorded. The audit trail is for admins. The forge's delete
 * is allowed here because the forge then checks the repository's recorded
 * owner through paved.target.delete.
 */
export const pavedDecision: AreaDecision = (
  permission,
  user,
): PolicyDecision | undefined => {
  if (isResourcePermission(permission, PAVED_OWNED_TARGET_RESOURCE_TYPE)) {
    if (user.isAdmin) return ALLOW;
    return createConditionalDecision(
      permission,
      conditions.isOwnedBy({ groupRefs: user.groupRefs }),
    );
  }
  if (permission.name === pavedAuditReadPermission.name) {
    return adminsOnly(user);
  }
  if (permission.name === forgeRepositoryDeletePermission.name) return ALLOW;
  return undefined;
};
