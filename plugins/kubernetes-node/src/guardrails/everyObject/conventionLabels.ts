import { pavedLabels } from '../../convention/labels';
import { GuardrailRule, ReportViolation } from '../GuardrailRule';

/** Labels that may be written out, but only with the values Paved sets. */
export function checkLabelValues(
  labels: Record<string, string> | undefined,
  expected: Record<string, string>,
  prefix: string,
  report: ReportViolation,
) {
  const actual = labels ?? {};
  for (const [label, value] of Object.entries(expected)) {
    if (actual[label] !== undefined && actual[label] !== value) {
      report(
        `${prefix}.${label}`,
        `must be "${value}" (or left out), got "${actual[label]}"`,
      );
    }
  }
}

/** The convention's labels on the object, if written, are this component's. */
export const checkConventionLabels: GuardrailRule = (m, { policy, report }) =>
  checkLabelValues(
    m.metadata.labels,
    pavedLabels(policy.component, policy.environment),
    'metadata.labels',
    report,
  );
