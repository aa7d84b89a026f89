import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { TerraformCli } from '../cli/TerraformCli';
import { TerraformProcesses } from '../cli/TerraformProcesses';
import { ModuleCatalogLoader } from '../modules/ModuleCatalogLoader';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { PlanExpiry } from '../plans/PlanExpiry';
import { SavedPlanFiles } from '../plans/SavedPlanFiles';
import { TerraformRunnerSettings } from '../readTerraformRunnerConfig';
import { WorkspaceRuns } from '../runs/WorkspaceRuns';
import { SecretRedactor } from '../SecretRedactor';

/**
 * What every command of the runner works with, built once by
 * DefaultTerraformRunner: a new command (one folder under `commands/`)
 * takes it as its options.
 */
export interface CommandContext {
  /** The hosting plugin's database, migrated. */
  knex: Knex;
  settings: TerraformRunnerSettings;
  logger: LoggerService;
  /** The terraform commands, in a run directory. */
  cli: TerraformCli;
  /** The terraform processes running, stopped at shutdown. */
  processes: TerraformProcesses;
  /** A run id, the workspace's lease and a run directory, per run. */
  runs: WorkspaceRuns;
  plans: DatabasePlanStore;
  savedPlans: SavedPlanFiles;
  expiry: PlanExpiry;
  modules: ModuleCatalogLoader;
  /** Knows the runner's own secrets: credentials and plan keys. */
  redactor: SecretRedactor;
  now: () => number;
}
