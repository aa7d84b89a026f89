import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  KubernetesProvisioner,
  namespaceNameFor,
} from '@paved/plugin-kubernetes-node';
import { examples } from './kubernetesNamespaceDelete.examples';

/**
 * Creates the `kubernetes:namespace:delete` action: deletes a namespace Paved
 * provisioned and waits until it is gone. Deleting one that is already gone
 * succeeds.
 *
 * @public
 */
export function createKubernetesNamespaceDeleteAction(options: {
  provisioner: KubernetesProvisioner;
  /** How often to poll; 2 seconds by default. */
  pollIntervalMs?: number;
}) {
  const { provisioner, pollIntervalMs } = options;
  return createTemplateAction({
    id: 'kubernetes:namespace:delete',
    description:
      "Deletes the namespace of a component's environment (only one Paved provisioned) and waits while it is Terminating until it is gone.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        component: z =>
          z
            .string()
            .describe(
              'The catalog component; its namespace is <component>-<environment>.',
            ),
        environment: z => z.string().describe('The environment, e.g. preview.'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .positive()
            .optional()
            .describe(
              'How long to wait for the namespace to go. Default paved.kubernetes.namespaceDeletionTimeout (5 minutes).',
            ),
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              'A configured cluster name; the default cluster when left out.',
            ),
      },
      output: {
        cluster: z => z.string().describe('The cluster the namespace was on.'),
        namespace: z => z.string().describe('The namespace name.'),
        existed: z =>
          z.boolean().describe('False when the namespace was already gone.'),
      },
    },
    async handler(ctx) {
      const { component, environment, timeoutSeconds } = ctx.input;
      const namespace = namespaceNameFor(component, environment);
      const cluster = provisioner.resolveCluster(ctx.input.cluster);
      const request = {
        cluster,
        component,
        environment,
        timeoutMs:
          timeoutSeconds !== undefined ? timeoutSeconds * 1000 : undefined,
        pollIntervalMs,
        signal: ctx.signal,
        onProgress: (line: string) => ctx.logger.info(line),
      };

      let existed: boolean;
      if (ctx.isDryRun) {
        existed = (
          await provisioner.deleteNamespace({ ...request, dryRun: true })
        ).existed;
      } else {
        existed = await ctx.checkpoint({
          key: `kubernetes.namespace-deletion.${cluster}.${namespace}`,
          fn: async () => (await provisioner.deleteNamespace(request)).existed,
        });
      }

      ctx.output('cluster', cluster);
      ctx.output('namespace', namespace);
      ctx.output('existed', existed);
    },
  });
}
