import { KubernetesManifest } from '../apply/parseManifests';

/**
 * One broken guardrail: which object, which field, what is wrong.
 *
 * @public
 */
export interface GuardrailViolation {
  /** 1-based position of the object in the manifest set. */
  document: number;
  /** `Deployment "web"` */
  object: string;
  /** Path of the field, e.g. `spec.template.spec.containers[0].image`. */
  field: string;
  message: string;
}

/**
 * What the guardrails check against.
 *
 * @public
 */
export interface GuardrailPolicy {
  /** The target namespace; objects may leave it out or must name it. */
  namespace: string;
  /** The component; `backstage.io/kubernetes-id` may be left out or must equal it. */
  component: string;
  /** The environment; its label may be left out or must equal it. */
  environment: string;
  /** `Kind` for the core group, `group/Kind` otherwise. */
  allowedKinds: string[];
  /**
   * The ClusterRoles a RoleBinding in the manifests may refer to; any Role
   * of the namespace may be bound. Default none.
   */
  bindableClusterRoles?: string[];
  /** The ingress controller's namespace, which a NetworkPolicy may let in (as the default policy does). Default ingress-nginx. */
  ingressNamespace?: string;
  /**
   * The domains an Ingress host must be in (or below), with `{namespace}`,
   * `{component}` and `{environment}` placeholders. Default none: no
   * Ingress host is allowed.
   */
  ingressDomains?: string[];
  /** Whether a Service may be of type LoadBalancer in this namespace. Default false. */
  allowLoadBalancer?: boolean;
}

/** Records a violation at a field of the object being checked. */
export type ReportViolation = (field: string, message: string) => void;

/** What a rule sees besides the object it checks. */
export interface GuardrailCheck {
  policy: GuardrailPolicy;
  /** The objects before this one in the set, in document order. */
  earlier: KubernetesManifest[];
  report: ReportViolation;
}

/** One guardrail: reports every way an object breaks it. */
export type GuardrailRule = (
  manifest: KubernetesManifest,
  check: GuardrailCheck,
) => void;

/** `Deployment "web"`, as violations name an object. */
export function objectName(manifest: KubernetesManifest): string {
  return `${manifest.kind} "${manifest.metadata.name}"`;
}
