import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { KubernetesProvisionerSettings } from '../readKubernetesProvisionerConfig';
import { KubernetesClusterClient } from './KubernetesClusterClient';

/** A cluster an operation works on: its name and its clients. */
export interface ConnectedCluster {
  cluster: string;
  client: KubernetesClusterClient;
}

/** What each part of the provisioner (namespaces, apply, rollout, deletion) is built with. */
export interface ClusterWorkOptions {
  settings: KubernetesProvisionerSettings;
  clusters: KubernetesClusters;
  logger: LoggerService;
}

/**
 * The configured clusters: which one an operation means, and its clients,
 * built on first use and kept, so discovery documents are fetched once.
 */
export class KubernetesClusters {
  readonly #settings: KubernetesProvisionerSettings;
  readonly #inClusterRoot?: string;
  readonly #env?: NodeJS.ProcessEnv;
  readonly #clients = new Map<string, Promise<KubernetesClusterClient>>();

  constructor(options: {
    settings: KubernetesProvisionerSettings;
    logger: LoggerService;
    inClusterRoot?: string;
    env?: NodeJS.ProcessEnv;
  }) {
    this.#settings = options.settings;
    this.#inClusterRoot = options.inClusterRoot;
    this.#env = options.env;
    for (const c of options.settings.clusters.filter(x => !x.onEntityPages)) {
      options.logger.warn(
        `Kubernetes cluster "${c.name}" is only in paved.kubernetes.clusters: Paved provisions into it, but entity pages will not show its workloads until it is also under kubernetes.clusterLocatorMethods`,
        { cluster: c.name },
      );
    }
  }

  /** The configured cluster an operation means: the one named, the default, or the only one. */
  resolve(cluster?: string): string {
    const names = this.#settings.clusters.map(c => c.name);
    if (names.length === 0) {
      throw new NotFoundError(
        'No Kubernetes cluster is configured for Paved: add one under kubernetes.clusterLocatorMethods (type: config) or paved.kubernetes.clusters in app-config',
      );
    }
    if (cluster !== undefined && cluster !== '') {
      if (!names.includes(cluster)) {
        throw new InputError(
          `cluster: "${cluster}" is not a configured Kubernetes cluster; configured: ${names.join(
            ', ',
          )}`,
        );
      }
      return cluster;
    }
    if (this.#settings.defaultCluster) {
      return this.#settings.defaultCluster;
    }
    if (names.length === 1) {
      return names[0];
    }
    throw new InputError(
      `cluster: several Kubernetes clusters are configured (${names.join(
        ', ',
      )}); name one, or set paved.kubernetes.defaultCluster`,
    );
  }

  /** The cluster an operation means, with its clients. */
  async connect(cluster?: string): Promise<ConnectedCluster> {
    const name = this.resolve(cluster);
    return { cluster: name, client: await this.clientOf(name) };
  }

  /** A cluster's clients, built on first use; a failed build is retried next time. */
  clientOf(name: string): Promise<KubernetesClusterClient> {
    let client = this.#clients.get(name);
    if (!client) {
      const settings = this.#settings.clusters.find(c => c.name === name)!;
      client = KubernetesClusterClient.create(settings, {
        timeoutMs: this.#settings.requestTimeoutMs,
        inClusterRoot: this.#inClusterRoot,
        env: this.#env,
      });
      this.#clients.set(name, client);
      client.catch(() => this.#clients.delete(name));
    }
    return client;
  }
}
