import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { DefaultOwnershipService } from './DefaultOwnershipService';
import { isOwnedBy } from './isOwnedByRule';

function group(
  name: string,
  parent?: string,
  children: string[] = [],
  members: string[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children },
    relations: [
      ...(parent
        ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
        : []),
      ...children.map(c => ({
        type: 'parentOf',
        targetRef: `group:default/${c}`,
      })),
      ...members.map(m => ({
        type: 'hasMember',
        targetRef: `user:default/${m}`,
      })),
    ],
  };
}

function user(name: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
    relations: memberOf.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
  };
}

const entities = [
  group('engineering', undefined, ['platform', 'storefront']),
  group('platform', 'engineering', [], ['ana']),
  group('storefront', 'engineering', [], ['lena']),
  group('fulfilment', undefined, [], ['jonas']),
  user('ana', ['platform']),
  user('lena', ['storefront']),
  user('jonas', ['fulfilment']),
];

/**
 * A permissions service answering as Paved's policy does: admins ALLOW,
 * users the IS_OWNED_BY condition over their groups, services DENY. The
 * policy module's own tests decide with the real policy.
 */
function policyLike(ownership: () => DefaultOwnershipService) {
  return mockServices.permissions.mock({
    authorizeConditional: async (requests, options) => {
      const caller = await ownership().caller(options!.credentials);
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
  });
}

function service(
  options: { adminGroups?: string[]; allowSelfApproval?: boolean } = {},
) {
  const ownership: DefaultOwnershipService = DefaultOwnershipService.create({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    permissions: policyLike(() => ownership),
    ...options,
  });
  return ownership;
}

const as = (name: string) => mockCredentials.user(`user:default/${name}`);

describe('DefaultOwnershipService', () => {
  it('counts a user a member of their groups and of their ancestors', async () => {
    const caller = await service().caller(as('lena'));
    expect(caller).toEqual({
      type: 'user',
      userEntityRef: 'user:default/lena',
      groupRefs: ['group:default/engineering', 'group:default/storefront'],
      isAdmin: false,
    });
  });

  it('lets members and admins change, and refuses others naming the owner', async () => {
    const ownership = service();
    const change = {
      ownerRef: 'storefront',
      target: 'namespace storefront-cart-dev',
      action: 'delete',
    };
    await expect(
      ownership.mayChange({ ...change, credentials: as('lena') }),
    ).resolves.toBe(true);
    await expect(
      ownership.mayChange({ ...change, credentials: as('ana') }),
    ).resolves.toBe(true);
    await expect(
      ownership.assertMayChange({ ...change, credentials: as('jonas') }),
    ).rejects.toThrow(
      'user:default/jonas may not delete namespace storefront-cart-dev: it is owned by group:default/storefront, and the policy refused paved.target.change',
    );
    await expect(
      ownership.assertMayChange({
        ...change,
        destructive: true,
        credentials: as('jonas'),
      }),
    ).rejects.toThrow('the policy refused paved.target.delete');
    await expect(
      ownership.mayChange({
        ...change,
        credentials: mockCredentials.service('plugin:ci'),
      }),
    ).resolves.toBe(false);
  });

  it('takes the admin groups from its options, not a fixed name', async () => {
    expect(
      (await service({ adminGroups: ['', ' '] }).caller(as('ana'))).isAdmin,
    ).toBe(false);
    const ownership = service({ adminGroups: ['group:default/fulfilment'] });
    expect((await ownership.caller(as('ana'))).isAdmin).toBe(false);
    expect((await ownership.caller(as('jonas'))).isAdmin).toBe(true);
  });

  it('refuses an owner field that is a user or no group, naming the field', async () => {
    const ownership = service();
    await expect(
      ownership.resolveOwnerGroup('storefront', 'owner'),
    ).resolves.toBe('group:default/storefront');
    await expect(
      ownership.resolveOwnerGroup('user:default/lena', 'owner'),
    ).rejects.toThrow(
      'owner must be a group that owns things, got user:default/lena',
    );
    await expect(
      ownership.resolveOwnerGroup('nobody', 'owner'),
    ).rejects.toThrow(
      'owner must be a group of the catalogue, got group:default/nobody',
    );
  });

  it('lists the members of a group with those of its child groups', async () => {
    await expect(service().membersOf('engineering')).resolves.toEqual([
      'user:default/ana',
      'user:default/lena',
    ]);
  });

  it('reads self-approval from its options, refusing by default', () => {
    expect(service().allowsSelfApproval()).toBe(false);
    expect(service({ allowSelfApproval: true }).allowsSelfApproval()).toBe(
      true,
    );
  });

  it('refuses service callers even where the permissions service allows them, unless permissions are off', async () => {
    const options = {
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
    };
    const change = {
      ownerRef: 'storefront',
      target: 'namespace storefront-cart-dev',
      action: 'delete',
      credentials: mockCredentials.service('external:ci'),
    };
    await expect(
      DefaultOwnershipService.create(options).assertMayChange(change),
    ).rejects.toThrow(
      'service external:ci may not delete namespace storefront-cart-dev: it is owned by group:default/storefront, and a service belongs to no group',
    );
    await expect(
      DefaultOwnershipService.create({
        ...options,
        servicesMayChange: true,
      }).mayChange(change),
    ).resolves.toBe(true);
  });
});
