import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { TerraformCli } from './cli/TerraformCli';
import { TerraformProcesses } from './cli/TerraformProcesses';
import { ApplyCommand } from './commands/apply/ApplyCommand';
import { CommandContext } from './commands/CommandContext';
import { DestroyCommand } from './commands/destroy/DestroyCommand';
import { OutputsCommand } from './commands/outputs/OutputsCommand';
import { PlanCommand } from './commands/plan/PlanCommand';
import { PreviewCommand } from './commands/preview/PreviewCommand';
import { migrateDatabase } from './migrateDatabase';
import { TerraformModule } from './modules/ModuleCatalog';
import { ModuleCatalogLoader } from './modules/ModuleCatalogLoader';
import { DatabaseWorkspaceOwners } from './owners/DatabaseWorkspaceOwners';
import { DatabasePlanStore } from './plans/DatabasePlanStore';
import { PlanExpiry } from './plans/PlanExpiry';
import { SavedPlanFiles } from './plans/SavedPlanFiles';
import { toPlan } from './plans/toPlan';
import {
  readTerraformRunnerConfig,
  TerraformRunnerSettings,
} from './readTerraformRunnerConfig';
import { DatabaseWorkspaceLock } from './runs/DatabaseWorkspaceLock';
import { checkWorkspace } from './runs/WorkspaceRuns';
import { RunDirectories } from './runs/RunDirectories';
import { WorkspaceRuns } from './runs/WorkspaceRuns';
import { SecretRedactor } from './SecretRedactor';
import { TerraformStateBackend } from './state/TerraformStateBackend';
import {
  TerraformApplyRequest,
  TerraformApplyResult,
  TerraformDestroyRequest,
  TerraformOutput,
  TerraformPlan,
  TerraformPlanPreview,
  TerraformPlanRequest,
  TerraformRunner,
  TerraformRunOptions,
  TerraformWorkspaceOwner,
} from './TerraformRunner';

/**
 * Options of {@link DefaultTerraformRunner.create}.
 *
 * @public
 */
export interface DefaultTerraformRunnerOptions {
  settings: TerraformRunnerSettings;
  logger: LoggerService;
  /** The hosting plugin's database: saved plans and workspace leases. */
  database: DatabaseService;
  /**
   * The root config: the pg state backend without
   * `paved.terraform.backend.pg.connectionString` derives its connection
   * from `backend.database` (never from `database`'s client).
   */
  config?: Config;
  /** The plugin hosting the runner: whose database the pg state backend uses. */
  pluginId?: string;
  /** Identifies this replica in workspace leases. */
  replicaId?: string;
  /** How often leases are renewed; default a third of the lease. */
  heartbeatMs?: number;
  now?: () => number;
}

/**
 * Runs terraform or tofu on vetted modules, each run in its own working
 * directory, with variables as `*.tfvars.json` and generated configuration
 * as `*.tf.json` only; credentials only in the child's environment.
 *
 * A facade: each command is a class of its own under `commands/`, all of
 * them on the runs of `runs/` (run directory and workspace lease).
 *
 * @public
 */
export class DefaultTerraformRunner implements TerraformRunner {
  readonly #context: CommandContext;
  readonly #plan: PlanCommand;
  readonly #apply: ApplyCommand;
  readonly #destroy: DestroyCommand;
  readonly #outputs: OutputsCommand;
  readonly #preview: PreviewCommand;
  readonly #owners: DatabaseWorkspaceOwners;

  private constructor(options: {
    context: CommandContext;
    owners: DatabaseWorkspaceOwners;
  }) {
    this.#context = options.context;
    this.#owners = options.owners;
    this.#preview = new PreviewCommand(options.context);
    this.#plan = new PlanCommand(options.context);
    this.#apply = new ApplyCommand(options.context);
    this.#destroy = new DestroyCommand(options.context);
    this.#outputs = new OutputsCommand(options.context);
  }

  /** A runner from `paved.terraform` config. */
  static async fromConfig(
    config: Config,
    options: Pick<
      DefaultTerraformRunnerOptions,
      'logger' | 'database' | 'pluginId'
    >,
  ): Promise<DefaultTerraformRunner> {
    return DefaultTerraformRunner.create({
      settings: readTerraformRunnerConfig(config),
      config,
      ...options,
    });
  }

  /** A runner from settings; migrates its tables. */
  static async create(
    options: DefaultTerraformRunnerOptions,
  ): Promise<DefaultTerraformRunner> {
    const context = await createCommandContext(options);
    return new DefaultTerraformRunner({
      context,
      owners: DatabaseWorkspaceOwners.create({
        knex: context.knex,
        now: context.now,
      }),
    });
  }

  async previewPlan(
    request: TerraformPlanRequest,
  ): Promise<TerraformPlanPreview> {
    return this.#preview.run(request);
  }

  async isWorkspaceKnown(workspace: string): Promise<boolean> {
    return this.#context.plans.hasAny(checkWorkspace(workspace));
  }

  async getWorkspaceOwner(
    workspace: string,
  ): Promise<TerraformWorkspaceOwner | undefined> {
    return this.#owners.get(checkWorkspace(workspace));
  }

  async recordWorkspaceOwner(request: {
    workspace: string;
    ownerRef: string;
    recordedBy?: string;
    taskId?: string;
  }): Promise<TerraformWorkspaceOwner> {
    return this.#owners.claim({
      ...request,
      workspace: checkWorkspace(request.workspace),
    });
  }

  /**
   * Stops every terraform process this runner has running (SIGTERM, then
   * SIGKILL after `paved.terraform.cancelGracePeriod`), waits for them to
   * end, and starts no new one: the backend's shutdown hook.
   */
  async shutdown(): Promise<void> {
    await this.#context.processes.stopAll({
      gracePeriodMs: this.#context.settings.cancelGracePeriodMs,
    });
  }

  async listModules(): Promise<TerraformModule[]> {
    return (await this.#context.modules.load()).list();
  }

  async getPlan(planId: string): Promise<TerraformPlan | undefined> {
    const record = await this.#context.plans.get(planId);
    return record
      ? toPlan(record, this.#context.settings.planMaxAgeMs)
      : undefined;
  }

  /**
   * Expires every unapplied plan older than `paved.terraform.planMaxAge`
   * and removes its plan file, which holds the plan's variable values.
   * Workspaces with a run in progress are left for the next time. Returns
   * how many plans expired.
   */
  async expirePlans(): Promise<number> {
    return this.#context.expiry.expireAll();
  }

  async plan(
    request: TerraformPlanRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformPlan> {
    return this.#plan.run(request, options);
  }

  async apply(
    request: TerraformApplyRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformApplyResult> {
    return this.#apply.run(request, options);
  }

  async destroy(
    request: TerraformDestroyRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformApplyResult> {
    return this.#destroy.run(request, options);
  }

  async output(
    request: { workspace: string },
    options: TerraformRunOptions = {},
  ): Promise<Record<string, TerraformOutput>> {
    return this.#outputs.run(request, options);
  }
}

/** Everything the commands share, built once: tables migrated first. */
async function createCommandContext(
  options: DefaultTerraformRunnerOptions,
): Promise<CommandContext> {
  const { settings, logger } = options;
  const knex = await migrateDatabase(options.database);
  const now = options.now ?? Date.now;
  const stateBackend = TerraformStateBackend.create({
    settings: settings.backend,
    workDir: settings.workDir,
    config: options.config,
    pluginId: options.pluginId,
  });
  const redactor = SecretRedactor.create([
    ...Object.values(settings.secretEnvironment),
    ...stateBackend.secrets(),
    settings.planEncryptionKey,
    ...(settings.previousPlanEncryptionKeys ?? []),
  ]);
  const locks = DatabaseWorkspaceLock.create({
    knex,
    logger,
    leaseMs: settings.lockLeaseMs,
    heartbeatMs: options.heartbeatMs,
    replicaId: options.replicaId,
    now,
  });
  const plans = DatabasePlanStore.create({ knex, now });
  const runDirs = new RunDirectories({
    workDir: settings.workDir,
    stateBackend,
  });
  const runs = new WorkspaceRuns({ locks, runDirs });
  const processes = new TerraformProcesses();
  const savedPlans = new SavedPlanFiles({
    settings,
    plans,
    runs,
    logger,
    now,
  });
  return {
    knex,
    settings,
    logger,
    cli: new TerraformCli({
      settings,
      stateBackend,
      redactor,
      logger,
      processes,
    }),
    processes,
    runs,
    plans,
    savedPlans,
    expiry: new PlanExpiry({
      maxAgeMs: settings.planMaxAgeMs,
      plans,
      runs,
      savedPlans,
      logger,
    }),
    modules: new ModuleCatalogLoader({ modulesDir: settings.modulesDir }),
    redactor,
    now,
  };
}
