/*
 * The Kubernetes driver as the backend wires it: the embedded default boots
 * with the paved:kubernetes:* actions and no cluster, and the Backstage kubernetes
 * plugin and Paved's provisioner read one cluster config and agree on one
 * label convention (plugins/kubernetes-node/README.md), so an entity page
 * shows what Paved applied for the component.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import kubernetesBackend from '@backstage/plugin-kubernetes-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
// app-config.yaml keeps task workspaces in the database (taskRecovery)
import scaffolderWorkspaceDatabase from '@backstage/plugin-scaffolder-backend-module-workspace-database';
import pavedKubernetesActions from '@paved/plugin-scaffolder-backend-module-kubernetes';
import {
  DefaultKubernetesProvisioner,
  KubernetesProvisioner,
  kubernetesProvisionerServiceRef,
  readKubernetesProvisionerConfig,
} from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  sampleServiceManifests,
  startKubernetesTestServer,
} from '@paved/testkit';
import { ROOT, call, eventually, freePort } from './__testUtils__/wiring';
import { loadWorkspaceConfigSchema } from './config/configSchema';
import { validateConfig } from './config/validateConfig';

/** The merged config of app-config.yaml and the given files, as the backend reads it. */
async function loadConfig(extraFiles: string[] = []) {
  const source = ConfigSources.default({
    argv: [path.join(ROOT, 'app-config.yaml'), ...extraFiles].flatMap(f => [
      '--config',
      f,
    ]),
    substitutionFunc: async () => undefined,
  });
  return ConfigSources.toConfig(source);
}

/**
 * The template's catalog-info.yaml as fetch:template renders it, for the
 * constructs that file uses; anything else fails the test rather than being
 * rendered wrong.
 */
function renderCatalogInfo(values: Record<string, any>): string {
  const file = path.join(
    ROOT,
    'templates/node-service/content/catalog-info.yaml',
  );
  const lookup = (expr: string) =>
    expr
      .trim()
      .replace(/^values\./, '')
      .split('.')
      .reduce((o: any, k) => o?.[k], values);
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(
      /\{%\s*if (values\.[\w.]+)\s*%\}([\s\S]*?)\{%\s*endif\s*%\}/g,
      (_, cond, body) => (lookup(cond) ? body : ''),
    )
    .replace(/\$\{\{\s*([\w.]+)\s*\|\s*dump\s*\}\}/g, (_, expr) =>
      JSON.stringify(lookup(expr)),
    )
    .replace(
      /\$\{\{\s*([\w.]+)\s*\+\s*"\/"\s*\+\s*([\w.]+)\s*\}\}/g,
      (_, a, b) => `${lookup(a)}/${lookup(b)}`,
    )
    .replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, expr) => String(lookup(expr)));
  expect(text).not.toMatch(/\$\{\{|\{%/);
  return text;
}

/** A backend plugin that hands the test the provisioner the backend built. */
function provisionerProbe(found: { provisioner?: KubernetesProvisioner }) {
  return createBackendPlugin({
    pluginId: 'provisioner-probe',
    register(env) {
      env.registerInit({
        deps: { provisioner: kubernetesProvisionerServiceRef },
        async init({ provisioner }) {
          found.provisioner = provisioner;
        },
      });
    },
  });
}

describe('the Kubernetes driver in the backend', () => {
  jest.setTimeout(120_000);

  it('boots the embedded default with the paved:kubernetes:* actions, which say no cluster is configured', async () => {
    // Less `backend` (the test backend has its own port and must not call 7007),
    // and permissions off: the real permission backend is not part of this test.
    const { backend: _backend, ...data } = (await loadConfig()).get() as any;
    const found: { provisioner?: KubernetesProvisioner } = {};
    const { server } = await startTestBackend({
      features: [
        scaffolderBackend,
        scaffolderWorkspaceDatabase,
        pavedKubernetesActions,
        kubernetesBackend,
        provisionerProbe(found),
        mockServices.rootConfig.factory({
          data: { ...data, permission: { enabled: false } },
        }),
      ],
    });
    const baseUrl = `http://localhost:${server.port()}`;
    const user = mockCredentials.user.header();

    const actions = await call(baseUrl, user, '/api/scaffolder/v2/actions');
    expect(actions.status).toBe(200);
    expect(
      actions.body
        .map((a: { id: string }) => a.id)
        .filter((id: string) => id.startsWith('paved:kubernetes:'))
        .sort(),
    ).toEqual([
      'paved:kubernetes:apply',
      'paved:kubernetes:namespace:delete',
      'paved:kubernetes:namespace:provision',
      'paved:kubernetes:rollout:wait',
    ]);

    expect(() => found.provisioner!.resolveCluster()).toThrow(
      'No Kubernetes cluster is configured for Paved: add one under kubernetes.clusterLocatorMethods (type: config) or paved.kubernetes.clusters in app-config',
    );
    const clusters = await call(baseUrl, user, '/api/kubernetes/clusters');
    expect(clusters).toEqual({ status: 200, body: { items: [] } });

    // app-config.yaml writes out the built-in defaults, so its comments tell the truth.
    const { clusters: _c, ...written } = readKubernetesProvisionerConfig(
      new ConfigReader(data),
    );
    const { clusters: _d, ...builtIn } = readKubernetesProvisionerConfig(
      new ConfigReader({}),
    );
    expect(written).toEqual(builtIn);
  });

  it('reads the in-cluster overlay’s cluster as one reached with the pod’s own token, on the production config', async () => {
    const files = [
      'app-config.production.yaml',
      'docker/kubernetes-in-cluster/app-config.in-cluster.yaml',
    ].map(f => path.join(ROOT, f));
    const source = ConfigSources.default({
      argv: [path.join(ROOT, 'app-config.yaml'), ...files].flatMap(f => [
        '--config',
        f,
      ]),
      substitutionFunc: async name =>
        ({
          POSTGRES_HOST: 'db',
          POSTGRES_PORT: '5432',
          POSTGRES_USER: 'paved',
          POSTGRES_PASSWORD: 'pw',
          BACKEND_SECRET: 'secret',
          AUTH_GITHUB_CLIENT_ID: 'id',
          AUTH_GITHUB_CLIENT_SECRET: 'client-secret',
          // Production refuses to start without a real plan key (paved.terraform).
          PAVED_TERRAFORM_PLAN_KEY:
            'Gr3J4/YJyAwfKfUzY76TihWDfPTmX48JOyBo61RF1DA=',
        }[name]),
    });
    const config = await ConfigSources.toConfig(source);
    // What the backend checks at start, against every package's schema.
    expect(
      validateConfig(config, await loadWorkspaceConfigSchema(ROOT)),
    ).toEqual([]);
    expect(readKubernetesProvisionerConfig(config).clusters).toEqual([
      expect.objectContaining({
        name: 'local',
        url: 'https://kubernetes.default.svc',
        caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
        auth: { type: 'inCluster' },
        onEntityPages: true,
      }),
    ]);
  });

  describe('with a cluster', () => {
    let cluster: KubernetesTestServer;
    let child: ChildProcess | undefined;
    const dir = createMockDirectory();

    beforeEach(async () => {
      dir.clear();
      cluster = await startKubernetesTestServer({ rollouts: 'immediate' });
    });

    afterEach(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise(resolve => child!.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      child = undefined;
      await cluster.close();
    });

    it('shows on the entity page what Paved applied, from one cluster config and one label convention', async () => {
      // The component as the node-service template creates and registers it.
      dir.setContent({
        'catalog-info.yaml': renderCatalogInfo({
          name: 'invoice-service',
          description: 'Invoices',
          owner: 'group:default/team-billing',
          destination: { owner: 'kestrel', repo: 'invoice-service' },
        }),
      });
      const port = await freePort();
      const token = `wiring-${port}`;
      const baseUrl = `http://localhost:${port}`;
      // One cluster list, the kubernetes plugin's, over the embedded default.
      dir.addContent({
        'app-config.test.yaml': stringifyYaml({
          backend: {
            baseUrl,
            listen: { port },
            database: { client: 'better-sqlite3', connection: ':memory:' },
            auth: {
              externalAccess: [
                { type: 'static', options: { token, subject: 'wiring-test' } },
              ],
            },
          },
          kubernetes: cluster.appConfig({ clusterName: 'dev' }).kubernetes,
          // The Ingress domain of the sample manifests applied below.
          paved: cluster.appConfig({ clusterName: 'dev' }).paved,
          catalog: {
            locations: [
              { type: 'file', target: dir.resolve('catalog-info.yaml') },
            ],
          },
          permission: { enabled: false },
        }),
      });
      const configFiles = [dir.resolve('app-config.test.yaml')];

      // The upstream kubernetes plugin and the catalog, in a real backend:
      // the plugin loads @kubernetes/client-node with import(), which Jest cannot run.
      let output = '';
      child = spawn(
        process.execPath,
        [
          '-e',
          `const { createBackend } = require('@backstage/backend-defaults');
           const backend = createBackend();
           backend.add(require('@backstage/plugin-catalog-backend'));
           backend.add(require('@backstage/plugin-kubernetes-backend'));
           backend.start();`,
          '--',
          ...[path.join(ROOT, 'app-config.yaml'), ...configFiles].flatMap(f => [
            '--config',
            f,
          ]),
        ],
        { cwd: path.resolve(__dirname, '..'), stdio: 'pipe' },
      );
      child.stdout!.on('data', chunk => (output += chunk));
      child.stderr!.on('data', chunk => (output += chunk));
      const bearer = `Bearer ${token}`;
      const exited = () => {
        if (child!.exitCode !== null) throw new Error('the backend exited');
      };
      await eventually(
        'the backend to be ready',
        async () => {
          const ready = await fetch(
            `${baseUrl}/.backstage/health/v1/readiness`,
          );
          return ready.ok || undefined;
        },
        exited,
      ).catch(error => {
        throw new Error(`${error.message}:\n${output}`);
      });
      const entity = await eventually(
        'the component in the catalog',
        async () => {
          const read = await call(
            baseUrl,
            bearer,
            '/api/catalog/entities/by-name/component/default/invoice-service',
          );
          return read.status === 200 ? read.body : undefined;
        },
      );
      expect(entity.metadata.annotations['backstage.io/kubernetes-id']).toBe(
        'invoice-service',
      );

      // Paved's provisioner from the same config, as the backend's service factory builds it.
      const provisioner = DefaultKubernetesProvisioner.fromConfig(
        await loadConfig(configFiles),
        { logger: mockServices.logger.mock() },
      );
      const component = entity.metadata.name;
      await provisioner.ensureNamespace({
        component,
        environment: 'dev',
        owner: entity.spec.owner,
      });
      await provisioner.apply({
        component,
        environment: 'dev',
        manifests: sampleServiceManifests({ name: 'api', replicas: 2 }),
      });
      // Not Paved's: unlabelled in the component's namespace, and another component's elsewhere.
      cluster.driver.seed({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'stray', namespace: `${component}-dev` },
        spec: { replicas: 1 },
      });
      cluster.driver.seed({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'other' },
      });
      cluster.driver.seed({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'api',
          namespace: 'other',
          labels: { 'backstage.io/kubernetes-id': 'billing-api' },
        },
        spec: { replicas: 1 },
      });

      // Both know the one cluster.
      expect(provisioner.resolveCluster()).toBe('dev');
      const clusters = await call(baseUrl, bearer, '/api/kubernetes/clusters');
      expect(clusters.body.items.map((c: { name: string }) => c.name)).toEqual([
        'dev',
      ]);

      // What the entity page asks the kubernetes plugin for.
      const response = await call(
        baseUrl,
        bearer,
        `/api/kubernetes/services/${component}`,
        { entity, auth: {} },
      );
      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(1);
      const [shown] = response.body.items;
      expect(shown.cluster.name).toBe('dev');
      expect(shown.errors).toEqual([]);
      const byType = Object.fromEntries(
        shown.resources.map((r: { type: string; resources: any[] }) => [
          r.type,
          r.resources.map(o => `${o.metadata.namespace}/${o.metadata.name}`),
        ]),
      );
      expect(byType).toMatchObject({
        deployments: ['invoice-service-dev/api'],
        services: ['invoice-service-dev/api'],
        configmaps: ['invoice-service-dev/api-config'],
        horizontalpodautoscalers: ['invoice-service-dev/api'],
        ingresses: ['invoice-service-dev/api'],
        resourcequotas: ['invoice-service-dev/paved-quota'],
        limitranges: ['invoice-service-dev/paved-limits'],
      });
      // The pods carry the label through the pod template.
      expect(byType.pods).toEqual([
        expect.stringMatching(/^invoice-service-dev\/api-\w+-\w+$/),
        expect.stringMatching(/^invoice-service-dev\/api-\w+-\w+$/),
      ]);
      const everything = shown.resources.flatMap(
        (r: { resources: any[] }) => r.resources,
      );
      expect(
        everything.filter(
          (o: any) =>
            o.metadata.labels?.['backstage.io/kubernetes-id'] !== component,
        ),
      ).toEqual([]);
    });
  });
});
