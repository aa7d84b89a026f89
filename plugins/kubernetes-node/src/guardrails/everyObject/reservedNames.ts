import { NAMESPACE_OBJECT_NAMES } from '../../namespaces/renderNamespaceObjects';
import { GuardrailRule } from '../GuardrailRule';

/** The guardrail objects ensureNamespace writes, by kind: applied manifests may not replace them. */
const RESERVED: Record<string, string> = {
  ResourceQuota: NAMESPACE_OBJECT_NAMES.resourceQuota,
  LimitRange: NAMESPACE_OBJECT_NAMES.limitRange,
  NetworkPolicy: NAMESPACE_OBJECT_NAMES.networkPolicy,
  RoleBinding: NAMESPACE_OBJECT_NAMES.roleBinding,
};

/** Not one of the names the namespace's own guardrail objects have. */
export const checkNotReservedName: GuardrailRule = (m, { report }) => {
  const name = m.metadata.name;
  if (RESERVED[m.kind] === name) {
    report(
      'metadata.name',
      `"${name}" is the namespace's own ${m.kind}, which paved:kubernetes:namespace:provision manages; choose another name`,
    );
  }
};
