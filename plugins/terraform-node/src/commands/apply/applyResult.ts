import { TerraformProgress } from '../../cli/TerraformProgress';
import { PlanRecord } from '../../plans/DatabasePlanStore';
import { TerraformApplyResult } from '../../TerraformRunner';

/** What the reviewed plan did overall, even when finished in two goes. */
export function applyResult(
  record: PlanRecord,
  progress: TerraformProgress | undefined,
  resumed: boolean,
): TerraformApplyResult {
  const { summary } = record;
  const actions = new Map(summary.resources.map(r => [r.address, r.action]));
  for (const [address, action] of progress?.applied ?? []) {
    if (!actions.has(address)) actions.set(address, action);
  }
  return {
    planId: record.planId,
    workspace: record.workspace,
    added: summary.add,
    changed: summary.change,
    destroyed: summary.destroy,
    resources: [...actions.entries()].map(([address, action]) => ({
      address,
      action,
    })),
    resumed,
    text: record.destroy
      ? `Destroy complete! Resources: ${summary.destroy} destroyed.`
      : `Apply complete! Resources: ${summary.add} added, ${summary.change} changed, ${summary.destroy} destroyed.`,
  };
}
