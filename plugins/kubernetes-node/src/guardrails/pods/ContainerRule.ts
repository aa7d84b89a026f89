import { ReportViolation } from '../GuardrailRule';

/** Where a container sits, and the pod's securityContext, which it inherits. */
export interface ContainerCheck {
  /** e.g. `spec.template.spec.containers[0]` */
  path: string;
  podContext: any;
  report: ReportViolation;
}

/** One guardrail on a container (init containers included). */
export type ContainerRule = (container: any, check: ContainerCheck) => void;
