import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DeleteNamespaceOptions,
  KubernetesProvisioner,
  namespaceNameFor,
} from '@paved/plugin-kubernetes-node';
import {
  KubernetesActionOptions,
  assertMayChangeNamespace,
  audited,
} from './guardedChange';
import { examples } from './kubernetesNamespaceDelete.examples';
import {
  StepContext,
  Zod,
  clusterInput,
  componentInput,
  timeoutMsOf,
  timeoutSecondsInput,
} from './shared';
import { verifiedCheckpoint } from './verifiedCheckpoint';

/** What the step checkpoints; a bare boolean before the uid was recorded. */
type DeletionRecord = { existed: boolean; uid?: string } | boolean;

/** Deletes once; whether the namespace existed. */
async function checkpointedDelete(
  ctx: StepContext,
  provisioner: KubernetesProvisioner,
  request: DeleteNamespaceOptions & { cluster: string },
): Promise<boolean> {
  const { cluster, component, environment } = request;
  const namespace = namespaceNameFor(component, environment);
  const record = await verifiedCheckpoint<DeletionRecord>(ctx, {
    key: `kubernetes.namespace-deletion.${cluster}.${namespace}`,
    fn: async () => {
      const result = await provisioner.deleteNamespace(request);
      return {
        existed: result.existed,
        ...(result.uid && { uid: result.uid }),
      };
    },
    // Replayed on retry, unless the namespace was provisioned again since: then that one is deleted.
    stillHolds: async () =>
      (await provisioner.getNamespace({
        cluster,
        component,
        environment,
      })) === undefined,
    generation: replayed =>
      (typeof replayed === 'object' && replayed.uid) || 'none',
    onStale: () =>
      ctx.logger.info(
        `Namespace "${namespace}" exists again on cluster "${cluster}" (provisioned after this step deleted it); deleting it again`,
      ),
  });
  return typeof record === 'boolean' ? record : record.existed;
}

const input = {
  component: componentInput,
  environment: (z: Zod) =>
    z.string().describe('The environment, e.g. preview.'),
  timeoutSeconds: timeoutSecondsInput(
    'How long to wait for the namespace to go. Default paved.kubernetes.namespaceDeletionTimeout (5 minutes).',
  ),
  cluster: clusterInput,
};

const output = {
  cluster: (z: Zod) => z.string().describe('The cluster the namespace was on.'),
  namespace: (z: Zod) => z.string().describe('The namespace name.'),
  existed: (z: Zod) =>
    z.boolean().describe('False when the namespace was already gone.'),
};

/**
 * Creates the `paved:kubernetes:namespace:delete` action: deletes a namespace Paved
 * provisioned and waits until it is gone. Deleting one that is already gone
 * succeeds.
 *
 * @public
 */
export function createKubernetesNamespaceDeleteAction(
  options: KubernetesActionOptions & {
    /** How often to poll; 2 seconds by default. */
    pollIntervalMs?: number;
  },
) {
  const { provisioner, auditor, pollIntervalMs } = options;
  return createTemplateAction({
    id: 'paved:kubernetes:namespace:delete',
    description:
      "Deletes the namespace of a component's environment (only one Paved provisioned) and waits while it is Terminating until it is gone.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { component, environment, timeoutSeconds } = ctx.input;
      const namespace = namespaceNameFor(component, environment);
      const cluster = provisioner.resolveCluster(ctx.input.cluster);
      const request = {
        cluster,
        component,
        environment,
        timeoutMs: timeoutMsOf(timeoutSeconds),
        pollIntervalMs,
        signal: ctx.signal,
        onProgress: (line: string) => ctx.logger.info(line),
      };

      const check = () =>
        assertMayChangeNamespace(ctx, options, {
          cluster,
          component,
          environment,
          action: 'delete',
          destructive: true,
        });
      let existed: boolean;
      if (ctx.isDryRun) {
        await check();
        existed = (
          await provisioner.deleteNamespace({ ...request, dryRun: true })
        ).existed;
      } else {
        existed = await audited(
          ctx,
          auditor,
          {
            eventId: 'namespace-delete',
            namespace,
            cluster,
            destructive: true,
          },
          async () => {
            await check();
            return checkpointedDelete(ctx, provisioner, request);
          },
        );
      }

      ctx.output('cluster', cluster);
      ctx.output('namespace', namespace);
      ctx.output('existed', existed);
    },
  });
}
