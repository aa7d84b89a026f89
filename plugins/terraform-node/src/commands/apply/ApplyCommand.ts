import { TerraformRunContext } from '../../cli/TerraformCli';
import { TerraformProgress } from '../../cli/TerraformProgress';
import { PlanRecord } from '../../plans/DatabasePlanStore';
import { PLAN_FILE, RESUME_PLAN_FILE } from '../../runs/RunDirectories';
import { WorkspaceRun } from '../../runs/WorkspaceRuns';
import {
  TerraformApplyRequest,
  TerraformApplyResult,
  TerraformRunOptions,
} from '../../TerraformRunner';
import { CommandContext } from '../CommandContext';
import { applyFailure } from './applyFailure';
import { applyResult } from './applyResult';
import {
  checkAge,
  checkApplicable,
  checkDestroyPolicy,
  checkOwner,
  checkVersion,
  loadPlan,
} from './planChecks';
import { PlanDirectory } from './PlanDirectory';
import { ResumePlanner } from './ResumePlanner';

/**
 * `apply`: applies exactly a saved plan, after checking its owner, age,
 * destroy policy, terraform version and checksum, under the workspace's
 * lease, on whichever replica is asked. An applied plan gives back its
 * result; a plan whose apply stopped part way is resumed.
 */
export class ApplyCommand {
  readonly #context: CommandContext;
  readonly #directories: PlanDirectory;
  readonly #resume: ResumePlanner;

  constructor(context: CommandContext) {
    this.#context = context;
    this.#directories = new PlanDirectory(context);
    this.#resume = new ResumePlanner(context);
  }

  async run(
    request: TerraformApplyRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformApplyResult> {
    const { plans, settings, modules, cli, runs, now } = this.#context;
    const record = await loadPlan(plans, request.planId);
    checkOwner(record, request.owner);
    if (record.status === 'applied' && record.result) return record.result;
    checkApplicable(record);
    checkAge(record, { now: now(), maxAgeMs: settings.planMaxAgeMs });
    checkDestroyPolicy(record, Boolean(request.allowDestroy));
    const catalog = await modules.load();
    options.signal?.throwIfAborted();
    const version = await cli.ready();
    checkVersion(record, { name: cli.binaryName, version });

    const run = await runs.begin({
      workspace: record.workspace,
      operation: 'apply',
      signal: options.signal,
    });
    try {
      // Under the lease: another replica may have finished it meanwhile.
      const current = await loadPlan(plans, record.planId);
      if (current.status === 'applied' && current.result) {
        return current.result;
      }
      checkApplicable(current);
      const context = await this.#directories.open(
        current,
        catalog,
        run,
        options,
      );
      return await this.applyPlan(current, context, run, request.owner);
    } finally {
      await run.end();
    }
  }

  /** Applies a verified plan (or resumes it) under the workspace's lease. */
  private async applyPlan(
    record: PlanRecord,
    context: TerraformRunContext,
    run: WorkspaceRun,
    owner: string | undefined,
  ): Promise<TerraformApplyResult> {
    const { cli, plans, logger } = this.#context;
    const log = logger.child({
      workspace: record.workspace,
      runId: run.runId,
      planId: record.planId,
      module: record.module,
      ...(owner ? { taskId: owner } : {}),
    });
    let planFile = PLAN_FILE;
    let changes = record.summary;
    const resumed = record.status === 'failed' || record.status === 'applying';
    if (resumed) {
      context.emit({
        level: 'info',
        type: 'runner',
        message: `Resuming plan ${record.planId}: its last apply stopped part way, planning what is left`,
      });
      const remaining = await this.#resume.planRemaining(record, context);
      if (!remaining) return this.finish(record, run, undefined, true);
      changes = remaining;
      planFile = RESUME_PLAN_FILE;
    }

    await plans.update(record.planId, { status: 'applying' });
    context.emit({
      level: 'info',
      type: 'runner',
      message: `Applying plan ${record.planId} to workspace ${record.workspace}: ${changes.text}`,
    });
    const progress = new TerraformProgress({
      operation: 'apply',
      total: changes.resources.length,
      redactor: context.redactor,
      emit: context.emit,
    });
    const applied = await cli.apply(context, planFile, progress);
    // Exit code 0 is done, even when a cancellation came too late to stop it.
    if (applied.exitCode !== 0) {
      throw await applyFailure({
        record,
        run: context,
        applied,
        progress,
        changes,
        resumed,
        cli,
        plans,
        log,
      });
    }
    const result = await this.finish(record, run, progress, resumed);
    log.info('terraform apply finished', {
      added: result.added,
      changed: result.changed,
      destroyed: result.destroyed,
      resumed,
    });
    return result;
  }

  /** Marks a plan applied and removes its run directory. */
  private async finish(
    record: PlanRecord,
    run: WorkspaceRun,
    progress: TerraformProgress | undefined,
    resumed: boolean,
  ): Promise<TerraformApplyResult> {
    const result = applyResult(record, progress, resumed);
    await this.#context.plans.update(record.planId, {
      status: 'applied',
      result,
      error: null,
    });
    await run.removeDirectory();
    return result;
  }
}
