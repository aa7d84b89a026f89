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
  // Pods refused at creation (an exhausted quota, admission): the wait goes on, the reason is shown now.
  const replicaFailure = (status.conditions ?? []).find(
    (c: any) => c.type === 'ReplicaFailure' && c.status === 'True',
  );
  if (replicaFailure) {
    message += `; cannot create pods: ${
      replicaFailure.message ?? replicaFailure.reason
    }`;
  }
  return {
    ready: updated >= desired && total <= updated && available >= updated,
    failed: false,
    message,
  };
}

/** The label selector string of a workload's `spec.selector` (matchLabels and matchExpressions). */
export function podSelectorOf(obj: any): string | undefined {
  const selector = obj?.spec?.selector ?? {};
  const terms = Object.entries<string>(selector.matchLabels ?? {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of selector.matchExpressions ?? []) {
    const values = `(${(e.values ?? []).join(',')})`;
    switch (e.operator) {
      case 'In':
        terms.push(`${e.key} in ${values}`);
        break;
      case 'NotIn':
        terms.push(`${e.key} notin ${values}`);
        break;
      case 'Exists':
        terms.push(e.key);
        break;
      case 'DoesNotExist':
        terms.push(`!${e.key}`);
        break;
      default:
        return undefined;
    }
  }
  return terms.length > 0 ? terms.join(',') : undefined;
}

/**
 * The containers of a pod whose log says why it fails: not ready and run at
 * least once (running, terminated, or restarting after a termination), init
 * containers included unless they completed. A container that never started
 * (image pull, PodInitializing) has no log; its events say why.
 */
export function failingContainers(pod: any): string[] {
  const names: string[] = [];
  const statuses = [
    ...(pod?.status?.initContainerStatuses ?? []).map((s: any) => ({
      s,
      init: true,
    })),
    ...(pod?.status?.containerStatuses ?? []).map((s: any) => ({
      s,
      init: false,
    })),
  ];
  for (const { s, init } of statuses) {
    if (s.ready) continue;
    if (init && s.state?.terminated?.exitCode === 0) continue;
    const ran =
      s.state?.running || s.state?.terminated || s.lastState?.terminated;
    if (ran) names.push(s.name);
  }
  return names;
}
