import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/**
 * How Paved reaches one cluster.
 *
 * @public
 */
export type KubernetesClusterAuth =
  | { type: 'serviceAccountToken'; token: string }
  | { type: 'inCluster' }
  | { type: 'kubeconfig'; path: string; context?: string }
  | { type: 'unsupported'; authProvider: string };

/**
 * One cluster Paved can provision into.
 *
 * @public
 */
export interface KubernetesClusterSettings {
  name: string;
  /** API server URL; undefined when it comes from a kubeconfig or the pod's environment. */
  url?: string;
  auth: KubernetesClusterAuth;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  /**
   * True when the cluster is one of the kubernetes plugin's
   * (`kubernetes.clusterLocatorMethods`), so entity pages show its workloads.
   */
  onEntityPages: boolean;
}

/**
 * Compute quantities of a size tier.
 *
 * @public
 */
export interface Quantities {
  cpu: string;
  memory: string;
}

/**
 * A namespace size tier.
 *
 * @public
 */
export interface SizeTier {
  requests: Quantities;
  limits: Quantities;
  pods: number;
  defaultRequest: Quantities;
  defaultLimit: Quantities;
}

/**
 * The names of the size tiers.
 *
 * @public
 */
export type SizeName = 'small' | 'medium' | 'large';

/**
 * Everything the provisioner reads from app-config.
 *
 * @public
 */
export interface KubernetesProvisionerSettings {
  clusters: KubernetesClusterSettings[];
  defaultCluster?: string;
  podSecurityVersion: string;
  ingressNamespace: string;
  ownerClusterRole: string;
  ownerGroupPrefix: string;
  sizes: Record<SizeName, SizeTier>;
  /** `Kind` for the core group, `group/Kind` otherwise. */
  allowedKinds: string[];
  /** ClusterRoles a RoleBinding in applied manifests may refer to. */
  bindableClusterRoles: string[];
  /** Domains Ingress hosts must be in, with `{namespace}`, `{component}`, `{environment}`. */
  ingressDomains: string[];
  /** Where a Service may be a LoadBalancer: everywhere (true), nowhere (false) or these namespaces. */
  allowLoadBalancer: boolean | string[];
  maxManifestBytes: number;
  maxDocuments: number;
  requestTimeoutMs: number;
  rolloutTimeoutMs: number;
  namespaceDeletionTimeoutMs: number;
}

/** The built-in size tiers. */
export const DEFAULT_SIZES: Record<SizeName, SizeTier> = {
  small: {
    requests: { cpu: '2', memory: '4Gi' },
    limits: { cpu: '4', memory: '8Gi' },
    pods: 20,
    defaultRequest: { cpu: '100m', memory: '128Mi' },
    defaultLimit: { cpu: '500m', memory: '512Mi' },
  },
  medium: {
    requests: { cpu: '8', memory: '16Gi' },
    limits: { cpu: '16', memory: '32Gi' },
    pods: 50,
    defaultRequest: { cpu: '250m', memory: '256Mi' },
    defaultLimit: { cpu: '1', memory: '1Gi' },
  },
  large: {
    requests: { cpu: '32', memory: '64Gi' },
    limits: { cpu: '64', memory: '128Gi' },
    pods: 150,
    defaultRequest: { cpu: '500m', memory: '512Mi' },
    defaultLimit: { cpu: '2', memory: '2Gi' },
  },
};

/** Kinds paved:kubernetes:apply accepts unless app-config says otherwise. */
export const DEFAULT_ALLOWED_KINDS = [
  'ConfigMap',
  'Secret',
  'Service',
  'ServiceAccount',
  'apps/Deployment',
  'apps/StatefulSet',
  'autoscaling/HorizontalPodAutoscaler',
  'batch/CronJob',
  'batch/Job',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'policy/PodDisruptionBudget',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
];

const CONFIG = 'paved.kubernetes';
const QUANTITY = /^(\d+)(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * A quantity in the form the apiserver stores it, so that a warm run
 * compares equal: 1000m becomes 1, 0.5 becomes 500m, 1024Mi becomes 1Gi.
 */
export function canonicalQuantity(value: string, key: string): string {
  const match = String(value).match(QUANTITY);
  if (!match) {
    throw new InputError(
      `${key}: "${value}" is not a Kubernetes quantity such as 500m, 2 or 512Mi`,
    );
  }
  const [, whole, fraction, suffix = ''] = match;
  if (suffix === '' || suffix === 'm') {
    const milli =
      suffix === 'm'
        ? Number(`${whole}${fraction ?? ''}`)
        : Number(`${whole}${fraction ?? ''}`) * 1000;
    if (!Number.isInteger(milli)) {
      throw new InputError(`${key}: "${value}" is finer than a millicore`);
    }
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (fraction) {
    throw new InputError(
      `${key}: "${value}" has a fraction; write it with a smaller unit, e.g. 512Mi`,
    );
  }
  let amount = Number(whole);
  let index = BINARY.indexOf(suffix);
  if (index < 0) {
    return `${amount}${suffix}`;
  }
  while (amount >= 1024 && amount % 1024 === 0 && index < BINARY.length - 1) {
    amount /= 1024;
    index += 1;
  }
  return `${amount}${BINARY[index]}`;
}

function durationMs(
  config: Config | undefined,
  key: string,
  fallbackMs: number,
): number {
  if (!config?.has(key)) {
    return fallbackMs;
  }
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) {
    throw new InputError(`${CONFIG}.${key}: expected a positive duration`);
  }
  return ms;
}

function readQuantities(
  config: Config | undefined,
  key: string,
  fallback: Quantities,
): Quantities {
  return {
    cpu: canonicalQuantity(
      config?.getOptionalString('cpu') ?? fallback.cpu,
      `${key}.cpu`,
    ),
    memory: canonicalQuantity(
      config?.getOptionalString('memory') ?? fallback.memory,
      `${key}.memory`,
    ),
  };
}

type QuantitiesField =
  | 'requests'
  | 'limits'
  | 'defaultRequest'
  | 'defaultLimit';

function readSizes(config: Config | undefined): Record<SizeName, SizeTier> {
  const sizes = {} as Record<SizeName, SizeTier>;
  for (const name of Object.keys(DEFAULT_SIZES) as SizeName[]) {
    const tier = config?.getOptionalConfig(name);
    const base = DEFAULT_SIZES[name];
    const key = `${CONFIG}.sizes.${name}`;
    const pods = tier?.getOptionalNumber('pods') ?? base.pods;
    if (!Number.isInteger(pods) || pods < 1) {
      throw new InputError(
        `${key}.pods: expected a positive whole number, got ${pods}`,
      );
    }
    const quantities = (field: QuantitiesField) =>
      readQuantities(
        tier?.getOptionalConfig(field),
        `${key}.${field}`,
        base[field],
      );
    sizes[name] = {
      requests: quantities('requests'),
      limits: quantities('limits'),
      pods,
      defaultRequest: quantities('defaultRequest'),
      defaultLimit: quantities('defaultLimit'),
    };
  }
  return sizes;
}

/** The TLS settings a cluster entry has in both lists. */
function readTls(
  c: Config,
): Pick<KubernetesClusterSettings, 'caData' | 'caFile' | 'skipTLSVerify'> {
  return {
    caData: c.getOptionalString('caData'),
    caFile: c.getOptionalString('caFile'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

/** Refuses a list of clusters that names one twice. */
function assertUniqueNames(clusters: KubernetesClusterSettings[], key: string) {
  const names = new Set<string>();
  for (const c of clusters) {
    if (names.has(c.name)) {
      throw new InputError(
        `${key}: the cluster name "${c.name}" is used twice`,
      );
    }
    names.add(c.name);
  }
}

function readUpstreamClusters(config: Config): KubernetesClusterSettings[] {
  const clusters: KubernetesClusterSettings[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, i) => {
    if (method.getString('type') !== 'config') {
      return;
    }
    method.getOptionalConfigArray('clusters')?.forEach((c, j) => {
      const at = `kubernetes.clusterLocatorMethods[${i}].clusters[${j}]`;
      const name = c.getString('name');
      const authProvider =
        c.getOptionalString('authProvider') ?? 'serviceAccount';
      const token = c.getOptionalString('serviceAccountToken');
      let auth: KubernetesClusterAuth;
      if (authProvider !== 'serviceAccount') {
        auth = { type: 'unsupported', authProvider };
      } else {
        auth = token
          ? { type: 'serviceAccountToken', token }
          : { type: 'inCluster' };
      }
      const url = c.getString('url');
      if (!URL.canParse(url)) {
        throw new InputError(
          `${at}.url: expected an http(s) URL for cluster "${name}", got "${url}"`,
        );
      }
      clusters.push({ name, url, auth, ...readTls(c), onEntityPages: true });
    });
  });
  return clusters;
}

function readPavedClusters(
  config: Config | undefined,
): KubernetesClusterSettings[] {
  return (config?.getOptionalConfigArray('clusters') ?? []).map((c, i) => {
    const at = `${CONFIG}.clusters[${i}]`;
    const name = c.getString('name');
    const kubeconfig = c.getOptionalConfig('kubeconfig');
    const inCluster = c.getOptionalBoolean('inCluster') ?? false;
    if (kubeconfig && inCluster) {
      throw new InputError(
        `${at}: cluster "${name}" sets both kubeconfig and inCluster; choose one`,
      );
    }
    if (!kubeconfig && !inCluster) {
      throw new InputError(
        `${at}: cluster "${name}" needs kubeconfig.path or inCluster: true`,
      );
    }
    return {
      name,
      url: c.getOptionalString('url'),
      auth: kubeconfig
        ? {
            type: 'kubeconfig',
            path: kubeconfig.getString('path'),
            context: kubeconfig.getOptionalString('context'),
          }
        : { type: 'inCluster' },
      ...readTls(c),
      onEntityPages: false,
    };
  });
}

function normaliseKind(entry: string, index: number): string {
  const m = entry.match(/^(?:([a-z0-9.-]+)\/)?([A-Z][A-Za-z0-9]*)$/);
  if (!m) {
    throw new InputError(
      `${CONFIG}.allowedKinds[${index}]: expected "Kind" or "group/Kind" such as "apps/Deployment", got "${entry}"`,
    );
  }
  return entry;
}

/**
 * Reads the clusters (from the kubernetes plugin's `clusterLocatorMethods`
 * and `paved.kubernetes.clusters`) and Paved's guardrail settings.
 *
 * @public
 */
export function readKubernetesProvisionerConfig(
  config: Config,
): KubernetesProvisionerSettings {
  const paved = config.getOptionalConfig(CONFIG);
  const clusters = readUpstreamClusters(config);
  assertUniqueNames(clusters, 'kubernetes.clusterLocatorMethods');
  const pavedClusters = readPavedClusters(paved);
  assertUniqueNames(pavedClusters, `${CONFIG}.clusters`);
  for (const extra of pavedClusters) {
    const index = clusters.findIndex(c => c.name === extra.name);
    if (index >= 0) {
      clusters[index] = {
        ...extra,
        url: extra.url ?? clusters[index].url,
        onEntityPages: true,
      };
    } else {
      clusters.push(extra);
    }
  }

  const defaultCluster = paved?.getOptionalString('defaultCluster');
  if (
    defaultCluster !== undefined &&
    !clusters.some(c => c.name === defaultCluster)
  ) {
    throw new InputError(
      `${CONFIG}.defaultCluster: "${defaultCluster}" is not a configured cluster; configured: ${
        clusters.map(c => c.name).join(', ') || 'none'
      }`,
    );
  }

  const positive = (key: string, fallback: number) => {
    const value = paved?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError(
        `${CONFIG}.${key}: expected a positive whole number, got ${value}`,
      );
    }
    return value;
  };
  const podSecurityVersion =
    paved?.getOptionalString('podSecurityVersion') ?? 'v1.33';
  if (!/^(latest|v1\.\d+)$/.test(podSecurityVersion)) {
    throw new InputError(
      `${CONFIG}.podSecurityVersion: expected "latest" or a version such as v1.33, got "${podSecurityVersion}"`,
    );
  }

  return {
    clusters,
    defaultCluster,
    podSecurityVersion,
    ingressNamespace:
      paved?.getOptionalString('ingressNamespace') ?? 'ingress-nginx',
    ownerClusterRole: paved?.getOptionalString('ownerClusterRole') ?? 'edit',
    ownerGroupPrefix: paved?.getOptionalString('ownerGroupPrefix') ?? '',
    sizes: readSizes(paved?.getOptionalConfig('sizes')),
    allowedKinds: (
      paved?.getOptionalStringArray('allowedKinds') ?? DEFAULT_ALLOWED_KINDS
    ).map(normaliseKind),
    bindableClusterRoles: paved?.getOptionalStringArray(
      'bindableClusterRoles',
    ) ?? ['view'],
    ingressDomains: readIngressDomains(paved),
    allowLoadBalancer: readAllowLoadBalancer(paved),
    maxManifestBytes: positive('maxManifestBytes', 1024 * 1024),
    maxDocuments: positive('maxDocuments', 50),
    requestTimeoutMs: durationMs(paved, 'requestTimeout', 10_000),
    rolloutTimeoutMs: durationMs(paved, 'rolloutTimeout', 300_000),
    namespaceDeletionTimeoutMs: durationMs(
      paved,
      'namespaceDeletionTimeout',
      300_000,
    ),
  };
}

/** A domain of `paved.kubernetes.ingress.domains`: DNS labels and placeholders. */
const INGRESS_DOMAIN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?|\{(namespace|component|environment)\})(\.([a-z0-9]([-a-z0-9]*[a-z0-9])?|\{(namespace|component|environment)\}))+$/;

function readIngressDomains(paved: Config | undefined): string[] {
  const domains = paved?.getOptionalStringArray('ingress.domains') ?? [];
  domains.forEach((domain, index) => {
    if (!INGRESS_DOMAIN.test(domain)) {
      throw new InputError(
        `${CONFIG}.ingress.domains[${index}]: expected a domain such as "{namespace}.apps.example.com" (DNS labels and the placeholders {namespace}, {component}, {environment}), got "${domain}"`,
      );
    }
  });
  return domains;
}

function readAllowLoadBalancer(paved: Config | undefined): boolean | string[] {
  const value = paved?.getOptional('allowLoadBalancer');
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
    return value as string[];
  }
  throw new InputError(
    `${CONFIG}.allowLoadBalancer: expected true, false or a list of namespaces, got ${JSON.stringify(
      value,
    )}`,
  );
}

/**
 * Whether a Service may be a LoadBalancer in a namespace.
 *
 * @public
 */
export function allowsLoadBalancer(
  setting: boolean | string[],
  namespace: string,
): boolean {
  return typeof setting === 'boolean' ? setting : setting.includes(namespace);
}
