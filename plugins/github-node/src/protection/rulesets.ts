import { isDeepStrictEqual } from 'node:util';
import { ProtectionPolicy } from './protectionPolicy';

/** A repository ruleset as Paved writes it. */
export interface Ruleset {
  name: string;
  target: 'branch';
  enforcement: 'active';
  bypass_actors: never[];
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: any[];
}

/** The ruleset of a policy: no deletion, no force push, reviews, checks. */
export function rulesetFor(policy: ProtectionPolicy): Ruleset {
  const { checks } = policy;
  const target = policy.branch
    ? `refs/heads/${policy.branch}`
    : '~DEFAULT_BRANCH';
  const rules: any[] = [
    { type: 'deletion' },
    { type: 'non_fast_forward' },
    {
      type: 'pull_request',
      parameters: {
        required_approving_review_count: policy.reviews,
        dismiss_stale_reviews_on_push: policy.dismissStale,
        require_code_owner_review: policy.codeOwners,
        require_last_push_approval: false,
        required_review_thread_resolution: false,
      },
    },
    ...(checks.length > 0
      ? [
          {
            type: 'required_status_checks',
            parameters: {
              strict_required_status_checks_policy: true,
              required_status_checks: checks.map(context => ({ context })),
            },
          },
        ]
      : []),
  ];
  return {
    name: policy.rulesetName,
    target: 'branch',
    enforcement: 'active',
    bypass_actors: [],
    conditions: { ref_name: { include: [target], exclude: [] } },
    rules,
  };
}

/** A rule of ours, normalised for comparison with what GitHub holds. */
export function normaliseRules(rules: any[]): any[] {
  return [...rules]
    .map(rule => {
      const parameters = rule.parameters
        ? {
            ...rule.parameters,
            ...(rule.parameters.required_status_checks
              ? {
                  required_status_checks: [
                    ...rule.parameters.required_status_checks,
                  ]
                    .map((c: any) => ({ context: c.context }))
                    .sort((a: any, b: any) =>
                      a.context.localeCompare(b.context),
                    ),
                }
              : {}),
          }
        : undefined;
      return { type: rule.type, ...(parameters ? { parameters } : {}) };
    })
    .sort((a, b) => a.type.localeCompare(b.type));
}

/** Whether `actual` holds every field of `expected` with the same value. */
export function covers(actual: any, expected: any): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => covers(actual[i], e))
    );
  }
  if (expected && typeof expected === 'object') {
    return (
      actual !== null &&
      typeof actual === 'object' &&
      Object.entries(expected).every(([k, v]) => covers(actual[k], v))
    );
  }
  return isDeepStrictEqual(actual, expected);
}

/** Whether a ruleset GitHub holds says what `wanted` says (GitHub may add defaults). */
export function sameRuleset(existing: any, wanted: Ruleset): boolean {
  return (
    existing.target === wanted.target &&
    existing.enforcement === wanted.enforcement &&
    isDeepStrictEqual(
      [...(existing.conditions?.ref_name?.include ?? [])].sort(),
      [...wanted.conditions.ref_name.include].sort(),
    ) &&
    (existing.conditions?.ref_name?.exclude ?? []).length === 0 &&
    covers(normaliseRules(existing.rules ?? []), normaliseRules(wanted.rules))
  );
}
