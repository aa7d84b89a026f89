import { ConflictError } from '@backstage/errors';
import { TerraformRunContext } from '../../cli/TerraformCli';
import { listUpTo } from '../../format';
import { PlanRecord } from '../../plans/DatabasePlanStore';
import { RESUME_PLAN_FILE } from '../../runs/RunDirectories';
import {
  TerraformPlanSummary,
  TerraformResourceAction,
  TerraformResourceChange,
} from '../../TerraformRunner';
import { CommandContext } from '../CommandContext';

/** What a resumed apply may do to a resource, given its reviewed action. */
const RESUMABLE: Record<string, TerraformResourceAction[]> = {
  create: ['create'],
  update: ['update'],
  delete: ['delete'],
  replace: ['replace', 'create', 'delete'],
  forget: ['forget'],
};

/**
 * After an apply stopped part way: plans again in the same directory and
 * accepts the new plan only if every change in it was in the reviewed
 * plan.
 */
export class ResumePlanner {
  readonly #context: CommandContext;

  constructor(context: CommandContext) {
    this.#context = context;
  }

  /** What is left of the reviewed plan, or undefined when nothing is. */
  async planRemaining(
    record: PlanRecord,
    run: TerraformRunContext,
  ): Promise<TerraformPlanSummary | undefined> {
    const { cli, plans } = this.#context;
    const planned = await cli.plan(run, {
      planFile: RESUME_PLAN_FILE,
      destroy: record.destroy,
      total: record.summary.resources.length,
    });
    if (planned.exitCode === 0) return undefined;
    const remaining = await cli.show(run, RESUME_PLAN_FILE);
    const unexpected = unreviewed(record, remaining.resources);
    if (unexpected.length) {
      await plans.update(record.planId, {
        status: 'stale',
        error: 'the remaining changes differ from the reviewed plan',
      });
      throw new ConflictError(
        `Plan ${
          record.planId
        } cannot be resumed: what is left to do differs from the reviewed plan (${listUpTo(
          unexpected.map(r => `${r.address}: ${r.action}`),
        )}); plan again and review the new plan`,
      );
    }
    run.emit({
      level: 'info',
      type: 'runner',
      message: `Left to apply from the reviewed plan: ${
        listUpTo(remaining.resources.map(r => `${r.address} (${r.action})`)) ||
        'no resource changes, only outputs'
      }`,
    });
    return remaining;
  }
}

/** The remaining changes the reviewed plan did not have. */
function unreviewed(
  record: PlanRecord,
  remaining: TerraformResourceChange[],
): TerraformResourceChange[] {
  const reviewed = new Map(
    record.summary.resources.map(r => [r.address, r.action]),
  );
  return remaining.filter(r => {
    const was = reviewed.get(r.address);
    if (!was) return true;
    // A create cut short leaves its object tainted: replacing it finishes
    // the reviewed create.
    if (
      was === 'create' &&
      r.action === 'replace' &&
      r.reason === 'replace_because_tainted'
    )
      return false;
    return !(RESUMABLE[was] ?? []).includes(r.action);
  });
}
