import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import {
  KubernetesTestServer,
  sampleServiceManifests,
  startKubernetesTestServer,
} from '@paved/testkit';
import { DefaultKubernetesProvisioner } from '../DefaultKubernetesProvisioner';
import { LOG_LIMITS, capLogLines } from './logLimits';

const target = { component: 'shop', environment: 'dev' };
const deploymentRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'shop-dev',
  name: 'shop',
};

describe('waitForRollout: where it reads and how much log it copies', () => {
  let server: KubernetesTestServer;
  let provisioner: DefaultKubernetesProvisioner;

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    provisioner = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader(server.appConfig({ clusterName: 'dev' })),
      { logger: mockServices.logger.mock() },
    );
    await provisioner.ensureNamespace({ ...target, owner: 'team-shop' });
    await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests({ name: 'shop' }),
    });
    server.resetRequests();
  });

  afterEach(() => server.close());

  it('refuses a namespace Paved did not provision, reading nothing in it', async () => {
    await expect(
      provisioner.waitForRollout({ component: 'kube', environment: 'system' }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message:
          'Namespace "kube-system" on cluster "dev" is not managed by Paved (app.kubernetes.io/managed-by is not set); Paved reads rollouts only in namespaces it provisioned',
      }),
    );
    await expect(
      provisioner.waitForRollout({ component: 'shop', environment: 'prod' }),
    ).rejects.toThrow(
      'Namespace "shop-prod" does not exist on cluster "dev"; provision it first',
    );
    expect(server.requests.map(r => `${r.verb} ${r.path}`)).toEqual([
      'get /api/v1/namespaces/kube-system',
      'get /api/v1/namespaces/shop-prod',
    ]);
  });

  it("copies at most the capped lines and bytes of a failing container's log, asking the cluster for no more", async () => {
    const lines = Array.from(
      { length: 200 },
      (_, i) => `line ${i} ${'x'.repeat(i % 2 ? 2000 : 50)}`,
    );
    server.driver.crashLoop(deploymentRef, { logs: lines });
    const result = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 1,
      logTailLines: 500,
    });
    expect(result.outcome).toBe('failed');
    const logs = result.diagnostics!.logs;
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) {
      expect(log.truncated).toBe(true);
      expect(log.lines.length).toBeLessThanOrEqual(LOG_LIMITS.maxTailLines);
      expect(Buffer.byteLength(log.lines.join('\n'))).toBeLessThanOrEqual(
        LOG_LIMITS.maxBytes,
      );
      expect(log.lines.at(-1)).toMatch(/^line 199 x{50}/);
      expect(
        log.lines.every(l => l.length <= LOG_LIMITS.maxLineChars + 8),
      ).toBe(true);
    }
    const logReads = server.requests.filter(r => r.path.endsWith('/log'));
    expect(logReads.length).toBeGreaterThan(0);
    for (const read of logReads) {
      expect(read.query).toMatchObject({
        tailLines: String(LOG_LIMITS.maxTailLines),
        limitBytes: String(LOG_LIMITS.maxReadBytes),
      });
    }
  });

  it('keeps short logs whole', () => {
    expect(capLogLines('booting\n\nError: cannot reach db\n')).toEqual({
      lines: ['booting', 'Error: cannot reach db'],
      truncated: false,
    });
  });
});
