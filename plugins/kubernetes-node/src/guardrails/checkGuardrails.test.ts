import { withPavedConvention } from '../convention/withPavedConvention';
import { KubernetesManifest } from '../apply/parseManifests';
import { DEFAULT_ALLOWED_KINDS } from '../readKubernetesProvisionerConfig';
import { checkGuardrails, formatViolations } from './checkGuardrails';

const policy = {
  namespace: 'shop-dev',
  component: 'shop',
  environment: 'dev',
  allowedKinds: DEFAULT_ALLOWED_KINDS,
};

function deployment(
  container: Record<string, any>,
  podSpec: Record<string, any> = {},
): KubernetesManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', ...container }], ...podSpec },
      },
    },
  };
}

const restricted = {
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const safe = {
  image: 'registry.example:5000/shop/web:1.4.2',
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    ...restricted,
  },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
};

describe('checkGuardrails', () => {
  it('passes a workload that follows every guardrail', () => {
    expect(checkGuardrails([deployment(safe)], policy)).toEqual([]);
    expect(
      checkGuardrails(
        [deployment({ ...safe, image: 'nginx@sha256:abc' })],
        policy,
      ),
    ).toEqual([]);
  });

  it('lists every violation with the object and the field', () => {
    const bad = deployment(
      {
        image: 'nginx',
        securityContext: {
          privileged: true,
          allowPrivilegeEscalation: true,
          runAsUser: 0,
        },
      },
      {
        hostNetwork: true,
        hostPID: true,
        volumes: [
          { name: 'docker', hostPath: { path: '/var/run/docker.sock' } },
        ],
        initContainers: [{ ...safe, name: 'init', image: 'busybox:latest' }],
      },
    );
    bad.metadata.namespace = 'other';
    const violations = checkGuardrails([bad], policy);
    const p = 'spec.template.spec';
    expect(violations.map(v => `${v.document} ${v.object} ${v.field}`)).toEqual(
      [
        '1 Deployment "web" metadata.namespace',
        `1 Deployment "web" ${p}.hostNetwork`,
        `1 Deployment "web" ${p}.hostPID`,
        `1 Deployment "web" ${p}.volumes[0].hostPath`,
        `1 Deployment "web" ${p}.initContainers[0].image`,
        `1 Deployment "web" ${p}.containers[0].image`,
        `1 Deployment "web" ${p}.containers[0].securityContext.privileged`,
        `1 Deployment "web" ${p}.containers[0].securityContext.allowPrivilegeEscalation`,
        `1 Deployment "web" ${p}.containers[0].securityContext.capabilities.drop`,
        `1 Deployment "web" ${p}.containers[0].securityContext.seccompProfile.type`,
        `1 Deployment "web" ${p}.containers[0].securityContext.runAsUser`,
        `1 Deployment "web" ${p}.containers[0].resources`,
      ],
    );
    expect(formatViolations(violations)).toContain(
      `- document 1 (Deployment "web"): ${p}.containers[0].image: "nginx" has no tag; pin a version (e.g. nginx:1.2.3) or a digest`,
    );
    expect(formatViolations(violations)).toContain(
      `${p}.initContainers[0].image: "busybox:latest" uses the latest tag`,
    );
    expect(formatViolations(violations)).toContain(
      `${p}.containers[0].resources: missing requests.cpu, requests.memory, limits.cpu, limits.memory`,
    );
  });

  it('requires runAsNonRoot on the container or the pod', () => {
    const { securityContext, ...noContext } = safe;
    const container = {
      ...noContext,
      securityContext: { allowPrivilegeEscalation: false, ...restricted },
    };
    expect(
      checkGuardrails([deployment(container)], policy).map(v => v.field),
    ).toEqual([
      'spec.template.spec.containers[0].securityContext.runAsNonRoot',
    ]);
    expect(
      checkGuardrails(
        [deployment(container, { securityContext: { runAsNonRoot: true } })],
        policy,
      ),
    ).toEqual([]);
  });

  it('refuses what Pod Security "restricted" refuses, as the namespace enforces it', () => {
    const violations = checkGuardrails(
      [
        deployment(
          {
            ...safe,
            securityContext: {
              allowPrivilegeEscalation: false,
              runAsNonRoot: true,
              capabilities: {
                drop: ['NET_RAW'],
                add: ['NET_BIND_SERVICE', 'SYS_ADMIN'],
              },
              seccompProfile: { type: 'Unconfined' },
            },
            ports: [{ containerPort: 8080, hostPort: 80 }],
          },
          // The pod's profile does not help a container that sets its own.
          { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
        ),
      ],
      policy,
    );
    const c = 'spec.template.spec.containers[0]';
    expect(violations.map(v => `${v.field}: ${v.message}`)).toEqual([
      `${c}.securityContext.capabilities.drop: must include ALL (Pod Security "restricted", which the namespace enforces)`,
      `${c}.securityContext.capabilities.add: may add only NET_BIND_SERVICE, got SYS_ADMIN`,
      `${c}.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost, on the container or the pod (Pod Security "restricted"), got Unconfined`,
      `${c}.ports[0].hostPort: host ports are not allowed`,
    ]);
    // The seccomp profile may come from the pod; NET_BIND_SERVICE may be added.
    const { seccompProfile, ...onContainer } = safe.securityContext;
    expect(
      checkGuardrails(
        [
          deployment(
            {
              ...safe,
              securityContext: {
                ...onContainer,
                capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
              },
            },
            {
              securityContext: {
                seccompProfile: {
                  type: 'Localhost',
                  localhostProfile: 'web.json',
                },
              },
            },
          ),
        ],
        policy,
      ),
    ).toEqual([]);
  });

  it('refuses kinds outside the allowlist, wrong kubernetes-id labels and duplicates', () => {
    const role: KubernetesManifest = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'admin-ish' },
    };
    const cm: KubernetesManifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'settings',
        labels: { 'backstage.io/kubernetes-id': 'billing' },
      },
    };
    const violations = checkGuardrails(
      [role, cm, { ...cm, metadata: { name: 'settings' } }],
      policy,
    );
    expect(
      violations.map(v => `${v.document}: ${v.field}: ${v.message}`),
    ).toEqual([
      expect.stringMatching(
        /^1: kind: rbac.authorization.k8s.io\/v1 ClusterRole is not an allowed kind; allowed: ConfigMap, /,
      ),
      '2: metadata.labels.backstage.io/kubernetes-id: must be "shop" (or left out), got "billing"',
      '3: metadata.name: repeats ConfigMap "settings" of document 2',
    ]);
  });

  it("refuses to replace the namespace's own guardrails or relabel objects as another component's", () => {
    const openPolicy: KubernetesManifest = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'paved-default-deny' },
      spec: { podSelector: {}, ingress: [{}], egress: [{}] },
    };
    const widerBinding: KubernetesManifest = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'paved-owner' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
      },
      subjects: [{ kind: 'Group', name: 'everyone' }],
    };
    const relabelled = deployment(safe);
    relabelled.metadata.labels = {
      'paved.kestrel.example/environment': 'prod',
      'app.kubernetes.io/managed-by': 'helm',
    };
    relabelled.spec.template.metadata.labels['backstage.io/kubernetes-id'] =
      'billing';
    // A same-named object of another kind is not the guardrail.
    const cm: KubernetesManifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'paved-owner' },
    };
    expect(
      checkGuardrails([openPolicy, widerBinding, relabelled, cm], policy).map(
        v => `${v.document} ${v.object}: ${v.field}: ${v.message}`,
      ),
    ).toEqual([
      `1 NetworkPolicy "paved-default-deny": metadata.name: "paved-default-deny" is the namespace's own NetworkPolicy, which paved:kubernetes:namespace:provision manages; choose another name`,
      `1 NetworkPolicy "paved-default-deny": spec.ingress[0].from: a rule without peers allows traffic from everywhere, re-opening what Paved's default-deny policy closed; list podSelector peers of the namespace`,
      `1 NetworkPolicy "paved-default-deny": spec.egress[0].to: a rule without peers allows traffic to everywhere, re-opening what Paved's default-deny policy closed; list podSelector peers of the namespace`,
      `2 RoleBinding "paved-owner": metadata.name: "paved-owner" is the namespace's own RoleBinding, which paved:kubernetes:namespace:provision manages; choose another name`,
      '2 RoleBinding "paved-owner": roleRef.name: ClusterRole "edit" may not be bound; bind a Role of the namespace (paved.kubernetes.bindableClusterRoles)',
      `2 RoleBinding "paved-owner": subjects[0].kind: only ServiceAccounts of the namespace may be bound, got "Group"; people get access through the owning group's RoleBinding, which follows the catalogue owner`,
      '3 Deployment "web": metadata.labels.app.kubernetes.io/managed-by: must be "paved" (or left out), got "helm"',
      '3 Deployment "web": metadata.labels.paved.kestrel.example/environment: must be "dev" (or left out), got "prod"',
      '3 Deployment "web": spec.template.metadata.labels.backstage.io/kubernetes-id: must be "shop" (or left out), got "billing"',
    ]);
  });

  it('keeps Roles and RoleBindings inside the namespace and below its owners', () => {
    const rbac = { ...policy, bindableClusterRoles: ['view'] };
    const role = (rules: any[]): KubernetesManifest =>
      ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'reader' },
        rules,
      } as KubernetesManifest);
    const binding = (roleRef: any, subjects: any[]): KubernetesManifest =>
      ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `bind-${roleRef.name}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
        subjects,
      } as KubernetesManifest);
    const ownSa = { kind: 'ServiceAccount', name: 'web' };
    // What a workload needs: its own Role, or the view ClusterRole, bound to
    // its ServiceAccount.
    expect(
      checkGuardrails(
        [
          role([
            { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
          ]),
          binding({ kind: 'Role', name: 'reader' }, [ownSa]),
          binding({ kind: 'ClusterRole', name: 'view' }, [
            { ...ownSa, namespace: 'shop-dev' },
          ]),
        ],
        rbac,
      ),
    ).toEqual([]);
    expect(
      checkGuardrails(
        [
          role([
            { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
            {
              apiGroups: ['rbac.authorization.k8s.io'],
              resources: ['roles'],
              verbs: ['get', 'escalate', 'bind'],
            },
          ]),
          binding({ kind: 'ClusterRole', name: 'cluster-admin' }, [
            { kind: 'ServiceAccount', name: 'default', namespace: 'billing' },
            { kind: 'User', name: 'mallory' },
          ]),
        ],
        rbac,
      ).map(v => `${v.document} ${v.field}: ${v.message}`),
    ).toEqual([
      '1 rules[0].verbs: may not grant *; list the verbs the workload needs',
      '1 rules[0].resources: may not be "*"; list the resources the workload needs',
      '1 rules[1].verbs: may not grant escalate, bind; list the verbs the workload needs',
      '2 roleRef.name: ClusterRole "cluster-admin" may not be bound; bind a Role of the namespace or one of the ClusterRoles view (paved.kubernetes.bindableClusterRoles)',
      '2 subjects[0].namespace: must be "shop-dev" (or left out), got "billing"',
      `2 subjects[1].kind: only ServiceAccounts of the namespace may be bound, got "User"; people get access through the owning group's RoleBinding, which follows the catalogue owner`,
    ]);
  });

  it("inspects a CronJob's pod spec inside its job template, so a CronJob cannot bypass the pod guardrails", () => {
    const cronJob = (
      container: Record<string, any>,
      jobLabels: Record<string, string> = {},
    ): KubernetesManifest => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          metadata: { labels: jobLabels },
          spec: {
            template: {
              metadata: { labels: { app: 'nightly' } },
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'job', ...container }],
              },
            },
          },
        },
      },
    });
    expect(checkGuardrails([cronJob(safe)], policy)).toEqual([]);
    const p = 'spec.jobTemplate.spec.template.spec';
    expect(
      checkGuardrails(
        [
          cronJob(
            {
              image: 'busybox:latest',
              securityContext: { privileged: true, runAsUser: 0 },
            },
            { 'backstage.io/kubernetes-id': 'billing' },
          ),
        ],
        policy,
      ).map(v => v.field),
    ).toEqual([
      'spec.jobTemplate.metadata.labels.backstage.io/kubernetes-id',
      `${p}.containers[0].image`,
      `${p}.containers[0].securityContext.privileged`,
      `${p}.containers[0].securityContext.allowPrivilegeEscalation`,
      `${p}.containers[0].securityContext.capabilities.drop`,
      `${p}.containers[0].securityContext.seccompProfile.type`,
      `${p}.containers[0].securityContext.runAsUser`,
      `${p}.containers[0].resources`,
    ]);
    // The convention labels the Jobs the CronJob creates and their pods.
    const decorated = withPavedConvention(cronJob(safe), {
      namespace: 'shop-dev',
      component: 'shop',
      environment: 'dev',
    });
    expect(decorated.spec.jobTemplate.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'shop',
    });
    expect(decorated.spec.jobTemplate.spec.template.metadata.labels).toEqual({
      app: 'nightly',
      'backstage.io/kubernetes-id': 'shop',
    });
  });

  it('applies the label convention to the object and its pod template', () => {
    const decorated = withPavedConvention(deployment(safe), {
      namespace: 'shop-dev',
      component: 'shop',
      environment: 'dev',
    });
    expect(decorated.metadata).toEqual({
      name: 'web',
      namespace: 'shop-dev',
      labels: {
        'app.kubernetes.io/managed-by': 'paved',
        'paved.kestrel.example/component': 'shop',
        'paved.kestrel.example/environment': 'dev',
        'backstage.io/kubernetes-id': 'shop',
      },
    });
    expect(decorated.spec.template.metadata.labels).toEqual({
      app: 'web',
      'backstage.io/kubernetes-id': 'shop',
    });
    expect(decorated.spec.selector).toEqual({ matchLabels: { app: 'web' } });
  });
});
