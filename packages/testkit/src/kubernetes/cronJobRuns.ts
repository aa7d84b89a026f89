/**
 * What the CronJob and Job controllers and the kubelet leave behind when a
 * scheduled run fails (kubernetes/kubernetes pkg/controller/cronjob and
 * pkg/controller/job): a Job the CronJob owns, named after the scheduled
 * minute, whose pods each ran the container to a non-zero exit until the
 * backoff limit was reached.
 */
import { randomBytes } from 'node:crypto';
import {
  KubernetesObjectStore,
  StoredEntry,
  nowTimestamp,
} from './KubernetesObjectStore';
import { KubernetesResourceType } from './resourceTypes';

/**
 * How a CronJob's run fails.
 *
 * @public
 */
export interface FailedCronJobRunOptions {
  /** When the run was scheduled; now by default. */
  scheduledAt?: Date;
  /** The failing container's exit code; 1 by default. */
  exitCode?: number;
  /** Its log, oldest line first (the same for every attempt). */
  logs?: string[];
}

/**
 * The Job and pods of a failed run.
 *
 * @public
 */
export interface FailedCronJobRun {
  job: string;
  /** One pod per attempt: the Job's backoffLimit (6 by default) plus one. */
  pods: string[];
}

/** What the simulation needs from the test server. */
export interface CronJobRunContext {
  store: KubernetesObjectStore;
  type(apiVersion: string, kind: string): KubernetesResourceType;
  addEvent(
    namespace: string,
    event: {
      involvedObject: { kind: string; name: string; apiVersion?: string };
      type: 'Normal' | 'Warning';
      reason: string;
      message: string;
      source: { component: string };
    },
  ): void;
}

const BACKOFF_MESSAGE = 'Job has reached the specified backoff limit';

function suffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map(b => alphabet[b % alphabet.length]).join('');
}

function controllerRef(entry: StoredEntry) {
  return {
    apiVersion: entry.obj.apiVersion,
    kind: entry.type.kind,
    name: entry.obj.metadata.name,
    uid: entry.obj.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The Job the CronJob controller creates for a scheduled time (getJobName: minutes since the epoch). */
function createJob(
  ctx: CronJobRunContext,
  cronJob: StoredEntry,
  scheduledAt: Date,
): StoredEntry {
  const template = cronJob.obj.spec?.jobTemplate ?? {};
  const minutes = Math.floor(scheduledAt.getTime() / 60_000);
  const name = `${cronJob.obj.metadata.name}-${minutes}`;
  const namespace = cronJob.obj.metadata.namespace;
  return ctx.store.put(
    ctx.type('batch/v1', 'Job'),
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace,
        labels: { ...template.metadata?.labels },
        annotations: {
          ...template.metadata?.annotations,
          'batch.kubernetes.io/cronjob-scheduled-timestamp': scheduledAt
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z'),
        },
        ownerReferences: [controllerRef(cronJob)],
      },
      spec: structuredClone(template.spec ?? {}),
    },
    'kube-controller-manager',
  );
}

/** One attempt: a pod of the Job whose container exited non-zero. */
function failedPod(
  ctx: CronJobRunContext,
  job: StoredEntry,
  options: FailedCronJobRunOptions,
): string {
  const podTemplate = job.obj.spec?.template ?? {};
  const jobName = job.obj.metadata.name;
  const namespace = job.obj.metadata.namespace;
  const uid = job.obj.metadata.uid;
  const name = `${jobName}-${suffix()}`;
  const entry = ctx.store.put(
    ctx.type('v1', 'Pod'),
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        labels: {
          ...podTemplate.metadata?.labels,
          'batch.kubernetes.io/controller-uid': uid,
          'batch.kubernetes.io/job-name': jobName,
          'controller-uid': uid,
          'job-name': jobName,
        },
        ownerReferences: [controllerRef(job)],
      },
      spec: podTemplate.spec ?? {},
    },
    'kube-controller-manager',
  );
  const now = nowTimestamp();
  const containers: Array<{ name: string; image?: string }> =
    podTemplate.spec?.containers ?? [];
  ctx.store.setStatus(entry, {
    phase: 'Failed',
    startTime: now,
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      {
        type: 'Ready',
        status: 'False',
        reason: 'PodFailed',
        lastTransitionTime: now,
      },
    ],
    containerStatuses: containers.map(c => ({
      name: c.name,
      image: c.image,
      ready: false,
      started: false,
      restartCount: 0,
      state: {
        terminated: {
          exitCode: options.exitCode ?? 1,
          reason: 'Error',
          startedAt: now,
          finishedAt: now,
        },
      },
    })),
  });
  for (const c of containers) {
    ctx.store.logs.set(`${namespace}/${name}/${c.name}`, options.logs ?? []);
  }
  return name;
}

/**
 * A scheduled run of the CronJob fails: its Job with the Failed condition
 * (BackoffLimitExceeded), one Failed pod per attempt, the controllers'
 * events, and the CronJob's lastScheduleTime.
 */
export function failCronJobRun(
  ctx: CronJobRunContext,
  cronJob: StoredEntry,
  options: FailedCronJobRunOptions = {},
): FailedCronJobRun {
  if (cronJob.type.kind !== 'CronJob') {
    throw new Error(
      `${cronJob.type.kind} ${cronJob.obj.metadata.name} is not a CronJob`,
    );
  }
  const scheduledAt = options.scheduledAt ?? new Date();
  const job = createJob(ctx, cronJob, scheduledAt);
  const attempts = (job.obj.spec?.backoffLimit ?? 6) + 1;
  const pods = Array.from({ length: attempts }, () =>
    failedPod(ctx, job, options),
  );
  const now = nowTimestamp();
  const failed = (type: string) => ({
    type,
    status: 'True',
    reason: 'BackoffLimitExceeded',
    message: BACKOFF_MESSAGE,
    lastProbeTime: now,
    lastTransitionTime: now,
  });
  ctx.store.setStatus(job, {
    startTime: now,
    failed: attempts,
    ready: 0,
    terminating: 0,
    uncountedTerminatedPods: {},
    conditions: [failed('FailureTarget'), failed('Failed')],
  });
  const namespace = cronJob.obj.metadata.namespace;
  const jobName = job.obj.metadata.name;
  const cronJobRef = { kind: 'CronJob', name: cronJob.obj.metadata.name };
  ctx.addEvent(namespace, {
    involvedObject: { ...cronJobRef, apiVersion: 'batch/v1' },
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: `Created job ${jobName}`,
    source: { component: 'cronjob-controller' },
  });
  ctx.addEvent(namespace, {
    involvedObject: { kind: 'Job', name: jobName, apiVersion: 'batch/v1' },
    type: 'Warning',
    reason: 'BackoffLimitExceeded',
    message: BACKOFF_MESSAGE,
    source: { component: 'job-controller' },
  });
  ctx.addEvent(namespace, {
    involvedObject: { ...cronJobRef, apiVersion: 'batch/v1' },
    type: 'Normal',
    reason: 'SawCompletedJob',
    message: `Saw completed job: ${jobName}, condition: Failed`,
    source: { component: 'cronjob-controller' },
  });
  ctx.store.setStatus(cronJob, {
    ...cronJob.obj.status,
    lastScheduleTime:
      job.obj.metadata.annotations[
        'batch.kubernetes.io/cronjob-scheduled-timestamp'
      ],
  });
  return { job: jobName, pods };
}
