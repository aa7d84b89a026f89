import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EnsureNamespaceOptions,
  KubernetesProvisioner,
  namespaceNameFor,
} from '@paved/plugin-kubernetes-node';
import {
  KubernetesActionOptions,
  assertMayChangeNamespace,
  audited,
} from './guardedChange';
import { examples } from './kubernetesNamespaceProvision.examples';
import {
  StepContext,
  Zod,
  clusterInput,
  createdOutput,
  updatedOutput,
} from './shared';
import { NamespaceSummary, logOutcomes, outputSummary } from './summarize';
import { isRecordedNamespace, verifiedCheckpoint } from './verifiedCheckpoint';

/** Provisions once; a retried task replays this step, unless the namespace it provisioned was deleted (or replaced) since. */
function checkpointedProvision(
  ctx: StepContext,
  provisioner: KubernetesProvisioner,
  request: EnsureNamespaceOptions & { cluster: string },
): Promise<NamespaceSummary> {
  const { cluster, component, environment } = request;
  const namespace = namespaceNameFor(component, environment);
  return verifiedCheckpoint<NamespaceSummary>(ctx, {
    key: `kubernetes.namespace.${cluster}.${namespace}`,
    fn: async () => {
      const result = await provisioner.ensureNamespace(request);
      return {
        ...logOutcomes(ctx.logger, result.objects, false),
        ...(result.uid && { namespaceUid: result.uid }),
      };
    },
    stillHolds: async replayed => {
      const live = await provisioner.getNamespace({
        cluster,
        component,
        environment,
      });
      return (
        live?.phase === 'Active' &&
        live.provisioned &&
        isRecordedNamespace(live, replayed.namespaceUid)
      );
    },
    generation: replayed => replayed.namespaceUid ?? 'unrecorded',
    onStale: () =>
      ctx.logger.info(
        `Namespace "${namespace}" on cluster "${cluster}", which this step provisioned before, is gone or was replaced (deleted since, e.g. by paved:kubernetes:namespace:delete); provisioning it again`,
      ),
  });
}

const input = {
  component: (z: Zod) =>
    z
      .string()
      .describe('The catalog component (a DNS-1123 label, e.g. payments-api).'),
  environment: (z: Zod) =>
    z
      .string()
      .describe('The environment (a DNS-1123 label, e.g. dev or prod).'),
  owner: (z: Zod) =>
    z
      .string()
      .describe(
        'The owning group, as an entity ref such as group:default/team-payments.',
      ),
  changeOwner: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        "Hand the namespace to this owner when it already belongs to another group, e.g. after the component's owner changed in the catalogue. Default false: an owner change is refused, naming the current owner.",
      ),
  size: (z: Zod) =>
    z
      .enum(['small', 'medium', 'large'])
      .optional()
      .describe(
        'The size tier of the quota and container defaults. Default small.',
      ),
  cluster: clusterInput,
};

const output = {
  cluster: (z: Zod) => z.string().describe('The cluster the namespace is on.'),
  namespace: (z: Zod) =>
    z.string().describe('The namespace name, <component>-<environment>.'),
  created: createdOutput,
  updated: updatedOutput,
  unchanged: (z: Zod) =>
    z
      .array(z.string())
      .describe('Objects already as they should be, as Kind/name.'),
};

/**
 * Creates the `paved:kubernetes:namespace:provision` action: the namespace of a
 * component's environment with its guardrails (Pod Security, quota, limits,
 * default-deny network policy, owner role binding).
 *
 * @public
 */
export function createKubernetesNamespaceProvisionAction(
  options: KubernetesActionOptions,
) {
  const { provisioner, auditor } = options;
  return createTemplateAction({
    id: 'paved:kubernetes:namespace:provision',
    description:
      "Creates or updates the namespace of a component's environment, safe by default: Pod Security restricted, a ResourceQuota and LimitRange from a size tier, a default-deny NetworkPolicy and a RoleBinding for the owning group.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { component, environment, owner, size, changeOwner } = ctx.input;
      const namespace = namespaceNameFor(component, environment);
      const cluster = provisioner.resolveCluster(ctx.input.cluster);
      const request = {
        cluster,
        component,
        environment,
        owner,
        size,
        allowOwnerChange: changeOwner ?? false,
      };

      const check = () =>
        assertMayChangeNamespace(ctx, options, {
          cluster,
          component,
          environment,
          action: 'provision',
          formOwner: owner,
        });

      let summary;
      if (ctx.isDryRun) {
        // Reads only: the owner check and what would change.
        await check();
        const result = await provisioner.ensureNamespace({
          ...request,
          dryRun: true,
        });
        summary = logOutcomes(ctx.logger, result.objects, true);
      } else {
        summary = await audited(
          ctx,
          auditor,
          { eventId: 'namespace-provision', namespace, cluster },
          async () => {
            await check();
            return checkpointedProvision(ctx, provisioner, request);
          },
        );
      }

      ctx.output('cluster', cluster);
      ctx.output('namespace', namespace);
      outputSummary(ctx, summary);
    },
  });
}
