import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { isPermission } from '@backstage/plugin-permission-common';
import { ALLOW, adminsOnly } from './results';
import { AreaDecision } from './types';

/** What every signed-in user may do in the catalogue: read it and register things. */
const everyone = new Set(
  [
    catalogEntityReadPermission,
    catalogLocationReadPermission,
    catalogEntityCreatePermission,
    catalogLocationCreatePermission,
    catalogLocationAnalyzePermission,
    catalogEntityValidatePermission,
  ].map(p => p.name),
);

/**
 * The catalogue: everyone reads and registers (catalog:register runs as
 * the user); deleting and refreshing an entity is for its owners (the
 * user or one of the user's groups, with their ancestors) and the admins;
 * deleting a location, which names no entity to check, is for admins.
 */
export const catalogDecision: AreaDecision = (permission, user) => {
  if (everyone.has(permission.name)) return ALLOW;
  if (
    isPermission(permission, catalogEntityDeletePermission) ||
    isPermission(permission, catalogEntityRefreshPermission)
  ) {
    if (user.isAdmin) return ALLOW;
    return createCatalogConditionalDecision(
      permission,
      catalogConditions.isEntityOwner({
        claims: [user.userEntityRef, ...user.groupRefs],
      }),
    );
  }
  if (isPermission(permission, catalogLocationDeletePermission)) {
    return adminsOnly(user);
  }
  return undefined;
};
