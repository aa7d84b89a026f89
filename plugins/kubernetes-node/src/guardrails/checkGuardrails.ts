import { WORKLOAD_KINDS } from '../convention/podTemplatePaths';
import { KubernetesManifest } from '../apply/parseManifests';
import { checkAllowedKind } from './everyObject/allowedKinds';
import { checkConventionLabels } from './everyObject/conventionLabels';
import { checkUniqueName, checkValidName } from './everyObject/objectNames';
import { checkNotReservedName } from './everyObject/reservedNames';
import { checkTargetNamespace } from './everyObject/targetNamespace';
import {
  GuardrailPolicy,
  GuardrailRule,
  GuardrailViolation,
  objectName,
} from './GuardrailRule';
import { checkIngress } from './kinds/ingress';
import { checkNetworkPolicy } from './kinds/networkPolicy';
import { checkRole } from './kinds/role';
import { checkRoleBinding } from './kinds/roleBinding';
import { checkService } from './kinds/service';
import { checkWorkload } from './kinds/workloads';

/** The guardrails of every object, in the order violations are listed. */
const EVERY_OBJECT: GuardrailRule[] = [
  checkAllowedKind,
  checkValidName,
  checkNotReservedName,
  checkTargetNamespace,
  checkConventionLabels,
  checkUniqueName,
];

/** The guardrails of one kind, after those of every object; a new kind's rules get a file in kinds/ and a line here. */
const BY_KIND: Record<string, GuardrailRule> = {
  Role: checkRole,
  RoleBinding: checkRoleBinding,
  NetworkPolicy: checkNetworkPolicy,
  Ingress: checkIngress,
  Service: checkService,
  ...Object.fromEntries(WORKLOAD_KINDS.map(kind => [kind, checkWorkload])),
};

/**
 * Checks every manifest against Paved's guardrails and returns every
 * violation (an empty list when the set may be applied).
 *
 * @public
 */
export function checkGuardrails(
  manifests: KubernetesManifest[],
  policy: GuardrailPolicy,
): GuardrailViolation[] {
  const violations: GuardrailViolation[] = [];
  manifests.forEach((m, index) => {
    const document = index + 1;
    const object = objectName(m);
    const check = {
      policy,
      earlier: manifests.slice(0, index),
      report: (field: string, message: string) =>
        violations.push({ document, object, field, message }),
    };
    const kindRule = Object.prototype.hasOwnProperty.call(BY_KIND, m.kind)
      ? BY_KIND[m.kind]
      : undefined;
    for (const rule of [...EVERY_OBJECT, ...(kindRule ? [kindRule] : [])]) {
      rule(m, check);
    }
  });
  return violations;
}

/**
 * Renders violations as the lines of an error message.
 *
 * @public
 */
export function formatViolations(violations: GuardrailViolation[]): string {
  const count =
    violations.length === 1 ? '1 guardrail' : `${violations.length} guardrails`;
  return `The manifests break ${count}:\n${violations
    .map(
      v => `- document ${v.document} (${v.object}): ${v.field}: ${v.message}`,
    )
    .join('\n')}`;
}
