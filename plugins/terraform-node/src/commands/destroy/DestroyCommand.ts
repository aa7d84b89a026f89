import { TerraformProgress } from '../../cli/TerraformProgress';
import { commandFailure } from '../../errors';
import {
  TerraformApplyResult,
  TerraformDestroyRequest,
  TerraformRunOptions,
} from '../../TerraformRunner';
import { CommandContext } from '../CommandContext';
import { startModuleRun } from '../startModuleRun';

/**
 * `destroy`: destroys everything in a workspace, under the workspace's
 * lease, in a run directory that goes when the run ends.
 */
export class DestroyCommand {
  readonly #context: CommandContext;

  constructor(context: CommandContext) {
    this.#context = context;
  }

  async run(
    request: TerraformDestroyRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformApplyResult> {
    const started = await startModuleRun(
      this.#context,
      request,
      options,
      'destroy',
    );
    const { run, module: mod, redactor, emit } = started;
    const { cli, logger } = this.#context;
    const { workspace, runId } = run;
    try {
      const context = await started.prepare();
      emit({
        level: 'info',
        type: 'runner',
        message: `Destroying module ${mod.name} in workspace ${workspace} (run ${runId})`,
      });
      await cli.init(context);
      const progress = new TerraformProgress({
        operation: 'destroy',
        total: mod.resources.length,
        redactor,
        emit,
      });
      const result = await cli.destroy(context, progress);
      if (result.cancelled && result.exitCode !== 0) {
        throw await cli.cancelled('destroy', context, result, { progress });
      }
      if (result.exitCode !== 0) {
        throw commandFailure('destroy', workspace, result, progress, redactor);
      }
      const destroyed = destroyResult(workspace, progress);
      logger.info('terraform destroy finished', {
        workspace,
        runId,
        module: mod.name,
        destroyed: destroyed.resources.length,
      });
      return destroyed;
    } finally {
      await run.end();
    }
  }
}

/** What a finished destroy did, as terraform summed it up. */
function destroyResult(
  workspace: string,
  progress: TerraformProgress,
): TerraformApplyResult {
  const resources = [...progress.applied.entries()].map(
    ([address, action]) => ({ address, action }),
  );
  return {
    workspace,
    added: progress.changeSummary?.add ?? 0,
    changed: progress.changeSummary?.change ?? 0,
    destroyed: progress.changeSummary?.remove ?? resources.length,
    resources,
    resumed: false,
    text:
      progress.changeSummary?.message ??
      `Destroy complete! Resources: ${resources.length} destroyed.`,
  };
}
