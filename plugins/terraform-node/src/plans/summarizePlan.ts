import type { JsonObject, JsonValue } from '@backstage/config';
import { SecretRedactor } from '../SecretRedactor';
import {
  TerraformPlanSummary,
  TerraformResourceAction,
  TerraformResourceChange,
} from '../TerraformRunner';

const SENSITIVE = '(sensitive value)';
const UNKNOWN = '(known after apply)';

/**
 * Terraform's action list as one action.
 *
 * @public
 */
export function resourceAction(actions: string[]): TerraformResourceAction {
  const key = actions.join(',');
  switch (key) {
    case 'create':
    case 'update':
    case 'delete':
    case 'read':
    case 'forget':
    case 'no-op':
      return key;
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    case 'create,forget':
      return 'create';
    default:
      throw new Error(`unknown Terraform action list [${key}]`);
  }
}

const SYMBOLS: Record<string, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  forget: '.',
};

/**
 * One line for a changed resource, as terraform marks it in a plan:
 * "+ aws_s3_bucket.this (create)".
 *
 * @public
 */
export function formatResourceChange(change: {
  address: string;
  action: string;
}): string {
  return `${SYMBOLS[change.action] ?? '?'} ${change.address} (${
    change.action
  })`;
}

/** A value with sensitive leaves masked and unknown leaves marked. */
function mask(value: unknown, sensitive: unknown, unknown: unknown): JsonValue {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value)) {
    return value.map((v, i) =>
      mask(
        v,
        Array.isArray(sensitive) ? sensitive[i] : undefined,
        Array.isArray(unknown) ? unknown[i] : undefined,
      ),
    );
  }
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = mask(v, (sensitive as any)?.[k], (unknown as any)?.[k]);
    }
    return out;
  }
  return (value ?? null) as JsonValue;
}

/**
 * The summary of `terraform show -json <planfile>`: counts, each changed
 * resource with its action and its values, sensitive ones masked. Plan JSON
 * format versions 0.x and 1.x are read; another major version is refused.
 *
 * @public
 */
export function summarizePlan(
  plan: any,
  redactor: SecretRedactor,
): TerraformPlanSummary {
  const formatVersion = String(plan?.format_version ?? '');
  if (!/^[01]\./.test(formatVersion)) {
    throw new Error(
      `unsupported plan JSON format_version "${formatVersion}" (expected 0.x or 1.x)`,
    );
  }
  let add = 0;
  let change = 0;
  let destroy = 0;
  let replace = 0;
  const resources: TerraformResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode && rc.mode !== 'managed') continue;
    const action = resourceAction(rc.change?.actions ?? ['no-op']);
    if (action === 'no-op' || action === 'read') continue;
    if (action === 'create') add++;
    if (action === 'update') change++;
    if (action === 'delete') destroy++;
    if (action === 'replace') {
      add++;
      destroy++;
      replace++;
    }
    const entry: TerraformResourceChange = {
      address: rc.address,
      type: rc.type,
      name: rc.name,
      action,
    };
    if (rc.action_reason) entry.reason = rc.action_reason;
    if (
      Array.isArray(rc.change?.replace_paths) &&
      rc.change.replace_paths.length
    )
      entry.replacePaths = rc.change.replace_paths.map((p: unknown[]) =>
        p.join('.'),
      );
    if (rc.change?.after && typeof rc.change.after === 'object') {
      const after = mask(
        rc.change.after,
        rc.change.after_sensitive,
        rc.change.after_unknown,
      ) as JsonObject;
      for (const [k, u] of Object.entries(rc.change.after_unknown ?? {})) {
        if (u === true && !(k in after)) after[k] = UNKNOWN;
      }
      entry.after = redactor.redactJson(after);
    }
    resources.push(entry);
  }
  const outputs: TerraformPlanSummary['outputs'] = [];
  for (const [name, oc] of Object.entries<any>(plan.output_changes ?? {})) {
    const action = resourceAction(oc.actions ?? ['no-op']);
    if (action === 'no-op') continue;
    outputs.push({
      name,
      action,
      sensitive: oc.after_sensitive === true || oc.before_sensitive === true,
    });
  }
  return {
    add,
    change,
    destroy,
    replace,
    text: `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`,
    resources,
    outputs,
    terraformVersion: String(plan.terraform_version ?? ''),
  };
}

/**
 * The changed resources of a plan as log lines: every destroy and
 * replacement first, then the other changes, one line each up to `limit`
 * lines; what is left is counted by action and resource type on one more
 * line. The summary itself keeps every resource.
 *
 * @public
 */
export function planSummaryLines(
  summary: Pick<TerraformPlanSummary, 'resources'>,
  limit: number = 50,
): string[] {
  const destructive = summary.resources.filter(
    r => r.action === 'delete' || r.action === 'replace',
  );
  const others = summary.resources.filter(
    r => r.action !== 'delete' && r.action !== 'replace',
  );
  const ordered = [...destructive, ...others];
  const lines = ordered
    .slice(0, limit)
    .map(r => `  ${formatResourceChange(r)}`);
  const rest = ordered.slice(limit);
  if (rest.length) {
    const groups = new Map<
      string,
      { action: string; type: string; n: number }
    >();
    for (const r of rest) {
      const key = `${r.action} ${r.type}`;
      const group = groups.get(key) ?? { action: r.action, type: r.type, n: 0 };
      group.n++;
      groups.set(key, group);
    }
    const counted = [...groups.values()].map(
      g =>
        `${SYMBOLS[g.action] ?? '?'} ${g.n.toLocaleString('en-US')} ${
          g.type
        } (${g.action})`,
    );
    lines.push(
      `  ... and ${rest.length.toLocaleString(
        'en-US',
      )} more (the plan summary lists every resource): ${counted.join(', ')}`,
    );
  }
  return lines;
}
