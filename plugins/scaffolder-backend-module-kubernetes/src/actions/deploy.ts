import { createHash } from 'node:crypto';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './deploy.examples';
import { namespaceNameFor } from '@paved/plugin-kubernetes-node';
import {
  DeployApiDeployment,
  DeployApiPlan,
  postDeployment,
} from './deployApi';
import { Zod, environmentInput } from './shared';

/** The component a `component:<namespace>/<name>` ref names, or an InputError naming the field. */
function componentOf(entityRef: string): CompoundEntityRef {
  try {
    const ref = parseEntityRef(entityRef, { defaultKind: 'component' });
    if (ref.kind.toLowerCase() === 'component') return ref;
  } catch {
    // refused below, naming the field
  }
  throw new InputError(
    `entityRef: expected a component ref such as component:default/<name>, got "${entityRef}"`,
  );
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
};

const output = {
  deploymentId: (z: Zod) =>
    z
      .string()
      .describe(
        "The deployment's id in the deploy API's history (empty in a dry run).",
      ),
  namespace: (z: Zod) => z.string().describe('The namespace deployed to.'),
  image: (z: Zod) => z.string().describe('The image the workloads run.'),
  workloads: (z: Zod) =>
    z
      .array(z.string())
      .describe(
        'The workloads whose image was set (or in a dry run would be), as Kind/name.',
      ),
};

/** The deploy API's access: the task's initiator's token for the deploy plugin. */
export interface DeployActionOptions {
  auth: AuthService;
  discovery: DiscoveryService;
}

/**
 * Creates the `paved:deploy` action, a client of the deploy API
 * (`POST /api/deploy/deployments`) on behalf of the task's initiator, so a
 * deploy from a template is checked, audited and listed in the component's
 * history as one from CI is. The API sets the image of the component's
 * workloads in namespace `<component>-<environment>` through the
 * Kubernetes driver's guardrails and waits for the rollout.
 *
 * @public
 */
export function createDeployAction(options: DeployActionOptions) {
  const { auth, discovery } = options;
  return createTemplateAction({
    id: 'paved:deploy',
    description:
      "Deploys an image to a component's environment through the deploy API (POST /api/deploy/deployments) as the task's initiator: it sets the image of the component's workloads (labelled backstage.io/kubernetes-id=<component>) in namespace <component>-<environment> through the Kubernetes driver's guardrails (a pinned tag or digest), waits for the rollout and records the deployment in the component's history.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { environment, image } = ctx.input;
      const ref = componentOf(ctx.input.entityRef);
      const entityRef = stringifyEntityRef(ref);
      // As the deploy API and Kubernetes name it.
      const component = ref.name.toLocaleLowerCase('en-US');
      const post = async (dryRun: boolean) =>
        postDeployment({
          auth,
          discovery,
          credentials: await ctx.getInitiatorCredentials(),
          request: { entityRef, environment, image, dryRun },
          signal: ctx.signal,
        });
      if (ctx.isDryRun) {
        const plan = (await post(true)).dryRun as DeployApiPlan;
        for (const workload of plan.workloads) {
          ctx.logger.info(
            `Would ${
              plan.changes.includes(workload) ? 'set' : 'keep'
            } ${image} on ${workload} in namespace ${plan.namespace}`,
          );
        }
        ctx.output('deploymentId', '');
        ctx.output('namespace', plan.namespace);
        ctx.output('image', image);
        ctx.output('workloads', plan.workloads);
        return;
      }
      const digest = createHash('sha256')
        .update(image)
        .digest('hex')
        .slice(0, 12);
      // Once per component, environment and image: a retried task resumes.
      const deployment = await ctx.checkpoint({
        key: `deploy.${component}.${environment}.${digest}`,
        fn: async () => {
          const made = (await post(false)).deployment as DeployApiDeployment;
          if (made.status !== 'succeeded') {
            throw new ServiceUnavailableError(
              `The deploy of ${image} to ${entityRef} in ${environment} failed (deployment ${
                made.id
              }): ${made.message ?? made.status}`,
            );
          }
          const done: { id: string; workloads: string[] } = {
            id: made.id,
            workloads: made.workloads,
          };
          return done;
        },
      });
      ctx.logger.info('Deployed image', {
        deploymentId: deployment.id,
        entityRef,
        environment,
        image,
        workloads: deployment.workloads,
      });
      ctx.output('deploymentId', deployment.id);
      ctx.output('namespace', namespaceNameFor(component, environment));
      ctx.output('image', image);
      ctx.output('workloads', deployment.workloads);
    },
  });
}
