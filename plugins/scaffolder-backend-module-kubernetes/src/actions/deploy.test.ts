import { ConfigReader } from '@backstage/config';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The action is the deploy API's client: its tests run against the real plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import deployPlugin from '@paved/plugin-deploy-backend';
import { DefaultKubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import {
  KubernetesTestServer,
  TEST_GROUPS,
  TEST_USERS,
  exampleInput,
  runAction,
  sampleServiceManifests,
  startKubernetesTestServer,
  testOrganisation,
  testOwnership,
} from '@paved/testkit';
import request from 'supertest';
import { scaffolderModulePavedKubernetes } from '../module';
import { examples } from './deploy.examples';

jest.setTimeout(120_000);

const COMPONENT = 'component:default/payments-api';
const deploymentRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'payments-api-dev',
  name: 'payments-api',
};
const entities: Entity[] = [
  ...testOrganisation(),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: { 'github.com/project-slug': 'kestrel/payments-api' },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: TEST_GROUPS.teamA,
    },
  },
];

/**
 * paved:deploy against a real deploy backend: the scaffolder module and the
 * deploy plugin in one test backend, the Kubernetes test server behind both.
 */
describe('paved:deploy', () => {
  let kubernetes: KubernetesTestServer;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let action: TemplateAction<any, any, any>;

  const image = () =>
    kubernetes.driver.getObject(deploymentRef)!.spec.template.spec.containers[0]
      .image;
  const writes = () => kubernetes.requests.filter(r => r.write);
  const history = async () => {
    const res = await request(backend.server)
      .get('/api/deploy/deployments')
      .query({ entityRef: COMPONENT })
      .set('Authorization', mockCredentials.user.header(TEST_USERS.teamB));
    expect(res.status).toBe(200);
    return res.body.deployments as Array<Record<string, any>>;
  };
  const input = (tag: string) => ({
    entityRef: COMPONENT,
    environment: 'dev',
    image: `ghcr.io/kestrel/payments-api:${tag}`,
  });

  beforeAll(async () => {
    kubernetes = await startKubernetesTestServer({ rollouts: 'immediate' });
    const config = kubernetes.appConfig({
      clusterName: 'dev',
      paved: { kubernetes: { requestTimeout: '2s', rolloutTimeout: '2s' } },
    });
    const provisioner = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader(config),
      { logger: mockServices.logger.mock() },
    );
    const target = { component: 'payments-api', environment: 'dev' };
    await provisioner.ensureNamespace({ ...target, owner: TEST_GROUPS.teamA });
    await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests({ name: 'payments-api' }),
    });
    const actions: TemplateAction<any, any, any>[] = [];
    backend = await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added: any[]) => actions.push(...added) },
        ],
      ],
      features: [
        deployPlugin,
        scaffolderModulePavedKubernetes,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: ownershipServiceRef,
          deps: {},
          factory: () => testOwnership({ entities }),
        }),
      ],
    });
    action = actions.find(a => a.id === 'paved:deploy')!;
  });

  afterAll(async () => {
    await backend?.stop();
    await kubernetes?.close();
  });

  beforeEach(() => kubernetes.resetRequests());

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example through the deploy API: %s',
    async (_, example) => {
      const step = exampleInput(example);
      const run = await runAction(action, step, { user: TEST_USERS.teamA });
      expect(run.error).toBeUndefined();
      expect(image()).toBe(step.image);
      expect(run.outputs).toEqual({
        deploymentId: expect.any(String),
        namespace: 'payments-api-dev',
        image: step.image,
        workloads: ['Deployment/payments-api'],
      });
      expect((await history())[0]).toMatchObject({
        id: run.outputs.deploymentId,
        image: step.image,
        status: 'succeeded',
        actor: TEST_USERS.teamA,
      });
    },
  );

  it("lists a teammate's deploy in the component's history, with no token in the log", async () => {
    const run = await runAction(action, input('7e1d2c3'), {
      user: TEST_USERS.teamAMate,
    });
    expect(run.error).toBeUndefined();
    expect(image()).toBe('ghcr.io/kestrel/payments-api:7e1d2c3');
    expect((await history())[0]).toEqual(
      expect.objectContaining({
        id: run.outputs.deploymentId,
        entityRef: COMPONENT,
        environment: 'dev',
        image: 'ghcr.io/kestrel/payments-api:7e1d2c3',
        status: 'succeeded',
        workloads: ['Deployment/payments-api'],
        actor: TEST_USERS.teamAMate,
      }),
    );
    expect(run.lines.join('\n')).not.toMatch(/token|Bearer/i);
  });

  it('refuses team B with the API’s 403 naming the owner, changing and recording nothing', async () => {
    const before = image();
    const listed = await history();
    const run = await runAction(action, input('b0b0b0b'), {
      user: TEST_USERS.teamB,
    });
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        `${TEST_USERS.teamB} may not deploy an image to namespace payments-api-dev: it is owned by ${TEST_GROUPS.teamA}`,
      ),
    });
    expect(run.error.message).not.toMatch(/token|Bearer/i);
    expect(image()).toBe(before);
    expect(writes()).toEqual([]);
    expect(await history()).toEqual(listed);
  });

  it('refuses a task a service started, as a service belongs to no group', async () => {
    const asService: TemplateAction<any, any, any> = {
      ...action,
      handler: ctx =>
        action.handler({
          ...ctx,
          getInitiatorCredentials: async () =>
            mockCredentials.service('external:matrix-ci'),
        }),
    };
    const listed = await history();
    const run = await runAction(asService, input('5e5e5e5'));
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('a service belongs to no group'),
    });
    expect(writes()).toEqual([]);
    expect(await history()).toEqual(listed);
  });

  it('in a dry run reports what it would set, changing and recording nothing', async () => {
    const before = image();
    const listed = await history();
    const run = await runAction(action, input('d2d2d2d'), {
      user: TEST_USERS.teamA,
      isDryRun: true,
    });
    expect(run.error).toBeUndefined();
    expect(run.lines).toContain(
      'info: Would set ghcr.io/kestrel/payments-api:d2d2d2d on Deployment/payments-api in namespace payments-api-dev',
    );
    expect(run.outputs).toEqual({
      deploymentId: '',
      namespace: 'payments-api-dev',
      image: 'ghcr.io/kestrel/payments-api:d2d2d2d',
      workloads: ['Deployment/payments-api'],
    });
    expect(run.keys).toEqual([]);
    expect(image()).toBe(before);
    expect(writes()).toEqual([]);
    expect(await history()).toEqual(listed);
  });

  it('resumes from its checkpoint on retry instead of deploying again', async () => {
    const first = await runAction(action, input('c4c4c4c'), {
      user: TEST_USERS.teamA,
    });
    expect(first.error).toBeUndefined();
    expect(first.keys).toEqual([
      expect.stringMatching(/^deploy\.payments-api\.dev\.[0-9a-f]{12}$/),
    ]);
    const listed = await history();
    kubernetes.resetRequests();
    const again = await runAction(action, input('c4c4c4c'), {
      user: TEST_USERS.teamA,
      store: first.store,
    });
    expect(again.error).toBeUndefined();
    expect(again.outputs.deploymentId).toBe(first.outputs.deploymentId);
    expect(writes()).toEqual([]);
    expect(await history()).toEqual(listed);
  });

  it.each([
    [
      { ...input('1a1a1a1'), entityRef: 'group:default/storefront' },
      /^entityRef: expected a component ref/,
    ],
    [{ ...input('1a1a1a1'), environment: 'Dev_1' }, /environment/],
    [input('latest'), /^image: .*latest tag/],
  ])(
    'refuses %j with an InputError naming the field, changing nothing',
    async (step, message) => {
      const before = image();
      const run = await runAction(action, step, { user: TEST_USERS.teamA });
      expect(run.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(writes()).toEqual([]);
      expect(image()).toBe(before);
    },
  );

  it('fails the step, without a checkpoint, when the rollout does not complete', async () => {
    kubernetes.driver.setRolloutMode('manual');
    try {
      const run = await runAction(action, input('f0f0f0f'), {
        user: TEST_USERS.teamA,
      });
      expect(run.error).toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('rollout timeout'),
      });
      expect(run.store.size).toBe(0);
      expect((await history())[0]).toMatchObject({
        image: 'ghcr.io/kestrel/payments-api:f0f0f0f',
        status: 'failed',
      });
    } finally {
      kubernetes.driver.setRolloutMode('immediate');
    }
  });
});
