import { GuardrailRule } from '../GuardrailRule';

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

/** Only the kinds of `paved.kubernetes.allowedKinds`. */
export const checkAllowedKind: GuardrailRule = (m, { policy, report }) => {
  if (!policy.allowedKinds.includes(kindKey(m))) {
    report(
      'kind',
      `${m.apiVersion} ${
        m.kind
      } is not an allowed kind; allowed: ${policy.allowedKinds.join(', ')}`,
    );
  }
};
