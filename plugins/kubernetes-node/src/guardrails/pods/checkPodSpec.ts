import { ReportViolation } from '../GuardrailRule';
import { ContainerRule } from './ContainerRule';
import { checkNoHostPorts, checkPodHostAccess } from './hostAccess';
import { checkPinnedImage } from './image';
import { checkNoPrivilege, checkNonRoot } from './privileges';
import { checkResources } from './resources';
import { checkRestrictedProfile } from './restrictedProfile';

/** Every container's guardrails, in the order violations are listed. */
const CONTAINER_RULES: ContainerRule[] = [
  checkPinnedImage,
  checkNoPrivilege,
  checkRestrictedProfile,
  checkNoHostPorts,
  checkNonRoot,
  checkResources,
];

/** Checks a pod spec and each of its containers, at `prefix` (e.g. `spec.template.spec`). */
export function checkPodSpec(
  podSpec: any,
  prefix: string,
  report: ReportViolation,
) {
  if (!podSpec || typeof podSpec !== 'object') {
    report(prefix, 'is missing');
    return;
  }
  checkPodHostAccess(podSpec, prefix, report);
  const podContext = podSpec.securityContext ?? {};
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = Array.isArray(podSpec[list]) ? podSpec[list] : [];
    if (list === 'containers' && containers.length === 0) {
      report(`${prefix}.containers`, 'at least one container is required');
    }
    containers.forEach((c: any, i: number) => {
      const check = { path: `${prefix}.${list}[${i}]`, podContext, report };
      CONTAINER_RULES.forEach(rule => rule(c, check));
    });
  }
}
