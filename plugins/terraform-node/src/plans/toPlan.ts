import { TerraformPlan } from '../TerraformRunner';
import { PlanRecord } from './DatabasePlanStore';

/** A stored plan as the runner's callers see it, with when it expires. */
export function toPlan(record: PlanRecord, maxAgeMs: number): TerraformPlan {
  return {
    planId: record.planId,
    workspace: record.workspace,
    module: record.module,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: new Date(record.createdAt + maxAgeMs).toISOString(),
    hasChanges: record.hasChanges,
    destroy: record.destroy,
    status: record.status,
    summary: record.summary,
  };
}
