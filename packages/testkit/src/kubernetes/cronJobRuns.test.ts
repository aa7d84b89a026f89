import {
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from './startKubernetesTestServer';

const labels = { 'backstage.io/kubernetes-id': 'nightly-report' };

const cronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly-report', namespace: 'team', labels },
  spec: {
    schedule: '0 3 * * *',
    concurrencyPolicy: 'Forbid',
    jobTemplate: {
      metadata: { labels },
      spec: {
        backoffLimit: 2,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'job', image: 'ghcr.io/kestrel/job:1.0.0' }],
          },
        },
      },
    },
  },
};

describe('the Kubernetes test server: a CronJob run that fails', () => {
  let server: KubernetesTestServer;
  let batch: BatchV1Api;
  let core: CoreV1Api;

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(
      { name: 'test', server: server.url, skipTLSVerify: true },
      { name: 'test', token: server.token },
    );
    batch = kc.makeApiClient(BatchV1Api);
    core = kc.makeApiClient(CoreV1Api);
    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
    });
    await KubernetesObjectApi.makeApiClient(kc).create(cronJob);
  });

  afterEach(async () => {
    await server.close();
  });

  it('leaves a Job the CronJob owns, failed at its backoff limit, with one Failed pod per attempt, found by the label', async () => {
    const scheduledAt = new Date('2026-12-07T03:00:00Z');
    const run = server.driver.failCronJobRun(
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        namespace: 'team',
        name: 'nightly-report',
      },
      { scheduledAt, exitCode: 2, logs: ['{"level":"error","msg":"boom"}'] },
    );
    // The CronJob controller names the Job after the scheduled minute.
    expect(run.job).toBe(
      `nightly-report-${Math.floor(scheduledAt.getTime() / 60_000)}`,
    );
    expect(run.pods).toHaveLength(3);

    const selector = 'backstage.io/kubernetes-id=nightly-report';
    const jobs = await batch.listNamespacedJob({
      namespace: 'team',
      labelSelector: selector,
    });
    expect(jobs.items.map(j => j.metadata!.name)).toEqual([run.job]);
    const [job] = jobs.items;
    const owner = await batch.readNamespacedCronJob({
      name: 'nightly-report',
      namespace: 'team',
    });
    expect(job.metadata!.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'CronJob',
        name: 'nightly-report',
        uid: owner.metadata!.uid,
        controller: true,
      }),
    ]);
    expect(job.status!.failed).toBe(3);
    expect(job.status!.conditions!.map(c => [c.type, c.reason])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ]);
    expect(owner.status!.lastScheduleTime).toEqual(scheduledAt);

    const pods = await core.listNamespacedPod({
      namespace: 'team',
      labelSelector: selector,
    });
    expect(pods.items.map(p => p.metadata!.name).sort()).toEqual(
      [...run.pods].sort(),
    );
    for (const pod of pods.items) {
      expect(pod.status!.phase).toBe('Failed');
      expect(pod.metadata!.labels!['job-name']).toBe(run.job);
      expect(pod.metadata!.ownerReferences![0]).toMatchObject({
        kind: 'Job',
        name: run.job,
        uid: job.metadata!.uid,
      });
      expect(pod.status!.containerStatuses![0].state!.terminated).toMatchObject(
        { exitCode: 2, reason: 'Error' },
      );
    }
    const log = await core.readNamespacedPodLog({
      name: run.pods[0],
      namespace: 'team',
      container: 'job',
    });
    expect(log).toContain('boom');

    const events = await core.listNamespacedEvent({ namespace: 'team' });
    expect(
      events.items
        .map(e => `${e.involvedObject.kind} ${e.type} ${e.reason}`)
        .sort(),
    ).toEqual([
      'CronJob Normal SawCompletedJob',
      'CronJob Normal SuccessfulCreate',
      'Job Warning BackoffLimitExceeded',
    ]);
  });

  it('refuses what is not a CronJob', () => {
    server.driver.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team' },
      spec: {},
    });
    expect(() =>
      server.driver.failCronJobRun({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team',
        name: 'web',
      }),
    ).toThrow('Deployment web is not a CronJob');
  });
});
