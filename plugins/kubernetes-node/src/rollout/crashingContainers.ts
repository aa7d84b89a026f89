import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { FATAL_WAITING_REASONS, podSelectorOf } from './rolloutStatus';

/** A workload's pods, and each container waiting for a reason that waiting will not resolve. */
export async function crashingContainers(
  client: KubernetesClusterClient,
  namespace: string,
  obj: any,
): Promise<{ pods: any[]; problems: string[] }> {
  const selector = podSelectorOf(obj);
  if (!selector) return { pods: [] as any[], problems: [] as string[] };
  const pods = await client.call(
    `listing the pods of ${obj.kind ?? 'workload'} "${obj.metadata.name}"`,
    () => client.core.listNamespacedPod({ namespace, labelSelector: selector }),
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
