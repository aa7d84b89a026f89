import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, isError } from '@backstage/errors';
import {
  ClusterWorkOptions,
  ConnectedCluster,
  KubernetesClusters,
} from '../client/KubernetesClusters';
import { namespaceNameFor } from '../convention/labels';
import {
  checkGuardrails,
  formatViolations,
} from '../guardrails/checkGuardrails';
import {
  ApplyOptions,
  ApplyResult,
  ManifestLimits,
  ObjectOutcome,
} from '../KubernetesProvisioner';
import {
  assertNotTerminating,
  foreignNamespace,
  missingNamespace,
  readNamespace,
} from '../namespaces/namespaceOwnership';
import { guardrailPolicyFor } from '../guardrails/guardrailPolicyFor';
import { KubernetesProvisionerSettings } from '../readKubernetesProvisionerConfig';
import { OrderedManifest, inApplyOrder } from './applyOrder';
import { manifestsOf } from './manifestsOf';
import { KubernetesManifest } from './parseManifests';
import {
  classify,
  describe,
  outcome,
  readLive,
  serverSideApply,
} from './serverSideApply';
import { withProgress } from './withProgress';

/** One apply run: where, into which namespace, and the live Namespace. */
interface ApplyRun extends ConnectedCluster {
  request: ApplyOptions;
  namespace: string;
  /** The live Namespace; undefined when it does not exist (a dry run may go on). */
  liveNs: any;
}

/** An object and what applying it will do. */
interface PlannedWrite {
  obj: KubernetesManifest;
  action: ObjectOutcome['action'];
}

/**
 * Guarded apply: checks every guardrail, then server-side applies the
 * manifests into the component's namespace, only one Paved provisioned.
 */
export class ManifestApplier {
  readonly #settings: KubernetesProvisionerSettings;
  readonly #clusters: KubernetesClusters;
  readonly #logger: LoggerService;

  constructor(options: ClusterWorkOptions) {
    this.#settings = options.settings;
    this.#clusters = options.clusters;
    this.#logger = options.logger;
  }

  /** The limits applied to manifests, for callers that read files. */
  limits(): ManifestLimits {
    return {
      maxManifestBytes: this.#settings.maxManifestBytes,
      maxDocuments: this.#settings.maxDocuments,
    };
  }

  /** See {@link KubernetesProvisioner.apply}. */
  async apply(request: ApplyOptions): Promise<ApplyResult> {
    const { component, environment, dryRun = false } = request;
    const namespace = namespaceNameFor(component, environment);
    const manifests = manifestsOf(request.manifests, this.limits());
    const violations = checkGuardrails(
      manifests,
      guardrailPolicyFor(this.#settings, { namespace, component, environment }),
    );
    if (violations.length > 0) {
      throw new InputError(formatViolations(violations));
    }
    const { cluster, client } = await this.#clusters.connect(request.cluster);
    const ordered = inApplyOrder(manifests, {
      namespace,
      component,
      environment,
    });
    const liveNs = await readNamespace(client, namespace);
    const run = { request, namespace, liveNs, cluster, client };
    this.#assertPavedNamespace(run);
    const plan = await this.#plan(run, ordered);
    const objects = await this.#write(run, plan);
    const namespaceUid: string | undefined = liveNs?.metadata?.uid;
    return {
      cluster,
      namespace,
      ...(namespaceUid && { namespaceUid }),
      objects,
      dryRun,
    };
  }

  /** Only into the namespace Paved provisioned for this component and environment. */
  #assertPavedNamespace(run: ApplyRun) {
    const { request, namespace, cluster, liveNs } = run;
    if (liveNs) {
      assertNotTerminating(liveNs, cluster);
      const problem = foreignNamespace(
        liveNs,
        request.component,
        request.environment,
      );
      if (problem) {
        throw new NotAllowedError(
          `Namespace "${namespace}" on cluster "${cluster}" ${problem}; Paved applies only into namespaces it provisioned`,
        );
      }
    } else if (!request.dryRun) {
      throw missingNamespace(namespace, cluster);
    }
  }

  /** Checks and reads everything first: unknown and cluster-scoped kinds and refused reads fail before any write. */
  async #plan(
    run: ApplyRun,
    ordered: OrderedManifest[],
  ): Promise<PlannedWrite[]> {
    const { client, cluster } = run;
    const plan: PlannedWrite[] = [];
    const refused: string[] = [];
    for (const { obj, document } of ordered) {
      const at = `- document ${document} (${describe(obj)}): ${
        obj.apiVersion
      } ${obj.kind}`;
      const resource = await client.resourceOf(obj.apiVersion, obj.kind);
      if (!resource) {
        refused.push(`${at} is not served by cluster "${cluster}"`);
        continue;
      }
      if (!resource.namespaced) {
        refused.push(
          `${at} is cluster-scoped; only namespaced objects can be applied into a component's namespace`,
        );
        continue;
      }
      // In a dry run before the namespace exists (a template's provision step did not run), everything would be created.
      const live = run.liveNs ? await readLive(client, obj) : undefined;
      plan.push({ obj, action: classify(client, obj, live) });
    }
    if (refused.length > 0) {
      throw new InputError(
        `Kinds the cluster cannot take into a namespace; nothing was applied:\n${refused.join(
          '\n',
        )}`,
      );
    }
    return plan;
  }

  /** Applies what differs, in order, and reports what was done before any failure. */
  async #write(run: ApplyRun, plan: PlannedWrite[]): Promise<ObjectOutcome[]> {
    const { client, cluster, namespace, request } = run;
    const objects: ObjectOutcome[] = [];
    let inFlight: ObjectOutcome | undefined;
    try {
      for (const { obj, action } of plan) {
        if (action !== 'unchanged' && !request.dryRun) {
          inFlight = outcome(obj, action);
          await serverSideApply(client, obj, {
            force: request.force ?? false,
            action,
            logger: this.#logger,
          });
          inFlight = undefined;
        }
        objects.push(outcome(obj, action));
      }
    } catch (error) {
      const err =
        isError(error) &&
        error.name === 'NotFoundError' &&
        error.message.includes(`namespaces "${namespace}" not found`)
          ? missingNamespace(namespace, cluster)
          : error;
      throw withProgress(
        err,
        objects,
        inFlight,
        `namespace "${namespace}" on cluster "${cluster}"`,
      );
    }
    return objects;
  }
}
