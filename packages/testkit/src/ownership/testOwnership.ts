import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  DefaultOwnershipService,
  isOwnedBy,
} from '@paved/plugin-ownership-node';
import { testOrganisation } from './organisation';

/**
 * A real {@link DefaultOwnershipService} over an in-memory catalogue of the
 * test organisation, whose permission decisions are the ones Paved's
 * policy makes for `paved-owned-target` permissions: admins ALLOW, users
 * the IS_OWNED_BY condition over their groups, anyone else DENY. The policy
 * module's own tests prove the policy makes exactly these decisions.
 */
export function testOwnership(
  options: {
    entities?: Entity[];
    adminGroups?: string[];
    allowSelfApproval?: boolean;
  } = {},
): DefaultOwnershipService {
  const ownership: DefaultOwnershipService = DefaultOwnershipService.create({
    catalog: catalogServiceMock({
      entities: options.entities ?? testOrganisation(),
    }),
    auth: mockServices.auth(),
    adminGroups: options.adminGroups,
    allowSelfApproval: options.allowSelfApproval,
    permissions: mockServices.permissions.mock({
      authorizeConditional: async (requests, requestOptions) => {
        const caller = await ownership.caller(requestOptions!.credentials);
        let decision: PolicyDecision = { result: AuthorizeResult.DENY };
        if (caller.isAdmin) decision = { result: AuthorizeResult.ALLOW };
        else if (caller.type === 'user') {
          decision = {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'paved',
            resourceType: 'paved-owned-target',
            conditions: isOwnedBy({ groupRefs: caller.groupRefs }),
          };
        }
        return requests.map(() => decision) as any;
      },
    }),
  });
  return ownership;
}
