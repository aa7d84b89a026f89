import { createHash } from 'node:crypto';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  KubernetesProvisioner,
  SetImageResult,
  namespaceNameFor,
} from '@paved/plugin-kubernetes-node';
import { examples } from './deploy.examples';
import {
  KubernetesActionOptions,
  assertMayChangeNamespace,
  audited,
} from './guardedChange';
import {
  StepContext,
  Zod,
  clusterInput,
  environmentInput,
  timeoutMsOf,
  timeoutSecondsInput,
} from './shared';

/** The component a `component:<namespace>/<name>` ref names, or an InputError naming the field. */
function componentOf(entityRef: string): string {
  try {
    const ref = parseEntityRef(entityRef, { defaultKind: 'component' });
    if (ref.kind.toLowerCase() === 'component') return ref.name;
  } catch {
    // refused below, naming the field
  }
  throw new InputError(
    `entityRef: expected a component ref such as component:default/<name>, got "${entityRef}"`,
  );
}

/** What one run deploys, where. */
interface DeployStep {
  cluster: string;
  component: string;
  environment: string;
  namespace: string;
  image: string;
  timeoutMs?: number;
}

/** `Deployment/web`, as the outputs list workloads. */
const names = (set: SetImageResult) =>
  set.workloads.map(w => `${w.kind}/${w.name}`);

/** Sets the image and waits for the rollout, once per image; replayed on retry. */
function checkpointedDeploy(
  ctx: StepContext,
  provisioner: KubernetesProvisioner,
  step: DeployStep,
): Promise<string[]> {
  const { cluster, component, environment, namespace, image } = step;
  const digest = createHash('sha256').update(image).digest('hex').slice(0, 12);
  return ctx.checkpoint({
    key: `deploy.${cluster}.${namespace}.${digest}`,
    fn: async () => {
      const set = await provisioner.setImage({
        cluster,
        component,
        environment,
        image,
      });
      for (const w of set.workloads) {
        ctx.logger.info(`${w.action} ${w.kind}/${w.name}: ${image}`);
      }
      const workloads = set.workloads.flatMap(w =>
        w.kind === 'CronJob' ? [] : [{ kind: w.kind, name: w.name }],
      );
      if (workloads.length > 0) {
        const rollout = await provisioner.waitForRollout({
          cluster,
          component,
          environment,
          workloads,
          timeoutMs: step.timeoutMs,
          signal: ctx.signal,
          onProgress: line => ctx.logger.info(line),
        });
        if (rollout.outcome !== 'available') {
          throw new ServiceUnavailableError(
            `The rollout of ${image} in namespace ${namespace} on cluster ${cluster} ${
              rollout.outcome === 'timeout'
                ? 'did not complete in time'
                : 'failed'
            }: ${rollout.workloads
              .filter(w => !w.ready)
              .map(w => w.message)
              .join('; ')}`,
          );
        }
      }
      return names(set);
    },
  });
}

const input = {
  entityRef: (z: Zod) =>
    z
      .string()
      .describe(
        'The component, component:default/<name>; its workloads are in namespace <name>-<environment>.',
      ),
  environment: environmentInput,
  image: (z: Zod) =>
    z
      .string()
      .describe(
        'The image, pinned to a version tag or a digest (e.g. ghcr.io/<org>/<repo>:<sha>); latest is refused.',
      ),
  timeoutSeconds: timeoutSecondsInput(
    'How long to wait for the rollout. Default paved.kubernetes.rolloutTimeout (5 minutes).',
  ),
  cluster: clusterInput,
};

const output = {
  cluster: (z: Zod) => z.string().describe('The cluster deployed to.'),
  namespace: (z: Zod) => z.string().describe('The namespace deployed to.'),
  image: (z: Zod) => z.string().describe('The image the workloads run.'),
  workloads: (z: Zod) =>
    z
      .array(z.string())
      .describe(
        'The workloads whose image was set (or in a dry run would be), as Kind/name.',
      ),
};

/**
 * Creates the `paved:deploy` action: sets the image of a component's
 * Deployments, StatefulSets and CronJobs in its environment's namespace
 * through the Kubernetes driver's guardrails and waits for the rollout, as
 * `POST /api/deploy/deployments` does for CI.
 *
 * @public
 */
export function createDeployAction(options: KubernetesActionOptions) {
  const { provisioner, auditor } = options;
  return createTemplateAction({
    id: 'paved:deploy',
    description:
      "Deploys an image to a component's environment: sets the image of its workloads (labelled backstage.io/kubernetes-id=<component>) in namespace <component>-<environment> through the Kubernetes driver's guardrails (a pinned tag or digest) and waits for the rollout.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { environment, image } = ctx.input;
      const component = componentOf(ctx.input.entityRef);
      const namespace = namespaceNameFor(component, environment);
      const cluster = provisioner.resolveCluster(ctx.input.cluster);
      const step = {
        cluster,
        component,
        environment,
        namespace,
        image,
        timeoutMs: timeoutMsOf(ctx.input.timeoutSeconds),
      };
      const check = () =>
        assertMayChangeNamespace(ctx, options, {
          cluster,
          component,
          environment,
          action: 'deploy an image to',
        });
      let workloads: string[];
      if (ctx.isDryRun) {
        await check();
        const set = await provisioner.setImage({ ...step, dryRun: true });
        for (const w of set.workloads) {
          ctx.logger.info(
            `Would ${w.action === 'updated' ? 'set' : 'keep'} ${image} on ${
              w.kind
            }/${w.name} in namespace ${namespace}`,
          );
        }
        workloads = names(set);
      } else {
        workloads = await audited(
          ctx,
          auditor,
          { eventId: 'image-deploy', namespace, cluster },
          async () => {
            await check();
            return checkpointedDeploy(ctx, provisioner, step);
          },
        );
      }
      ctx.output('cluster', cluster);
      ctx.output('namespace', namespace);
      ctx.output('image', image);
      ctx.output('workloads', workloads);
    },
  });
}
