import { PAVED_OWNED_TARGET_RESOURCE_TYPE } from '@paved/plugin-ownership-common';
import {
  createConditionFactory,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { groupRefOf } from './groupRefOf';

/**
 * The resource the ownership permissions are decided on: the owner Paved
 * recorded for a target.
 *
 * @public
 */
export type OwnedTarget = { ownerRef: string };

/**
 * The resource ref of `paved-owned-target`. Its conditions are applied
 * where the target is (the driver that read the recorded owner), not by a
 * plugin endpoint, so there is no query type.
 *
 * @public
 */
export const ownedTargetResourceRef = createPermissionResourceRef<
  OwnedTarget,
  never
>().with({
  pluginId: 'paved',
  resourceType: PAVED_OWNED_TARGET_RESOURCE_TYPE,
});

/**
 * `IS_OWNED_BY`: the target's recorded owner is one of the given groups
 * (the caller's groups, with their ancestors, as the policy computes them).
 *
 * @public
 */
export const isOwnedByRule = createPermissionRule({
  name: 'IS_OWNED_BY',
  description:
    'Allows changing targets whose recorded owner is one of these groups',
  resourceRef: ownedTargetResourceRef,
  paramsSchema: z.object({
    groupRefs: z.array(z.string()).describe('Group entity refs'),
  }),
  apply: (target, { groupRefs }) =>
    groupRefs.map(groupRefOf).includes(groupRefOf(target.ownerRef)),
  toQuery: () => {
    throw new Error(
      'IS_OWNED_BY is applied to a loaded target, never as a query',
    );
  },
});

/**
 * Builds the condition the policy answers with.
 *
 * @public
 */
export const isOwnedBy = createConditionFactory(isOwnedByRule);
