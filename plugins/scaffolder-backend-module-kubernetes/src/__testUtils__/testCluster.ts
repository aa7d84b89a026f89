import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  KubernetesProvisioner,
  kubernetesProvisionerServiceFactory,
} from '@paved/plugin-kubernetes-node';
import { KubernetesTestServer } from '@paved/testkit';

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
 * Starts an action's handler with a mock context and logger; `extra`
 * replaces fields of the context (checkpoint, isDryRun). `done` settles
 * when the handler does.
 */
export function runAction(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  workspacePath?: string,
) {
  const logger = mockServices.logger.mock();
  const ctx = {
    ...createMockActionContext({ input: input as any, logger, workspacePath }),
    ...extra,
  };
  return { ctx, logger, done: action.handler(ctx as any) };
}
