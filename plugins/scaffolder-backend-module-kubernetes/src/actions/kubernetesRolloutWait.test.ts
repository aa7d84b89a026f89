import { KubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  sampleServiceManifests,
  startKubernetesTestServer,
} from '@paved/testkit';
import yaml from 'yaml';
import { createKubernetesRolloutWaitAction } from './kubernetesRolloutWait';
import { examples } from './kubernetesRolloutWait.examples';
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

describe('paved:kubernetes:rollout:wait', () => {
  let server: KubernetesTestServer;
  let provisioner: KubernetesProvisioner;

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    provisioner = await provisionerFor(server, { clusterName: 'dev' });
    await provisioner.ensureNamespace({ ...target, owner: 'team-payments' });
    await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests({ name: 'payments-api' }),
    });
  });

  afterEach(async () => {
    await server.close();
  });

  const run = (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) =>
    runAction(
      createKubernetesRolloutWaitAction({
        ...actionOptions(provisioner),
        pollIntervalMs: 1,
      }),
      input,
      extra,
    );

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const { input } = yaml.parse(example).steps[0];
      server.driver.completeRollout(deploymentRef);
      const { ctx, logger, done } = run(input);
      await done;
      expect(ctx.output).toHaveBeenCalledWith('workloads', [
        'Deployment/payments-api',
      ]);
      expect(ctx.output).toHaveBeenCalledWith('namespace', 'payments-api-dev');
      expect(logger.info).toHaveBeenCalledWith(
        'Deployment payments-api: 2/2 replicas updated, 2 available',
      );
    },
  );

  it('logs progress lines while the rollout advances', async () => {
    let polls = 0;
    const { logger, done } = run(target, {
      checkpoint: async ({ fn }: { fn: () => Promise<any> }) => fn(),
    });
    logger.info.mockImplementation(() => {
      polls += 1;
      if (polls === 1)
        server.driver.progressRollout(deploymentRef, {
          updated: 1,
          ready: 0,
          available: 0,
        });
      if (polls === 2) server.driver.completeRollout(deploymentRef);
    });
    await done;
    expect(logger.info.mock.calls.map(c => c[0])).toEqual([
      'Deployment payments-api: waiting for the controller to observe generation 1',
      'Deployment payments-api: 1/2 replicas updated, 0 available',
      'Deployment payments-api: 2/2 replicas updated, 2 available',
    ]);
  });

  it('fails a crash loop with the warning events and the end of the log in the task log', async () => {
    server.driver.crashLoop(deploymentRef, {
      logs: ['booting', 'Error: cannot reach postgres:5432'],
    });
    const { ctx, logger, done } = run({ ...target, logTailLines: 5 });
    await expect(done).rejects.toThrow(
      expect.objectContaining({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(
          /^The rollout in namespace payments-api-dev on cluster dev failed: Deployment payments-api: 2\/2 replicas updated, 0 available; pod payments-api-\S+ container payments-api: CrashLoopBackOff/,
        ),
      }),
    );
    const warnings = logger.warn.mock.calls.map(c => String(c[0]));
    expect(
      warnings.filter(w =>
        /^Pod\/payments-api-\S+: BackOff: Back-off restarting failed container payments-api/.test(
          w,
        ),
      ),
    ).toHaveLength(2);
    expect(
      warnings.filter(w =>
        w.endsWith(
          '/payments-api:\nbooting\nError: cannot reach postgres:5432',
        ),
      ),
    ).toHaveLength(2);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('copies a capped, redacted end of the log into the task log: no task secret, password or token', async () => {
    const secret = 'sk_live_0123456789abcdef';
    server.driver.crashLoop(deploymentRef, {
      logs: [
        ...Array.from(
          { length: 300 },
          (_, i) => `noise ${i} ${'n'.repeat(900)}`,
        ),
        `connecting with key ${secret}`,
        'DATABASE_URL=postgres://shop:hunter2@db:5432/shop',
        'db_password: "correct-horse"',
        'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
        'Error: cannot reach postgres:5432',
      ],
    });
    const { logger, done } = run(
      { ...target, logTailLines: 50 },
      { secrets: { stripeKey: secret } },
    );
    await expect(done).rejects.toThrow('failed');
    const logs = logger.warn.mock.calls
      .map(c => String(c[0]))
      .filter(w => w.startsWith('Last lines of '));
    expect(logs).toHaveLength(2);
    for (const log of logs) {
      expect(log).toContain('(cut to the last lines that fit)');
      expect(Buffer.byteLength(log)).toBeLessThan(5 * 1024);
      expect(log).toContain(`connecting with key <redacted>`);
      expect(log).toContain('postgres://shop:<redacted>@db:5432/shop');
      expect(log).toContain('db_password: "<redacted>"');
      expect(log).toContain('Authorization: Bearer <redacted>');
      expect(log).toMatch(/Error: cannot reach postgres:5432$/);
      for (const leaked of [secret, 'hunter2', 'correct-horse', 'eyJhbGci']) {
        expect(log).not.toContain(leaked);
      }
    }
  });

  it('times out with what it saw', async () => {
    const { done } = run({ ...target, timeoutSeconds: 1 });
    await expect(done).rejects.toThrow(
      'The rollout in namespace payments-api-dev on cluster dev did not become available in time: Deployment payments-api: waiting for the controller to observe generation 1.',
    );
  });

  it('only reads the namespace (whose it is) in a dry run', async () => {
    server.resetRequests();
    const { ctx, logger, done } = run(
      { ...target, workloads: ['StatefulSet/db'] },
      { isDryRun: true },
    );
    await done;
    expect(logger.info).toHaveBeenCalledWith(
      'Would wait for StatefulSet/db in namespace payments-api-dev on cluster dev',
    );
    expect(ctx.output).toHaveBeenCalledWith('workloads', ['StatefulSet/db']);
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/payments-api-dev',
    ]);
  });

  it('rejects a workload that is not a Deployment or StatefulSet', async () => {
    const { done } = run({ ...target, workloads: ['DaemonSet/agent'] });
    await expect(done).rejects.toThrow(
      'workloads: expected "Deployment/<name>", "StatefulSet/<name>" or a Deployment name, got "DaemonSet/agent"',
    );
  });
});
