import { workloadLabels } from '../../convention/labels';
import { podTemplatePaths, valueAt } from '../../convention/podTemplatePaths';
import { checkLabelValues } from '../everyObject/conventionLabels';
import { GuardrailRule } from '../GuardrailRule';
import { checkPodSpec } from '../pods/checkPodSpec';

/** A workload's pod template: the component's kubernetes-id label, if written, and the pod guardrails. */
export const checkWorkload: GuardrailRule = (m, { policy, report }) => {
  const paths = podTemplatePaths(m.kind);
  if (!paths) return;
  checkLabelValues(
    valueAt(m, paths.labels),
    workloadLabels(policy.component),
    paths.labels.join('.'),
    report,
  );
  checkPodSpec(valueAt(m, paths.spec), paths.spec.join('.'), report);
};
