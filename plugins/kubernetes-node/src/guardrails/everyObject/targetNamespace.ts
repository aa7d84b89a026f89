import { GuardrailRule } from '../GuardrailRule';

/** Into the component's namespace only. */
export const checkTargetNamespace: GuardrailRule = (m, { policy, report }) => {
  const namespace = m.metadata.namespace;
  if (namespace !== undefined && namespace !== policy.namespace) {
    report(
      'metadata.namespace',
      `must be "${policy.namespace}" (or left out), got "${namespace}"`,
    );
  }
};
