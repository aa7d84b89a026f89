import { GuardrailRule } from '../GuardrailRule';

/**
 * A Service claims no external IPs (they intercept traffic to those
 * addresses cluster-wide), is no ExternalName (an alias of another
 * namespace's service or any host, which the namespace's Ingress could then
 * serve), and is of type LoadBalancer only in the namespaces
 * `paved.kubernetes.allowLoadBalancer` allows.
 */
export const checkService: GuardrailRule = (m, { policy, report }) => {
  if (m.apiVersion !== 'v1') return;
  const externalIPs = m.spec?.externalIPs;
  if (externalIPs !== undefined && externalIPs !== null) {
    report(
      'spec.externalIPs',
      'external IPs are not allowed: they take over traffic to those addresses for the whole cluster; expose the service through an Ingress',
    );
  }
  if (m.spec?.type === 'ExternalName') {
    report(
      'spec.type',
      "ExternalName is not allowed: it lets this namespace's Ingress route to any other service or host, past their owners' policies; point the Service at pods of the namespace",
    );
  }
  if (m.spec?.type === 'LoadBalancer' && !policy.allowLoadBalancer) {
    report(
      'spec.type',
      `LoadBalancer is not allowed in namespace "${policy.namespace}" (paved.kubernetes.allowLoadBalancer); use ClusterIP behind an Ingress`,
    );
  }
};
