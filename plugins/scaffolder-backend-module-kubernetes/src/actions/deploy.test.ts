import { KubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  TEST_USERS,
  recordingAuditor,
  sampleServiceManifests,
  startKubernetesTestServer,
} from '@paved/testkit';
import yaml from 'yaml';
import { createDeployAction } from './deploy';
import { examples } from './deploy.examples';
import { checkpointStore } from '../__testUtils__/checkpointStore';
import {
  actionOptions,
  provisionerFor,
  runAction,
} from '../__testUtils__/testCluster';

const target = { component: 'payments-api', environment: 'dev' };
const deploymentRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'payments-api-dev',
  name: 'payments-api',
};
const IMAGE = 'ghcr.io/kestrel/payments-api:3f2c1a0';
const PLACEHOLDER = 'ghcr.io/kestrel/payments-api:1.4.2';

describe('paved:deploy', () => {
  let server: KubernetesTestServer;
  let provisioner: KubernetesProvisioner;
  let audit: ReturnType<typeof recordingAuditor>;

  beforeEach(async () => {
    server = await startKubernetesTestServer({ rollouts: 'immediate' });
    provisioner = await provisionerFor(server, { clusterName: 'dev' });
    await provisioner.ensureNamespace({ ...target, owner: 'team-payments' });
    await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests({ name: 'payments-api' }),
    });
    server.resetRequests();
    audit = recordingAuditor();
  });

  afterEach(async () => {
    await server.close();
  });

  const run = (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) =>
    runAction(
      createDeployAction(actionOptions(provisioner, audit.auditor)),
      input,
      extra,
    );
  const image = () =>
    server.driver.getObject(deploymentRef)!.spec.template.spec.containers[0]
      .image;
  const writes = () => server.requests.filter(r => r.write);

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const { input } = yaml.parse(example).steps[0];
      const { ctx, done } = run(input);
      await done;
      expect(image()).toBe(input.image);
      expect(ctx.output).toHaveBeenCalledWith('workloads', [
        'Deployment/payments-api',
      ]);
      expect(ctx.output).toHaveBeenCalledWith('namespace', 'payments-api-dev');
      expect(ctx.output).toHaveBeenCalledWith('image', input.image);
      expect(audit.events).toEqual([
        expect.objectContaining({
          eventId: 'image-deploy',
          outcome: 'succeeded',
        }),
      ]);
    },
  );

  it('resumes from its checkpoint on retry instead of deploying again', async () => {
    const store = checkpointStore();
    const input = {
      entityRef: 'component:default/payments-api',
      environment: 'dev',
      image: IMAGE,
    };
    await run(input, { checkpoint: store.checkpoint }).done;
    server.resetRequests();
    const again = run(input, { checkpoint: store.checkpoint });
    await again.done;
    expect(writes()).toEqual([]);
    expect(again.ctx.output).toHaveBeenCalledWith('workloads', [
      'Deployment/payments-api',
    ]);
    expect(store.keys[0]).toMatch(
      /^deploy\.dev\.payments-api-dev\.[0-9a-f]{12}$/,
    );
  });

  it('refuses a caller of another team, changing nothing, and audits the refusal', async () => {
    const { done } = run(
      {
        entityRef: 'component:default/payments-api',
        environment: 'dev',
        image: IMAGE,
      },
      { user: TEST_USERS.teamB },
    );
    await expect(done).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(image()).toBe(PLACEHOLDER);
    expect(writes()).toEqual([]);
    expect(audit.events).toEqual([
      expect.objectContaining({ eventId: 'image-deploy', outcome: 'failed' }),
    ]);
  });

  it('reports in a dry run what it would set, writing nothing', async () => {
    const { ctx, logger, done } = run(
      {
        entityRef: 'component:default/payments-api',
        environment: 'dev',
        image: IMAGE,
      },
      { isDryRun: true },
    );
    await done;
    expect(writes()).toEqual([]);
    expect(image()).toBe(PLACEHOLDER);
    expect(logger.info).toHaveBeenCalledWith(
      `Would set ${IMAGE} on Deployment/payments-api in namespace payments-api-dev`,
    );
    expect(ctx.output).toHaveBeenCalledWith('workloads', [
      'Deployment/payments-api',
    ]);
  });

  it.each([
    [
      {
        entityRef: 'group:default/storefront',
        environment: 'dev',
        image: IMAGE,
      },
      /^entityRef: expected a component ref/,
    ],
    [
      {
        entityRef: 'component:default/payments-api',
        environment: 'Dev_1',
        image: IMAGE,
      },
      /^environment/,
    ],
    [
      {
        entityRef: 'component:default/payments-api',
        environment: 'dev',
        image: 'ghcr.io/kestrel/payments-api:latest',
      },
      /^image: .*latest tag/,
    ],
  ])(
    'refuses %j naming the field, before writing anything',
    async (input, message) => {
      await expect(run(input).done).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(writes()).toEqual([]);
      expect(image()).toBe(PLACEHOLDER);
    },
  );

  it('fails the step when the rollout does not complete', async () => {
    server.driver.setRolloutMode('manual');
    const { done } = run({
      entityRef: 'component:default/payments-api',
      environment: 'dev',
      image: IMAGE,
      timeoutSeconds: 1,
    });
    await expect(done).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('did not complete in time'),
    });
  });
});
