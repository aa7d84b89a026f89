import { groupOf } from '../everyObject/allowedKinds';
import { GuardrailCheck, GuardrailRule } from '../GuardrailRule';

/** Ingress controller annotations that inject raw configuration: `nginx.ingress.kubernetes.io/server-snippet` and the like. */
const SNIPPET_ANNOTATION = /(^|\/)[a-z0-9-]*snippets?$/i;

/** The domains of a namespace: `paved.kubernetes.ingress.domains` with `{namespace}`, `{component}` and `{environment}` filled in. */
export function ingressDomainsFor(check: GuardrailCheck): string[] {
  const { namespace, component, environment } = check.policy;
  return (check.policy.ingressDomains ?? []).map(d =>
    d
      .replaceAll('{namespace}', namespace)
      .replaceAll('{component}', component)
      .replaceAll('{environment}', environment)
      .toLowerCase(),
  );
}

/** Whether a host (or `*.` wildcard host) is one of the domains or below one. */
function inDomains(host: string, domains: string[]): boolean {
  const name = host.toLowerCase().replace(/^\*\./, '');
  return domains.some(d => name === d || name.endsWith(`.${d}`));
}

function checkHost(
  host: unknown,
  field: string,
  domains: string[],
  report: GuardrailCheck['report'],
) {
  if (typeof host !== 'string' || host === '') {
    report(
      field,
      'a rule without a host answers for every host the controller serves; name a host',
    );
  } else if (!inDomains(host, domains)) {
    report(
      field,
      domains.length === 0
        ? `"${host}" is not allowed: no ingress domain is configured (paved.kubernetes.ingress.domains)`
        : `"${host}" is outside this namespace's domains ${domains
            .map(d => `"${d}"`)
            .join(', ')} (paved.kubernetes.ingress.domains)`,
    );
  }
}

/**
 * An Ingress serves hosts inside the namespace's configured domains only
 * (every rule names one; TLS hosts too), has no default backend (it would
 * take every unmatched host), and no controller snippet annotations (raw
 * controller configuration, e.g. `nginx.ingress.kubernetes.io/server-snippet`).
 */
export const checkIngress: GuardrailRule = (m, check) => {
  if (groupOf(m.apiVersion) !== 'networking.k8s.io') return;
  const { report } = check;
  const domains = ingressDomainsFor(check);
  const annotations = m.metadata?.annotations ?? {};
  for (const key of Object.keys(annotations)) {
    if (SNIPPET_ANNOTATION.test(key)) {
      report(
        `metadata.annotations["${key}"]`,
        'snippet annotations inject raw configuration into the ingress controller, shared by every namespace; they are not allowed',
      );
    }
  }
  if (m.spec?.defaultBackend !== undefined) {
    report(
      'spec.defaultBackend',
      'a default backend takes traffic for hosts no rule names; route hosts with rules',
    );
  }
  const rules = Array.isArray(m.spec?.rules) ? m.spec.rules : [];
  rules.forEach((rule: any, i: number) =>
    checkHost(rule?.host, `spec.rules[${i}].host`, domains, report),
  );
  const tls = Array.isArray(m.spec?.tls) ? m.spec.tls : [];
  tls.forEach((entry: any, i: number) => {
    const hosts = Array.isArray(entry?.hosts) ? entry.hosts : [];
    hosts.forEach((host: unknown, j: number) =>
      checkHost(host, `spec.tls[${i}].hosts[${j}]`, domains, report),
    );
  });
};
