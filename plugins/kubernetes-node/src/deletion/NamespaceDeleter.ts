import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  ClusterWorkOptions,
  ConnectedCluster,
  KubernetesClusters,
} from '../client/KubernetesClusters';
import { namespaceNameFor } from '../convention/labels';
import { httpCodeOf } from '../errors';
import {
  DeleteNamespaceOptions,
  DeleteNamespaceResult,
} from '../KubernetesProvisioner';
import {
  foreignNamespace,
  readNamespace,
} from '../namespaces/namespaceOwnership';
import { DEFAULT_POLL_MS, nextPoll } from '../polling';
import { KubernetesProvisionerSettings } from '../readKubernetesProvisionerConfig';

/** One deletion: where, which namespace, and the Namespace as it was. */
interface DeletionRun extends ConnectedCluster {
  request: DeleteNamespaceOptions;
  namespace: string;
  live: any;
}

/**
 * Deletes a namespace Paved provisioned and waits while it is Terminating
 * until it is gone.
 */
export class NamespaceDeleter {
  readonly #settings: KubernetesProvisionerSettings;
  readonly #clusters: KubernetesClusters;
  readonly #logger: LoggerService;

  constructor(options: ClusterWorkOptions) {
    this.#settings = options.settings;
    this.#clusters = options.clusters;
    this.#logger = options.logger;
  }

  /** See {@link KubernetesProvisioner.deleteNamespace}. */
  async delete(
    request: DeleteNamespaceOptions,
  ): Promise<DeleteNamespaceResult> {
    const { component, environment, onProgress, dryRun = false } = request;
    const namespace = namespaceNameFor(component, environment);
    const { cluster, client } = await this.#clusters.connect(request.cluster);
    const live = await readNamespace(client, namespace);
    if (!live) {
      onProgress?.(
        `Namespace "${namespace}" does not exist on cluster "${cluster}"; nothing to delete`,
      );
      return { cluster, namespace, existed: false, dryRun };
    }
    const problem = foreignNamespace(live, component, environment);
    if (problem) {
      throw new NotAllowedError(
        `Namespace "${namespace}" on cluster "${cluster}" ${problem}; Paved deletes only the namespaces it provisioned`,
      );
    }
    const uid: string | undefined = live.metadata?.uid;
    if (dryRun) {
      onProgress?.(
        `Would delete namespace "${namespace}" on cluster "${cluster}"`,
      );
      return { cluster, namespace, existed: true, ...(uid && { uid }), dryRun };
    }
    const run = { request, namespace, live, cluster, client };
    if (live.status?.phase !== 'Terminating') {
      await this.#deleteNamespace(run);
    }
    await this.#waitUntilGone(run);
    return { cluster, namespace, existed: true, ...(uid && { uid }), dryRun };
  }

  async #deleteNamespace({ client, cluster, namespace }: DeletionRun) {
    try {
      await client.objects.delete({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
      this.#logger.info(`deleting Namespace "${namespace}"`, {
        cluster,
        namespace,
      });
    } catch (error) {
      // 409: already terminating; 404: already gone. Both are where we want to be.
      const code = httpCodeOf(error);
      if (code !== 409 && code !== 404) {
        throw client.errorOf(error, `deleting Namespace "${namespace}"`);
      }
    }
  }

  /** Polls until the namespace is gone; past the timeout, says what still holds it. */
  async #waitUntilGone(run: DeletionRun) {
    const { request, client, cluster, namespace, live } = run;
    const timeoutMs =
      request.timeoutMs ?? this.#settings.namespaceDeletionTimeoutMs;
    const pollMs = request.pollIntervalMs ?? DEFAULT_POLL_MS;
    const uid: string | undefined = live.metadata?.uid;
    const deadline = Date.now() + timeoutMs;
    let first = true;
    for (;;) {
      const current = await readNamespace(client, namespace);
      // Another uid is a namespace created since under the same name: the one deleted is gone.
      if (!current || (uid && current.metadata?.uid !== uid)) {
        request.onProgress?.(`Namespace "${namespace}" is gone`);
        return;
      }
      if (first) {
        request.onProgress?.(
          `Namespace "${namespace}" is Terminating; waiting for its content to be removed`,
        );
        first = false;
      }
      if (Date.now() >= deadline) {
        const conditions = (current.status?.conditions ?? [])
          .filter((c: any) => c.status === 'True')
          .map((c: any) => `${c.type}: ${c.message}`)
          .join('; ');
        throw new ServiceUnavailableError(
          `Namespace "${namespace}" on cluster "${cluster}" is still Terminating after ${Math.round(
            timeoutMs / 1000,
          )}s${
            conditions ? ` (${conditions})` : ''
          }; run the deletion again to keep waiting`,
        );
      }
      await nextPoll(deadline, pollMs, request.signal);
    }
  }
}
