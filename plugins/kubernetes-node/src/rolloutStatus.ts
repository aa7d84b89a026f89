/**
 * Rollout state of a Deployment or StatefulSet, judged the way
 * `kubectl rollout status` judges it.
 */

/** Where a workload's rollout stands after one read. */
export interface RolloutState {
  ready: boolean;
  /** The rollout cannot succeed without a change (e.g. progress deadline exceeded). */
  failed: boolean;
  message: string;
}

/** Container waiting reasons that do not resolve by waiting. */
export const FATAL_WAITING_REASONS = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
];

/** Evaluates a Deployment or StatefulSet read from the API. */
export function rolloutState(kind: string, obj: any): RolloutState {
  const name = obj?.metadata?.name;
  const desired = obj?.spec?.replicas ?? 1;
  const status = obj?.status ?? {};
  const generation = obj?.metadata?.generation ?? 0;
  if (
    status.observedGeneration === undefined ||
    generation > status.observedGeneration
  ) {
    return {
      ready: false,
      failed: false,
      message: `${kind} ${name}: waiting for the controller to observe generation ${generation}`,
    };
  }
  const updated = status.updatedReplicas ?? 0;
  if (kind === 'StatefulSet') {
    const ready = status.readyReplicas ?? 0;
    const message = `${kind} ${name}: ${updated}/${desired} replicas updated, ${ready} ready`;
    const revisionDone =
      !status.updateRevision ||
      status.currentRevision === status.updateRevision;
    return {
      ready: ready >= desired && updated >= desired && revisionDone,
      failed: false,
      message,
    };
  }
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  const progressing = (status.conditions ?? []).find(
    (c: any) => c.type === 'Progressing',
  );
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      ready: false,
      failed: true,
      message: `${kind} ${name}: ${
        progressing.message ?? 'exceeded its progress deadline'
      } (${updated}/${desired} updated, ${available} available)`,
    };
  }
  let message = `${kind} ${name}: ${updated}/${desired} replicas updated, ${available} available`;
  if (updated >= desired && total > updated) {
    message += `, ${total - updated} old replicas pending termination`;
  }
  return {
    ready: updated >= desired && total <= updated && available >= updated,
    failed: false,
    message,
  };
}

/** The label selector string of a workload's `spec.selector.matchLabels`. */
export function podSelectorOf(obj: any): string | undefined {
  const labels: Record<string, string> | undefined =
    obj?.spec?.selector?.matchLabels;
  if (!labels || Object.keys(labels).length === 0) {
    return undefined;
  }
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
