/**
 * Paved's Kubernetes naming and label convention. It is written down in the
 * package README ("The label convention"); this module is its only
 * implementation, used by the provisioner and its guardrails.
 */
import { InputError } from '@backstage/errors';

/**
 * The label keys Paved reads and writes.
 *
 * @public
 */
export const PAVED_LABELS = {
  /** Standard Kubernetes label; Paved sets it to {@link PAVED_MANAGER}. */
  managedBy: 'app.kubernetes.io/managed-by',
  /** Name of the owning group (the entity name of the catalog Group). */
  owner: 'paved.kestrel.example/owner',
  /** The catalog component the namespace and workloads belong to. */
  component: 'paved.kestrel.example/component',
  /** The environment, e.g. `dev` or `prod`. */
  environment: 'paved.kestrel.example/environment',
  /** The size tier of the namespace's quota: small, medium or large. */
  size: 'paved.kestrel.example/size',
  /** The label the Backstage kubernetes plugin selects workloads by. */
  kubernetesId: 'backstage.io/kubernetes-id',
} as const;

/**
 * The value of `app.kubernetes.io/managed-by`, and the server-side apply field manager.
 *
 * @public
 */
export const PAVED_MANAGER = 'paved';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Checks that a value is a DNS-1123 label (lowercase letters, digits and
 * '-', starting and ending with a letter or digit, at most 63 characters).
 *
 * @param field - the input's name, used in the error
 * @public
 */
export function assertDns1123Label(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError(
      `${field}: expected a DNS-1123 label such as "payments", got ${JSON.stringify(
        value ?? null,
      )}`,
    );
  }
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw new InputError(
      `${field}: "${value}" is not a DNS-1123 label; use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/**
 * The namespace of a component in an environment: `<component>-<environment>`.
 *
 * @public
 */
export function namespaceNameFor(
  component: string,
  environment: string,
): string {
  assertDns1123Label(component, 'component');
  assertDns1123Label(environment, 'environment');
  const name = `${component}-${environment}`;
  if (name.length > 63) {
    throw new InputError(
      `component and environment: the namespace "${name}" would be ${name.length} characters long; a namespace name has at most 63`,
    );
  }
  return name;
}

/**
 * The owning group's name from an entity ref (`group:default/payments` or
 * `payments`); it must be a valid label value.
 *
 * @public
 */
export function ownerGroupName(owner: string): string {
  const name = String(owner ?? '')
    .replace(/^group:/i, '')
    .split('/')
    .pop()!;
  if (!name || name.length > 63 || !LABEL_VALUE.test(name)) {
    throw new InputError(
      `owner: expected a group entity ref such as "group:default/payments", got ${JSON.stringify(
        owner ?? null,
      )}`,
    );
  }
  return name;
}

/**
 * The labels on every object Paved writes for a component in an environment:
 * its namespace, the namespace's guardrails and every applied object.
 *
 * @public
 */
export function pavedLabels(
  component: string,
  environment: string,
): Record<string, string> {
  return {
    [PAVED_LABELS.managedBy]: PAVED_MANAGER,
    [PAVED_LABELS.component]: component,
    [PAVED_LABELS.environment]: environment,
    ...workloadLabels(component),
  };
}

/**
 * The labels Paved puts on the pod templates of applied workloads, so the
 * pods carry them too.
 *
 * @public
 */
export function workloadLabels(component: string): Record<string, string> {
  return {
    [PAVED_LABELS.kubernetesId]: component,
  };
}

/**
 * The label selector that finds a component's workloads, the one the
 * Backstage kubernetes plugin uses for an entity annotated with
 * `backstage.io/kubernetes-id: <component>`.
 *
 * @public
 */
export function workloadSelector(component: string): string {
  return `${PAVED_LABELS.kubernetesId}=${component}`;
}
