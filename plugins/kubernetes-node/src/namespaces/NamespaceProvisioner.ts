import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubernetesManifest } from '../apply/parseManifests';
import {
  classify,
  describe,
  header,
  outcome,
  readLive,
  serverSideApply,
} from '../apply/serverSideApply';
import { withProgress } from '../apply/withProgress';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import {
  ClusterWorkOptions,
  ConnectedCluster,
  KubernetesClusters,
} from '../client/KubernetesClusters';
import {
  PAVED_LABELS,
  namespaceNameFor,
  ownerGroupName,
} from '../convention/labels';
import {
  EnsureNamespaceOptions,
  EnsureNamespaceResult,
  KubernetesTarget,
  NamespaceState,
  ObjectOutcome,
} from '../KubernetesProvisioner';
import {
  KubernetesProvisionerSettings,
  SizeName,
} from '../readKubernetesProvisionerConfig';
import {
  assertNotTerminating,
  foreignNamespace,
  readNamespace,
} from './namespaceOwnership';
import { renderNamespaceObjects } from './renderNamespaceObjects';

/** One ensureNamespace run: where, what is wanted, and what is there. */
interface NamespaceRun extends ConnectedCluster {
  request: EnsureNamespaceOptions;
  namespace: string;
  /** The Namespace first, then its guardrail objects. */
  desired: KubernetesManifest[];
  /** The live Namespace; undefined when it does not exist yet. */
  live: any;
}

/**
 * A component's namespace with its guardrail objects: creates it, brings it
 * back to what it should be, and reads who it belongs to.
 */
export class NamespaceProvisioner {
  readonly #settings: KubernetesProvisionerSettings;
  readonly #clusters: KubernetesClusters;
  readonly #logger: LoggerService;

  constructor(options: ClusterWorkOptions) {
    this.#settings = options.settings;
    this.#clusters = options.clusters;
    this.#logger = options.logger;
  }

  /** See {@link KubernetesProvisioner.ensureNamespace}. */
  async ensure(
    request: EnsureNamespaceOptions,
  ): Promise<EnsureNamespaceResult> {
    const { component, environment, owner, dryRun = false } = request;
    const namespace = namespaceNameFor(component, environment);
    const size = this.#sizeOf(request.size);
    const desired = renderNamespaceObjects(
      { namespace, component, environment, owner, size },
      this.#settings,
    );
    const { cluster, client } = await this.#clusters.connect(request.cluster);
    const live = await readNamespace(client, namespace);
    const run = { request, namespace, desired, live, cluster, client };
    if (live) {
      this.#assertOwnNamespace(run);
    }
    const { objects, uid } = await this.#write(run);
    return { cluster, namespace, ...(uid && { uid }), objects, dryRun };
  }

  /** See {@link KubernetesProvisioner.getNamespace}. */
  async get(target: KubernetesTarget): Promise<NamespaceState | undefined> {
    const { component, environment } = target;
    const namespace = namespaceNameFor(component, environment);
    const { cluster, client } = await this.#clusters.connect(target.cluster);
    const live = await readNamespace(client, namespace);
    if (!live) {
      return undefined;
    }
    const owner: string | undefined =
      live.metadata?.labels?.[PAVED_LABELS.owner];
    const foreign = foreignNamespace(live, component, environment);
    return {
      cluster,
      namespace,
      uid: live.metadata?.uid,
      phase: live.status?.phase === 'Terminating' ? 'Terminating' : 'Active',
      provisioned: !foreign,
      ...(foreign && { foreign }),
      ...(owner && { owner }),
    };
  }

  #sizeOf(size: string | undefined): SizeName {
    const name = (size ?? 'small') as SizeName;
    if (!Object.prototype.hasOwnProperty.call(this.#settings.sizes, name)) {
      throw new InputError(
        `size: expected one of ${Object.keys(this.#settings.sizes).join(
          ', ',
        )}, got "${name}"`,
      );
    }
    return name;
  }

  /** A live namespace must be this component's, not being deleted, and not another group's unless asked. */
  #assertOwnNamespace(run: NamespaceRun) {
    const { request, namespace, cluster, live } = run;
    assertNotTerminating(live, cluster);
    const problem = foreignNamespace(
      live,
      request.component,
      request.environment,
    );
    if (problem) {
      throw new ConflictError(
        `Namespace "${namespace}" already exists on cluster "${cluster}" and ${problem}; choose another component or environment name`,
      );
    }
    const current = live.metadata?.labels?.[PAVED_LABELS.owner];
    const wanted = ownerGroupName(request.owner);
    if (!current || current === wanted) {
      return;
    }
    if (!request.allowOwnerChange) {
      // Whoever runs a template must not take over another team's namespace by naming itself owner.
      throw new ConflictError(
        `owner: namespace "${namespace}" on cluster "${cluster}" belongs to group "${current}", not "${wanted}"; Paved hands it to another owner only when asked (allowOwnerChange, the changeOwner input of paved:kubernetes:namespace:provision), e.g. after the component's owner changed in the catalogue`,
      );
    }
    this.#logger.info(
      `Namespace "${namespace}" ${
        request.dryRun ? 'would change' : 'changes'
      } owner from group "${current}" to "${wanted}"`,
      { cluster, namespace, previousOwner: current, owner: wanted },
    );
  }

  /** Applies what differs, in order; returns what it did and the Namespace's uid. */
  async #write(
    run: NamespaceRun,
  ): Promise<{ objects: ObjectOutcome[]; uid?: string }> {
    const { client, desired, live: liveNs } = run;
    const [nsObject] = desired;
    const objects: ObjectOutcome[] = [];
    let inFlight: ObjectOutcome | undefined;
    let uid: string | undefined = liveNs?.metadata?.uid;
    try {
      for (const obj of desired) {
        // A namespace that did not exist holds nothing: a cold run skips these reads.
        const live =
          obj === nsObject || !liveNs ? liveNs : await readLive(client, obj);
        const action = classify(client, obj, live);
        if (action !== 'unchanged' && !run.request.dryRun) {
          inFlight = outcome(obj, action);
          const applied = await this.#apply(client, obj, live, action);
          if (obj === nsObject) uid = applied.metadata?.uid ?? uid;
          inFlight = undefined;
        }
        objects.push(outcome(obj, action));
      }
    } catch (error) {
      throw withProgress(
        error,
        objects,
        inFlight,
        `namespace "${run.namespace}" on cluster "${run.cluster}"`,
      );
    }
    return { objects, uid };
  }

  /** Applies one guardrail object; hand edits are taken back (force). */
  async #apply(
    client: KubernetesClusterClient,
    obj: KubernetesManifest,
    live: unknown,
    action: ObjectOutcome['action'],
  ): Promise<KubernetesObject> {
    if (
      obj.kind === 'RoleBinding' &&
      live &&
      JSON.stringify((live as any).roleRef) !== JSON.stringify(obj.roleRef)
    ) {
      // roleRef is immutable: a changed ClusterRole means a new binding.
      await client.call(`replacing ${describe(obj)}`, () =>
        client.objects.delete(header(obj) as KubernetesObject),
      );
    }
    return serverSideApply(client, obj, {
      force: true,
      action,
      logger: this.#logger,
    });
  }
}
