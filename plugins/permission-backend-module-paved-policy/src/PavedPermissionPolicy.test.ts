import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { scaffolderPermissions } from '@backstage/plugin-scaffolder-common/alpha';
import { forgeRepositoryDeletePermission } from '@paved/plugin-forge-node';
import { pavedOwnershipPermissions } from '@paved/plugin-ownership-common';
import { isOwnedByRule } from '@paved/plugin-ownership-node';
import {
  TEST_GROUPS,
  TEST_USERS,
  testOrganisation,
  testOwnership,
} from '@paved/testkit';
import { z } from 'zod';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';
import { Teammates } from './Teammates';

// The scaffolder exports IS_TASK_OWNER only as a condition factory; this is
// its rule as the scaffolder applies it (createdBy includes the task's
// createdBy). The HTTP test (module.test.ts) runs the scaffolder's own.
const isTaskOwnerRule = createPermissionRule({
  name: 'IS_TASK_OWNER',
  description: 'the task was created by one of createdBy',
  resourceRef: {
    $$type: '@backstage/PermissionResourceRef',
    pluginId: 'scaffolder',
    resourceType: 'scaffolder-task',
  } as any,
  paramsSchema: z.object({ createdBy: z.array(z.string()) }),
  apply: (task: { createdBy: string }, { createdBy }) =>
    createdBy.includes(task.createdBy),
  toQuery: () => ({}),
});

const authorizers: Record<string, (d: any, r: any) => boolean> = {
  'paved-owned-target': createConditionAuthorizer([isOwnedByRule]),
  'catalog-entity': createConditionAuthorizer(
    Object.values(permissionRules) as any,
  ),
  'scaffolder-task': createConditionAuthorizer([isTaskOwnerRule as any]),
};

/** What team A owns, per resource type. */
const ownedByTeamA: Record<string, unknown> = {
  'paved-owned-target': { ownerRef: TEST_GROUPS.teamA },
  'catalog-entity': {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'cart', namespace: 'default' },
    spec: { owner: 'storefront' },
    relations: [{ type: 'ownedBy', targetRef: TEST_GROUPS.teamA }],
  } as Entity,
  'scaffolder-task': { createdBy: TEST_USERS.teamA },
};

function setup() {
  const ownership = testOwnership();
  const teammates = Teammates.create({
    catalog: catalogServiceMock({ entities: testOrganisation() }),
    auth: mockServices.auth(),
    ownership,
  });
  return PavedPermissionPolicy.create({ ownership, teammates });
}

const policy = setup();

function asUser(credentials: BackstageCredentials) {
  return { credentials, info: { userEntityRef: '', ownershipEntityRefs: [] } };
}

/**
 * The policy's answer for a permission, and for a conditional answer
 * whether it holds on what team A owns (a target, an entity, a task team
 * A's lena-fischer started).
 */
async function outcome(
  permission: Permission,
  credentials?: BackstageCredentials,
): Promise<string> {
  const decision: PolicyDecision = await policy.handle(
    { permission },
    credentials && asUser(credentials),
  );
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW ? 'ALLOW' : 'DENY';
  }
  const type = decision.resourceType;
  const holds = authorizers[type](decision, ownedByTeamA[type]);
  return `IF_OWNER:${holds ? 'yes' : 'no'}`;
}

const user = (ref: string) => mockCredentials.user(ref);
const people = {
  teamA: user(TEST_USERS.teamA),
  teamAMate: user(TEST_USERS.teamAMate),
  teamB: user(TEST_USERS.teamB),
  admin: user(TEST_USERS.admin),
};

type Row = [
  name: string,
  teamA: string,
  teamAMate: string,
  teamB: string,
  admin: string,
];

const A = 'ALLOW';
const D = 'DENY';
const YES = 'IF_OWNER:yes';
const NO = 'IF_OWNER:no';

/** Every permission the policy names, for team A, A's teammate, team B and an admin. */
const matrix: Row[] = [
  ['catalog.entity.read', A, A, A, A],
  ['catalog.location.read', A, A, A, A],
  ['catalog.entity.create', A, A, A, A],
  ['catalog.location.create', A, A, A, A],
  ['catalog.location.analyze', A, A, A, A],
  ['catalog.entity.validate', A, A, A, A],
  ['catalog.entity.delete', YES, YES, NO, A],
  ['catalog.entity.refresh', YES, YES, NO, A],
  ['catalog.location.delete', D, D, D, A],
  ['catalog.ingestion.read', A, A, A, A],
  ['catalog.ingestion.manage', D, D, D, A],
  ['scaffolder.template.parameter.read', A, A, A, A],
  ['scaffolder.template.step.read', A, A, A, A],
  ['scaffolder.task.create', A, A, A, A],
  ['scaffolder.action.execute', A, A, A, A],
  ['scaffolder.task.read', YES, YES, NO, A],
  ['scaffolder.task.cancel', YES, YES, NO, A],
  ['scaffolder.template.dry-run', D, D, D, A],
  ['scaffolder.template.management', D, D, D, A],
  ['paved.target.change', YES, YES, NO, A],
  ['paved.target.delete', YES, YES, NO, A],
  ['paved.approval.decide', YES, YES, NO, A],
  ['paved.audit.read', D, D, D, A],
  ['forge.repository.delete', A, A, A, A],
];

const permissions = new Map<string, Permission>(
  [
    ...catalogPermissions,
    ...scaffolderPermissions,
    ...pavedOwnershipPermissions,
    forgeRepositoryDeletePermission,
  ].map(p => [p.name, p]),
);

describe('PavedPermissionPolicy', () => {
  it('names every permission of the catalogue, the scaffolder and Paved in the matrix', () => {
    expect(matrix.map(([name]) => name).sort()).toEqual(
      [...permissions.keys()].sort(),
    );
  });

  it.each(matrix)(
    '%s: team A %s, A’s teammate %s, team B %s, admin %s',
    async (name, teamA, teamAMate, teamB, admin) => {
      const permission = permissions.get(name)!;
      await expect(outcome(permission, people.teamA)).resolves.toBe(teamA);
      await expect(outcome(permission, people.teamAMate)).resolves.toBe(
        teamAMate,
      );
      await expect(outcome(permission, people.teamB)).resolves.toBe(teamB);
      await expect(outcome(permission, people.admin)).resolves.toBe(admin);
    },
  );

  it('denies every permission to a service principal and to a request with no user', async () => {
    for (const permission of permissions.values()) {
      await expect(
        outcome(permission, mockCredentials.service('plugin:catalog')),
      ).resolves.toBe(D);
      await expect(outcome(permission)).resolves.toBe(D);
    }
  });

  it('lets a member of a child group change what the parent group owns', async () => {
    const decision = await policy.handle(
      { permission: permissions.get('paved.target.change')! },
      asUser(people.teamB),
    );
    expect(
      authorizers['paved-owned-target'](decision, {
        ownerRef: TEST_GROUPS.parent,
      }),
    ).toBe(true);
    expect(
      authorizers['paved-owned-target'](decision, {
        ownerRef: TEST_GROUPS.admin,
      }),
    ).toBe(false);
  });

  it('lets a user delete an entity the user owns personally', async () => {
    const decision = await policy.handle(
      { permission: permissions.get('catalog.entity.delete')! },
      asUser(people.teamB),
    );
    const own = {
      ...(ownedByTeamA['catalog-entity'] as Entity),
      relations: [{ type: 'ownedBy', targetRef: TEST_USERS.teamB }],
    };
    expect(authorizers['catalog-entity'](decision, own)).toBe(true);
  });

  it('gives team B read of tasks started by team B only, not by A or the admin', async () => {
    const decision = await policy.handle(
      { permission: permissions.get('scaffolder.task.read')! },
      asUser(people.teamB),
    );
    const read = (createdBy: string) =>
      authorizers['scaffolder-task'](decision, { createdBy });
    expect(read(TEST_USERS.teamB)).toBe(true);
    expect(read(TEST_USERS.teamA)).toBe(false);
    expect(read(TEST_USERS.admin)).toBe(false);
  });

  it('allows reads of permissions it does not name and keeps the rest for admins', async () => {
    const podsRead = createPermission({
      name: 'kubernetes.resources.read',
      attributes: { action: 'read' },
    });
    const proxy = createPermission({
      name: 'kubernetes.proxy',
      attributes: {},
    });
    await expect(outcome(podsRead, people.teamB)).resolves.toBe(A);
    await expect(outcome(proxy, people.teamB)).resolves.toBe(D);
    await expect(outcome(proxy, people.admin)).resolves.toBe(A);
  });

  it('treats a signed-in user the catalogue does not know as a user without groups', async () => {
    const stranger = user('user:default/nobody');
    await expect(
      outcome(permissions.get('catalog.entity.read')!, stranger),
    ).resolves.toBe(A);
    await expect(
      outcome(permissions.get('paved.target.change')!, stranger),
    ).resolves.toBe(NO);
    await expect(
      outcome(permissions.get('scaffolder.template.dry-run')!, stranger),
    ).resolves.toBe(D);
  });
});
