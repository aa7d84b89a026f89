import { SizeName } from './readKubernetesProvisionerConfig';

/**
 * What an operation did, or in a dry run would do, to one object.
 *
 * @public
 */
export type ObjectAction = 'created' | 'updated' | 'unchanged' | 'deleted';

/**
 * One object an operation touched or checked.
 *
 * @public
 */
export interface ObjectOutcome {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  action: ObjectAction;
}

/**
 * Where an operation happens: a component's environment on a cluster.
 *
 * @public
 */
export interface KubernetesTarget {
  /** A configured cluster name; the default cluster when left out. */
  cluster?: string;
  /** The catalog component (a DNS-1123 label). */
  component: string;
  /** The environment (a DNS-1123 label), e.g. dev or prod. */
  environment: string;
}

/**
 * Options of {@link KubernetesProvisioner.ensureNamespace}.
 *
 * @public
 */
export interface EnsureNamespaceOptions extends KubernetesTarget {
  /** The owning group, as an entity ref (`group:default/payments`) or name. */
  owner: string;
  /**
   * Hand a namespace that already belongs to another group to `owner` (its
   * owner label and RoleBinding). Default false: the catalogue is the source
   * of truth for ownership, so an owner change is refused, naming the current
   * owner, unless the caller asks for it (e.g. after the component's owner
   * changed in the catalogue).
   */
  allowOwnerChange?: boolean;
  /** The size tier of the quota and limit defaults. Default small. */
  size?: SizeName;
  /** Only read and report what would change. */
  dryRun?: boolean;
}

/**
 * What {@link KubernetesProvisioner.ensureNamespace} created, changed or left as it was.
 *
 * @public
 */
export interface EnsureNamespaceResult {
  cluster: string;
  namespace: string;
  /** The namespace's uid; unset in a dry run for a namespace that does not exist yet. */
  uid?: string;
  objects: ObjectOutcome[];
  dryRun: boolean;
}

/**
 * Options of {@link KubernetesProvisioner.apply}.
 *
 * @public
 */
export interface ApplyOptions extends KubernetesTarget {
  /** YAML (one or more documents) or parsed objects. */
  manifests: string | Array<Record<string, unknown>>;
  /** Take over fields another field manager owns instead of failing on conflicts. */
  force?: boolean;
  /** Only check and report what would change. */
  dryRun?: boolean;
}

/**
 * What {@link KubernetesProvisioner.apply} did.
 *
 * @public
 */
export interface ApplyResult {
  cluster: string;
  namespace: string;
  /** The uid of the namespace applied into; unset in a dry run before it exists. */
  namespaceUid?: string;
  objects: ObjectOutcome[];
  dryRun: boolean;
}

/**
 * A Deployment or StatefulSet to wait for.
 *
 * @public
 */
export interface WorkloadRef {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
}

/**
 * Options of {@link KubernetesProvisioner.waitForRollout}.
 *
 * @public
 */
export interface WaitForRolloutOptions extends KubernetesTarget {
  /** The workloads; every Deployment and StatefulSet labelled for the component when left out. */
  workloads?: WorkloadRef[];
  /** Default: `paved.kubernetes.rolloutTimeout`. */
  timeoutMs?: number;
  /** Default 2 seconds. */
  pollIntervalMs?: number;
  /** Lines of each failing container's log to report. Default 20, at most 50. */
  logTailLines?: number;
  /** Called with a line whenever a workload's progress changes. */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * Where one workload's rollout stands.
 *
 * @public
 */
export interface WorkloadRolloutStatus {
  kind: string;
  name: string;
  ready: boolean;
  message: string;
}

/**
 * The evidence gathered when a rollout fails.
 *
 * @public
 */
export interface RolloutDiagnostics {
  /** Warning events of the workloads' pods (and of the workloads). */
  events: Array<{
    object: string;
    reason: string;
    message: string;
    count: number;
  }>;
  /**
   * The last lines of each failing container's log: at most 50 lines and
   * 4 KiB per container, each line at most 300 characters.
   */
  logs: Array<{
    pod: string;
    container: string;
    lines: string[];
    /** Set when lines were cut or left out to stay within those limits. */
    truncated?: boolean;
    error?: string;
  }>;
}

/**
 * What {@link KubernetesProvisioner.waitForRollout} found.
 *
 * @public
 */
export interface RolloutResult {
  cluster: string;
  namespace: string;
  /** `available` when every workload is; otherwise why the wait ended. */
  outcome: 'available' | 'failed' | 'timeout';
  workloads: WorkloadRolloutStatus[];
  /** Set when the outcome is not `available`. */
  diagnostics?: RolloutDiagnostics;
}

/**
 * A component environment's namespace as it is now.
 *
 * @public
 */
export interface NamespaceState {
  cluster: string;
  namespace: string;
  /** Changes when the namespace is deleted and created again. */
  uid: string;
  phase: 'Active' | 'Terminating';
  /** False when the namespace exists but Paved did not provision it for this component and environment. */
  provisioned: boolean;
  /** Why it is not Paved's, when `provisioned` is false: `is not managed by Paved (...)`. */
  foreign?: string;
  /** The owning group's name, from the owner label. */
  owner?: string;
}

/**
 * Options of {@link KubernetesProvisioner.deleteNamespace}.
 *
 * @public
 */
export interface DeleteNamespaceOptions extends KubernetesTarget {
  /** Default: `paved.kubernetes.namespaceDeletionTimeout`. */
  timeoutMs?: number;
  /** Default 2 seconds. */
  pollIntervalMs?: number;
  onProgress?: (message: string) => void;
  /** Only report whether the namespace would be deleted. */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/**
 * What {@link KubernetesProvisioner.deleteNamespace} did.
 *
 * @public
 */
export interface DeleteNamespaceResult {
  cluster: string;
  namespace: string;
  /** False when the namespace was already gone. */
  existed: boolean;
  /** The uid of the namespace deleted (or that a dry run would delete). */
  uid?: string;
  dryRun: boolean;
}

/**
 * Options of {@link KubernetesProvisioner.deleteObject}.
 *
 * @public
 */
export interface DeleteObjectOptions extends KubernetesTarget {
  apiVersion: string;
  kind: string;
  name: string;
  /** Only check and report whether the object would be deleted. */
  dryRun?: boolean;
}

/**
 * What {@link KubernetesProvisioner.deleteObject} did.
 *
 * @public
 */
export interface DeleteObjectResult {
  cluster: string;
  namespace: string;
  /** False when the object (or its namespace) was already gone. */
  existed: boolean;
  dryRun: boolean;
}

/**
 * Options of {@link KubernetesProvisioner.setImage}.
 *
 * @public
 */
export interface SetImageOptions extends KubernetesTarget {
  /** The image, pinned to a version tag or a digest (the guardrail's rule). */
  image: string;
  /** The containers to set, by name; every container of each workload when left out. */
  containers?: string[];
  /** Only check and report what would change. */
  dryRun?: boolean;
}

/**
 * What {@link KubernetesProvisioner.setImage} did to one workload.
 *
 * @public
 */
export interface WorkloadImageOutcome {
  kind: 'Deployment' | 'StatefulSet' | 'CronJob';
  name: string;
  /** The containers whose image is the new one. */
  containers: string[];
  action: 'updated' | 'unchanged';
}

/**
 * What {@link KubernetesProvisioner.setImage} did.
 *
 * @public
 */
export interface SetImageResult {
  cluster: string;
  namespace: string;
  image: string;
  workloads: WorkloadImageOutcome[];
  dryRun: boolean;
}

/**
 * The limits applied to manifests, for callers that read files.
 *
 * @public
 */
export interface ManifestLimits {
  maxManifestBytes: number;
  maxDocuments: number;
}

/**
 * Paved's Kubernetes driver: safe-by-default namespaces for a component's
 * environment, guarded server-side apply, rollout waits and deletion.
 *
 * Every operation is idempotent: running it twice ends in the same state and
 * the second run writes nothing.
 *
 * @public
 */
export interface KubernetesProvisioner {
  /** The cluster an operation would use: the named one, else the default. */
  resolveCluster(cluster?: string): string;

  /** The manifest size limits `apply` enforces. */
  getManifestLimits(): ManifestLimits;

  /**
   * Creates or updates the namespace of a component's environment with its
   * labels, Pod Security Admission labels, ResourceQuota, LimitRange,
   * default-deny NetworkPolicy and owner RoleBinding.
   */
  ensureNamespace(
    options: EnsureNamespaceOptions,
  ): Promise<EnsureNamespaceResult>;

  /**
   * Server-side applies manifests (field manager `paved`) into the
   * component's namespace after checking every guardrail.
   */
  apply(options: ApplyOptions): Promise<ApplyResult>;

  /**
   * Sets the image of the component's Deployments, StatefulSets and
   * CronJobs (labelled `backstage.io/kubernetes-id=<component>`) in its
   * namespace, after the guardrails accept the result. Only the image fields
   * are applied (field manager `paved-deploy`); the rollout is then
   * `waitForRollout`'s.
   */
  setImage(options: SetImageOptions): Promise<SetImageResult>;

  /** Waits until the workloads are available, or fails with diagnostics. */
  waitForRollout(options: WaitForRolloutOptions): Promise<RolloutResult>;

  /**
   * Reads the namespace of a component's environment (one request);
   * undefined when it does not exist. Callers that recorded a uid learn from
   * it whether the namespace was deleted (or replaced) since.
   */
  getNamespace(target: KubernetesTarget): Promise<NamespaceState | undefined>;

  /** Deletes the namespace and waits until it is gone. */
  deleteNamespace(
    options: DeleteNamespaceOptions,
  ): Promise<DeleteNamespaceResult>;

  /**
   * Deletes one object Paved wrote for the component from the namespace it
   * provisioned for the component's environment (a connection Secret).
   */
  deleteObject(options: DeleteObjectOptions): Promise<DeleteObjectResult>;
}
