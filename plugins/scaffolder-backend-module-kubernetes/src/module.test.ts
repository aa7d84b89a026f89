import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startKubernetesTestServer } from '@paved/testkit';
import { scaffolderModulePavedKubernetes } from './module';

describe('scaffolderModulePavedKubernetes', () => {
  it('registers the Kubernetes actions through the scaffolder extension point', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added: any[]) => actions.push(...added) },
        ],
      ],
      features: [
        scaffolderModulePavedKubernetes,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(actions.map(a => a.id)).toEqual([
      'kubernetes:namespace:provision',
      'kubernetes:apply',
      'kubernetes:rollout:wait',
      'kubernetes:namespace:delete',
    ]);
    expect(
      actions.every(a => a.supportsDryRun && (a.examples?.length ?? 0) > 0),
    ).toBe(true);
  });

  it('hands the actions the provisioner built from app-config by the default factory', async () => {
    const server = await startKubernetesTestServer();
    try {
      const actions: TemplateAction<any, any, any>[] = [];
      await startTestBackend({
        extensionPoints: [
          [
            scaffolderActionsExtensionPoint,
            { addActions: (...added: any[]) => actions.push(...added) },
          ],
        ],
        features: [
          scaffolderModulePavedKubernetes,
          mockServices.rootConfig.factory({
            data: server.appConfig({ clusterName: 'dev' }),
          }),
        ],
      });
      const provision = actions.find(
        a => a.id === 'kubernetes:namespace:provision',
      )!;
      const ctx = createMockActionContext({
        input: {
          component: 'shop',
          environment: 'dev',
          owner: 'group:default/team-shop',
        },
      });
      await provision.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('namespace', 'shop-dev');
      expect(
        server.driver.getObject({
          apiVersion: 'v1',
          kind: 'Namespace',
          name: 'shop-dev',
        }),
      ).toBeDefined();
    } finally {
      await server.close();
    }
  });
});
