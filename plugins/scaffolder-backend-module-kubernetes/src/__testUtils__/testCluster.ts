import {
  ServiceFactoryTester,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  KubernetesProvisioner,
  kubernetesProvisionerServiceFactory,
} from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  TEST_USERS,
  testOrganisation,
  testOwnership,
} from '@paved/testkit';
import { KubernetesActionOptions } from '../actions/guardedChange';

/** A catalogue Group entity, for owners the tests name besides the test organisation's. */
function groupEntity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  };
}

/**
 * What the actions are built with in tests: the provisioner, the test
 * organisation's ownership service (with `team-payments`, `team-shop` and
 * the other groups the older tests name as owners, as groups nobody belongs to, so
 * only the admin may change their things) and a mock auditor.
 */
export function actionOptions(
  provisioner: KubernetesProvisioner,
  auditor = mockServices.auditor.mock(),
): KubernetesActionOptions & { auditor: typeof auditor } {
  const ownership = testOwnership({
    entities: [
      ...testOrganisation(),
      ...[
        'team-payments',
        'team-shop',
        'team-checkout',
        'team-intruder',
        'team-new',
      ].map(groupEntity),
    ],
  });
  return { provisioner, ownership, auditor };
}

/** The real provisioner, built by its default factory from the test server's app-config. */
export function provisionerFor(
  server: KubernetesTestServer,
  options: Parameters<KubernetesTestServer['appConfig']>[0],
): Promise<KubernetesProvisioner> {
  return ServiceFactoryTester.from(kubernetesProvisionerServiceFactory, {
    dependencies: [
      mockServices.rootConfig.factory({ data: server.appConfig(options) }),
    ],
  }).getSubject();
}

/**
 * Starts an action's handler with a mock context and logger, as the admin
 * (TEST_USERS.admin) unless `extra` names a `user`; `extra` replaces fields
 * of the context (checkpoint, isDryRun). `done` settles when the handler
 * does.
 */
export function runAction(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  workspacePath?: string,
) {
  const logger = mockServices.logger.mock();
  const { user = TEST_USERS.admin, ...rest } = extra as { user?: string };
  const ctx = {
    ...createMockActionContext({ input: input as any, logger, workspacePath }),
    user: { ref: user },
    getInitiatorCredentials: async () => mockCredentials.user(user),
    ...rest,
  };
  return { ctx, logger, done: action.handler(ctx as any) };
}

/**
 * createMockActionContext, started by `user` (the admin by default): its
 * ctx.user and initiator credentials. Typed loosely, as the handlers of
 * differently typed actions take it.
 */
export function mockActionContext(
  options: Parameters<typeof createMockActionContext>[0] = {},
  user: string = TEST_USERS.admin,
): ReturnType<typeof createMockActionContext<any, any>> {
  return {
    ...createMockActionContext<any, any>(options as any),
    user: { ref: user },
    getInitiatorCredentials: async () => mockCredentials.user(user),
  };
}
