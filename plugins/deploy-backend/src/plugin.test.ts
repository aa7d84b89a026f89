import { ConfigReader } from '@backstage/config';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DefaultKubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import {
  GitHubTestServer,
  KubernetesTestServer,
  TEST_GROUPS,
  TEST_USERS,
  recordingAuditor,
  sampleServiceManifests,
  startGitHubTestServer,
  startKubernetesTestServer,
  testOrganisation,
  testOwnership,
} from '@paved/testkit';
import request from 'supertest';
import { deployPlugin } from './plugin';

jest.setTimeout(120_000);

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: TEST_GROUPS.teamA,
  },
});

const entities = [
  ...testOrganisation(),
  component('shop', { 'github.com/project-slug': 'kestrel/shop' }),
  component('gone', { 'github.com/project-slug': 'kestrel/gone' }),
  component('odd', { 'github.com/project-slug': 'kestrel/odd:ref' }),
  component('notes', {
    'backstage.io/source-location':
      'url:http://localhost:7007/api/forge/storefront/notes/tree/main/',
  }),
];

const SHOP = 'component:default/shop';
const CI_OF_SHOP =
  'external:github-actions:repo:kestrel/shop:ref:refs/heads/main';
const IMAGE = 'ghcr.io/kestrel/shop:0f3c2b1';
const deploymentRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'shop-dev',
  name: 'web',
};

describe('deployPlugin', () => {
  let kubernetes: KubernetesTestServer;
  let github: GitHubTestServer;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const { auditor, events } = recordingAuditor();

  const imageOnCluster = () =>
    kubernetes.driver.getObject(deploymentRef)!.spec.template.spec.containers[0]
      .image;

  beforeAll(async () => {
    kubernetes = await startKubernetesTestServer({ rollouts: 'immediate' });
    github = await startGitHubTestServer();
    await github.driver.createRepository('kestrel', 'shop');
    const config = {
      ...github.appConfig(),
      ...kubernetes.appConfig({
        clusterName: 'dev',
        paved: {
          kubernetes: { requestTimeout: '2s', rolloutTimeout: '2s' },
        },
      }),
    };
    const provisioner = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader(config),
      { logger: mockServices.logger.mock() },
    );
    await provisioner.ensureNamespace({
      component: 'shop',
      environment: 'dev',
      owner: TEST_GROUPS.teamA,
    });
    await provisioner.apply({
      component: 'shop',
      environment: 'dev',
      manifests: sampleServiceManifests(),
    });
    backend = await startTestBackend({
      features: [
        deployPlugin,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory({ entities }),
        auditor.factory,
        createServiceFactory({
          service: ownershipServiceRef,
          deps: {},
          factory: () => testOwnership({ entities }),
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await kubernetes?.close();
    await github?.close();
  });

  beforeEach(() => {
    events.length = 0;
  });

  const deploy = (authorization: string, body: Record<string, unknown>) =>
    request(backend.server)
      .post('/api/deploy/deployments')
      .set('Authorization', authorization)
      .send(body);

  it('refuses a person of another team with 403, changing and recording nothing', async () => {
    const res = await deploy(mockCredentials.user.header(TEST_USERS.teamB), {
      entityRef: SHOP,
      environment: 'dev',
      image: IMAGE,
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('namespace shop-dev');
    expect(imageOnCluster()).toBe('ghcr.io/kestrel/web:1.4.2');
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'image-deploy',
        outcome: 'failed',
        meta: expect.objectContaining({ actor: TEST_USERS.teamB }),
      }),
    ]);
  });

  it.each([
    [
      'a workflow of another repository',
      'external:github-actions:repo:kestrel/other:ref:refs/heads/main',
    ],
    [
      'a repository whose name only starts the same',
      'external:github-actions:repo:kestrel/shop-fork:ref:refs/heads/main',
    ],
    ['another backend plugin', 'plugin:scaffolder'],
  ])('refuses %s with 403, changing nothing', async (_, subject) => {
    const res = await deploy(
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service(subject),
      } as any),
      {
        entityRef: SHOP,
        environment: 'dev',
        image: IMAGE,
      },
    );
    expect(res.status).toBe(403);
    expect(imageOnCluster()).toBe('ghcr.io/kestrel/web:1.4.2');
  });

  it('refuses CI for a component whose github.com/project-slug is not a repository in GitHub’s form', async () => {
    const res = await deploy(
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service(
          'external:github-actions:repo:kestrel/odd:ref:refs/heads/main',
        ),
      } as any),
      { entityRef: 'component:default/odd', environment: 'dev', image: IMAGE },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('no github.com/project-slug');
  });

  it.each([
    [{ environment: 'dev', image: IMAGE }, /entityRef/],
    [
      {
        entityRef: 'group:default/storefront',
        environment: 'dev',
        image: IMAGE,
      },
      /entityRef: expected a component ref/,
    ],
    [
      { entityRef: SHOP, environment: 'Dev!', image: IMAGE },
      /environment: a DNS-1123 label/,
    ],
    [{ entityRef: SHOP, environment: 'dev' }, /image/],
    [
      {
        entityRef: SHOP,
        environment: 'dev',
        image: 'ghcr.io/kestrel/shop:latest',
      },
      /image: .*latest tag/,
    ],
  ])(
    'answers 400 naming the field for %j, changing nothing',
    async (body, message) => {
      const res = await deploy(
        mockCredentials.user.header(TEST_USERS.teamA),
        body,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(imageOnCluster()).toBe('ghcr.io/kestrel/web:1.4.2');
    },
  );

  it('answers 404 for a component the catalogue does not have', async () => {
    const res = await deploy(mockCredentials.user.header(TEST_USERS.teamA), {
      entityRef: 'component:default/nope',
      environment: 'dev',
      image: IMAGE,
    });
    expect(res.status).toBe(404);
  });

  it('answers a dry run with what it would set, changing, recording and auditing nothing', async () => {
    const res = await deploy(mockCredentials.user.header(TEST_USERS.teamA), {
      entityRef: SHOP,
      environment: 'dev',
      image: 'ghcr.io/kestrel/shop:dryrun1',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      dryRun: {
        entityRef: SHOP,
        environment: 'dev',
        namespace: 'shop-dev',
        image: 'ghcr.io/kestrel/shop:dryrun1',
        workloads: ['Deployment/web'],
        changes: ['Deployment/web'],
      },
    });
    expect(imageOnCluster()).toBe('ghcr.io/kestrel/web:1.4.2');
    expect(events).toEqual([]);
    const listed = await request(backend.server)
      .get('/api/deploy/deployments')
      .query({ entityRef: SHOP })
      .set('Authorization', mockCredentials.user.header(TEST_USERS.teamA));
    expect(listed.body.deployments).toEqual([]);
  });

  it.each([
    [
      'a person of another team',
      mockCredentials.user.header(TEST_USERS.teamB),
      /namespace shop-dev/,
    ],
    [
      'a service',
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:scaffolder'),
      } as any),
      /a service belongs to no group/,
    ],
  ])('refuses a dry run by %s with 403', async (_, authorization, message) => {
    const res = await deploy(authorization, {
      entityRef: SHOP,
      environment: 'dev',
      image: IMAGE,
      dryRun: true,
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses a dry run against the guardrails with 400 naming the field', async () => {
    const res = await deploy(mockCredentials.user.header(TEST_USERS.teamA), {
      entityRef: SHOP,
      environment: 'dev',
      image: 'ghcr.io/kestrel/shop:latest',
      dryRun: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^image: .*latest tag/);
  });

  it('deploys for a member of the owning team: the image runs, the rollout completes, the deployment is listed', async () => {
    const res = await deploy(mockCredentials.user.header(TEST_USERS.teamA), {
      entityRef: SHOP,
      environment: 'dev',
      image: IMAGE,
    });
    expect(res.status).toBe(200);
    expect(res.body.deployment).toEqual({
      id: expect.any(String),
      entityRef: SHOP,
      environment: 'dev',
      image: IMAGE,
      status: 'succeeded',
      workloads: ['Deployment/web'],
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      actor: TEST_USERS.teamA,
    });
    expect(imageOnCluster()).toBe(IMAGE);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'image-deploy',
        outcome: 'succeeded',
      }),
    ]);
    const listed = await request(backend.server)
      .get('/api/deploy/deployments')
      .query({ entityRef: SHOP })
      .set('Authorization', mockCredentials.user.header(TEST_USERS.teamB));
    expect(listed.status).toBe(200);
    expect(listed.body.deployments[0]).toEqual(res.body.deployment);
  });

  it("deploys for a workflow of the component's own repository", async () => {
    const image = 'ghcr.io/kestrel/shop:9a8b7c6';
    const res = await deploy(
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service(CI_OF_SHOP),
      } as any),
      {
        entityRef: 'component:default/Shop',
        environment: 'dev',
        image,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.deployment).toMatchObject({
      entityRef: SHOP,
      status: 'succeeded',
      actor: CI_OF_SHOP,
    });
    expect(imageOnCluster()).toBe(image);
  });

  it('records a rollout that does not complete as failed, saying why', async () => {
    kubernetes.driver.setRolloutMode('manual');
    try {
      const res = await deploy(mockCredentials.user.header(TEST_USERS.teamA), {
        entityRef: SHOP,
        environment: 'dev',
        image: 'ghcr.io/kestrel/shop:stalled1',
      });
      expect(res.status).toBe(200);
      expect(res.body.deployment).toMatchObject({
        status: 'failed',
        message: expect.stringContaining('rollout timeout'),
      });
    } finally {
      kubernetes.driver.setRolloutMode('immediate');
    }
    const listed = await request(backend.server)
      .get('/api/deploy/deployments')
      .query({ entityRef: SHOP })
      .set('Authorization', mockCredentials.user.header(TEST_USERS.teamA));
    expect(listed.body.deployments.map((d: any) => d.status)).toEqual([
      'failed',
      'succeeded',
      'succeeded',
    ]);
  });

  it("lists the CI runs of the component's GitHub repository, and says why a forge component has none", async () => {
    const run = github.driver.actions.recordRun('kestrel/shop', {
      headSha: 'c'.repeat(40),
    });
    const res = await request(backend.server)
      .get('/api/deploy/runs')
      .query({ entityRef: SHOP })
      .set('Authorization', mockCredentials.user.header(TEST_USERS.teamB));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      runs: [
        {
          id: run.id,
          name: 'CI',
          status: 'completed',
          conclusion: 'success',
          headSha: 'c'.repeat(40),
          htmlUrl: `${github.url}/kestrel/shop/actions/runs/${run.id}`,
          createdAt: run.createdAt,
        },
      ],
    });
    const forge = await request(backend.server)
      .get('/api/deploy/runs')
      .query({ entityRef: 'component:default/notes' })
      .set('Authorization', mockCredentials.user.header(TEST_USERS.teamA));
    expect(forge.body).toEqual({
      runs: [],
      reason: expect.stringContaining('local forge'),
    });
    const gone = await request(backend.server)
      .get('/api/deploy/runs')
      .query({ entityRef: 'component:default/gone' })
      .set('Authorization', mockCredentials.user.header(TEST_USERS.teamA));
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({
      runs: [],
      reason: expect.stringMatching(
        /^The GitHub Actions runs of kestrel\/gone cannot be read: .*kestrel\/gone/,
      ),
    });
  });

  it('refuses a caller whose token does not verify with 401', async () => {
    const res = await deploy(mockCredentials.service.invalidHeader(), {
      entityRef: SHOP,
      environment: 'dev',
      image: IMAGE,
    });
    expect(res.status).toBe(401);
    const list = await request(backend.server)
      .get('/api/deploy/deployments')
      .query({ entityRef: SHOP })
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(list.status).toBe(401);
  });
});
