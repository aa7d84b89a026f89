import fs from 'node:fs';
import path from 'node:path';
import type {
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  V1APIResource,
} from '@kubernetes/client-node';
import { InputError } from '@backstage/errors';
import { ClientNodeModule, loadClientNode } from './clientNode';
import { KubernetesClusterSettings } from './readKubernetesProvisionerConfig';
import {
  discoveryMiss,
  httpCodeOf,
  toKubernetesError,
} from './errors';

/** Where the pod's service account credentials are mounted. */
export const IN_CLUSTER_ROOT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Clients for one cluster, built once and reused so that the discovery
 * documents `KubernetesObjectApi` fetches per apiVersion are cached.
 */
export class KubernetesClusterClient {
  private constructor(
    readonly name: string,
    readonly url: string,
    readonly objects: KubernetesObjectApi & {
      /** The discovery entry of a kind, cached per apiVersion by the client. */
      discover(
        apiVersion: string,
        kind: string,
      ): Promise<V1APIResource | undefined>;
    },
    readonly core: CoreV1Api,
    private readonly lib: ClientNodeModule,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Builds the clients, loading `@kubernetes/client-node` on first use; bad
   * connection settings fail here, naming the cluster.
   */
  static async create(
    settings: KubernetesClusterSettings,
    options: {
      timeoutMs: number;
      inClusterRoot?: string;
      env?: NodeJS.ProcessEnv;
    },
  ): Promise<KubernetesClusterClient> {
    const lib = await loadClientNode();
    const kc = KubernetesClusterClient.kubeConfigFor(
      lib,
      settings,
      options.inClusterRoot ?? IN_CLUSTER_ROOT,
      options.env ?? process.env,
    );
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
    return new KubernetesClusterClient(
      settings.name,
      server,
      new ObjectApi(configuration),
      new lib.CoreV1Api(configuration),
      lib,
      options.timeoutMs,
    );
  }

  private static kubeConfigFor(
    lib: ClientNodeModule,
    settings: KubernetesClusterSettings,
    inClusterRoot: string,
    env: NodeJS.ProcessEnv,
  ): KubeConfig {
    const kc = new lib.KubeConfig();
    const where = `cluster "${settings.name}"`;
    const cluster = (server: string) => ({
      name: settings.name,
      server,
      caData: settings.caData,
      caFile: settings.caFile,
      skipTLSVerify: settings.skipTLSVerify,
    });
    switch (settings.auth.type) {
      case 'serviceAccountToken':
        kc.loadFromClusterAndUser(cluster(settings.url!), {
          name: 'paved',
          token: settings.auth.token,
        });
        return kc;
      case 'inCluster': {
        const tokenFile = path.join(inClusterRoot, 'token');
        if (!fs.existsSync(tokenFile)) {
          throw new InputError(
            `${where} uses in-cluster credentials, but ${tokenFile} does not exist; is Paved running in a pod with a service account?`,
          );
        }
        let url = settings.url;
        if (!url) {
          const host = env.KUBERNETES_SERVICE_HOST;
          const port = env.KUBERNETES_SERVICE_PORT;
          if (!host || !port) {
            throw new InputError(
              `${where} uses in-cluster credentials without a url, and KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set`,
            );
          }
          url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
        }
        const caFile = path.join(inClusterRoot, 'ca.crt');
        kc.loadFromClusterAndUser(
          {
            ...cluster(url),
            ...(!settings.caData &&
              !settings.caFile &&
              fs.existsSync(caFile) && { caFile }),
          },
          {
            name: 'paved',
            authProvider: { name: 'tokenFile', config: { tokenFile } },
          },
        );
        return kc;
      }
      case 'kubeconfig': {
        const { path: file, context } = settings.auth;
        if (!fs.existsSync(file)) {
          throw new InputError(
            `${where}: the kubeconfig file ${file} does not exist`,
          );
        }
        try {
          kc.loadFromFile(file);
        } catch (error) {
          throw new InputError(
            `${where}: the kubeconfig file ${file} could not be read: ${
              (error as Error).message
            }`,
          );
        }
        if (context) {
          if (!kc.getContextObject(context)) {
            throw new InputError(
              `${where}: the kubeconfig file ${file} has no context "${context}"; it has ${kc
                .getContexts()
                .map(c => `"${c.name}"`)
                .join(', ')}`,
            );
          }
          kc.setCurrentContext(context);
        }
        const current = kc.getCurrentCluster();
        if (!current) {
          throw new InputError(
            `${where}: the kubeconfig file ${file} has no current context with a cluster`,
          );
        }
        if (
          settings.url ||
          settings.caData ||
          settings.caFile ||
          settings.skipTLSVerify
        ) {
          // Settings from app-config win over the kubeconfig's cluster entry.
          const merged = {
            ...current,
            server: settings.url ?? current.server,
            ...(settings.caData && { caData: settings.caData }),
            ...(settings.caFile && { caFile: settings.caFile }),
            ...(settings.skipTLSVerify && { skipTLSVerify: true }),
          };
          kc.loadFromClusterAndUser(merged, kc.getCurrentUser()!);
        }
        return kc;
      }
      default:
        throw new InputError(
          `${where} uses authProvider "${settings.auth.authProvider}", which the Paved provisioner does not support; use serviceAccount, or add a paved.kubernetes.clusters entry named "${settings.name}" with a kubeconfig or inCluster`,
        );
    }
  }

  /**
   * An object in the client's model form. KubernetesObjectApi serializes
   * built-in kinds through their models, which name some fields differently
   * (`_default`, `_from`); a plain object would lose those fields. This is how
   * the client's own apply example feeds it manifests.
   */
  toModel(obj: Record<string, unknown>): KubernetesObject {
    return this.lib.loadYaml<KubernetesObject>(JSON.stringify(obj));
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
      throw toKubernetesError(error, {
        cluster: this.name,
        url: this.url,
        action: `looking up ${apiVersion} ${kind}`,
        timeoutMs: this.timeoutMs,
      });
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
      this.lib.PatchStrategy.ServerSideApply,
    );
  }

  /** Runs one API call, turning failures into errors that name the cluster and the action. */
  async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toKubernetesError(error, {
        cluster: this.name,
        url: this.url,
        action,
        timeoutMs: this.timeoutMs,
      });
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
      throw toKubernetesError(error, {
        cluster: this.name,
        url: this.url,
        action,
        timeoutMs: this.timeoutMs,
      });
    }
  }
}
