import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { kubernetesProvisionerServiceMock } from '@paved/plugin-kubernetes-node/testUtils';
import { startKubernetesTestServer, testOrganisation } from '@paved/testkit';
import { scaffolderModulePavedKubernetes } from './module';
import { mockActionContext as createMockActionContext } from './__testUtils__/testCluster';

/** The actions the module registers in a test backend with these services. */
async function registeredActions(...features: BackendFeature[]) {
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
      // The ownership service's catalogue: the test organisation and team-shop.
      catalogServiceMock.factory({
        entities: [
          ...testOrganisation(),
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name: 'team-shop', namespace: 'default' },
            spec: { type: 'team', children: [] },
          },
        ],
      }),
      ...features,
    ],
  });
  return actions;
}

describe('scaffolderModulePavedKubernetes', () => {
  it('registers the Kubernetes actions through the scaffolder extension point', async () => {
    const actions = await registeredActions(
      mockServices.rootConfig.factory({ data: {} }),
    );
    expect(actions.map(a => a.id)).toEqual([
      'paved:kubernetes:namespace:provision',
      'paved:kubernetes:apply',
      'paved:kubernetes:rollout:wait',
      'paved:kubernetes:namespace:delete',
      'paved:deploy',
    ]);
    expect(
      actions.every(a => a.supportsDryRun && (a.examples?.length ?? 0) > 0),
    ).toBe(true);
  });

  it('hands the actions the provisioner built from app-config by the default factory', async () => {
    const server = await startKubernetesTestServer();
    try {
      const actions = await registeredActions(
        mockServices.rootConfig.factory({
          data: server.appConfig({ clusterName: 'dev' }),
        }),
      );
      const provision = actions.find(
        a => a.id === 'paved:kubernetes:namespace:provision',
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

  it('hands the actions the provisioner of the service ref, so a replaced factory is the one used', async () => {
    const provisioner = kubernetesProvisionerServiceMock({
      resolveCluster: cluster => cluster ?? 'staging',
      ensureNamespace: async options => ({
        cluster: options.cluster!,
        namespace: `${options.component}-${options.environment}`,
        dryRun: false,
        objects: [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            name: `${options.component}-${options.environment}`,
            action: 'created',
          },
        ],
      }),
    });
    const actions = await registeredActions(provisioner.factory);
    const ctx = createMockActionContext({
      input: { component: 'shop', environment: 'dev', owner: 'team-shop' },
    });
    await actions
      .find(a => a.id === 'paved:kubernetes:namespace:provision')!
      .handler(ctx);
    expect(provisioner.ensureNamespace).toHaveBeenCalledWith({
      cluster: 'staging',
      component: 'shop',
      environment: 'dev',
      owner: 'team-shop',
      size: undefined,
      allowOwnerChange: false,
    });
    expect(ctx.output).toHaveBeenCalledWith('created', ['Namespace/shop-dev']);
  });

  it('fails plainly when no cluster is configured, as in the embedded default', async () => {
    const actions = await registeredActions(
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [{ type: 'config', clusters: [] }],
          },
        },
      }),
    );
    // paved:deploy asks the deploy API, which this backend lacks.
    for (const action of actions.filter(a => a.id !== 'paved:deploy')) {
      const ctx = createMockActionContext({
        input: {
          component: 'shop',
          environment: 'dev',
          owner: 'group:default/team-shop',
          manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
          entityRef: 'component:default/shop',
          image: 'ghcr.io/kestrel/shop:1.0.0',
        },
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        expect.objectContaining({
          name: 'NotFoundError',
          message:
            'No Kubernetes cluster is configured for Paved: add one under kubernetes.clusterLocatorMethods (type: config) or paved.kubernetes.clusters in app-config',
        }),
      );
    }
    const deploy = actions.find(a => a.id === 'paved:deploy')!;
    await expect(
      deploy.handler(
        createMockActionContext({
          input: {
            entityRef: 'component:default/shop',
            environment: 'dev',
            image: 'ghcr.io/kestrel/shop:1.0.0',
          },
        }),
      ),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message: expect.stringMatching(
          /^POST http:\/\/localhost:\d+\/api\/deploy\/deployments answered 404 .*: is the deploy plugin \(@paved\/plugin-deploy-backend\) part of the backend\?$/,
        ),
      }),
    );
    expect(actions).toHaveLength(5);
  });

  it('loads @kubernetes/client-node on first use, not when the backend starts', async () => {
    // A fresh process (Jest's module registry would hide what Node loads),
    // watching every resolution of the client, as the backend would load it.
    const script = `
      const { registerHooks } = require('node:module');
      let loads = 0;
      registerHooks({
        resolve(specifier, context, next) {
          if (specifier === '@kubernetes/client-node') loads += 1;
          return next(specifier, context);
        },
      });
      const { ConfigReader } = require('@backstage/config');
      const { startKubernetesTestServer } = require('@paved/testkit');
      require('./src/index.ts');
      const { kubernetesProvisionerServiceFactory, DefaultKubernetesProvisioner } = require('@paved/plugin-kubernetes-node');
      const logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger; } };
      (async () => {
        const server = await startKubernetesTestServer();
        const provisioner = DefaultKubernetesProvisioner.fromConfig(
          new ConfigReader(server.appConfig({ clusterName: 'dev' })), { logger });
        provisioner.resolveCluster();
        provisioner.getManifestLimits();
        const atStart = loads;
        const result = await provisioner.ensureNamespace({ component: 'shop', environment: 'dev', owner: 'team-shop' });
        await server.close();
        console.log(JSON.stringify({ factory: typeof kubernetesProvisionerServiceFactory, atStart, afterFirstUse: loads, created: result.objects.length }));
      })().catch(e => { console.error(e); process.exit(1); });
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '-e',
        script,
      ],
      { cwd: `${__dirname}/..`, timeout: 60_000 },
    );
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({
      factory: 'object',
      atStart: 0,
      afterFirstUse: 1,
      created: 5,
    });
  });
});
