import { GuardrailPolicy } from './GuardrailRule';
import {
  KubernetesProvisionerSettings,
  allowsLoadBalancer,
} from '../readKubernetesProvisionerConfig';

/** The guardrail policy of a component's namespace under the configured settings. */
export function guardrailPolicyFor(
  settings: KubernetesProvisionerSettings,
  target: { namespace: string; component: string; environment: string },
): GuardrailPolicy {
  return {
    ...target,
    allowedKinds: settings.allowedKinds,
    bindableClusterRoles: settings.bindableClusterRoles,
    ingressNamespace: settings.ingressNamespace,
    ingressDomains: settings.ingressDomains,
    allowLoadBalancer: allowsLoadBalancer(
      settings.allowLoadBalancer,
      target.namespace,
    ),
  };
}
