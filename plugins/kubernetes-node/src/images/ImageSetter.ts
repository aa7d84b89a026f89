import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import {
  ClusterWorkOptions,
  KubernetesClusters,
} from '../client/KubernetesClusters';
import { namespaceNameFor } from '../convention/labels';
import { podTemplatePaths } from '../convention/podTemplatePaths';
import {
  checkGuardrails,
  formatViolations,
} from '../guardrails/checkGuardrails';
import { guardrailPolicyFor } from '../guardrails/guardrailPolicyFor';
import { imageProblem } from '../guardrails/pods/image';
import {
  SetImageOptions,
  SetImageResult,
  WorkloadImageOutcome,
} from '../KubernetesProvisioner';
import {
  assertNotTerminating,
  foreignNamespace,
  missingNamespace,
  readNamespace,
} from '../namespaces/namespaceOwnership';
import { KubernetesProvisionerSettings } from '../readKubernetesProvisionerConfig';
import {
  LiveWorkload,
  containersOf,
  listImageWorkloads,
  nestAt,
} from './imageWorkloads';

/**
 * The server-side apply field manager of deployed images: it owns only the
 * `image` of the containers it set, so the manifests `paved` applied keep
 * every other field, and a later apply of an older image conflicts instead
 * of silently rolling back what CI deployed.
 *
 * @public
 */
export const PAVED_IMAGE_MANAGER = 'paved-deploy';

/** One workload's change: the object the guardrails check and the apply that makes it. */
interface ImagePlan {
  workload: LiveWorkload;
  containers: string[];
  action: 'updated' | 'unchanged';
  /** The workload as it will be, for the guardrails. */
  candidate: any;
  /** Only the images, for the apply. */
  patch: Record<string, unknown>;
}

/** What changing a workload's containers to `image` would be. */
function planFor(
  workload: LiveWorkload,
  image: string,
  names: string[] | undefined,
): ImagePlan {
  const { metadata, spec } = workload.obj;
  const chosen = containersOf(workload)
    .map(c => c.name as string)
    .filter(name => !names || names.includes(name));
  const candidate = {
    apiVersion: workload.apiVersion,
    kind: workload.kind,
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      labels: metadata.labels,
    },
    spec: structuredClone(spec),
  };
  let changed = false;
  for (const c of containersOf({ ...workload, obj: candidate })) {
    if (!chosen.includes(c.name)) continue;
    changed ||= c.image !== image;
    c.image = image;
  }
  const specPath = podTemplatePaths(workload.kind)!.spec;
  return {
    workload,
    containers: chosen,
    action: changed ? 'updated' : 'unchanged',
    candidate,
    patch: {
      apiVersion: workload.apiVersion,
      kind: workload.kind,
      metadata: { name: metadata.name, namespace: metadata.namespace },
      ...nestAt(
        [...specPath, 'containers'],
        chosen.map(name => ({ name, image })),
      ),
    },
  };
}

/**
 * Sets the image of a component's workloads in its namespace: only in a
 * namespace Paved provisioned for it, only an image the guardrails accept,
 * and only the image fields, through server-side apply.
 */
export class ImageSetter {
  readonly #settings: KubernetesProvisionerSettings;
  readonly #clusters: KubernetesClusters;
  readonly #logger: LoggerService;

  constructor(options: ClusterWorkOptions) {
    this.#settings = options.settings;
    this.#clusters = options.clusters;
    this.#logger = options.logger;
  }

  /** See {@link KubernetesProvisioner.setImage}. */
  async set(request: SetImageOptions): Promise<SetImageResult> {
    const { component, environment, image, dryRun = false } = request;
    const namespace = namespaceNameFor(component, environment);
    const problem = imageProblem(image);
    if (problem) throw new InputError(`image: ${problem}`);
    const { cluster, client } = await this.#clusters.connect(request.cluster);
    await this.#assertPavedNamespace(client, cluster, namespace, request);
    const plans = await this.#plan(client, namespace, request);
    const violations = checkGuardrails(
      plans.map(p => p.candidate),
      guardrailPolicyFor(this.#settings, { namespace, component, environment }),
    );
    if (violations.length > 0) {
      throw new InputError(formatViolations(violations));
    }
    const workloads: WorkloadImageOutcome[] = [];
    for (const plan of plans) {
      const { kind, obj } = plan.workload;
      if (plan.action === 'updated' && !dryRun) {
        await client.call(
          `setting the image of ${kind} "${obj.metadata.name}"`,
          () => client.serverSideApply(plan.patch, PAVED_IMAGE_MANAGER, true),
        );
        this.#logger.info('Set image', {
          cluster,
          namespace,
          kind,
          name: obj.metadata.name,
          image,
        });
      }
      workloads.push({
        kind,
        name: obj.metadata.name,
        containers: plan.containers,
        action: plan.action,
      });
    }
    return { cluster, namespace, image, workloads, dryRun };
  }

  /** The workloads and what setting the image does to each; refuses when there is nothing to set. */
  async #plan(
    client: KubernetesClusterClient,
    namespace: string,
    request: SetImageOptions,
  ): Promise<ImagePlan[]> {
    const live = await listImageWorkloads(client, namespace, request.component);
    if (live.length === 0) {
      throw new NotFoundError(
        `No Deployment, StatefulSet or CronJob labelled backstage.io/kubernetes-id=${request.component} in namespace "${namespace}" on cluster "${client.name}"; apply the component's manifests first`,
      );
    }
    const plans = live.map(w => planFor(w, request.image, request.containers));
    const touched = plans.filter(p => p.containers.length > 0);
    if (touched.length === 0) {
      throw new InputError(
        `containers: none of ${JSON.stringify(
          request.containers,
        )} is a container of the component's workloads in namespace "${namespace}"`,
      );
    }
    return touched;
  }

  /** Only in the namespace Paved provisioned for this component and environment. */
  async #assertPavedNamespace(
    client: KubernetesClusterClient,
    cluster: string,
    namespace: string,
    request: SetImageOptions,
  ) {
    const liveNs = await readNamespace(client, namespace);
    if (!liveNs) throw missingNamespace(namespace, cluster);
    assertNotTerminating(liveNs, cluster);
    const problem = foreignNamespace(
      liveNs,
      request.component,
      request.environment,
    );
    if (problem) {
      throw new NotAllowedError(
        `Namespace "${namespace}" on cluster "${cluster}" ${problem}; Paved sets images only in namespaces it provisioned`,
      );
    }
  }
}
