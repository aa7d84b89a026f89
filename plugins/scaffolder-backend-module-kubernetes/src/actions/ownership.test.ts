import { mockServices } from '@backstage/backend-test-utils';
import { KubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  TEST_GROUPS,
  TEST_USERS,
  runAction,
  sampleServiceManifests,
  startKubernetesTestServer,
  testOwnership,
} from '@paved/testkit';
import { createKubernetesApplyAction } from './kubernetesApply';
import { createKubernetesNamespaceDeleteAction } from './kubernetesNamespaceDelete';
import { createKubernetesNamespaceProvisionAction } from './kubernetesNamespaceProvision';
import { createKubernetesRolloutWaitAction } from './kubernetesRolloutWait';
import { provisionerFor } from '../__testUtils__/testCluster';

/** Team A's service, already deployed into its dev namespace. */
const teamA = { component: 'web-shop', environment: 'dev' };
const deploymentRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'web-shop-dev',
  name: 'web-shop',
};

/** A mock auditor whose events record how they ended. */
function recordingAuditor() {
  const events: Array<{ eventId: string; meta: any; outcome?: string }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async ({ eventId, meta }: any) => {
      const event: (typeof events)[number] = { eventId, meta };
      events.push(event);
      return {
        success: async () => {
          event.outcome = 'succeeded';
        },
        fail: async () => {
          event.outcome = 'failed';
        },
      };
    }),
  });
  return { auditor, events };
}

describe('paved:kubernetes:* ownership, audit and dry runs', () => {
  let server: KubernetesTestServer;
  let provisioner: KubernetesProvisioner;
  let audit: ReturnType<typeof recordingAuditor>;

  const actions = () => {
    const options = {
      provisioner,
      ownership: testOwnership(),
      auditor: audit.auditor,
      pollIntervalMs: 1,
    };
    return {
      provision: createKubernetesNamespaceProvisionAction(options),
      apply: createKubernetesApplyAction(options),
      rollout: createKubernetesRolloutWaitAction(options),
      remove: createKubernetesNamespaceDeleteAction(options),
    };
  };

  const writes = () => server.requests.filter(r => r.write);

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    provisioner = await provisionerFor(server, { clusterName: 'dev' });
    audit = recordingAuditor();
    const { provision, apply } = actions();
    const asTeamA = { user: TEST_USERS.teamA, taskId: 'task-a' };
    const provisioned = await runAction(
      provision,
      { ...teamA, owner: TEST_GROUPS.teamA },
      asTeamA,
    );
    const applied = await runAction(
      apply,
      { ...teamA, manifests: sampleServiceManifests({ name: 'web-shop' }) },
      asTeamA,
    );
    if (provisioned.error || applied.error) {
      throw provisioned.error ?? applied.error;
    }
    audit.events.length = 0;
    server.resetRequests();
  });

  afterEach(async () => {
    await server.close();
  });

  it("refuses team B deploying another image into team A's service, naming team A as owner, and writes nothing", async () => {
    const { provision, apply } = actions();
    const asTeamB = { user: TEST_USERS.teamB, taskId: 'task-b' };

    const provisioned = await runAction(
      provision,
      { ...teamA, owner: TEST_GROUPS.teamA },
      asTeamB,
    );
    expect(provisioned.error?.name).toBe('NotAllowedError');
    expect(provisioned.error?.message).toContain(
      'user:default/jonas-weber may not provision namespace web-shop-dev',
    );

    const applied = await runAction(
      apply,
      {
        ...teamA,
        manifests: sampleServiceManifests({
          name: 'web-shop',
          image: 'ghcr.io/mallory/web-shop:6.6.6',
        }),
        force: true,
      },
      asTeamB,
    );
    expect(applied.error?.name).toBe('NotAllowedError');
    expect(applied.error?.message).toContain(
      'user:default/jonas-weber may not apply manifests to namespace web-shop-dev',
    );

    expect(writes()).toEqual([]);
    const deployment = server.driver.getObject(deploymentRef)!;
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/kestrel/web-shop:1.4.2',
    );
    expect(applied.outputs).toEqual({});
    // Both refusals are in the audit trail, as failed changes by team B.
    expect(audit.events).toEqual([
      {
        eventId: 'namespace-provision',
        meta: expect.objectContaining({
          actor: TEST_USERS.teamB,
          target: 'namespace web-shop-dev',
          taskId: 'task-b',
        }),
        outcome: 'failed',
      },
      {
        eventId: 'manifest-apply',
        meta: expect.objectContaining({
          actor: TEST_USERS.teamB,
          target: 'namespace web-shop-dev',
        }),
        outcome: 'failed',
      },
    ]);
  });

  it('refuses team B taking over the namespace with changeOwner, and creating one for a group it is not in', async () => {
    const { provision } = actions();
    const asTeamB = { user: TEST_USERS.teamB };
    const takeover = await runAction(
      provision,
      { ...teamA, owner: TEST_GROUPS.teamB, changeOwner: true },
      asTeamB,
    );
    expect(takeover.error?.name).toBe('NotAllowedError');
    expect(takeover.error?.message).toContain('group:default/storefront');

    const forOthers = await runAction(
      provision,
      {
        component: 'parcels',
        environment: 'dev',
        owner: TEST_GROUPS.teamA,
      },
      asTeamB,
    );
    expect(forOthers.error?.name).toBe('NotAllowedError');
    expect(writes()).toEqual([]);

    const notAGroup = await runAction(
      provision,
      {
        component: 'parcels',
        environment: 'dev',
        owner: TEST_USERS.teamB,
      },
      asTeamB,
    );
    expect(notAGroup.error?.name).toBe('InputError');
    expect(notAGroup.error?.message).toMatch(/^owner /);
    expect(writes()).toEqual([]);

    const own = await runAction(
      provision,
      { component: 'parcels', environment: 'dev', owner: TEST_GROUPS.teamB },
      asTeamB,
    );
    expect(own.error).toBeUndefined();
    expect(
      server.driver.getObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'parcels-dev',
      })?.metadata.labels['paved.kestrel.example/owner'],
    ).toBe('fulfilment');
  });

  it('refuses team B reading the rollout and container logs of kube-system, reading nothing but the namespace', async () => {
    const { rollout } = actions();
    const run = await runAction(
      rollout,
      { component: 'kube', environment: 'system' },
      { user: TEST_USERS.teamB, taskId: 'task-b' },
    );
    expect(run.error?.name).toBe('NotAllowedError');
    expect(run.error?.message).toContain(
      'Namespace "kube-system" on cluster "dev" is not managed by Paved',
    );
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/kube-system',
    ]);
    expect(run.lines.filter(l => l.startsWith('warn'))).toEqual([]);
    expect(audit.events).toEqual([
      expect.objectContaining({ eventId: 'rollout-read', outcome: 'failed' }),
    ]);
  });

  it("refuses team B the container logs of team A's failing rollout", async () => {
    server.driver.crashLoop(deploymentRef, {
      logs: ['DATABASE_URL=postgres://shop:s3cret@db/shop'],
    });
    server.resetRequests();
    const run = await runAction(actions().rollout, teamA, {
      user: TEST_USERS.teamB,
    });
    expect(run.error?.name).toBe('NotAllowedError');
    expect(run.lines.join('\n')).not.toContain('s3cret');
    expect(server.requests.map(r => r.verb)).toEqual(['get']);
  });

  it('lets team A wait for its rollout, audited as succeeded', async () => {
    server.driver.completeRollout(deploymentRef);
    const run = await runAction(actions().rollout, teamA, {
      user: TEST_USERS.teamAMate,
      taskId: 'task-a2',
    });
    expect(run.error).toBeUndefined();
    expect(run.outputs.workloads).toEqual(['Deployment/web-shop']);
    expect(audit.events).toEqual([
      {
        eventId: 'rollout-read',
        meta: expect.objectContaining({
          actor: TEST_USERS.teamAMate,
          target: 'namespace web-shop-dev',
          taskId: 'task-a2',
        }),
        outcome: 'succeeded',
      },
    ]);
  });

  it("refuses team B deleting team A's namespace (as a destructive change, high severity), and lets the admin", async () => {
    const { remove } = actions();
    const refused = await runAction(remove, teamA, { user: TEST_USERS.teamB });
    expect(refused.error?.name).toBe('NotAllowedError');
    expect(refused.error?.message).toContain(
      'may not delete namespace web-shop-dev',
    );
    expect(writes()).toEqual([]);

    const deleted = await runAction(remove, teamA, { user: TEST_USERS.admin });
    expect(deleted.error).toBeUndefined();
    expect(deleted.outputs.existed).toBe(true);
    expect(audit.events.map(e => [e.eventId, e.outcome])).toEqual([
      ['namespace-delete', 'failed'],
      ['namespace-delete', 'succeeded'],
    ]);
    expect(audit.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ severityLevel: 'high' }),
    );
  });

  it('checks ownership in a dry run too, and a dry run of every action writes nothing and is not audited', async () => {
    const { provision, apply, rollout, remove } = actions();
    const refused = await runAction(
      apply,
      { ...teamA, manifests: sampleServiceManifests({ name: 'web-shop' }) },
      { user: TEST_USERS.teamB, isDryRun: true },
    );
    expect(refused.error?.name).toBe('NotAllowedError');

    const asTeamA = { user: TEST_USERS.teamA, isDryRun: true };
    const runs = [
      await runAction(
        provision,
        { ...teamA, owner: TEST_GROUPS.teamA, size: 'large' },
        asTeamA,
      ),
      await runAction(
        provision,
        { component: 'new-shop', environment: 'dev', owner: TEST_GROUPS.teamA },
        asTeamA,
      ),
      await runAction(
        apply,
        {
          ...teamA,
          manifests: sampleServiceManifests({
            name: 'web-shop',
            image: 'ghcr.io/kestrel/web-shop:1.5.0',
          }),
        },
        asTeamA,
      ),
      await runAction(rollout, teamA, asTeamA),
      await runAction(remove, teamA, asTeamA),
    ];
    expect(runs.map(r => r.error)).toEqual(runs.map(() => undefined));
    expect(runs[0].lines).toContain(
      'info: would update Namespace/web-shop-dev',
    );
    expect(runs[2].lines).toContain('info: would update Deployment/web-shop');
    expect(writes()).toEqual([]);
    expect(
      server.requests.every(
        r => r.verb === 'get' || r.verb === 'list' || r.verb === 'discovery',
      ),
    ).toBe(true);
    expect(audit.events).toEqual([]);
    expect(
      server.driver.getObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'web-shop-dev',
      }),
    ).toBeDefined();
  });
});
