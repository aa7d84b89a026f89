import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import {
  ClusterWorkOptions,
  KubernetesClusters,
} from '../client/KubernetesClusters';
import { namespaceNameFor, workloadSelector } from '../convention/labels';
import {
  RolloutResult,
  WaitForRolloutOptions,
  WorkloadRolloutStatus,
} from '../KubernetesProvisioner';
import {
  foreignNamespace,
  missingNamespace,
  readNamespace,
} from '../namespaces/namespaceOwnership';
import { DEFAULT_POLL_MS, nextPoll } from '../polling';
import { KubernetesProvisionerSettings } from '../readKubernetesProvisionerConfig';
import { crashingContainers } from './crashingContainers';
import { diagnoseRollout } from './diagnoseRollout';
import { Workload, findWorkloads } from './findWorkloads';
import { rolloutState } from './rolloutStatus';

/** Where the workloads stand after one poll. */
interface PollResult {
  statuses: WorkloadRolloutStatus[];
  notReady: Workload[];
  /** A rollout that cannot succeed without a change (crash loop, progress deadline). */
  failed: boolean;
}

/**
 * Reads rollouts (and container logs) only in a namespace Paved provisioned
 * for the component and environment, as apply and delete write only there.
 */
async function assertPavedNamespace(
  client: KubernetesClusterClient,
  where: {
    namespace: string;
    cluster: string;
    component: string;
    environment: string;
  },
) {
  const { namespace, cluster } = where;
  const live = await readNamespace(client, namespace);
  if (!live) throw missingNamespace(namespace, cluster);
  const problem = foreignNamespace(live, where.component, where.environment);
  if (problem) {
    throw new NotAllowedError(
      `Namespace "${namespace}" on cluster "${cluster}" ${problem}; Paved reads rollouts only in namespaces it provisioned`,
    );
  }
}

/**
 * Waits for a component's Deployments and StatefulSets to roll out, with
 * progress lines, and diagnoses a rollout that fails or times out.
 */
export class RolloutWaiter {
  readonly #settings: KubernetesProvisionerSettings;
  readonly #clusters: KubernetesClusters;

  constructor(options: ClusterWorkOptions) {
    this.#settings = options.settings;
    this.#clusters = options.clusters;
  }

  /** See {@link KubernetesProvisioner.waitForRollout}. */
  async wait(request: WaitForRolloutOptions): Promise<RolloutResult> {
    const { component, environment, signal } = request;
    const namespace = namespaceNameFor(component, environment);
    const { cluster, client } = await this.#clusters.connect(request.cluster);
    await assertPavedNamespace(client, { namespace, cluster, ...request });
    const timeoutMs = request.timeoutMs ?? this.#settings.rolloutTimeoutMs;
    const pollMs = request.pollIntervalMs ?? DEFAULT_POLL_MS;
    const deadline = Date.now() + timeoutMs;
    const reported = new Map<string, string>();
    const report = (key: string, message: string) => {
      if (reported.get(key) !== message) {
        reported.set(key, message);
        request.onProgress?.(message);
      }
    };

    for (;;) {
      const workloads = await findWorkloads(
        client,
        namespace,
        component,
        request.workloads,
      );
      if (workloads.length === 0) {
        // Nothing to wait for is a mistake (a wrong component, nothing applied yet), not a success.
        throw new NotFoundError(
          `No Deployments or StatefulSets labelled ${workloadSelector(
            component,
          )} in namespace "${namespace}" on cluster "${cluster}"; apply the workloads first (paved:kubernetes:apply)`,
        );
      }
      const { statuses, notReady, failed } = await this.#poll(
        client,
        namespace,
        workloads,
        report,
      );
      if (notReady.length === 0) {
        return {
          cluster,
          namespace,
          outcome: 'available',
          workloads: statuses,
        };
      }
      if (failed || Date.now() >= deadline) {
        const tailLines = request.logTailLines ?? 20;
        const diagnostics = await diagnoseRollout(
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
      await nextPoll(deadline, pollMs, signal);
    }
  }

  /** Reads where each workload stands, reporting each change of its status line. */
  async #poll(
    client: KubernetesClusterClient,
    namespace: string,
    workloads: Workload[],
    report: (key: string, message: string) => void,
  ): Promise<PollResult> {
    const statuses: WorkloadRolloutStatus[] = [];
    const notReady: Workload[] = [];
    let failed = false;
    for (const w of workloads) {
      const state = rolloutState(w.kind, w.obj);
      let message = state.message;
      if (!state.ready) {
        notReady.push(w);
        const { problems } = await crashingContainers(client, namespace, w.obj);
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
      report(`${w.kind}/${w.obj.metadata.name}`, message);
    }
    return { statuses, notReady, failed };
  }
}
