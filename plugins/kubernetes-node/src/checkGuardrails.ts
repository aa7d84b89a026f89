import { KubernetesManifest } from './parseManifests';
import { pavedLabels, workloadLabels } from './labels';
import { NAMESPACE_OBJECT_NAMES } from './renderNamespaceObjects';

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
}

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The guardrail objects ensureNamespace writes, by kind: applied manifests may not replace them. */
const RESERVED: Record<string, string> = {
  ResourceQuota: NAMESPACE_OBJECT_NAMES.resourceQuota,
  LimitRange: NAMESPACE_OBJECT_NAMES.limitRange,
  NetworkPolicy: NAMESPACE_OBJECT_NAMES.networkPolicy,
  RoleBinding: NAMESPACE_OBJECT_NAMES.roleBinding,
};

/** `apps` for `apps/v1`, `''` for `v1`. */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** `apps/Deployment`, or `Service` for the core group. */
export function kindKey(manifest: {
  apiVersion: string;
  kind: string;
}): string {
  const group = groupOf(manifest.apiVersion);
  return group ? `${group}/${manifest.kind}` : manifest.kind;
}

/**
 * Where a kind keeps its pod spec and pod template labels.
 *
 * @public
 */
export function podTemplatePaths(
  kind: string,
): { spec: string[]; labels: string[] } | undefined {
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return {
        spec: ['spec', 'template', 'spec'],
        labels: ['spec', 'template', 'metadata', 'labels'],
      };
    case 'CronJob':
      return {
        spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
        labels: [
          'spec',
          'jobTemplate',
          'spec',
          'template',
          'metadata',
          'labels',
        ],
      };
    case 'Pod':
      return { spec: ['spec'], labels: ['metadata', 'labels'] };
    default:
      return undefined;
  }
}

function at(obj: any, path: string[]): any {
  return path.reduce(
    (o, key) => (o === null || o === undefined ? undefined : o[key]),
    obj,
  );
}

function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || !image) {
    return 'is missing';
  }
  if (image.includes('@sha256:')) {
    return undefined;
  }
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= lastSlash) {
    return `"${image}" has no tag; pin a version (e.g. ${image}:1.2.3) or a digest`;
  }
  if (image.slice(colon + 1) === 'latest') {
    return `"${image}" uses the latest tag; pin a version or a digest`;
  }
  return undefined;
}

function checkPodSpec(
  podSpec: any,
  prefix: string,
  report: (field: string, message: string) => void,
) {
  if (!podSpec || typeof podSpec !== 'object') {
    report(prefix, 'is missing');
    return;
  }
  if (podSpec.hostNetwork === true)
    report(`${prefix}.hostNetwork`, 'host network is not allowed');
  if (podSpec.hostPID === true)
    report(`${prefix}.hostPID`, 'the host PID namespace is not allowed');
  if (podSpec.hostIPC === true)
    report(`${prefix}.hostIPC`, 'the host IPC namespace is not allowed');
  (Array.isArray(podSpec.volumes) ? podSpec.volumes : []).forEach(
    (volume: any, i: number) => {
      if (volume?.hostPath) {
        report(
          `${prefix}.volumes[${i}].hostPath`,
          `hostPath volumes are not allowed (volume "${volume.name}")`,
        );
      }
    },
  );
  const podContext = podSpec.securityContext ?? {};
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = Array.isArray(podSpec[list]) ? podSpec[list] : [];
    if (list === 'containers' && containers.length === 0) {
      report(`${prefix}.containers`, 'at least one container is required');
    }
    containers.forEach((c: any, i: number) => {
      const path = `${prefix}.${list}[${i}]`;
      const sc = c?.securityContext ?? {};
      const image = imageProblem(c?.image);
      if (image) report(`${path}.image`, image);
      if (sc.privileged === true)
        report(
          `${path}.securityContext.privileged`,
          'privileged containers are not allowed',
        );
      if (sc.allowPrivilegeEscalation !== false) {
        report(
          `${path}.securityContext.allowPrivilegeEscalation`,
          sc.allowPrivilegeEscalation === true
            ? 'privilege escalation is not allowed'
            : 'must be set to false (privilege escalation is not allowed)',
        );
      }
      // Pod Security "restricted", which every Paved namespace enforces: a
      // workload that breaks it is accepted, but its pods are never created.
      const capabilities = sc.capabilities ?? {};
      const drop: unknown[] = Array.isArray(capabilities.drop)
        ? capabilities.drop
        : [];
      if (!drop.includes('ALL')) {
        report(
          `${path}.securityContext.capabilities.drop`,
          'must include ALL (Pod Security "restricted", which the namespace enforces)',
        );
      }
      const added = (
        Array.isArray(capabilities.add) ? capabilities.add : []
      ).filter((cap: unknown) => cap !== 'NET_BIND_SERVICE');
      if (added.length > 0) {
        report(
          `${path}.securityContext.capabilities.add`,
          `may add only NET_BIND_SERVICE, got ${added.join(', ')}`,
        );
      }
      const seccomp =
        sc.seccompProfile?.type ?? podContext.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        report(
          `${path}.securityContext.seccompProfile.type`,
          `must be RuntimeDefault or Localhost, on the container or the pod (Pod Security "restricted")${
            seccomp ? `, got ${seccomp}` : ''
          }`,
        );
      }
      (Array.isArray(c?.ports) ? c.ports : []).forEach(
        (port: any, p: number) => {
          if (port?.hostPort) {
            report(
              `${path}.ports[${p}].hostPort`,
              'host ports are not allowed',
            );
          }
        },
      );
      const runAsUser = sc.runAsUser ?? podContext.runAsUser;
      const runAsNonRoot = sc.runAsNonRoot ?? podContext.runAsNonRoot;
      if (runAsUser === 0) {
        report(
          `${path}.securityContext.runAsUser`,
          'running as root (user 0) is not allowed',
        );
      } else if (runAsNonRoot !== true) {
        report(
          `${path}.securityContext.runAsNonRoot`,
          'must be true, on the container or the pod (running as root is not allowed)',
        );
      }
      const resources = c?.resources ?? {};
      const missing = [
        ['requests', 'cpu'],
        ['requests', 'memory'],
        ['limits', 'cpu'],
        ['limits', 'memory'],
      ]
        .filter(([group, key]) => resources?.[group]?.[key] === undefined)
        .map(([group, key]) => `${group}.${key}`);
      if (missing.length > 0) {
        report(`${path}.resources`, `missing ${missing.join(', ')}`);
      }
    });
  }
}

/** Verbs that let a Role hand out more than its holder has. */
const ESCALATING_VERBS = ['*', 'escalate', 'bind', 'impersonate'];

/**
 * Roles and RoleBindings the manifests bring stay inside the namespace and
 * below what its owners already have: people get their access from the
 * owning group's RoleBinding, which follows the catalogue owner.
 */
function checkRbac(
  m: KubernetesManifest,
  policy: GuardrailPolicy,
  report: (field: string, message: string) => void,
) {
  if (groupOf(m.apiVersion) !== 'rbac.authorization.k8s.io') return;
  const obj = m as any;
  if (m.kind === 'RoleBinding') {
    const ref = obj.roleRef ?? {};
    const bindable = policy.bindableClusterRoles ?? [];
    if (ref.kind === 'ClusterRole') {
      if (!bindable.includes(ref.name)) {
        report(
          'roleRef.name',
          `ClusterRole "${
            ref.name
          }" may not be bound; bind a Role of the namespace${
            bindable.length
              ? ` or one of the ClusterRoles ${bindable.join(', ')}`
              : ''
          } (paved.kubernetes.bindableClusterRoles)`,
        );
      }
    } else if (ref.kind !== 'Role') {
      report(
        'roleRef.kind',
        `expected Role or ClusterRole, got ${JSON.stringify(ref.kind)}`,
      );
    }
    const subjects = Array.isArray(obj.subjects) ? obj.subjects : [];
    subjects.forEach((subject: any, i: number) => {
      if (subject?.kind !== 'ServiceAccount') {
        report(
          `subjects[${i}].kind`,
          `only ServiceAccounts of the namespace may be bound, got ${JSON.stringify(
            subject?.kind,
          )}; people get access through the owning group's RoleBinding, which follows the catalogue owner`,
        );
      } else if (
        subject.namespace !== undefined &&
        subject.namespace !== policy.namespace
      ) {
        report(
          `subjects[${i}].namespace`,
          `must be "${policy.namespace}" (or left out), got "${subject.namespace}"`,
        );
      }
    });
  }
  if (m.kind === 'Role') {
    const rules = Array.isArray(obj.rules) ? obj.rules : [];
    rules.forEach((rule: any, i: number) => {
      const verbs: unknown[] = Array.isArray(rule?.verbs) ? rule.verbs : [];
      const bad = verbs.filter(verb => ESCALATING_VERBS.includes(String(verb)));
      if (bad.length > 0) {
        report(
          `rules[${i}].verbs`,
          `may not grant ${bad.join(', ')}; list the verbs the workload needs`,
        );
      }
      const resources: unknown[] = Array.isArray(rule?.resources)
        ? rule.resources
        : [];
      if (resources.includes('*')) {
        report(
          `rules[${i}].resources`,
          'may not be "*"; list the resources the workload needs',
        );
      }
    });
  }
}

/**
 * Checks every manifest against Paved's guardrails and returns every
 * violation (an empty list when the set may be applied).
 *
 * @public
 */
export function checkGuardrails(
  manifests: KubernetesManifest[],
  policy: GuardrailPolicy,
): GuardrailViolation[] {
  const violations: GuardrailViolation[] = [];
  const seen = new Map<string, number>();
  manifests.forEach((m, index) => {
    const document = index + 1;
    const object = `${m.kind} "${m.metadata.name}"`;
    const report = (field: string, message: string) =>
      violations.push({ document, object, field, message });

    const key = kindKey(m);
    if (!policy.allowedKinds.includes(key)) {
      report(
        'kind',
        `${m.apiVersion} ${
          m.kind
        } is not an allowed kind; allowed: ${policy.allowedKinds.join(', ')}`,
      );
    }
    const name = m.metadata.name;
    const nameOk =
      m.kind === 'Service'
        ? name.length <= 63 && DNS1035_LABEL.test(name)
        : name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
    if (!nameOk) {
      report(
        'metadata.name',
        m.kind === 'Service'
          ? `"${name}" is not a DNS-1035 label (lowercase letters, digits and '-', starting with a letter)`
          : `"${name}" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')`,
      );
    }
    if (RESERVED[m.kind] === name) {
      report(
        'metadata.name',
        `"${name}" is the namespace's own ${m.kind}, which paved:kubernetes:namespace:provision manages; choose another name`,
      );
    }
    const namespace = m.metadata.namespace;
    if (namespace !== undefined && namespace !== policy.namespace) {
      report(
        'metadata.namespace',
        `must be "${policy.namespace}" (or left out), got "${namespace}"`,
      );
    }
    // The convention's labels may be written out, but only with the values Paved sets.
    const labels = m.metadata.labels ?? {};
    for (const [label, value] of Object.entries(
      pavedLabels(policy.component, policy.environment),
    )) {
      if (labels[label] !== undefined && labels[label] !== value) {
        report(
          `metadata.labels.${label}`,
          `must be "${value}" (or left out), got "${labels[label]}"`,
        );
      }
    }
    const duplicateOf = seen.get(`${groupOf(m.apiVersion)}/${m.kind}/${name}`);
    if (duplicateOf !== undefined) {
      report('metadata.name', `repeats ${object} of document ${duplicateOf}`);
    } else {
      seen.set(`${groupOf(m.apiVersion)}/${m.kind}/${name}`, document);
    }

    checkRbac(m, policy, report);

    const paths = podTemplatePaths(m.kind);
    if (paths) {
      const templateLabels = at(m, paths.labels) ?? {};
      for (const [label, value] of Object.entries(
        workloadLabels(policy.component),
      )) {
        if (
          templateLabels[label] !== undefined &&
          templateLabels[label] !== value
        ) {
          report(
            `${paths.labels.join('.')}.${label}`,
            `must be "${value}" (or left out), got "${templateLabels[label]}"`,
          );
        }
      }
      checkPodSpec(at(m, paths.spec), paths.spec.join('.'), report);
    }
  });
  return violations;
}

/**
 * Renders violations as the lines of an error message.
 *
 * @public
 */
export function formatViolations(violations: GuardrailViolation[]): string {
  const count =
    violations.length === 1 ? '1 guardrail' : `${violations.length} guardrails`;
  return `The manifests break ${count}:\n${violations
    .map(
      v => `- document ${v.document} (${v.object}): ${v.field}: ${v.message}`,
    )
    .join('\n')}`;
}

/**
 * A copy of a manifest with Paved's label convention applied (see the
 * package README): the target namespace, {@link pavedLabels} on the object,
 * and {@link workloadLabels} on its pod template, so that the Backstage
 * kubernetes plugin finds the workload and its pods.
 *
 * @public
 */
export function withPavedConvention(
  manifest: KubernetesManifest,
  target: { namespace: string; component: string; environment: string },
): KubernetesManifest {
  const m = structuredClone(manifest);
  m.metadata.namespace = target.namespace;
  m.metadata.labels = {
    ...m.metadata.labels,
    ...pavedLabels(target.component, target.environment),
  };
  const paths = podTemplatePaths(m.kind);
  if (paths && m.kind !== 'Pod') {
    let node: any = m;
    for (const key of paths.labels.slice(0, -1)) {
      node[key] = node[key] ?? {};
      node = node[key];
    }
    node.labels = { ...node.labels, ...workloadLabels(target.component) };
  }
  return m;
}
