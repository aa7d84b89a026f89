import { KubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import yaml from 'yaml';
import { createKubernetesNamespaceDeleteAction } from './kubernetesNamespaceDelete';
import { examples } from './kubernetesNamespaceDelete.examples';
import {
  checkpointStore,
  recordingCheckpoint,
} from '../__testUtils__/checkpointStore';
import {
  actionOptions,
  provisionerFor,
  runAction,
} from '../__testUtils__/testCluster';

describe('paved:kubernetes:namespace:delete', () => {
  let server: KubernetesTestServer;
  let provisioner: KubernetesProvisioner;

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    provisioner = await provisionerFor(server, { clusterName: 'dev' });
  });

  afterEach(async () => {
    await server.close();
  });

  const run = (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) =>
    runAction(
      createKubernetesNamespaceDeleteAction({
        ...actionOptions(provisioner),
        pollIntervalMs: 1,
      }),
      input,
      extra,
    );

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example, twice: %s',
    async (_, example) => {
      const { input } = yaml.parse(example).steps[0];
      await provisioner.ensureNamespace({ ...input, owner: 'team-payments' });
      const { keys, checkpoint } = recordingCheckpoint();

      const first = run(input, { checkpoint });
      await first.done;
      expect(first.ctx.output).toHaveBeenCalledWith('existed', true);
      expect(first.logger.info).toHaveBeenCalledWith(
        `Namespace "${input.component}-${input.environment}" is gone`,
      );
      expect(
        server.driver.getObject({
          apiVersion: 'v1',
          kind: 'Namespace',
          name: `${input.component}-${input.environment}`,
        }),
      ).toBeUndefined();

      const second = run(input, { checkpoint });
      await second.done;
      expect(second.ctx.output).toHaveBeenCalledWith('existed', false);
      expect(keys).toEqual([
        `kubernetes.namespace-deletion.dev.${input.component}-${input.environment}`,
        `kubernetes.namespace-deletion.dev.${input.component}-${input.environment}`,
      ]);
    },
  );

  it('deletes again on retry when the namespace was provisioned again since', async () => {
    const store = checkpointStore();
    const input = { component: 'shop', environment: 'preview' };
    await provisioner.ensureNamespace({ ...input, owner: 'team-shop' });
    await run(input, store).done;
    server.resetRequests();
    // Replayed: one read, nothing deleted.
    const replay = run(input, store);
    await replay.done;
    expect(replay.ctx.output).toHaveBeenCalledWith('existed', true);
    expect(server.requests.filter(r => r.write)).toEqual([]);

    await provisioner.ensureNamespace({ ...input, owner: 'team-shop' });
    const again = run(input, store);
    await again.done;
    expect(again.logger.info).toHaveBeenCalledWith(
      'Namespace "shop-preview" exists again on cluster "dev" (provisioned after this step deleted it); deleting it again',
    );
    expect(
      server.driver.getObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'shop-preview',
      }),
    ).toBeUndefined();
    expect(store.values.size).toBe(2);
  });

  it('only says what it would delete in a dry run', async () => {
    await provisioner.ensureNamespace({
      component: 'shop',
      environment: 'preview',
      owner: 'team-shop',
    });
    server.resetRequests();
    const { ctx, logger, done } = run(
      { component: 'shop', environment: 'preview' },
      { isDryRun: true },
    );
    await done;
    expect(logger.info).toHaveBeenCalledWith(
      'Would delete namespace "shop-preview" on cluster "dev"',
    );
    expect(ctx.output).toHaveBeenCalledWith('existed', true);
    expect(server.requests.filter(r => r.write)).toEqual([]);
  });

  it('refuses a namespace Paved did not provision', async () => {
    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop-preview' },
    });
    const { done } = run({ component: 'shop', environment: 'preview' });
    await expect(done).rejects.toThrow(
      'Namespace "shop-preview" on cluster "dev" is not managed by Paved (app.kubernetes.io/managed-by is not set); Paved changes only the namespaces it provisioned for component "shop" in environment "preview"',
    );
  });
});
