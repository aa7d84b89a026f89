import { workloadLabels } from '../../convention/labels';
import {
  JOB_TEMPLATE_LABELS,
  podTemplatePaths,
  valueAt,
} from '../../convention/podTemplatePaths';
import { checkLabelValues } from '../everyObject/conventionLabels';
import { GuardrailRule } from '../GuardrailRule';
import { checkPodSpec } from '../pods/checkPodSpec';

/**
 * A workload's pod template (and a CronJob's job template): the
 * component's kubernetes-id label, if written, and the pod guardrails, at
 * whatever depth the kind keeps its pod spec.
 */
export const checkWorkload: GuardrailRule = (m, { policy, report }) => {
  const paths = podTemplatePaths(m.kind);
  if (!paths) return;
  if (m.kind === 'CronJob') {
    checkLabelValues(
      valueAt(m, JOB_TEMPLATE_LABELS),
      workloadLabels(policy.component),
      JOB_TEMPLATE_LABELS.join('.'),
      report,
    );
  }
  checkLabelValues(
    valueAt(m, paths.labels),
    workloadLabels(policy.component),
    paths.labels.join('.'),
    report,
  );
  checkPodSpec(valueAt(m, paths.spec), paths.spec.join('.'), report);
};
