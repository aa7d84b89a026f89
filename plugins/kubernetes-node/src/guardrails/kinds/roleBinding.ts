import { GuardrailCheck, GuardrailRule } from '../GuardrailRule';
import { isRbac } from './rbac';

function checkRoleRef(ref: any, { policy, report }: GuardrailCheck) {
  const bindable = policy.bindableClusterRoles ?? [];
  if (ref.kind === 'ClusterRole') {
    if (!bindable.includes(ref.name)) {
      report(
        'roleRef.name',
        `ClusterRole "${
          ref.name
        }" may not be bound; bind a Role of the namespace${
          bindable.length
            ? ` or one of the ClusterRoles ${bindable.join(', ')}`
            : ''
        } (paved.kubernetes.bindableClusterRoles)`,
      );
    }
  } else if (ref.kind !== 'Role') {
    report(
      'roleRef.kind',
      `expected Role or ClusterRole, got ${JSON.stringify(ref.kind)}`,
    );
  }
}

/**
 * A RoleBinding binds only ServiceAccounts of the namespace, to a Role of
 * the namespace or a bindable ClusterRole: people get their access from the
 * owning group's RoleBinding, which follows the catalogue owner.
 */
export const checkRoleBinding: GuardrailRule = (m, check) => {
  if (!isRbac(m)) return;
  const { policy, report } = check;
  checkRoleRef(m.roleRef ?? {}, check);
  const subjects = Array.isArray(m.subjects) ? m.subjects : [];
  subjects.forEach((subject: any, i: number) => {
    if (subject?.kind !== 'ServiceAccount') {
      report(
        `subjects[${i}].kind`,
        `only ServiceAccounts of the namespace may be bound, got ${JSON.stringify(
          subject?.kind,
        )}; people get access through the owning group's RoleBinding, which follows the catalogue owner`,
      );
    } else if (
      subject.namespace !== undefined &&
      subject.namespace !== policy.namespace
    ) {
      report(
        `subjects[${i}].namespace`,
        `must be "${policy.namespace}" (or left out), got "${subject.namespace}"`,
      );
    }
  });
};
