import { mockServices } from '@backstage/backend-test-utils';
import { KubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import yaml from 'yaml';
import { createKubernetesNamespaceProvisionAction } from './kubernetesNamespaceProvision';
import { examples } from './kubernetesNamespaceProvision.examples';
import {
  checkpointStore,
  recordingCheckpoint,
} from '../__testUtils__/checkpointStore';
import {
  actionOptions,
  mockActionContext,
  provisionerFor,
} from '../__testUtils__/testCluster';

describe('paved:kubernetes:namespace:provision', () => {
  let server: KubernetesTestServer;
  let provisioner: KubernetesProvisioner;

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    provisioner = await provisionerFor(server, {
      clusterName: ['dev', 'prod-eu'],
      paved: { kubernetes: { defaultCluster: 'dev' } },
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const { input } = yaml.parse(example).steps[0];
      const action = createKubernetesNamespaceProvisionAction(
        actionOptions(provisioner),
      );
      const ctx = mockActionContext({ input });
      await action.handler(ctx);
      const namespace = `${input.component}-${input.environment}`;
      expect(ctx.output).toHaveBeenCalledWith(
        'cluster',
        input.cluster ?? 'dev',
      );
      expect(ctx.output).toHaveBeenCalledWith('namespace', namespace);
      expect(ctx.output).toHaveBeenCalledWith('created', [
        `Namespace/${namespace}`,
        'ResourceQuota/paved-quota',
        'LimitRange/paved-limits',
        'NetworkPolicy/paved-default-deny',
        'RoleBinding/paved-owner',
      ]);
      expect(ctx.output).toHaveBeenCalledWith('updated', []);
      expect(ctx.output).toHaveBeenCalledWith('unchanged', []);
      const ns = server.driver.getObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: namespace,
      })!;
      expect(ns.metadata.labels['paved.kestrel.example/size']).toBe(
        input.size ?? 'small',
      );
    },
  );

  it('checkpoints the namespace under a key naming it, and converges when run again', async () => {
    const action = createKubernetesNamespaceProvisionAction(
      actionOptions(provisioner),
    );
    const { keys, checkpoint } = recordingCheckpoint();
    const input = {
      component: 'shop',
      environment: 'dev',
      owner: 'group:default/team-shop',
    };
    const run = async () => {
      const ctx = { ...mockActionContext({ input }), checkpoint };
      await action.handler(ctx as any);
      return ctx;
    };
    await run();
    server.resetRequests();
    const second = await run();
    expect(keys).toEqual([
      'kubernetes.namespace.dev.shop-dev',
      'kubernetes.namespace.dev.shop-dev',
    ]);
    expect(second.output).toHaveBeenCalledWith(
      'unchanged',
      expect.arrayContaining(['Namespace/shop-dev']),
    );
    expect(second.output).toHaveBeenCalledWith('created', []);
    expect(server.requests.filter(r => r.write)).toEqual([]);
  });

  it('refuses an owner change unless changeOwner is set', async () => {
    const action = createKubernetesNamespaceProvisionAction(
      actionOptions(provisioner),
    );
    const input = {
      component: 'shop',
      environment: 'dev',
      owner: 'group:default/team-shop',
    };
    await action.handler(mockActionContext({ input }));
    const takeover = mockActionContext({
      input: { ...input, owner: 'group:default/team-intruder' },
    });
    await expect(action.handler(takeover)).rejects.toThrow(
      'owner: namespace "shop-dev" on cluster "dev" belongs to group "team-shop", not "team-intruder"',
    );
    expect(takeover.output).not.toHaveBeenCalled();

    const handover = mockActionContext({
      input: { ...input, owner: 'group:default/team-new', changeOwner: true },
    });
    await action.handler(handover);
    expect(handover.output).toHaveBeenCalledWith('updated', [
      'Namespace/shop-dev',
      'RoleBinding/paved-owner',
    ]);
  });

  it('replays its checkpoint on retry after reading the namespace (owner check, then the replay check), while the namespace it provisioned is there', async () => {
    const action = createKubernetesNamespaceProvisionAction(
      actionOptions(provisioner),
    );
    const store = checkpointStore();
    const input = {
      component: 'shop',
      environment: 'dev',
      owner: 'group:default/team-shop',
    };
    const first = { ...mockActionContext({ input }), ...store };
    await action.handler(first as any);
    server.resetRequests();
    const retry = { ...mockActionContext({ input }), ...store };
    await action.handler(retry as any);
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/shop-dev',
      'GET /api/v1/namespaces/shop-dev',
    ]);
    expect(retry.output).toHaveBeenCalledWith(
      'created',
      expect.arrayContaining(['Namespace/shop-dev']),
    );
  });

  it('provisions again on retry when the namespace was deleted since, and checkpoints that too', async () => {
    const action = createKubernetesNamespaceProvisionAction(
      actionOptions(provisioner),
    );
    const store = checkpointStore();
    const input = {
      component: 'shop',
      environment: 'dev',
      owner: 'group:default/team-shop',
    };
    await action.handler({
      ...mockActionContext({ input }),
      ...store,
    } as any);
    const uid = () =>
      server.driver.getObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'shop-dev',
      })?.metadata.uid;
    const first = uid();
    // Undone outside the task, as paved:kubernetes:namespace:delete does.
    await provisioner.deleteNamespace({ ...input, pollIntervalMs: 1 });
    expect(uid()).toBeUndefined();

    const logger = mockServices.logger.mock();
    const retry = {
      ...mockActionContext({ input, logger }),
      ...store,
    };
    await action.handler(retry as any);
    expect(uid()).toEqual(expect.any(String));
    expect(uid()).not.toBe(first);
    expect(logger.info).toHaveBeenCalledWith(
      'Namespace "shop-dev" on cluster "dev", which this step provisioned before, is gone or was replaced (deleted since, e.g. by paved:kubernetes:namespace:delete); provisioning it again',
    );
    expect(retry.output).toHaveBeenCalledWith('created', [
      'Namespace/shop-dev',
      'ResourceQuota/paved-quota',
      'LimitRange/paved-limits',
      'NetworkPolicy/paved-default-deny',
      'RoleBinding/paved-owner',
    ]);
    expect([...store.values.keys()]).toEqual([
      'kubernetes.namespace.dev.shop-dev',
      `kubernetes.namespace.dev.shop-dev.after-${first}`,
    ]);

    // The next retry replays the new record: reads only.
    server.resetRequests();
    await action.handler({
      ...mockActionContext({ input }),
      ...store,
    } as any);
    expect(server.requests.filter(r => r.write)).toEqual([]);
  });

  it('shows in a dry run what it would create, and creates nothing', async () => {
    const action = createKubernetesNamespaceProvisionAction(
      actionOptions(provisioner),
    );
    const logger = mockServices.logger.mock();
    const ctx = {
      ...mockActionContext({
        input: { component: 'shop', environment: 'dev', owner: 'team-shop' },
        logger,
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(logger.info.mock.calls.map(c => c[0])).toEqual([
      'would create Namespace/shop-dev',
      'would create ResourceQuota/paved-quota',
      'would create LimitRange/paved-limits',
      'would create NetworkPolicy/paved-default-deny',
      'would create RoleBinding/paved-owner',
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'created',
      expect.arrayContaining(['Namespace/shop-dev']),
    );
    expect(server.requests.filter(r => r.write)).toEqual([]);
  });

  it.each([
    [
      { component: 'Shop', environment: 'dev', owner: 'team-shop' },
      'component: "Shop" is not a DNS-1123 label',
    ],
    [
      {
        component: 'shop',
        environment: 'dev',
        owner: 'team-shop',
        cluster: 'mars',
      },
      'cluster: "mars" is not a configured Kubernetes cluster; configured: dev, prod-eu',
    ],
  ])('rejects %j naming the field', async (input, message) => {
    const action = createKubernetesNamespaceProvisionAction(
      actionOptions(provisioner),
    );
    const ctx = mockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(message);
    expect(ctx.output).not.toHaveBeenCalled();
    expect(server.requests).toEqual([]);
  });
});
