import { ConflictError, NotFoundError } from '@backstage/errors';
import path from 'node:path';
import { TerraformRunContext } from '../../cli/TerraformCli';
import { formatBytes } from '../../format';
import { ModuleCatalog } from '../../modules/ModuleCatalog';
import { PlanRecord } from '../../plans/DatabasePlanStore';
import { sha256File } from '../../plans/SavedPlanFiles';
import { PLAN_FILE } from '../../runs/RunDirectories';
import { WorkspaceRun } from '../../runs/WorkspaceRuns';
import { TerraformRunOptions } from '../../TerraformRunner';
import { CommandContext } from '../CommandContext';
import { moduleRedactor, progressEmitter } from '../runContext';

/**
 * The run directory a saved plan is applied in: the one that made it,
 * where this replica has it, or else rebuilt from the plan saved in the
 * database; either way checked against the plan's checksum.
 */
export class PlanDirectory {
  readonly #context: CommandContext;

  constructor(context: CommandContext) {
    this.#context = context;
  }

  /**
   * The plan's run directory as the run's. Where it is missing (the plan
   * was made on another replica, or before this one restarted) it is
   * rebuilt: the module's files, the variables and the lock file, then
   * `init`, then the plan file.
   */
  async open(
    record: PlanRecord,
    catalog: ModuleCatalog,
    run: WorkspaceRun,
    options: TerraformRunOptions,
  ): Promise<TerraformRunContext> {
    const { savedPlans, runs, cli, logger } = this.#context;
    const runDir = run.useSaved(record.runDir);
    const bundle = await savedPlans.missing(record, runDir);
    const redactor = moduleRedactor(
      catalog,
      record.module,
      bundle ? bundle.variables : await runs.directories.readVariables(runDir),
      this.#context.redactor,
    );
    const context: TerraformRunContext = {
      workspace: record.workspace,
      runDir,
      signal: run.signal,
      redactor,
      emit: progressEmitter(
        options,
        redactor,
        logger.child({ workspace: record.workspace, module: record.module }),
      ),
    };
    if (bundle) {
      context.emit({
        level: 'info',
        type: 'runner',
        message: `Plan ${
          record.planId
        } is not on this replica: restoring it from the database (${formatBytes(
          bundle.planFile.length,
        )}, checksum verified)`,
      });
      await savedPlans.restore(
        runDir,
        await catalog.files(record.module),
        bundle,
        () => cli.init(context),
      );
    }
    await verifyPlanFile(record, runDir);
    return context;
  }
}

async function verifyPlanFile(record: PlanRecord, runDir: string) {
  let checksum: string;
  try {
    checksum = await sha256File(path.join(runDir, PLAN_FILE));
  } catch {
    throw new NotFoundError(
      `planId: the plan file of plan ${record.planId} is not in ${runDir}; plan again`,
    );
  }
  if (checksum !== record.checksum) {
    throw new ConflictError(
      `planId: the plan file of plan ${record.planId} changed since it was reviewed (checksum mismatch); plan again`,
    );
  }
}
