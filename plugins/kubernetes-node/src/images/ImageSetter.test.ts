import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import {
  KubernetesTestServer,
  sampleServiceManifests,
  startKubernetesTestServer,
} from '@paved/testkit';
import { DefaultKubernetesProvisioner } from '../DefaultKubernetesProvisioner';

const target = { component: 'shop', environment: 'dev' };
const owner = 'group:default/team-shop';
const deploymentRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'shop-dev',
  name: 'web',
};
const cronJobRef = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  namespace: 'shop-dev',
  name: 'nightly',
};

const cronJob = (image: string) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly' },
  spec: {
    schedule: '0 3 * * *',
    concurrencyPolicy: 'Forbid',
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            securityContext: {
              runAsNonRoot: true,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'job',
                image,
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                },
                resources: {
                  requests: { cpu: '50m', memory: '64Mi' },
                  limits: { cpu: '200m', memory: '128Mi' },
                },
              },
            ],
          },
        },
      },
    },
  },
});

const NEW_IMAGE = 'ghcr.io/kestrel/shop:3f2c1a0';

describe('DefaultKubernetesProvisioner.setImage', () => {
  let server: KubernetesTestServer;
  let provisioner: DefaultKubernetesProvisioner;

  beforeEach(async () => {
    server = await startKubernetesTestServer({ rollouts: 'immediate' });
    provisioner = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader(
        server.appConfig({
          clusterName: 'dev',
          paved: { kubernetes: { requestTimeout: '2s' } },
        }),
      ),
      { logger: mockServices.logger.mock() },
    );
  });

  afterEach(() => server.close());

  async function provisionWithWorkloads() {
    await provisioner.ensureNamespace({ ...target, owner });
    await provisioner.apply({
      ...target,
      manifests: `${sampleServiceManifests()}---\n${JSON.stringify(
        cronJob('ghcr.io/kestrel/shop-jobs:1.0.0'),
      )}\n`,
    });
    server.resetRequests();
  }

  const writes = () => server.requests.filter(r => r.write);

  it('sets the image of every labelled workload through server-side apply, keeps the rest, and rolls out', async () => {
    await provisionWithWorkloads();
    const result = await provisioner.setImage({ ...target, image: NEW_IMAGE });

    expect(result).toEqual({
      cluster: 'dev',
      namespace: 'shop-dev',
      image: NEW_IMAGE,
      dryRun: false,
      workloads: [
        {
          kind: 'Deployment',
          name: 'web',
          containers: ['web'],
          action: 'updated',
        },
        {
          kind: 'CronJob',
          name: 'nightly',
          containers: ['job'],
          action: 'updated',
        },
      ],
    });
    const deployment = server.driver.getObject(deploymentRef)!;
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(NEW_IMAGE);
    expect(container.resources.limits.memory).toBe('256Mi');
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(deployment.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'shop',
    );
    expect(
      deployment.metadata.managedFields.map(
        (m: any) => `${m.manager}:${m.operation}`,
      ),
    ).toEqual(['paved:Apply', 'paved-deploy:Apply']);
    expect(
      server.driver.getObject(cronJobRef)!.spec.jobTemplate.spec.template.spec
        .containers[0].image,
    ).toBe(NEW_IMAGE);

    const rollout = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 10,
    });
    expect(rollout.outcome).toBe('available');
  });

  it('writes nothing when the workloads already run the image', async () => {
    await provisionWithWorkloads();
    await provisioner.setImage({ ...target, image: NEW_IMAGE });
    server.resetRequests();
    const again = await provisioner.setImage({ ...target, image: NEW_IMAGE });
    expect(again.workloads.map(w => w.action)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    expect(writes()).toEqual([]);
  });

  it('sets only the containers named, and reports a dry run without writing', async () => {
    await provisionWithWorkloads();
    const dry = await provisioner.setImage({
      ...target,
      image: NEW_IMAGE,
      containers: ['web'],
      dryRun: true,
    });
    expect(dry.dryRun).toBe(true);
    expect(dry.workloads).toEqual([
      expect.objectContaining({ name: 'web', action: 'updated' }),
    ]);
    expect(writes()).toEqual([]);
    expect(
      server.driver.getObject(deploymentRef)!.spec.template.spec.containers[0]
        .image,
    ).toBe('ghcr.io/kestrel/web:1.4.2');
  });

  it.each([
    ['ghcr.io/kestrel/shop:latest', /image: .*latest tag/],
    ['ghcr.io/kestrel/shop', /image: .*has no tag/],
    ['', /image: is missing/],
  ])(
    'refuses the image %j before reading the cluster',
    async (image, message) => {
      await provisionWithWorkloads();
      await expect(
        provisioner.setImage({ ...target, image }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(server.requests).toEqual([]);
    },
  );

  it('refuses container names the workloads do not have', async () => {
    await provisionWithWorkloads();
    await expect(
      provisioner.setImage({
        ...target,
        image: NEW_IMAGE,
        containers: ['api'],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('containers: none of ["api"]'),
    });
    expect(writes()).toEqual([]);
  });

  it('refuses a namespace Paved did not provision, and a missing one, writing nothing', async () => {
    await expect(
      provisioner.setImage({ ...target, image: NEW_IMAGE }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('Namespace "shop-dev" does not exist'),
    });
    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop-dev' },
    });
    await expect(
      provisioner.setImage({ ...target, image: NEW_IMAGE }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('is not managed by Paved'),
    });
    expect(writes()).toEqual([]);
  });

  it('says so when the component has no workloads yet', async () => {
    await provisioner.ensureNamespace({ ...target, owner });
    await expect(
      provisioner.setImage({ ...target, image: NEW_IMAGE }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining(
        'No Deployment, StatefulSet or CronJob labelled backstage.io/kubernetes-id=shop',
      ),
    });
  });
});
