import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { TerraformCli, TerraformRunContext } from '../../cli/TerraformCli';
import { TerraformProgress } from '../../cli/TerraformProgress';
import { TerraformCommandResult } from '../../cli/runTerraformCommand';
import {
  partialApplyError,
  stateLockDiagnostic,
  stateLockedError,
} from '../../errors';
import { DatabasePlanStore, PlanRecord } from '../../plans/DatabasePlanStore';
import { TerraformPlanSummary } from '../../TerraformRunner';

/** terraform's refusals of a plan file before it applies anything. */
const REFUSED_PLAN = [
  'Inconsistent dependency lock file',
  'Failed to read plan from plan file',
];

/**
 * Why an apply did not finish, once the plan's status says what can be
 * done with it: applied again as it is (a held state lock, a refused plan
 * file), never (stale), or resumed (failed part way, cancelled).
 */
export async function applyFailure(options: {
  record: PlanRecord;
  run: TerraformRunContext;
  applied: TerraformCommandResult;
  progress: TerraformProgress;
  /** The changes this apply was to make: the plan's, or what was left of it. */
  changes: TerraformPlanSummary;
  resumed: boolean;
  cli: TerraformCli;
  plans: DatabasePlanStore;
  log: LoggerService;
}): Promise<Error> {
  const { record, run, progress, resumed, plans } = options;
  const errors = progress.diagnostics.filter(d => d.severity === 'error');
  const untouched = progress.applied.size === 0;
  const lockDiag = stateLockDiagnostic(progress);
  if (lockDiag && untouched) {
    await plans.update(record.planId, {
      status: resumed ? 'failed' : 'planned',
    });
    return stateLockedError(record.workspace, lockDiag.detail);
  }
  const refused = errors.find(d => REFUSED_PLAN.includes(d.summary));
  if (refused && untouched) {
    await plans.update(record.planId, {
      status: resumed ? 'failed' : 'planned',
    });
    return new ConflictError(
      run.redactor.redact(
        `Plan ${record.planId} cannot be applied in ${run.runDir}: terraform refused its plan file (${refused.summary}: ${refused.detail}); plan again`,
      ),
    );
  }
  if (errors.some(d => d.summary === 'Saved plan is stale')) {
    await plans.update(record.planId, {
      status: 'stale',
      error: 'state changed since the plan was made',
    });
    return new ConflictError(
      `Plan ${record.planId} is stale: the state of workspace ${record.workspace} changed since it was planned; plan again`,
    );
  }
  return stoppedPartWay(options);
}

/** An apply cancelled or failed part way: the plan is resumed on retry. */
async function stoppedPartWay(
  options: Parameters<typeof applyFailure>[0],
): Promise<Error> {
  const { record, run, applied, progress, changes, cli, log } = options;
  const error = applied.cancelled
    ? await cli.cancelled('apply', run, applied, { changes, progress })
    : partialApplyError({
        planId: record.planId,
        workspace: record.workspace,
        result: applied,
        progress,
        changes,
        state: await cli.stateAddresses(run.runDir),
        redactor: run.redactor,
      });
  await options.plans.update(record.planId, {
    status: 'failed',
    error: error.message,
  });
  log.warn('terraform apply stopped part way', {
    reason: error.reason,
    applied: error.appliedResources.length,
  });
  return error;
}
