/** A duration: '10s', '5m', an ISO 8601 duration such as PT5M, or { minutes: 5 }. */
type Duration =
  | string
  | {
      weeks?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    };

/** Resource quantities, e.g. cpu: '500m', memory: 512Mi. */
interface Quantities {
  cpu?: string;
  memory?: string;
}

/** A namespace size tier: its ResourceQuota and its LimitRange defaults. */
interface SizeTier {
  /** ResourceQuota requests.cpu and requests.memory. */
  requests?: Quantities;
  /** ResourceQuota limits.cpu and limits.memory. */
  limits?: Quantities;
  /** ResourceQuota pods. */
  pods?: number;
  /** LimitRange defaultRequest for containers that set none. */
  defaultRequest?: Quantities;
  /** LimitRange default (limits) for containers that set none. */
  defaultLimit?: Quantities;
}

export interface Config {
  /**
   * The clusters the Backstage kubernetes plugin shows workloads from. Paved
   * provisions into the same `type: config` clusters; it connects with
   * `authProvider: serviceAccount` (the token, or the pod's own service
   * account when no token is set). The keys below are the ones Paved reads;
   * the kubernetes backend's own schema describes the rest.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      type: string;
      clusters?: Array<{
        name: string;
        url: string;
        authProvider?: string;
        /** @visibility secret */
        serviceAccountToken?: string;
        /** @visibility secret */
        caData?: string;
        caFile?: string;
        skipTLSVerify?: boolean;
      }>;
    }>;
  };

  paved?: {
    /** The Kubernetes provisioner behind the paved:kubernetes:* scaffolder actions. */
    kubernetes?: {
      /** The cluster used when an action names none; needed when several are configured. */
      defaultCluster?: string;
      /**
       * Connections the kubernetes plugin's config cannot express. An entry
       * whose name matches a `kubernetes.clusterLocatorMethods` cluster
       * replaces how Paved connects to it; any other entry adds a cluster
       * only Paved uses (the entity page will not show it).
       */
      clusters?: Array<{
        name: string;
        /** API server URL; taken from the kubeconfig or the pod's environment when left out. */
        url?: string;
        /** Connect with a kubeconfig file. */
        kubeconfig?: {
          path: string;
          /** The context to use; the file's current context when left out. */
          context?: string;
        };
        /** Connect with the service account of the pod Paved runs in. */
        inCluster?: boolean;
        /** @visibility secret */
        caData?: string;
        caFile?: string;
        skipTLSVerify?: boolean;
      }>;
      /** Pod Security Admission version pinned on namespaces, e.g. v1.33. */
      podSecurityVersion?: string;
      /** The namespace of the ingress controller, allowed to reach pods. Default ingress-nginx. */
      ingressNamespace?: string;
      /** The ClusterRole bound to the owning group in its namespaces. Default edit. */
      ownerClusterRole?: string;
      /** Prefix of group names in the cluster's RBAC (e.g. "oidc:"). Default none. */
      ownerGroupPrefix?: string;
      /** Namespace size tiers; each key overrides the built-in default. */
      sizes?: {
        small?: SizeTier;
        medium?: SizeTier;
        large?: SizeTier;
      };
      /**
       * Kinds paved:kubernetes:apply accepts, as `Kind` for the core group or
       * `group/Kind` (e.g. apps/Deployment). Replaces the default list.
       */
      allowedKinds?: string[];
      /**
       * ClusterRoles a RoleBinding in applied manifests may refer to (any
       * Role of the namespace may be bound). Default ["view"].
       */
      bindableClusterRoles?: string[];
      /** Ingress objects in applied manifests. */
      ingress?: {
        /**
         * The domains an Ingress host must be in or below, per namespace:
         * placeholders {namespace}, {component} and {environment}, e.g.
         * "{namespace}.apps.example.com". Default none: every Ingress host is
         * refused.
         */
        domains?: string[];
      };
      /**
       * Where a Service may be of type LoadBalancer: true (everywhere), false
       * (nowhere, the default) or a list of namespace names.
       */
      allowLoadBalancer?: boolean | string[];
      /** Largest manifest set paved:kubernetes:apply accepts, in bytes. Default 1048576. */
      maxManifestBytes?: number;
      /** Most documents one paved:kubernetes:apply accepts. Default 50. */
      maxDocuments?: number;
      /** How long one API request may take. Default 10 seconds. */
      requestTimeout?: Duration;
      /** How long to wait for a rollout. Default 5 minutes. */
      rolloutTimeout?: Duration;
      /** How long to wait for a namespace to be deleted. Default 5 minutes. */
      namespaceDeletionTimeout?: Duration;
    };
  };
}
