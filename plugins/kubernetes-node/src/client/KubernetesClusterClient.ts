import type {
  CoreV1Api,
  KubernetesObject,
  KubernetesObjectApi,
  V1APIResource,
} from '@kubernetes/client-node';
import { InputError } from '@backstage/errors';
import { ClientNodeModule, loadClientNode } from './clientNode';
import { KubernetesClusterSettings } from '../readKubernetesProvisionerConfig';
import { discoveryMiss, httpCodeOf, toKubernetesError } from '../errors';
import { IN_CLUSTER_ROOT, kubeConfigFor } from './kubeConfigFor';

/** The object API, with the discovery lookup the client keeps protected. */
export type DiscoveringObjectApi = KubernetesObjectApi & {
  /** The discovery entry of a kind, cached per apiVersion by the client. */
  discover(
    apiVersion: string,
    kind: string,
  ): Promise<V1APIResource | undefined>;
};

/** Options of {@link KubernetesClusterClient.create}. */
export interface KubernetesClusterClientOptions {
  /** The deadline of one request. */
  timeoutMs: number;
  /** Where in-cluster credentials are mounted; the standard path by default. */
  inClusterRoot?: string;
  /** Environment for in-cluster discovery; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Clients for one cluster, built once and reused so that the discovery
 * documents `KubernetesObjectApi` fetches per apiVersion are cached.
 */
export class KubernetesClusterClient {
  /** The cluster's name in config. */
  readonly name: string;
  /** The API server URL. */
  readonly url: string;
  readonly objects: DiscoveringObjectApi;
  readonly core: CoreV1Api;
  readonly #lib: ClientNodeModule;
  readonly #timeoutMs: number;

  /**
   * Builds the clients, loading `@kubernetes/client-node` on first use; bad
   * connection settings fail here, naming the cluster.
   */
  static async create(
    settings: KubernetesClusterSettings,
    options: KubernetesClusterClientOptions,
  ): Promise<KubernetesClusterClient> {
    const lib = await loadClientNode();
    const kc = kubeConfigFor({
      lib,
      settings,
      inClusterRoot: options.inClusterRoot ?? IN_CLUSTER_ROOT,
      env: options.env ?? process.env,
    });
    const current = kc.getCurrentCluster()!;
    const server = current.server;
    if (server.startsWith('http:') && !current.skipTLSVerify) {
      // The client refuses plain HTTP unless TLS verification is explicitly off.
      throw new InputError(
        `cluster "${settings.name}": ${server} is plain HTTP; use https, or set skipTLSVerify: true for a local test cluster`,
      );
    }
    const configuration = lib.createConfiguration({
      baseServer: new lib.ServerConfiguration(server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [
        {
          pre: async context => {
            // Every request gets its own deadline, so a hung apiserver fails in time.
            context.setSignal(AbortSignal.timeout(options.timeoutMs));
            context.setHeaderParam(
              'User-Agent',
              'paved-kubernetes-provisioner',
            );
            return context;
          },
          post: async response => response,
        },
      ],
    });
    class ObjectApi extends lib.KubernetesObjectApi {
      discover(apiVersion: string, kind: string) {
        return this.resource(apiVersion, kind);
      }
    }
    return new KubernetesClusterClient({
      name: settings.name,
      url: server,
      objects: new ObjectApi(configuration),
      core: new lib.CoreV1Api(configuration),
      lib,
      timeoutMs: options.timeoutMs,
    });
  }

  private constructor(options: {
    name: string;
    url: string;
    objects: DiscoveringObjectApi;
    core: CoreV1Api;
    lib: ClientNodeModule;
    timeoutMs: number;
  }) {
    this.name = options.name;
    this.url = options.url;
    this.objects = options.objects;
    this.core = options.core;
    this.#lib = options.lib;
    this.#timeoutMs = options.timeoutMs;
  }

  /**
   * An object in the client's model form. KubernetesObjectApi serializes
   * built-in kinds through their models, which name some fields differently
   * (`_default`, `_from`); a plain object would lose those fields. This is how
   * the client's own apply example feeds it manifests.
   */
  toModel(obj: Record<string, unknown>): KubernetesObject {
    return this.#lib.loadYaml<KubernetesObject>(JSON.stringify(obj));
  }

  /**
   * How the cluster serves a kind (from the discovery document the client
   * caches per apiVersion); undefined when it does not serve it.
   */
  async resourceOf(
    apiVersion: string,
    kind: string,
  ): Promise<V1APIResource | undefined> {
    try {
      return await this.objects.discover(apiVersion, kind);
    } catch (error) {
      if (httpCodeOf(error) === 404) {
        return undefined;
      }
      throw this.errorOf(error, `looking up ${apiVersion} ${kind}`);
    }
  }

  /** Server-side applies an object with the given field manager. */
  serverSideApply(
    obj: Record<string, unknown>,
    fieldManager: string,
    force: boolean,
  ): Promise<KubernetesObject> {
    return this.objects.patch(
      this.toModel(obj),
      undefined,
      undefined,
      fieldManager,
      force,
      this.#lib.PatchStrategy.ServerSideApply,
    );
  }

  /** Runs one API call, turning failures into errors that name the cluster and the action. */
  async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.errorOf(error, action);
    }
  }

  /** Reads an object; undefined when it does not exist. */
  async read<T>(action: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (httpCodeOf(error) === 404 && !discoveryMiss(error)) {
        return undefined;
      }
      throw this.errorOf(error, action);
    }
  }

  /** A failure of `action` on this cluster, as an error that names the cluster and the action. */
  errorOf(error: unknown, action: string): Error {
    return toKubernetesError(error, {
      cluster: this.name,
      url: this.url,
      action,
      timeoutMs: this.#timeoutMs,
    });
  }
}
