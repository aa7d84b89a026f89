import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  ClusterWorkOptions,
  KubernetesClusters,
} from '../client/KubernetesClusters';
import {
  PAVED_LABELS,
  PAVED_MANAGER,
  namespaceNameFor,
} from '../convention/labels';
import { httpCodeOf } from '../errors';
import {
  DeleteObjectOptions,
  DeleteObjectResult,
} from '../KubernetesProvisioner';
import {
  foreignNamespace,
  readNamespace,
} from '../namespaces/namespaceOwnership';

/**
 * Deletes one object Paved wrote (labelled `app.kubernetes.io/managed-by:
 * paved` for the component) from the namespace Paved provisioned for the
 * component's environment. Gone already is done.
 */
export class ObjectDeleter {
  readonly #clusters: KubernetesClusters;
  readonly #logger: LoggerService;

  constructor(options: ClusterWorkOptions) {
    this.#clusters = options.clusters;
    this.#logger = options.logger;
  }

  /** See {@link KubernetesProvisioner.deleteObject}. */
  async delete(request: DeleteObjectOptions): Promise<DeleteObjectResult> {
    const { component, environment, apiVersion, kind, name } = request;
    const dryRun = request.dryRun ?? false;
    const namespace = namespaceNameFor(component, environment);
    const { cluster, client } = await this.#clusters.connect(request.cluster);
    const result = { cluster, namespace, dryRun };
    const liveNs = await readNamespace(client, namespace);
    if (!liveNs) return { ...result, existed: false };
    const problem = foreignNamespace(liveNs, component, environment);
    if (problem) {
      throw new NotAllowedError(
        `Namespace "${namespace}" on cluster "${cluster}" ${problem}; Paved deletes only from namespaces it provisioned`,
      );
    }
    const ref = { apiVersion, kind, metadata: { name, namespace } };
    const what = `${kind} "${name}" in namespace "${namespace}"`;
    const live = await client.read<any>(`reading ${what}`, () =>
      client.objects.read(ref),
    );
    if (!live) return { ...result, existed: false };
    const labels = live.metadata?.labels ?? {};
    if (
      labels[PAVED_LABELS.managedBy] !== PAVED_MANAGER ||
      labels[PAVED_LABELS.kubernetesId] !== component
    ) {
      throw new NotAllowedError(
        `${what} on cluster "${cluster}" was not written by Paved for component "${component}"; Paved deletes only what it wrote`,
      );
    }
    if (dryRun) return { ...result, existed: true };
    try {
      await client.objects.delete(ref);
    } catch (error) {
      if (httpCodeOf(error) !== 404) {
        throw client.errorOf(error, `deleting ${what}`);
      }
    }
    this.#logger.info(`deleted ${kind} "${name}"`, { cluster, namespace });
    return { ...result, existed: true };
  }
}
