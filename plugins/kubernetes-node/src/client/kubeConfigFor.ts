import fs from 'node:fs';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '@backstage/errors';
import { KubernetesClusterSettings } from '../readKubernetesProvisionerConfig';
import { ClientNodeModule } from './clientNode';

/** Where the pod's service account credentials are mounted. */
export const IN_CLUSTER_ROOT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** What a kubeconfig is built from. */
interface KubeConfigSource {
  lib: ClientNodeModule;
  settings: KubernetesClusterSettings;
  /** Where in-cluster credentials are mounted. */
  inClusterRoot: string;
  /** Environment for in-cluster discovery. */
  env: NodeJS.ProcessEnv;
}

function whereOf(settings: KubernetesClusterSettings) {
  return `cluster "${settings.name}"`;
}

/** The cluster entry of a kubeconfig, with the TLS settings of app-config. */
function clusterEntry(settings: KubernetesClusterSettings, server: string) {
  return {
    name: settings.name,
    server,
    caData: settings.caData,
    caFile: settings.caFile,
    skipTLSVerify: settings.skipTLSVerify,
  };
}

function withToken(
  kc: KubeConfig,
  settings: KubernetesClusterSettings,
  token: string,
): KubeConfig {
  kc.loadFromClusterAndUser(clusterEntry(settings, settings.url!), {
    name: 'paved',
    token,
  });
  return kc;
}

/** The API server of the pod's own cluster, from the environment Kubernetes gives every pod. */
function inClusterUrl(
  settings: KubernetesClusterSettings,
  env: NodeJS.ProcessEnv,
): string {
  if (settings.url) return settings.url;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new InputError(
      `${whereOf(
        settings,
      )} uses in-cluster credentials without a url, and KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set`,
    );
  }
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function inCluster(kc: KubeConfig, source: KubeConfigSource): KubeConfig {
  const { settings, inClusterRoot } = source;
  const tokenFile = path.join(inClusterRoot, 'token');
  if (!fs.existsSync(tokenFile)) {
    throw new InputError(
      `${whereOf(
        settings,
      )} uses in-cluster credentials, but ${tokenFile} does not exist; is Paved running in a pod with a service account?`,
    );
  }
  const url = inClusterUrl(settings, source.env);
  const caFile = path.join(inClusterRoot, 'ca.crt');
  kc.loadFromClusterAndUser(
    {
      ...clusterEntry(settings, url),
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

/** Loads a kubeconfig file and picks its context. */
function loadKubeconfigFile(
  kc: KubeConfig,
  where: string,
  file: string,
  context: string | undefined,
) {
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
}

function fromKubeconfig(
  kc: KubeConfig,
  settings: KubernetesClusterSettings,
  file: string,
  context: string | undefined,
): KubeConfig {
  const where = whereOf(settings);
  loadKubeconfigFile(kc, where, file, context);
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

/**
 * The kubeconfig of a cluster, by how Paved reaches it: a service account
 * token, the pod's own service account, or a kubeconfig file.
 */
export function kubeConfigFor(source: KubeConfigSource): KubeConfig {
  const { lib, settings } = source;
  const kc = new lib.KubeConfig();
  switch (settings.auth.type) {
    case 'serviceAccountToken':
      return withToken(kc, settings, settings.auth.token);
    case 'inCluster':
      return inCluster(kc, source);
    case 'kubeconfig':
      return fromKubeconfig(
        kc,
        settings,
        settings.auth.path,
        settings.auth.context,
      );
    default:
      throw new InputError(
        `${whereOf(settings)} uses authProvider "${
          settings.auth.authProvider
        }", which the Paved provisioner does not support; use serviceAccount, or add a paved.kubernetes.clusters entry named "${
          settings.name
        }" with a kubeconfig or inCluster`,
      );
  }
}
