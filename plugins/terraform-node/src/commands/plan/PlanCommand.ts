import path from 'node:path';
import { TerraformRunContext } from '../../cli/TerraformCli';
import { planSummaryLines } from '../../plans/summarizePlan';
import { PlanRecord } from '../../plans/DatabasePlanStore';
import { sha256File } from '../../plans/SavedPlanFiles';
import { toPlan } from '../../plans/toPlan';
import { PLAN_FILE } from '../../runs/RunDirectories';
import {
  TerraformPlan,
  TerraformPlanRequest,
  TerraformPlanSummary,
  TerraformRunOptions,
} from '../../TerraformRunner';
import { CommandContext } from '../CommandContext';
import { ModuleRun, startModuleRun } from '../startModuleRun';

/**
 * `plan`: plans a vetted module in a workspace, under the workspace's
 * lease, and saves the plan: its summary and checksum in the database, its
 * plan file in the run directory and, sealed, in the database, so that any
 * replica can apply it. A dry run (`discard`) keeps nothing but the record.
 */
export class PlanCommand {
  readonly #context: CommandContext;

  constructor(context: CommandContext) {
    this.#context = context;
  }

  async run(
    request: TerraformPlanRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformPlan> {
    const started = await startModuleRun(
      this.#context,
      request,
      options,
      request.destroy ? 'plan-destroy' : 'plan',
    );
    const { run, module: mod } = started;
    const log = this.#context.logger.child({
      workspace: run.workspace,
      runId: run.runId,
      module: mod.name,
      ...(request.owner ? { taskId: request.owner } : {}),
    });
    try {
      await this.#context.expiry.expireWorkspace(run.workspace);
      const cli = await started.prepare();
      const planned = await this.plan(request, started, cli);
      const record = await this.save(request, started, planned);
      if (!request.discard) run.keep();
      log.info('terraform plan saved', {
        planId: run.runId,
        add: planned.summary.add,
        change: planned.summary.change,
        destroy: planned.summary.destroy,
        discarded: Boolean(request.discard),
      });
      return toPlan(record, this.#context.settings.planMaxAgeMs);
    } catch (error) {
      log.warn('terraform plan failed', {
        error: started.redactor.redact(String(error)),
      });
      throw error;
    } finally {
      await run.end();
    }
  }

  /** `init`, `plan` and `show`, the summary in the progress lines. */
  private async plan(
    request: TerraformPlanRequest,
    started: ModuleRun,
    cli: TerraformRunContext,
  ): Promise<{ summary: TerraformPlanSummary; hasChanges: boolean }> {
    const { run, module: mod, emit } = started;
    const { cli: terraform } = this.#context;
    emit({
      level: 'info',
      type: 'runner',
      message: `Planning ${
        request.destroy ? 'the destruction of ' : ''
      }module ${mod.name} in workspace ${run.workspace} with ${
        terraform.binaryName
      } ${started.version} (run ${run.runId})`,
    });
    await terraform.init(cli);
    const planned = await terraform.plan(cli, {
      planFile: PLAN_FILE,
      destroy: Boolean(request.destroy),
      total: mod.resources.length,
    });
    const summary = await terraform.show(cli, PLAN_FILE);
    emit({ level: 'info', type: 'runner', message: summary.text });
    for (const line of planSummaryLines(summary)) {
      emit({ level: 'info', type: 'runner', message: line });
    }
    return { summary, hasChanges: planned.exitCode === 2 };
  }

  /** The plan's record, and its plan file sealed unless discarded. */
  private async save(
    request: TerraformPlanRequest,
    started: ModuleRun,
    planned: { summary: TerraformPlanSummary; hasChanges: boolean },
  ): Promise<PlanRecord> {
    const { run, module: mod } = started;
    const { runDir, runId, workspace } = run;
    const { savedPlans, plans, runs } = this.#context;
    const checksum = await sha256File(path.join(runDir, PLAN_FILE));
    const planFile = request.discard
      ? undefined
      : await savedPlans.seal(runId, runDir, { module: mod.name, workspace });
    return plans.insert(
      {
        planId: runId,
        workspace,
        module: mod.name,
        owner: request.owner,
        runDir: runs.directories.relative(runDir),
        checksum,
        summary: planned.summary,
        status: request.discard ? 'discarded' : 'planned',
        hasChanges: planned.hasChanges,
        destroy: Boolean(request.destroy),
      },
      planFile,
    );
  }
}
