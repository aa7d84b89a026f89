import { KubernetesManifest } from '../../apply/parseManifests';
import { renderNamespaceObjects } from '../../namespaces/renderNamespaceObjects';
import {
  DEFAULT_ALLOWED_KINDS,
  DEFAULT_SIZES,
} from '../../readKubernetesProvisionerConfig';
import { checkGuardrails } from '../checkGuardrails';
import { GuardrailPolicy } from '../GuardrailRule';

const policy: GuardrailPolicy = {
  namespace: 'shop-dev',
  component: 'shop',
  environment: 'dev',
  allowedKinds: DEFAULT_ALLOWED_KINDS,
  ingressNamespace: 'ingress-nginx',
  ingressDomains: ['{namespace}.apps.example.com', '{component}.example.com'],
};

/** The violations of one object, as `field: message`. */
function violations(m: KubernetesManifest, p: GuardrailPolicy = policy) {
  return checkGuardrails([m], p).map(v => `${v.field}: ${v.message}`);
}

/** The fields of the violations of one object. */
function fields(m: KubernetesManifest, p: GuardrailPolicy = policy) {
  return checkGuardrails([m], p).map(v => v.field);
}

function networkPolicy(spec: Record<string, any>): KubernetesManifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, ...spec },
  };
}

function ingress(
  spec: Record<string, any>,
  annotations?: Record<string, string>,
): KubernetesManifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', ...(annotations && { annotations }) },
    spec,
  };
}

const backend = { service: { name: 'web', port: { number: 80 } } };
const rule = (host?: string) => ({
  ...(host !== undefined && { host }),
  http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
});

function service(spec: Record<string, any>): KubernetesManifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
  };
}

describe('NetworkPolicy guardrail', () => {
  it('passes podSelector peers of the namespace, and the peers of the default policy Paved provisions', () => {
    expect(
      violations(
        networkPolicy({
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }],
          egress: [{ to: [{ podSelector: {} }], ports: [{ port: 5432 }] }],
        }),
      ),
    ).toEqual([]);
    const paved = renderNamespaceObjects(
      {
        namespace: 'shop-dev',
        component: 'shop',
        environment: 'dev',
        owner: 'storefront',
        size: 'small',
      },
      {
        podSecurityVersion: 'v1.33',
        ingressNamespace: 'ingress-nginx',
        ownerClusterRole: 'edit',
        ownerGroupPrefix: '',
        sizes: DEFAULT_SIZES,
      },
    ).find(o => o.kind === 'NetworkPolicy')!;
    expect(paved).toBeDefined();
    // Under another name: its own name is reserved for the namespace's guardrail.
    const copy = { ...paved, metadata: { name: 'web-default' } };
    expect(violations(copy)).toEqual([]);
  });

  it('refuses rules without peers, empty peers, IP blocks and namespace selectors reaching other namespaces, naming each field', () => {
    expect(
      fields(
        networkPolicy({
          ingress: [
            {},
            { from: [] },
            { from: [{}] },
            { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] },
            { from: [{ namespaceSelector: {} }] },
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: {
                      'kubernetes.io/metadata.name': 'billing-dev',
                    },
                  },
                },
              ],
            },
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { 'kubernetes.io/metadata.name': 'shop-dev' },
                    matchExpressions: [{ key: 'team', operator: 'Exists' }],
                  },
                },
              ],
            },
          ],
          egress: [
            { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] },
            { ports: [{ port: 443 }] },
            {
              to: [
                {
                  namespaceSelector: {
                    matchLabels: {
                      'kubernetes.io/metadata.name': 'ingress-nginx',
                    },
                  },
                },
              ],
            },
            {
              to: [
                {
                  namespaceSelector: {
                    matchLabels: {
                      'kubernetes.io/metadata.name': 'kube-system',
                    },
                  },
                },
              ],
            },
          ],
        }),
      ),
    ).toEqual([
      'spec.ingress[0].from',
      'spec.ingress[1].from',
      'spec.ingress[2].from[0]',
      'spec.ingress[3].from[0].ipBlock',
      'spec.ingress[4].from[0].namespaceSelector',
      'spec.ingress[5].from[0].namespaceSelector',
      'spec.ingress[6].from[0].namespaceSelector',
      'spec.egress[0].to[0].ipBlock',
      'spec.egress[1].to',
      'spec.egress[2].to[0].namespaceSelector',
      'spec.egress[3].to[0].podSelector',
    ]);
    expect(
      violations(
        networkPolicy({
          ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
        }),
      ),
    ).toEqual([
      'spec.ingress[0].from[0].ipBlock: IP blocks reach outside the namespace, which Paved closes; talk to pods of the namespace (podSelector), or ask the platform team to open it',
    ]);
  });
});

describe('Ingress guardrail', () => {
  it('passes hosts inside the namespace domains (and below them), TLS hosts included', () => {
    expect(
      violations(
        ingress({
          ingressClassName: 'nginx',
          rules: [
            rule('shop-dev.apps.example.com'),
            rule('api.shop-dev.apps.example.com'),
            rule('SHOP.example.com'),
          ],
          tls: [
            { hosts: ['shop-dev.apps.example.com'], secretName: 'web-tls' },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it("refuses hosts outside the namespace's domains, rules without host, default backends and snippet annotations", () => {
    expect(
      violations(
        ingress(
          {
            defaultBackend: backend,
            rules: [
              rule('billing-dev.apps.example.com'),
              rule(),
              rule('shop-dev.apps.example.com.evil.example'),
              rule('evilshop-dev.apps.example.com'),
            ],
            tls: [{ hosts: ['*.apps.example.com'] }],
          },
          {
            'nginx.ingress.kubernetes.io/configuration-snippet':
              'more_set_headers "x: y";',
            'nginx.ingress.kubernetes.io/server-snippet': 'location / {}',
            'nginx.ingress.kubernetes.io/auth-snippet': 'x',
            'nginx.ingress.kubernetes.io/rewrite-target': '/',
          },
        ),
      ),
    ).toEqual([
      'metadata.annotations["nginx.ingress.kubernetes.io/configuration-snippet"]: snippet annotations inject raw configuration into the ingress controller, shared by every namespace; they are not allowed',
      'metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]: snippet annotations inject raw configuration into the ingress controller, shared by every namespace; they are not allowed',
      'metadata.annotations["nginx.ingress.kubernetes.io/auth-snippet"]: snippet annotations inject raw configuration into the ingress controller, shared by every namespace; they are not allowed',
      'spec.defaultBackend: a default backend takes traffic for hosts no rule names; route hosts with rules',
      'spec.rules[0].host: "billing-dev.apps.example.com" is outside this namespace\'s domains "shop-dev.apps.example.com", "shop.example.com" (paved.kubernetes.ingress.domains)',
      'spec.rules[1].host: a rule without a host answers for every host the controller serves; name a host',
      'spec.rules[2].host: "shop-dev.apps.example.com.evil.example" is outside this namespace\'s domains "shop-dev.apps.example.com", "shop.example.com" (paved.kubernetes.ingress.domains)',
      'spec.rules[3].host: "evilshop-dev.apps.example.com" is outside this namespace\'s domains "shop-dev.apps.example.com", "shop.example.com" (paved.kubernetes.ingress.domains)',
      'spec.tls[0].hosts[0]: "*.apps.example.com" is outside this namespace\'s domains "shop-dev.apps.example.com", "shop.example.com" (paved.kubernetes.ingress.domains)',
    ]);
  });

  it('refuses every host when no domain is configured', () => {
    expect(
      violations(ingress({ rules: [rule('shop-dev.apps.example.com')] }), {
        ...policy,
        ingressDomains: undefined,
      }),
    ).toEqual([
      'spec.rules[0].host: "shop-dev.apps.example.com" is not allowed: no ingress domain is configured (paved.kubernetes.ingress.domains)',
    ]);
  });
});

describe('Service guardrail', () => {
  it('passes a ClusterIP service, and a LoadBalancer where allowed', () => {
    expect(violations(service({ type: 'ClusterIP' }))).toEqual([]);
    expect(
      violations(service({ type: 'LoadBalancer' }), {
        ...policy,
        allowLoadBalancer: true,
      }),
    ).toEqual([]);
  });

  it('refuses ExternalName services', () => {
    expect(
      fields(
        service({
          type: 'ExternalName',
          externalName: 'api.billing-dev.svc.cluster.local',
        }),
      ),
    ).toEqual(['spec.type']);
  });

  it('refuses external IPs, and a LoadBalancer where not allowed', () => {
    expect(
      violations(service({ type: 'LoadBalancer', externalIPs: ['1.2.3.4'] })),
    ).toEqual([
      'spec.externalIPs: external IPs are not allowed: they take over traffic to those addresses for the whole cluster; expose the service through an Ingress',
      'spec.type: LoadBalancer is not allowed in namespace "shop-dev" (paved.kubernetes.allowLoadBalancer); use ClusterIP behind an Ingress',
    ]);
  });
});
