import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { RolloutDiagnostics } from '../KubernetesProvisioner';
import { crashingContainers } from './crashingContainers';
import { Workload } from './findWorkloads';
import { LOG_LIMITS, capLogLines } from './logLimits';
import { failingContainers } from './rolloutStatus';

const MAX_LOGGED_PODS = 5;

/** The warning events of the failing workloads and their pods. */
async function warningEvents(
  client: KubernetesClusterClient,
  namespace: string,
  failing: Workload[],
  podNames: Set<string>,
): Promise<RolloutDiagnostics['events']> {
  const events = await client.call(
    `listing warning events in namespace "${namespace}"`,
    () =>
      client.core.listNamespacedEvent({
        namespace,
        fieldSelector: 'type=Warning',
      }),
  );
  const workloadNames = failing.map(w => w.obj.metadata.name as string);
  return events.items
    .filter(e => {
      const name = e.involvedObject?.name ?? '';
      return (
        podNames.has(name) ||
        workloadNames.some(w => name === w || name.startsWith(`${w}-`))
      );
    })
    .map(e => ({
      object: `${e.involvedObject?.kind}/${e.involvedObject?.name ?? ''}`,
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.count ?? 1,
    }));
}

/** The last lines of one container's log, within {@link LOG_LIMITS}; a log that cannot be read says why. */
async function containerLog(
  client: KubernetesClusterClient,
  namespace: string,
  podName: string,
  container: string,
  tailLines: number,
): Promise<RolloutDiagnostics['logs'][number]> {
  try {
    const log = await client.core.readNamespacedPodLog({
      name: podName,
      namespace,
      container,
      tailLines: Math.min(tailLines, LOG_LIMITS.maxTailLines),
      limitBytes: LOG_LIMITS.maxReadBytes,
    });
    const { lines, truncated } = capLogLines(String(log ?? ''));
    return {
      pod: podName,
      container,
      lines,
      ...(truncated && { truncated }),
    };
  } catch (error) {
    const err = client.errorOf(
      error,
      `reading the log of ${podName}/${container}`,
    );
    return { pod: podName, container, lines: [], error: err.message };
  }
}

/**
 * Why a rollout failed: the warning events of its workloads and pods, and
 * the last log lines of each failing container of the first pods.
 */
export async function diagnoseRollout(
  client: KubernetesClusterClient,
  namespace: string,
  failing: Workload[],
  tailLines: number,
): Promise<RolloutDiagnostics> {
  const podNames = new Set<string>();
  const pods: any[] = [];
  for (const w of failing) {
    const { pods: found } = await crashingContainers(client, namespace, w.obj);
    for (const pod of found) {
      podNames.add(pod.metadata?.name);
      pods.push(pod);
    }
  }
  const events = await warningEvents(client, namespace, failing, podNames);
  const logs: RolloutDiagnostics['logs'] = [];
  for (const pod of pods.slice(0, MAX_LOGGED_PODS)) {
    for (const container of failingContainers(pod)) {
      logs.push(
        await containerLog(
          client,
          namespace,
          pod.metadata?.name,
          container,
          tailLines,
        ),
      );
    }
  }
  return { events, logs };
}
