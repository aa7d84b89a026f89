import { GuardrailRule } from '../GuardrailRule';
import { isRbac } from './rbac';

/** Verbs that let a Role hand out more than its holder has. */
const ESCALATING_VERBS = ['*', 'escalate', 'bind', 'impersonate'];

/**
 * A Role grants no verb that escalates (`escalate`, `bind`, `impersonate`,
 * `*`) and names the resources it grants.
 */
export const checkRole: GuardrailRule = (m, { report }) => {
  if (!isRbac(m)) return;
  const rules = Array.isArray(m.rules) ? m.rules : [];
  rules.forEach((rule: any, i: number) => {
    const verbs: unknown[] = Array.isArray(rule?.verbs) ? rule.verbs : [];
    const bad = verbs.filter(verb => ESCALATING_VERBS.includes(String(verb)));
    if (bad.length > 0) {
      report(
        `rules[${i}].verbs`,
        `may not grant ${bad.join(', ')}; list the verbs the workload needs`,
      );
    }
    const resources: unknown[] = Array.isArray(rule?.resources)
      ? rule.resources
      : [];
    if (resources.includes('*')) {
      report(
        `rules[${i}].resources`,
        'may not be "*"; list the resources the workload needs',
      );
    }
  });
};
