/**
 * The test-facing side of the Kubernetes test server: what a controller, a
 * kubelet, an administrator or a broken network would do to the cluster.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  KubernetesObjectStore,
  StoredEntry,
  nowTimestamp,
} from './KubernetesObjectStore';
import { KubernetesResourceType } from './resourceTypes';
import {
  FailedCronJobRun,
  FailedCronJobRunOptions,
  failCronJobRun,
} from './cronJobRuns';

/**
 * An RBAC refusal: every field left out matches anything.
 *
 * @public
 */
export interface KubernetesDenyRule {
  /**
   * get, list, watch, create, update, patch, delete, deletecollection. As on
   * a real apiserver, a server-side apply that would create the object needs
   * `create` as well as `patch`.
   */
  verb?: string;
  /** Plural resource, with subresource if any: `namespaces`, `pods/log`. */
  resource?: string;
  /** API group; `''` for the core group. */
  group?: string;
  namespace?: string;
}

/**
 * Requests the server receives but never answers (a hung apiserver).
 *
 * @public
 */
export interface KubernetesHangRule {
  method?: string;
  path?: string | RegExp;
}

/**
 * When a terminating namespace disappears: after it has been read N times
 * while Terminating, or only when the test calls `finishNamespaceTermination`.
 *
 * @public
 */
export type NamespaceTerminationMode = { afterGets: number } | 'manual';

/**
 * How Deployments and StatefulSets roll out: `manual` leaves status to the
 * test; `immediate` makes every new generation available at once, with pods.
 *
 * @public
 */
export type RolloutMode = 'manual' | 'immediate';

/** State shared by the driver and the HTTP handler. */
export interface KubernetesTestServerState {
  store: KubernetesObjectStore;
  token: string;
  user: string;
  tokenExpired: boolean;
  denyRules: KubernetesDenyRule[];
  hangRules: KubernetesHangRule[];
  namespaceTermination: NamespaceTerminationMode;
  terminatingGets: Map<string, number>;
  rollouts: RolloutMode;
}

/**
 * A reference to an object in the test cluster.
 *
 * @public
 */
export interface KubernetesObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * What a crash-looping container looks like.
 *
 * @public
 */
export interface CrashLoopOptions {
  /**
   * The failing container; the pod template's first container by default.
   * An init container's name makes the pods fail in Init:CrashLoopBackOff,
   * with the containers after it waiting in PodInitializing.
   */
  container?: string;
  /** Its log, oldest line first. */
  logs?: string[];
  restartCount?: number;
  exitCode?: number;
}

function shortHash(value: unknown): string {
  // pod-template-hash is a short string of [a-z0-9].
  return createHash('sha256')
    .update(JSON.stringify(value))
    .digest('hex')
    .slice(0, 10);
}

function suffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map(b => alphabet[b % alphabet.length]).join('');
}

/**
 * Drives the test cluster from a test.
 *
 * @public
 */
export class KubernetesTestDriver {
  /** @internal */
  constructor(private readonly state: KubernetesTestServerState) {}

  private type(apiVersion: string, kind: string): KubernetesResourceType {
    const t = this.state.store.typeForKind(apiVersion, kind);
    if (!t) {
      throw new Error(
        `The Kubernetes test server does not serve ${apiVersion} ${kind}`,
      );
    }
    return t;
  }

  private find(ref: KubernetesObjectRef): StoredEntry | undefined {
    return this.state.store.get(
      this.type(ref.apiVersion, ref.kind),
      ref.namespace,
      ref.name,
    );
  }

  private entry(ref: KubernetesObjectRef): StoredEntry {
    const found = this.find(ref);
    if (!found) {
      throw new Error(
        `No ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${
          ref.name
        } in the test cluster`,
      );
    }
    return found;
  }

  /** Stores an object directly (as `manager`, default `kubectl`), like a fixture created before the test. */
  seed(
    obj: Record<string, any>,
    options: { manager?: string } = {},
  ): Record<string, any> {
    const t = this.type(obj.apiVersion, obj.kind);
    const entry = this.state.store.put(
      t,
      structuredClone(obj),
      options.manager ?? 'kubectl',
    );
    return this.state.store.render(entry);
  }

  /** The object as the API would return it, or undefined. */
  getObject(ref: KubernetesObjectRef): Record<string, any> | undefined {
    const found = this.find(ref);
    return found && this.state.store.render(found);
  }

  /** Every stored object of a kind, optionally in one namespace. */
  listObjects(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): Array<Record<string, any>> {
    const t = this.type(apiVersion, kind);
    return this.state.store
      .all()
      .filter(
        e =>
          e.type === t &&
          (namespace === undefined || e.obj.metadata.namespace === namespace),
      )
      .map(e => this.state.store.render(e));
  }

  /** Changes fields as another field manager would with `kubectl edit` (an Update operation). */
  updateAs(
    manager: string,
    ref: KubernetesObjectRef,
    patch: Record<string, any>,
  ): Record<string, any> {
    const t = this.type(ref.apiVersion, ref.kind);
    const result = this.state.store.patch(
      t,
      ref.namespace,
      ref.name,
      patch,
      true,
      manager,
      false,
    );
    return result.body;
  }

  // ---------------------------------------------------------------- namespaces

  /** Sets when terminating namespaces disappear. */
  setNamespaceTermination(mode: NamespaceTerminationMode): void {
    this.state.namespaceTermination = mode;
  }

  /** The namespace controller finished: the namespace and its content are gone. */
  finishNamespaceTermination(name: string): void {
    this.state.store.purgeNamespace(name);
    this.state.terminatingGets.delete(name);
  }

  // ---------------------------------------------------------------- workloads

  /** Sets how Deployments and StatefulSets roll out from now on. */
  setRolloutMode(mode: RolloutMode): void {
    this.state.rollouts = mode;
  }

  /** Replaces a workload's status. */
  setWorkloadStatus(
    ref: KubernetesObjectRef,
    status: Record<string, any>,
  ): void {
    this.state.store.setStatus(this.entry(ref), status);
  }

  /** Part of the rollout is done. */
  progressRollout(
    ref: KubernetesObjectRef,
    counts: { updated: number; ready: number; available: number },
  ): void {
    const entry = this.entry(ref);
    const replicas = entry.obj.spec?.replicas ?? 1;
    const rs = this.ensureReplicaSet(entry);
    this.state.store.setStatus(entry, {
      observedGeneration: entry.obj.metadata.generation,
      replicas: Math.max(replicas, counts.updated),
      updatedReplicas: counts.updated,
      readyReplicas: counts.ready,
      availableReplicas: counts.available,
      unavailableReplicas: Math.max(0, replicas - counts.available),
      conditions: [available(counts.available >= replicas), progressing(rs)],
    });
  }

  /** The rollout finished: every replica is updated, ready and available, with running pods. */
  completeRollout(ref: KubernetesObjectRef): void {
    const entry = this.entry(ref);
    const replicas = entry.obj.spec?.replicas ?? 1;
    const pods = this.replacePods(entry, replicas, 'running');
    if (entry.type.kind === 'StatefulSet') {
      const revision = `${entry.obj.metadata.name}-${shortHash(
        entry.obj.spec?.template,
      )}`;
      this.state.store.setStatus(entry, {
        observedGeneration: entry.obj.metadata.generation,
        replicas,
        readyReplicas: replicas,
        currentReplicas: replicas,
        updatedReplicas: replicas,
        availableReplicas: replicas,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      });
      return;
    }
    const rs = pods.owner;
    this.state.store.setStatus(entry, {
      observedGeneration: entry.obj.metadata.generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: [
        available(true),
        condition(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${rs}" has successfully progressed.`,
        ),
      ],
    });
  }

  /** The rollout exceeded its progress deadline; the pods stay Pending with a FailedScheduling event. */
  stallRollout(
    ref: KubernetesObjectRef,
    options: { message?: string } = {},
  ): void {
    const entry = this.entry(ref);
    const replicas = entry.obj.spec?.replicas ?? 1;
    const pods = this.replacePods(entry, replicas, 'pending');
    for (const pod of pods.names) {
      this.addEvent(entry.obj.metadata.namespace, {
        involvedObject: { kind: 'Pod', name: pod },
        type: 'Warning',
        reason: 'FailedScheduling',
        message:
          options.message ??
          '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
        source: { component: 'default-scheduler' },
      });
    }
    this.state.store.setStatus(entry, {
      observedGeneration: entry.obj.metadata.generation,
      replicas,
      updatedReplicas: replicas,
      unavailableReplicas: replicas,
      conditions: [
        available(false),
        condition(
          'Progressing',
          'False',
          'ProgressDeadlineExceeded',
          `ReplicaSet "${pods.owner}" has timed out progressing.`,
        ),
      ],
    });
  }

  /**
   * The ReplicaSet cannot create pods (by default: the namespace's quota is
   * used up): a FailedCreate warning event on the ReplicaSet and the
   * Deployment's ReplicaFailure condition, as the controllers report it.
   */
  failPodCreation(
    ref: KubernetesObjectRef,
    options: { reason?: string } = {},
  ): void {
    const entry = this.entry(ref);
    const replicas = entry.obj.spec?.replicas ?? 1;
    const rs = this.ensureReplicaSet(entry);
    const pod = `${rs}-${suffix()}`;
    const refusal = `pods "${pod}" is forbidden: ${
      options.reason ??
      'exceeded quota: paved-quota, requested: limits.cpu=500m, used: limits.cpu=4, limited: limits.cpu=4'
    }`;
    this.addEvent(entry.obj.metadata.namespace, {
      involvedObject: { kind: 'ReplicaSet', name: rs, apiVersion: 'apps/v1' },
      type: 'Warning',
      reason: 'FailedCreate',
      message: `Error creating: ${refusal}`,
      source: { component: 'replicaset-controller' },
    });
    this.state.store.setStatus(entry, {
      observedGeneration: entry.obj.metadata.generation,
      replicas: 0,
      unavailableReplicas: replicas,
      conditions: [
        available(false),
        progressing(rs),
        condition('ReplicaFailure', 'True', 'FailedCreate', refusal),
      ],
    });
  }

  /** A container crashes on start: pods in CrashLoopBackOff, BackOff events and the container's log. */
  crashLoop(ref: KubernetesObjectRef, options: CrashLoopOptions = {}): void {
    const entry = this.entry(ref);
    const replicas = entry.obj.spec?.replicas ?? 1;
    const containerName =
      options.container ??
      entry.obj.spec?.template?.spec?.containers?.[0]?.name;
    const pods = this.replacePods(entry, replicas, 'crashloop', {
      ...options,
      container: containerName,
    });
    const ns = entry.obj.metadata.namespace;
    for (const pod of pods.names) {
      this.addEvent(ns, {
        involvedObject: { kind: 'Pod', name: pod },
        type: 'Warning',
        reason: 'BackOff',
        message: `Back-off restarting failed container ${containerName} in pod ${pod}_${ns}(${pods.uids.get(
          pod,
        )})`,
        source: { component: 'kubelet' },
        count: options.restartCount ?? 3,
      });
      this.state.store.logs.set(
        `${ns}/${pod}/${containerName}`,
        options.logs ?? [],
      );
    }
    this.state.store.setStatus(entry, {
      observedGeneration: entry.obj.metadata.generation,
      replicas,
      updatedReplicas: replicas,
      unavailableReplicas: replicas,
      conditions: [available(false), progressing(pods.owner)],
    });
  }

  /**
   * A scheduled run of a CronJob fails: a Job it owns (named after the
   * scheduled minute) with the Failed condition BackoffLimitExceeded, one
   * Failed pod per attempt with its container terminated non-zero, and the
   * controllers' events.
   */
  failCronJobRun(
    ref: KubernetesObjectRef,
    options: FailedCronJobRunOptions = {},
  ): FailedCronJobRun {
    return failCronJobRun(
      {
        store: this.state.store,
        type: (apiVersion, kind) => this.type(apiVersion, kind),
        addEvent: (namespace, event) => this.addEvent(namespace, event),
      },
      this.entry(ref),
      options,
    );
  }

  /** Records an event, e.g. a Warning about a pod. */
  addEvent(
    namespace: string,
    event: {
      involvedObject: {
        kind: string;
        name: string;
        apiVersion?: string;
        uid?: string;
      };
      type: 'Normal' | 'Warning';
      reason: string;
      message: string;
      source?: { component: string };
      count?: number;
    },
  ): void {
    const time = nowTimestamp();
    this.seed(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${event.involvedObject.name}.${randomBytes(8).toString(
            'hex',
          )}`,
          namespace,
        },
        involvedObject: {
          apiVersion: 'v1',
          namespace,
          ...event.involvedObject,
        },
        type: event.type,
        reason: event.reason,
        message: event.message,
        source: event.source ?? { component: 'kubelet' },
        count: event.count ?? 1,
        firstTimestamp: time,
        lastTimestamp: time,
      },
      { manager: 'kubelet' },
    );
  }

  /** Sets a container's log, oldest line first. */
  setPodLogs(
    namespace: string,
    pod: string,
    container: string,
    lines: string[],
  ): void {
    this.state.store.logs.set(`${namespace}/${pod}/${container}`, lines);
  }

  // ---------------------------------------------------------------- auth and faults

  /** From now on the token is rejected with 401, as an expired token is. */
  expireToken(): void {
    this.state.tokenExpired = true;
  }

  /** The token is accepted again. */
  restoreToken(): void {
    this.state.tokenExpired = false;
  }

  /** RBAC refuses matching requests with 403 until the returned function is called. */
  deny(rule: KubernetesDenyRule): () => void {
    this.state.denyRules.push(rule);
    return () => {
      this.state.denyRules = this.state.denyRules.filter(r => r !== rule);
    };
  }

  /** Removes every deny rule. */
  allowAll(): void {
    this.state.denyRules = [];
  }

  /** Matching requests are never answered, until the returned function is called. */
  hang(rule: KubernetesHangRule = {}): () => void {
    this.state.hangRules.push(rule);
    return () => {
      this.state.hangRules = this.state.hangRules.filter(r => r !== rule);
    };
  }

  // ---------------------------------------------------------------- internals

  /** Called after a write; in immediate mode a new generation rolls out at once. */
  onChange(entry: StoredEntry): void {
    if (
      this.state.rollouts === 'immediate' &&
      (entry.type.kind === 'Deployment' || entry.type.kind === 'StatefulSet') &&
      entry.obj.status?.observedGeneration !== entry.obj.metadata.generation
    ) {
      this.completeRollout({
        apiVersion: entry.obj.apiVersion,
        kind: entry.type.kind,
        namespace: entry.obj.metadata.namespace,
        name: entry.obj.metadata.name,
      });
    }
  }

  private ensureReplicaSet(workload: StoredEntry): string {
    if (workload.type.kind !== 'Deployment') {
      return workload.obj.metadata.name;
    }
    const template = workload.obj.spec?.template ?? {};
    const hash = shortHash(template);
    const name = `${workload.obj.metadata.name}-${hash}`;
    const ns = workload.obj.metadata.namespace;
    const rsType = this.type('apps/v1', 'ReplicaSet');
    if (!this.state.store.get(rsType, ns, name)) {
      this.state.store.put(
        rsType,
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name,
            namespace: ns,
            labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
            ownerReferences: [ownerRef(workload)],
          },
          spec: {
            replicas: workload.obj.spec?.replicas ?? 1,
            selector: {
              matchLabels: {
                ...workload.obj.spec?.selector?.matchLabels,
                'pod-template-hash': hash,
              },
            },
            template,
          },
        },
        'kube-controller-manager',
      );
    }
    return name;
  }

  private replacePods(
    workload: StoredEntry,
    replicas: number,
    state: 'running' | 'pending' | 'crashloop',
    crash: CrashLoopOptions = {},
  ): { owner: string; names: string[]; uids: Map<string, string> } {
    const store = this.state.store;
    const ns = workload.obj.metadata.namespace;
    const podType = this.type('v1', 'Pod');
    const owner = this.ensureReplicaSet(workload);
    const isDeployment = workload.type.kind === 'Deployment';
    for (const pod of store
      .all()
      .filter(e => e.type === podType && e.obj.metadata.namespace === ns)) {
      const refs: Array<{ name: string }> =
        pod.obj.metadata.ownerReferences ?? [];
      const ownedByWorkload = refs.some(r =>
        isDeployment
          ? r.name.startsWith(`${workload.obj.metadata.name}-`)
          : r.name === workload.obj.metadata.name,
      );
      if (ownedByWorkload) store.remove(pod);
    }
    const rsType = this.type('apps/v1', 'ReplicaSet');
    if (isDeployment) {
      for (const rs of store
        .all()
        .filter(e => e.type === rsType && e.obj.metadata.namespace === ns)) {
        const ownedBy = (rs.obj.metadata.ownerReferences ?? []).some(
          (r: any) => r.uid === workload.obj.metadata.uid,
        );
        if (ownedBy && rs.obj.metadata.name !== owner) store.remove(rs);
      }
    }
    const template = workload.obj.spec?.template ?? {};
    const hash = shortHash(template);
    const containers: Array<{ name: string; image?: string }> =
      template.spec?.containers ?? [];
    const initContainers: Array<{ name: string; image?: string }> =
      template.spec?.initContainers ?? [];
    const initFailure =
      state === 'crashloop' &&
      initContainers.some(c => c.name === crash.container);
    const ownerEntry = isDeployment ? store.get(rsType, ns, owner)! : workload;
    const names: string[] = [];
    const uids = new Map<string, string>();
    for (let i = 0; i < replicas; i++) {
      const name = isDeployment
        ? `${owner}-${suffix()}`
        : `${workload.obj.metadata.name}-${i}`;
      const entry = store.put(
        podType,
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name,
            namespace: ns,
            labels: {
              ...template.metadata?.labels,
              ...(isDeployment
                ? { 'pod-template-hash': hash }
                : { 'statefulset.kubernetes.io/pod-name': name }),
            },
            ownerReferences: [ownerRef(ownerEntry)],
          },
          spec: template.spec ?? {},
        },
        'kube-controller-manager',
      );
      names.push(name);
      uids.set(name, entry.obj.metadata.uid);
      const now = nowTimestamp();
      const crashing = (c: { name: string; image?: string }) => ({
        name: c.name,
        image: c.image,
        ready: false,
        started: false,
        restartCount: crash.restartCount ?? 3,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 40s restarting failed container=${c.name} pod=${name}_${ns}(${entry.obj.metadata.uid})`,
          },
        },
        lastState: {
          terminated: {
            exitCode: crash.exitCode ?? 1,
            reason: 'Error',
            startedAt: now,
            finishedAt: now,
          },
        },
      });
      const waiting = (
        c: { name: string; image?: string },
        reason: string,
      ) => ({
        name: c.name,
        image: c.image,
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason } },
      });
      if (initFailure) {
        const failing = initContainers.findIndex(
          c => c.name === crash.container,
        );
        store.setStatus(entry, {
          phase: 'Pending',
          podIP: `10.0.0.${i + 10}`,
          startTime: now,
          conditions: [
            condition('PodScheduled', 'True'),
            condition('Initialized', 'False', 'ContainersNotInitialized'),
            condition('Ready', 'False', 'ContainersNotReady'),
          ],
          initContainerStatuses: initContainers.map((c, index) => {
            if (index < failing) {
              return {
                name: c.name,
                image: c.image,
                ready: true,
                restartCount: 0,
                state: {
                  terminated: {
                    exitCode: 0,
                    reason: 'Completed',
                    startedAt: now,
                    finishedAt: now,
                  },
                },
              };
            }
            return index === failing
              ? crashing(c)
              : waiting(c, 'PodInitializing');
          }),
          containerStatuses: containers.map(c => waiting(c, 'PodInitializing')),
        });
        continue;
      }
      store.setStatus(entry, {
        phase: state === 'pending' ? 'Pending' : 'Running',
        ...(state !== 'pending' && {
          podIP: `10.0.0.${i + 10}`,
          startTime: now,
        }),
        conditions: [
          condition(
            'PodScheduled',
            state === 'pending' ? 'False' : 'True',
            state === 'pending' ? 'Unschedulable' : undefined,
          ),
          ...(state === 'pending'
            ? []
            : [
                condition(
                  'Ready',
                  state === 'running' ? 'True' : 'False',
                  state === 'running' ? undefined : 'ContainersNotReady',
                ),
              ]),
        ],
        ...(state !== 'pending' && {
          containerStatuses: containers.map(c =>
            state === 'crashloop' && c.name === crash.container
              ? crashing(c)
              : {
                  name: c.name,
                  image: c.image,
                  ready: true,
                  started: true,
                  restartCount: 0,
                  state: { running: { startedAt: now } },
                },
          ),
        }),
      });
    }
    if (isDeployment) {
      // The ReplicaSet controller's count of the pods it made (the
      // kubernetes plugin lists a Deployment's pods through it).
      const ready = state === 'running' ? replicas : 0;
      store.setStatus(ownerEntry, {
        observedGeneration: ownerEntry.obj.metadata.generation ?? 1,
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: ready,
        availableReplicas: ready,
      });
    }
    return { owner, names, uids };
  }
}

function condition(
  type: string,
  status: string,
  reason?: string,
  message?: string,
) {
  const now = nowTimestamp();
  return {
    type,
    status,
    lastTransitionTime: now,
    ...(reason && { reason }),
    ...(message && { message }),
  };
}

/** A Deployment's Available condition, as the deployment controller words it. */
function available(yes: boolean) {
  return yes
    ? condition(
        'Available',
        'True',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
      )
    : condition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
      );
}

/** A Deployment's Progressing condition while its ReplicaSet rolls out. */
function progressing(replicaSet: string) {
  return condition(
    'Progressing',
    'True',
    'ReplicaSetUpdated',
    `ReplicaSet "${replicaSet}" is progressing.`,
  );
}

function ownerRef(entry: StoredEntry) {
  return {
    apiVersion: entry.obj.apiVersion,
    kind: entry.type.kind,
    name: entry.obj.metadata.name,
    uid: entry.obj.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
