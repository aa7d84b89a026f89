import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
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
  RolloutDiagnostics,
  RolloutResult,
  WaitForRolloutOptions,
  WorkloadRef,
  WorkloadRolloutStatus,
} from './KubernetesProvisioner';
import { KubernetesClusterClient } from './client/KubernetesClusterClient';
import { KubernetesClusters } from './client/KubernetesClusters';
import { namespaceNameFor, workloadSelector } from './convention/labels';
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
import {
  FATAL_WAITING_REASONS,
  failingContainers,
  podSelectorOf,
  rolloutState,
} from './rolloutStatus';
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

const DEFAULT_POLL_MS = 2000;
const MAX_LOGGED_PODS = 5;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
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

  private async findWorkloads(
    client: KubernetesClusterClient,
    namespace: string,
    component: string,
    refs: WorkloadRef[] | undefined,
  ): Promise<Array<{ kind: string; obj: any }>> {
    if (refs && refs.length > 0) {
      const found: Array<{ kind: string; obj: any }> = [];
      for (const ref of refs) {
        if (ref.kind !== 'Deployment' && ref.kind !== 'StatefulSet') {
          throw new InputError(
            `workloads: kind must be Deployment or StatefulSet, got "${ref.kind}"`,
          );
        }
        const spec = {
          apiVersion: 'apps/v1',
          kind: ref.kind,
          metadata: { name: ref.name, namespace },
        };
        const obj = await client.read(`reading ${ref.kind} "${ref.name}"`, () =>
          client.objects.read(spec),
        );
        if (!obj) {
          throw new NotFoundError(
            `${ref.kind} "${ref.name}" does not exist in namespace "${namespace}" on cluster "${client.name}"`,
          );
        }
        found.push({ kind: ref.kind, obj });
      }
      return found;
    }
    const found: Array<{ kind: string; obj: any }> = [];
    for (const kind of ['Deployment', 'StatefulSet']) {
      const list = await client.call(
        `listing ${kind}s in namespace "${namespace}"`,
        () =>
          client.objects.list(
            'apps/v1',
            kind,
            namespace,
            undefined,
            undefined,
            undefined,
            undefined,
            workloadSelector(component),
          ),
      );
      for (const obj of list.items) found.push({ kind, obj });
    }
    return found;
  }

  private async crashingContainers(
    client: KubernetesClusterClient,
    namespace: string,
    obj: any,
  ) {
    const selector = podSelectorOf(obj);
    if (!selector) return { pods: [] as any[], problems: [] as string[] };
    const pods = await client.call(
      `listing the pods of ${obj.kind ?? 'workload'} "${obj.metadata.name}"`,
      () =>
        client.core.listNamespacedPod({ namespace, labelSelector: selector }),
    );
    const problems: string[] = [];
    for (const pod of pods.items) {
      for (const status of [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? []),
      ]) {
        const reason = status.state?.waiting?.reason;
        if (reason && FATAL_WAITING_REASONS.includes(reason)) {
          problems.push(
            `pod ${pod.metadata?.name} container ${status.name}: ${reason}${
              status.state?.waiting?.message
                ? ` (${status.state.waiting.message})`
                : ''
            }`,
          );
        }
      }
    }
    return { pods: pods.items, problems };
  }

  private async diagnose(
    client: KubernetesClusterClient,
    namespace: string,
    failing: Array<{ kind: string; obj: any }>,
    tailLines: number,
  ): Promise<RolloutDiagnostics> {
    const diagnostics: RolloutDiagnostics = { events: [], logs: [] };
    const podNames = new Set<string>();
    const pods: any[] = [];
    for (const w of failing) {
      const { pods: found } = await this.crashingContainers(
        client,
        namespace,
        w.obj,
      );
      for (const pod of found) {
        podNames.add(pod.metadata?.name);
        pods.push(pod);
      }
    }
    const events = await client.call(
      `listing warning events in namespace "${namespace}"`,
      () =>
        client.core.listNamespacedEvent({
          namespace,
          fieldSelector: 'type=Warning',
        }),
    );
    const workloadNames = failing.map(w => w.obj.metadata.name as string);
    for (const e of events.items) {
      const name = e.involvedObject?.name ?? '';
      const relevant =
        podNames.has(name) ||
        workloadNames.some(w => name === w || name.startsWith(`${w}-`));
      if (relevant) {
        diagnostics.events.push({
          object: `${e.involvedObject?.kind}/${name}`,
          reason: e.reason ?? '',
          message: e.message ?? '',
          count: e.count ?? 1,
        });
      }
    }
    for (const pod of pods.slice(0, MAX_LOGGED_PODS)) {
      for (const container of failingContainers(pod)) {
        const podName = pod.metadata?.name;
        try {
          const log = await client.core.readNamespacedPodLog({
            name: podName,
            namespace,
            container,
            tailLines,
          });
          diagnostics.logs.push({
            pod: podName,
            container,
            lines: String(log ?? '')
              .split('\n')
              .filter(l => l !== ''),
          });
        } catch (error) {
          const err = client.errorOf(
            error,
            `reading the log of ${podName}/${container}`,
          );
          diagnostics.logs.push({
            pod: podName,
            container,
            lines: [],
            error: err.message,
          });
        }
      }
    }
    return diagnostics;
  }

  async waitForRollout(options: WaitForRolloutOptions): Promise<RolloutResult> {
    const { component, environment, onProgress, signal } = options;
    const namespace = namespaceNameFor(component, environment);
    const cluster = this.resolveCluster(options.cluster);
    const client = await this.client(cluster);
    const timeoutMs = options.timeoutMs ?? this.#settings.rolloutTimeoutMs;
    const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    const tailLines = options.logTailLines ?? 20;
    const deadline = Date.now() + timeoutMs;
    const reported = new Map<string, string>();

    for (;;) {
      const workloads = await this.findWorkloads(
        client,
        namespace,
        component,
        options.workloads,
      );
      if (workloads.length === 0) {
        // Nothing to wait for is a mistake (a wrong component, nothing applied yet), not a success.
        throw new NotFoundError(
          `No Deployments or StatefulSets labelled ${workloadSelector(
            component,
          )} in namespace "${namespace}" on cluster "${cluster}"; apply the workloads first (paved:kubernetes:apply)`,
        );
      }
      const statuses: WorkloadRolloutStatus[] = [];
      const notReady: Array<{ kind: string; obj: any }> = [];
      let failed = false;
      for (const w of workloads) {
        const state = rolloutState(w.kind, w.obj);
        let message = state.message;
        if (!state.ready) {
          notReady.push(w);
          const { problems } = await this.crashingContainers(
            client,
            namespace,
            w.obj,
          );
          if (problems.length > 0) {
            failed = true;
            message = `${message}; ${problems.join('; ')}`;
          }
          failed = failed || state.failed;
        }
        statuses.push({
          kind: w.kind,
          name: w.obj.metadata.name,
          ready: state.ready,
          message,
        });
        const key = `${w.kind}/${w.obj.metadata.name}`;
        if (reported.get(key) !== message) {
          reported.set(key, message);
          onProgress?.(message);
        }
      }
      if (notReady.length === 0) {
        return {
          cluster,
          namespace,
          outcome: 'available',
          workloads: statuses,
        };
      }
      if (failed || Date.now() >= deadline) {
        const diagnostics = await this.diagnose(
          client,
          namespace,
          notReady,
          tailLines,
        );
        return {
          cluster,
          namespace,
          outcome: failed ? 'failed' : 'timeout',
          workloads: statuses,
          diagnostics,
        };
      }
      await sleep(Math.max(0, Math.min(pollMs, deadline - Date.now())), signal);
    }
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
      await sleep(Math.max(0, Math.min(pollMs, deadline - Date.now())), signal);
    }
  }
}
