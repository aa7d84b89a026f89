import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  KubernetesManifest,
  KubernetesProvisioner,
  namespaceNameFor,
  parseManifests,
  withPavedConvention,
} from '@paved/plugin-kubernetes-node';
import yaml from 'yaml';
import {
  KubernetesActionOptions,
  assertMayChangeNamespace,
  audited,
} from './guardedChange';
import { examples } from './kubernetesApply.examples';
import { redactManifest } from './redaction';
import {
  StepContext,
  Zod,
  clusterInput,
  componentInput,
  createdOutput,
  environmentInput,
  updatedOutput,
} from './shared';
import {
  NamespaceSummary,
  ObjectSummary,
  logOutcomes,
  outputSummary,
} from './summarize';
import { isRecordedNamespace, verifiedCheckpoint } from './verifiedCheckpoint';

async function readManifests(
  workspacePath: string,
  paths: string[],
  inline: string | undefined,
  limits: { maxManifestBytes: number; maxDocuments: number },
): Promise<KubernetesManifest[]> {
  const manifests: KubernetesManifest[] = [];
  let total = 0;
  const add = (text: string, source: string) => {
    total += Buffer.byteLength(text, 'utf8');
    if (total > limits.maxManifestBytes) {
      throw new InputError(
        `${source}: the manifests add up to more than ${limits.maxManifestBytes} bytes (paved.kubernetes.maxManifestBytes)`,
      );
    }
    manifests.push(
      ...parseManifests(text, {
        maxBytes: limits.maxManifestBytes,
        maxDocuments: limits.maxDocuments,
        source,
      }),
    );
  };
  for (const relative of paths) {
    const file = resolveSafeChildPath(workspacePath, relative);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) {
      throw new InputError(
        `manifestPaths: ${relative} is not a file in the workspace`,
      );
    }
    // Checked before reading, so a huge file is never loaded.
    if (total + stat.size > limits.maxManifestBytes) {
      throw new InputError(
        `manifestPaths: ${relative} (${stat.size} bytes) takes the manifests over ${limits.maxManifestBytes} bytes (paved.kubernetes.maxManifestBytes)`,
      );
    }
    add(await fs.readFile(file, 'utf8'), relative);
  }
  if (inline !== undefined) {
    add(inline, 'manifests');
  }
  return manifests;
}

/** What one run applies, where. */
interface ApplyRequest {
  cluster: string;
  component: string;
  environment: string;
  namespace: string;
  manifests: KubernetesManifest[];
  force: boolean;
}

/** Logs what would change and each object as it would be applied. */
async function dryRun(
  ctx: StepContext,
  provisioner: KubernetesProvisioner,
  { namespace, ...request }: ApplyRequest,
): Promise<ObjectSummary> {
  const result = await provisioner.apply({ ...request, dryRun: true });
  const summary = logOutcomes(ctx.logger, result.objects, true);
  const { component, environment } = request;
  for (const m of request.manifests) {
    ctx.logger.info(
      `${m.kind}/${m.metadata.name} as it would be applied:\n${yaml.stringify(
        redactManifest(
          withPavedConvention(m, { namespace, component, environment }),
        ),
      )}`,
    );
  }
  return summary;
}

/** Applies once per manifest set; replayed on retry, unless the namespace applied into was deleted (or replaced) since. */
function checkpointedApply(
  ctx: StepContext,
  provisioner: KubernetesProvisioner,
  { namespace, ...request }: ApplyRequest,
): Promise<NamespaceSummary> {
  const { cluster, component, environment, manifests, force } = request;
  const digest = createHash('sha256')
    .update(JSON.stringify({ manifests, force }))
    .digest('hex')
    .slice(0, 12);
  return verifiedCheckpoint<NamespaceSummary>(ctx, {
    key: `kubernetes.apply.${cluster}.${namespace}.${digest}`,
    fn: async () => {
      const result = await provisioner.apply(request);
      return {
        ...logOutcomes(ctx.logger, result.objects, false),
        ...(result.namespaceUid && { namespaceUid: result.namespaceUid }),
      };
    },
    stillHolds: async replayed => {
      const live = await provisioner.getNamespace({
        cluster,
        component,
        environment,
      });
      return isRecordedNamespace(live, replayed.namespaceUid);
    },
    generation: replayed => replayed.namespaceUid ?? 'unrecorded',
    onStale: () =>
      ctx.logger.info(
        `Namespace "${namespace}" on cluster "${cluster}", which these manifests were applied into before, is gone or was replaced; applying them again`,
      ),
  });
}

const input = {
  component: componentInput,
  environment: environmentInput,
  manifestPaths: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'YAML files in the workspace, relative to it; each may hold several documents.',
      ),
  manifests: (z: Zod) =>
    z.string().optional().describe('Inline YAML, one or more documents.'),
  force: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Take over fields another field manager owns instead of failing on conflicts. Default false.',
      ),
  cluster: clusterInput,
};

const output = {
  cluster: (z: Zod) =>
    z.string().describe('The cluster the manifests were applied to.'),
  namespace: (z: Zod) =>
    z.string().describe('The namespace they were applied to.'),
  created: createdOutput,
  updated: updatedOutput,
  unchanged: (z: Zod) =>
    z
      .array(z.string())
      .describe('Objects already as in the manifests, as Kind/name.'),
};

/**
 * Creates the `paved:kubernetes:apply` action: guarded server-side apply of
 * workspace files or inline YAML into a component's namespace.
 *
 * @public
 */
export function createKubernetesApplyAction(options: KubernetesActionOptions) {
  const { provisioner, auditor } = options;
  return createTemplateAction({
    id: 'paved:kubernetes:apply',
    description:
      "Server-side applies manifests (field manager paved) into a component's namespace, after checking Paved's guardrails: no privileged or root containers, no host access, resource requests and limits, pinned image tags, Pod Security restricted (capabilities dropped, a seccomp profile), allowed kinds only.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { component, environment, manifestPaths = [] } = ctx.input;
      const namespace = namespaceNameFor(component, environment);
      if (manifestPaths.length === 0 && ctx.input.manifests === undefined) {
        throw new InputError(
          'manifestPaths or manifests: give the workspace files to apply, or inline YAML',
        );
      }
      const manifests = await readManifests(
        ctx.workspacePath,
        manifestPaths,
        ctx.input.manifests,
        provisioner.getManifestLimits(),
      );
      const cluster = provisioner.resolveCluster(ctx.input.cluster);
      const request = {
        cluster,
        component,
        environment,
        namespace,
        manifests,
        force: ctx.input.force ?? false,
      };
      const check = () =>
        assertMayChangeNamespace(ctx, options, {
          cluster,
          component,
          environment,
          action: 'apply manifests to',
        });
      let summary: ObjectSummary;
      if (ctx.isDryRun) {
        await check();
        summary = await dryRun(ctx, provisioner, request);
      } else {
        summary = await audited(
          ctx,
          auditor,
          { eventId: 'manifest-apply', namespace, cluster },
          async () => {
            await check();
            return checkpointedApply(ctx, provisioner, request);
          },
        );
      }
      ctx.output('cluster', cluster);
      ctx.output('namespace', namespace);
      outputSummary(ctx, summary);
    },
  });
}
