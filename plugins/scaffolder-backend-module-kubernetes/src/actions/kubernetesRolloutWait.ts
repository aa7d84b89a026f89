import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  KubernetesProvisioner,
  RolloutResult,
  WaitForRolloutOptions,
  WorkloadRef,
  namespaceNameFor,
} from '@paved/plugin-kubernetes-node';
import {
  KubernetesActionOptions,
  assertMayChangeNamespace,
  audited,
} from './guardedChange';
import { examples } from './kubernetesRolloutWait.examples';
import { redactLine } from './redaction';
import {
  StepContext,
  Zod,
  clusterInput,
  componentInput,
  environmentInput,
  timeoutMsOf,
  timeoutSecondsInput,
} from './shared';
import { isRecordedNamespace, verifiedCheckpoint } from './verifiedCheckpoint';

/** What the step checkpoints; a bare list before the namespace's uid was recorded. */
type RolloutRecord = { workloads: string[]; namespaceUid?: string } | string[];

function parseWorkload(value: string): WorkloadRef {
  const [kind, name] = value.includes('/')
    ? value.split('/', 2)
    : ['Deployment', value];
  if ((kind !== 'Deployment' && kind !== 'StatefulSet') || !name) {
    throw new InputError(
      `workloads: expected "Deployment/<name>", "StatefulSet/<name>" or a Deployment name, got "${value}"`,
    );
  }
  return { kind, name };
}

/**
 * Logs the warning events and container logs of a rollout that did not
 * become available (the driver caps the logs; each line is redacted here),
 * then fails the step.
 */
function failRollout(
  ctx: StepContext,
  result: RolloutResult,
  where: { namespace: string; cluster: string },
): never {
  const redact = (line: string) => redactLine(line, ctx.secrets);
  for (const e of result.diagnostics?.events ?? []) {
    ctx.logger.warn(
      redact(
        `${e.object}: ${e.reason}: ${e.message}${
          e.count > 1 ? ` (x${e.count})` : ''
        }`,
      ),
    );
  }
  for (const log of result.diagnostics?.logs ?? []) {
    let body = log.error ?? '(empty)';
    if (!log.error && log.lines.length > 0) body = log.lines.join('\n');
    const cut = log.truncated ? ' (cut to the last lines that fit)' : '';
    ctx.logger.warn(
      `Last lines of ${log.pod}/${log.container}${cut}:\n${redact(body)}`,
    );
  }
  const why =
    result.outcome === 'timeout'
      ? 'did not become available in time'
      : 'failed';
  const notReady = result.workloads.filter(w => !w.ready);
  throw new ServiceUnavailableError(
    `The rollout in namespace ${where.namespace} on cluster ${
      where.cluster
    } ${why}: ${notReady
      .map(w => w.message)
      .join('; ')}. Warning events and container logs are in the log above.`,
  );
}

/** Waits once; replayed on retry, unless the namespace was deleted (or replaced) since: then its new workloads are waited for. */
async function checkpointedWait(
  ctx: StepContext,
  provisioner: KubernetesProvisioner,
  request: WaitForRolloutOptions & { cluster: string },
): Promise<string[]> {
  const { cluster, component, environment } = request;
  const namespace = namespaceNameFor(component, environment);
  const target = { cluster, component, environment };
  const record = await verifiedCheckpoint<RolloutRecord>(ctx, {
    key: `kubernetes.rollout.${cluster}.${namespace}`,
    fn: async () => {
      const ns = await provisioner.getNamespace(target);
      const result = await provisioner.waitForRollout(request);
      if (result.outcome !== 'available') {
        failRollout(ctx, result, { namespace, cluster });
      }
      return {
        workloads: result.workloads.map(w => `${w.kind}/${w.name}`),
        ...(ns && { namespaceUid: ns.uid }),
      };
    },
    stillHolds: async replayed => {
      const recorded = Array.isArray(replayed) ? undefined : replayed;
      const live = await provisioner.getNamespace(target);
      return isRecordedNamespace(live, recorded?.namespaceUid);
    },
    generation: replayed =>
      (!Array.isArray(replayed) && replayed.namespaceUid) || 'unrecorded',
    onStale: () =>
      ctx.logger.info(
        `Namespace "${namespace}" on cluster "${cluster}", whose rollout this step waited for before, is gone or was replaced; waiting for the rollout again`,
      ),
  });
  return Array.isArray(record) ? record : record.workloads;
}

const input = {
  component: componentInput,
  environment: environmentInput,
  workloads: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Deployment/<name> or StatefulSet/<name> (a bare name is a Deployment). Default: every workload labelled backstage.io/kubernetes-id=<component>.',
      ),
  timeoutSeconds: timeoutSecondsInput(
    'How long to wait. Default paved.kubernetes.rolloutTimeout (5 minutes).',
  ),
  logTailLines: (z: Zod) =>
    z
      .number()
      .int()
      .positive()
      .max(50)
      .optional()
      .describe(
        "Lines of each failing container's log to show. Default 20, at most 50 (and 4 KiB per container); secret values are redacted.",
      ),
  cluster: clusterInput,
};

const output = {
  cluster: (z: Zod) => z.string().describe('The cluster waited on.'),
  namespace: (z: Zod) => z.string().describe('The namespace of the workloads.'),
  workloads: (z: Zod) =>
    z
      .array(z.string())
      .describe('The workloads that became available, as Kind/name.'),
};

/**
 * Creates the `paved:kubernetes:rollout:wait` action: waits for a component's
 * Deployments and StatefulSets, with progress in the task log, and on failure
 * logs the pods' warning events and the end of each failing container's log.
 *
 * @public
 */
export function createKubernetesRolloutWaitAction(
  options: KubernetesActionOptions & {
    /** How often to poll; 2 seconds by default. */
    pollIntervalMs?: number;
  },
) {
  const { provisioner, auditor, pollIntervalMs } = options;
  return createTemplateAction({
    id: 'paved:kubernetes:rollout:wait',
    description:
      "Waits until the component's Deployments and StatefulSets are available, logging progress; on a crash loop, a stuck rollout or the timeout it fails with the pods' warning events and the last lines of each failing container's log.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { component, environment, timeoutSeconds, logTailLines } =
        ctx.input;
      const namespace = namespaceNameFor(component, environment);
      const workloads = ctx.input.workloads?.map(parseWorkload);
      const cluster = provisioner.resolveCluster(ctx.input.cluster);

      const check = () =>
        assertMayChangeNamespace(ctx, options, {
          cluster,
          component,
          environment,
          action: 'read the rollout and container logs of',
        });
      let available: string[];
      if (ctx.isDryRun) {
        await check();
        ctx.logger.info(
          `Would wait for ${
            workloads
              ? workloads.map(w => `${w.kind}/${w.name}`).join(', ')
              : `every workload of ${component}`
          } in namespace ${namespace} on cluster ${cluster}`,
        );
        available = workloads?.map(w => `${w.kind}/${w.name}`) ?? [];
      } else {
        available = await audited(
          ctx,
          auditor,
          { eventId: 'rollout-read', namespace, cluster },
          async () => {
            await check();
            return checkpointedWait(ctx, provisioner, {
              cluster,
              component,
              environment,
              workloads,
              timeoutMs: timeoutMsOf(timeoutSeconds),
              pollIntervalMs,
              logTailLines,
              signal: ctx.signal,
              onProgress: line => ctx.logger.info(line),
            });
          },
        );
      }

      ctx.output('cluster', cluster);
      ctx.output('namespace', namespace);
      ctx.output('workloads', available);
    },
  });
}
