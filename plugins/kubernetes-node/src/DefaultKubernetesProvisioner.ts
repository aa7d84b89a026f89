import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApplyOptions,
  ApplyResult,
  DeleteNamespaceOptions,
  DeleteNamespaceResult,
  DeleteObjectOptions,
  DeleteObjectResult,
  EnsureNamespaceOptions,
  EnsureNamespaceResult,
  KubernetesProvisioner,
  KubernetesTarget,
  ManifestLimits,
  NamespaceState,
  RolloutResult,
  SetImageOptions,
  SetImageResult,
  WaitForRolloutOptions,
} from './KubernetesProvisioner';
import { ManifestApplier } from './apply/ManifestApplier';
import { KubernetesClusters } from './client/KubernetesClusters';
import { NamespaceDeleter } from './deletion/NamespaceDeleter';
import { ImageSetter } from './images/ImageSetter';
import { ObjectDeleter } from './deletion/ObjectDeleter';
import { NamespaceProvisioner } from './namespaces/NamespaceProvisioner';
import {
  KubernetesProvisionerSettings,
  readKubernetesProvisionerConfig,
} from './readKubernetesProvisionerConfig';
import { RolloutWaiter } from './rollout/RolloutWaiter';

/**
 * Options of {@link DefaultKubernetesProvisioner.create} and `fromConfig`.
 *
 * @public
 */
export interface DefaultKubernetesProvisionerOptions {
  logger: LoggerService;
  /** Where in-cluster credentials are mounted; the standard path by default. */
  inClusterRoot?: string;
  /** Environment for in-cluster discovery; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The default {@link KubernetesProvisioner}, on `@kubernetes/client-node`:
 * a facade over one class per concern (clusters, namespaces, guarded apply,
 * rollouts, images, deletion).
 *
 * @public
 */
export class DefaultKubernetesProvisioner implements KubernetesProvisioner {
  readonly #clusters: KubernetesClusters;
  readonly #namespaces: NamespaceProvisioner;
  readonly #manifests: ManifestApplier;
  readonly #rollouts: RolloutWaiter;
  readonly #deletion: NamespaceDeleter;
  readonly #images: ImageSetter;
  readonly #objectDeletion: ObjectDeleter;

  /** Reads the clusters and guardrails from app-config. */
  static fromConfig(
    config: Config,
    options: DefaultKubernetesProvisionerOptions,
  ): DefaultKubernetesProvisioner {
    return DefaultKubernetesProvisioner.create({
      ...options,
      settings: readKubernetesProvisionerConfig(config),
    });
  }

  /** Creates a provisioner from settings already read. */
  static create(
    options: DefaultKubernetesProvisionerOptions & {
      settings: KubernetesProvisionerSettings;
    },
  ): DefaultKubernetesProvisioner {
    return new DefaultKubernetesProvisioner(options);
  }

  private constructor(
    options: DefaultKubernetesProvisionerOptions & {
      settings: KubernetesProvisionerSettings;
    },
  ) {
    const { settings, logger } = options;
    const clusters = new KubernetesClusters(options);
    const parts = { settings, clusters, logger };
    this.#clusters = clusters;
    this.#namespaces = new NamespaceProvisioner(parts);
    this.#manifests = new ManifestApplier(parts);
    this.#rollouts = new RolloutWaiter(parts);
    this.#deletion = new NamespaceDeleter(parts);
    this.#images = new ImageSetter(parts);
    this.#objectDeletion = new ObjectDeleter(parts);
  }

  resolveCluster(cluster?: string): string {
    return this.#clusters.resolve(cluster);
  }

  getManifestLimits(): ManifestLimits {
    return this.#manifests.limits();
  }

  ensureNamespace(
    options: EnsureNamespaceOptions,
  ): Promise<EnsureNamespaceResult> {
    return this.#namespaces.ensure(options);
  }

  apply(options: ApplyOptions): Promise<ApplyResult> {
    return this.#manifests.apply(options);
  }

  getNamespace(target: KubernetesTarget): Promise<NamespaceState | undefined> {
    return this.#namespaces.get(target);
  }

  setImage(options: SetImageOptions): Promise<SetImageResult> {
    return this.#images.set(options);
  }

  waitForRollout(options: WaitForRolloutOptions): Promise<RolloutResult> {
    return this.#rollouts.wait(options);
  }

  deleteNamespace(
    options: DeleteNamespaceOptions,
  ): Promise<DeleteNamespaceResult> {
    return this.#deletion.delete(options);
  }

  deleteObject(options: DeleteObjectOptions): Promise<DeleteObjectResult> {
    return this.#objectDeletion.delete(options);
  }
}
