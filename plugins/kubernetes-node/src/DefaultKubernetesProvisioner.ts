import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  ApplyOptions,
  ApplyResult,
  DeleteNamespaceOptions,
  DeleteNamespaceResult,
  EnsureNamespaceOptions,
  EnsureNamespaceResult,
  KubernetesProvisioner,
  KubernetesTarget,
  ManifestLimits,
  NamespaceState,
  RolloutResult,
  WaitForRolloutOptions,
} from './KubernetesProvisioner';
import { KubernetesClusterClient } from './client/KubernetesClusterClient';
import { KubernetesClusters } from './client/KubernetesClusters';
import { namespaceNameFor } from './convention/labels';
import { ManifestApplier } from './apply/ManifestApplier';
import { NamespaceProvisioner } from './namespaces/NamespaceProvisioner';
import {
  foreignNamespace,
  readNamespace,
} from './namespaces/namespaceOwnership';
import {
  KubernetesProvisionerSettings,
  readKubernetesProvisionerConfig,
} from './readKubernetesProvisionerConfig';
import { DEFAULT_POLL_MS, nextPoll } from './polling';
import { RolloutWaiter } from './rollout/RolloutWaiter';
import { httpCodeOf } from './errors';

/**
 * Options of {@link DefaultKubernetesProvisioner.create} and `fromConfig`.
 *
 * @public
 */
export interface DefaultKubernetesProvisionerOptions {
  logger: LoggerService;
  /** Where in-cluster credentials are mounted; the standard path by default. */
  inClusterRoot?: string;
  /** Environment for in-cluster discovery; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The default {@link KubernetesProvisioner}, on `@kubernetes/client-node`.
 *
 * @public
 */
export class DefaultKubernetesProvisioner implements KubernetesProvisioner {
  readonly #settings: KubernetesProvisionerSettings;
  readonly #logger: LoggerService;
  readonly #clusters: KubernetesClusters;
  readonly #namespaces: NamespaceProvisioner;
  readonly #manifests: ManifestApplier;
  readonly #rollouts: RolloutWaiter;

  /** Reads the clusters and guardrails from app-config. */
  static fromConfig(
    config: Config,
    options: DefaultKubernetesProvisionerOptions,
  ): DefaultKubernetesProvisioner {
    return DefaultKubernetesProvisioner.create({
      ...options,
      settings: readKubernetesProvisionerConfig(config),
    });
  }

  /** Creates a provisioner from settings already read. */
  static create(
    options: DefaultKubernetesProvisionerOptions & {
      settings: KubernetesProvisionerSettings;
    },
  ): DefaultKubernetesProvisioner {
    return new DefaultKubernetesProvisioner(options);
  }

  private constructor(
    options: DefaultKubernetesProvisionerOptions & {
      settings: KubernetesProvisionerSettings;
    },
  ) {
    this.#settings = options.settings;
    this.#logger = options.logger;
    this.#clusters = new KubernetesClusters(options);
    this.#namespaces = new NamespaceProvisioner({
      settings: options.settings,
      clusters: this.#clusters,
      logger: options.logger,
    });
    this.#manifests = new ManifestApplier({
      settings: options.settings,
      clusters: this.#clusters,
      logger: options.logger,
    });
    this.#rollouts = new RolloutWaiter({
      settings: options.settings,
      clusters: this.#clusters,
    });
  }

  resolveCluster(cluster?: string): string {
    return this.#clusters.resolve(cluster);
  }

  getManifestLimits(): ManifestLimits {
    return this.#manifests.limits();
  }

  private client(name: string): Promise<KubernetesClusterClient> {
    return this.#clusters.clientOf(name);
  }

  ensureNamespace(
    options: EnsureNamespaceOptions,
  ): Promise<EnsureNamespaceResult> {
    return this.#namespaces.ensure(options);
  }

  apply(options: ApplyOptions): Promise<ApplyResult> {
    return this.#manifests.apply(options);
  }

  getNamespace(target: KubernetesTarget): Promise<NamespaceState | undefined> {
    return this.#namespaces.get(target);
  }

  waitForRollout(options: WaitForRolloutOptions): Promise<RolloutResult> {
    return this.#rollouts.wait(options);
  }

  async deleteNamespace(
    options: DeleteNamespaceOptions,
  ): Promise<DeleteNamespaceResult> {
    const {
      component,
      environment,
      onProgress,
      signal,
      dryRun = false,
    } = options;
    const namespace = namespaceNameFor(component, environment);
    const cluster = this.resolveCluster(options.cluster);
    const client = await this.client(cluster);
    const timeoutMs =
      options.timeoutMs ?? this.#settings.namespaceDeletionTimeoutMs;
    const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    const spec = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    };
    const read = () => readNamespace(client, namespace);

    const live = await read();
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
    if (live.status?.phase !== 'Terminating') {
      try {
        await client.objects.delete(spec);
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
    const deadline = Date.now() + timeoutMs;
    let last: any = live;
    for (;;) {
      const current = await read();
      // Another uid is a namespace created since under the same name: the one deleted is gone.
      if (!current || (uid && current.metadata?.uid !== uid)) {
        onProgress?.(`Namespace "${namespace}" is gone`);
        return {
          cluster,
          namespace,
          existed: true,
          ...(uid && { uid }),
          dryRun,
        };
      }
      if (last === live) {
        onProgress?.(
          `Namespace "${namespace}" is Terminating; waiting for its content to be removed`,
        );
      }
      last = current;
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
      await nextPoll(deadline, pollMs, signal);
    }
  }
}
