import { groupOf } from '../everyObject/allowedKinds';
import { GuardrailCheck, GuardrailRule } from '../GuardrailRule';

/** The label every namespace carries with its own name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The label and value of the cluster DNS pods, which the default policy lets pods reach in kube-system. */
const DNS_LABEL = 'k8s-app';
const DNS_APP = 'kube-dns';

/** Whether a podSelector selects exactly the cluster DNS pods. */
function selectsDns(selector: any): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const { matchLabels, ...rest } = selector;
  return (
    Object.keys(rest).length === 0 &&
    !!matchLabels &&
    typeof matchLabels === 'object' &&
    Object.keys(matchLabels).length === 1 &&
    matchLabels[DNS_LABEL] === DNS_APP
  );
}

/** The one namespace a namespaceSelector selects by name alone; undefined for any other selector. */
function selectedNamespace(selector: any): string | undefined {
  if (!selector || typeof selector !== 'object') return undefined;
  const { matchLabels, matchExpressions, ...rest } = selector;
  if (Object.keys(rest).length > 0) return undefined;
  if (Array.isArray(matchExpressions) && matchExpressions.length > 0) {
    return undefined;
  }
  const labels =
    matchLabels && typeof matchLabels === 'object' ? matchLabels : {};
  const keys = Object.keys(labels);
  return keys.length === 1 && keys[0] === NAMESPACE_NAME_LABEL
    ? String(labels[NAMESPACE_NAME_LABEL])
    : undefined;
}

/** The namespaces besides its own a peer may name, as the default Paved policy does. */
function allowedNamespaces(
  direction: 'ingress' | 'egress',
  { policy }: GuardrailCheck,
): string[] {
  // The ingress controller reaches pods; pods reach DNS in kube-system (its policy rule selects kube-dns pods).
  return direction === 'ingress'
    ? [policy.ingressNamespace ?? 'ingress-nginx']
    : ['kube-system'];
}

/** Why a peer opens what default-deny closed beyond the namespace; undefined when it does not. */
function peerProblem(
  peer: any,
  direction: 'ingress' | 'egress',
  check: GuardrailCheck,
): { at: string; message: string } | undefined {
  if (!peer || typeof peer !== 'object' || Object.keys(peer).length === 0) {
    return {
      at: '',
      message: `an empty peer matches every source and destination; name the pods with a podSelector`,
    };
  }
  if (peer.ipBlock !== undefined) {
    return {
      at: '.ipBlock',
      message:
        'IP blocks reach outside the namespace, which Paved closes; talk to pods of the namespace (podSelector), or ask the platform team to open it',
    };
  }
  if (peer.namespaceSelector !== undefined) {
    const selected = selectedNamespace(peer.namespaceSelector);
    const allowed = [
      check.policy.namespace,
      ...allowedNamespaces(direction, check),
    ];
    if (selected === undefined || !allowed.includes(selected)) {
      return {
        at: '.namespaceSelector',
        message: `may select only ${allowed
          .map(n => `"${n}"`)
          .join(
            ' or ',
          )} by matchLabels ${NAMESPACE_NAME_LABEL}; other namespaces stay closed`,
      };
    }
    if (selected === 'kube-system' && !selectsDns(peer.podSelector)) {
      return {
        at: '.podSelector',
        message: `in kube-system only the DNS pods may be reached (podSelector matchLabels ${DNS_LABEL}: ${DNS_APP}), as the default policy allows`,
      };
    }
  }
  return undefined;
}

/** Checks the rules of one direction: every rule names its peers, and no peer reaches beyond what Paved allows. */
function checkRules(
  rules: unknown,
  direction: 'ingress' | 'egress',
  check: GuardrailCheck,
) {
  if (!Array.isArray(rules)) return;
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  rules.forEach((rule: any, i) => {
    const at = `spec.${direction}[${i}].${peersKey}`;
    const peers = rule?.[peersKey];
    if (!Array.isArray(peers) || peers.length === 0) {
      check.report(
        at,
        `a rule without peers allows ${
          direction === 'ingress' ? 'traffic from' : 'traffic to'
        } everywhere, re-opening what Paved's default-deny policy closed; list podSelector peers of the namespace`,
      );
      return;
    }
    peers.forEach((peer: any, j: number) => {
      const problem = peerProblem(peer, direction, check);
      if (problem) check.report(`${at}[${j}]${problem.at}`, problem.message);
    });
  });
}

/**
 * A NetworkPolicy re-opens nothing Paved's default-deny policy closed
 * beyond the namespace: every rule names its peers; a peer is a podSelector
 * of the namespace, or a namespaceSelector naming this namespace, the
 * ingress controller's (ingress) or kube-system with its DNS pods (egress),
 * as the default policy does; no ipBlock, no empty peer.
 */
export const checkNetworkPolicy: GuardrailRule = (m, check) => {
  if (groupOf(m.apiVersion) !== 'networking.k8s.io') return;
  checkRules(m.spec?.ingress, 'ingress', check);
  checkRules(m.spec?.egress, 'egress', check);
};
